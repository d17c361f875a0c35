package org.latentmotion.progress;

/**
 * A count of steps done toward a total, reported to whoever watches the long work ({@link Watcher}):
 * a redrawn progress bar in a notebook, nothing elsewhere. The work that counts knows nothing of
 * how it is shown.
 *
 * <pre>{@code
 * import org.latentmotion.progress.Progress;
 *
 * int total = 100;
 * try (Progress p = Progress.start("counting", total)) {
 *     for (int done = 10; done <= total; done += 10) {
 *         p.step(done);   // after each batch of work
 *     }
 * }
 * }</pre>
 */
public interface Progress extends AutoCloseable {

    /** Starts counting toward {@code total} steps (0 or less: unknown total) for the current watcher. */
    static Progress start(String label, long total) {
        return Watcher.current().progress(label, total);
    }

    /** Sets the number of steps done. */
    Progress step(long doneSoFar);

    /** Adds {@code n} steps done. */
    Progress advance(long n);

    /** Steps done so far. */
    long done();

    /** Marks the work as ended, at whatever count was reached. */
    void finish();

    @Override
    default void close() {
        finish();
    }
}

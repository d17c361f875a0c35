package org.latentmotion.progress;

/**
 * Curves that grow while long work runs (a training run's losses), reported to whoever watches
 * ({@link Watcher}): a line plot redrawn in place in a notebook, nothing elsewhere. Points are
 * added as they come; {@link #refresh()} asks the watcher to show them (it may throttle);
 * {@link #finish()} shows the final state.
 */
public interface LiveChart extends AutoCloseable {

    /** An empty live chart for the current watcher. */
    static LiveChart create(String title, String xLabel, String yLabel) {
        return Watcher.current().chart(title, xLabel, yLabel);
    }

    /** Adds a point to {@code series} (created on first use); NaN and infinite values are left out. */
    LiveChart add(String series, double x, double y);

    /** Shows what changed, if the watcher wants it now. */
    LiveChart refresh();

    /** Shows the final state. */
    void finish();

    @Override
    default void close() {
        finish();
    }
}

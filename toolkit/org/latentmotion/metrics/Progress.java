package org.latentmotion.metrics;

import java.util.ServiceLoader;

/**
 * How a long measurement (an {@link Evaluation}) reports how far it is: one {@link #step} per unit
 * of work done, {@link #close} at the end. This package draws nothing: a notebook's progress bar
 * is supplied by the display layer as a {@link Starter} service (listed in
 * {@code META-INF/services}), so the dependency points from display down to metrics. Without a
 * provider on the class path, progress goes nowhere and the work runs the same.
 */
public interface Progress extends AutoCloseable {

    /** Sets the number of units done so far. */
    void step(long done);

    /** Marks the work as ended, at whatever count was reached. */
    @Override
    void close();

    /** Starts progress reports; implementations are found with {@link ServiceLoader}. */
    interface Starter {
        /** Starts reporting work on {@code label} of {@code total} units. */
        Progress start(String label, long total);
    }

    /** Progress reports that go nowhere. */
    Progress NONE = new Progress() {
        @Override
        public void step(long done) {
        }

        @Override
        public void close() {
        }
    };

    /** Starts reporting through the first {@link Starter} provider, or {@link #NONE} if there is none. */
    static Progress start(String label, long total) {
        return ProgressStarter.FOUND.start(label, total);
    }
}

package org.latentmotion.display;

import org.latentmotion.metrics.Progress;

/**
 * Shows the progress of a long measurement in {@code metrics} (an evaluation's runs) as a
 * {@link ProgressBar}. Registered as a {@link Progress.Starter} service in
 * {@code META-INF/services}, so metrics reports progress without knowing this layer; not meant to
 * be called directly.
 */
public final class MetricsProgressBar implements Progress.Starter {

    /** The public no-argument constructor {@link java.util.ServiceLoader} needs. */
    public MetricsProgressBar() {
    }

    @Override
    public Progress start(String label, long total) {
        ProgressBar bar = ProgressBar.start(label, total);
        return new Progress() {
            @Override
            public void step(long done) {
                bar.step(done);
            }

            @Override
            public void close() {
                bar.close();
            }
        };
    }
}

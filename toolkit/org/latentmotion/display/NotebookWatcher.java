package org.latentmotion.display;

import org.latentmotion.progress.LiveChart;
import org.latentmotion.progress.Progress;
import org.latentmotion.progress.Watcher;

/**
 * The notebook as the watcher of long work done below this layer: progress becomes a
 * {@link ProgressBar}, live charts a {@link LivePlot}, both shown through {@link Notebook#sink()}
 * as it is when the work starts. Found by {@link Watcher#current()} through
 * {@code META-INF/services/org.latentmotion.progress.Watcher}.
 */
public final class NotebookWatcher implements Watcher {

    /** For {@link java.util.ServiceLoader}. */
    public NotebookWatcher() {
    }

    @Override
    public boolean watching() {
        return Notebook.sink().isInteractive();
    }

    @Override
    public Progress progress(String label, long total) {
        return ProgressBar.start(label, total);
    }

    @Override
    public LiveChart chart(String title, String xLabel, String yLabel) {
        return LivePlot.create(title, xLabel, yLabel);
    }

    @Override
    public String toString() {
        return "NotebookWatcher (" + (watching() ? "a notebook is attached" : "no notebook attached") + ")";
    }
}

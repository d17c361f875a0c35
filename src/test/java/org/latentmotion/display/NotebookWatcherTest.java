package org.latentmotion.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import org.junit.jupiter.api.Test;
import org.latentmotion.progress.LiveChart;
import org.latentmotion.progress.Progress;
import org.latentmotion.progress.Watcher;

/** Code below the display layer reaches the notebook through the service the display layer provides. */
class NotebookWatcherTest {

    @Test
    void theDisplayLayerIsFoundAsTheWatcher() {
        assertInstanceOf(NotebookWatcher.class, Watcher.current(), "META-INF/services names the notebook watcher");
        assertFalse(Watcher.current().watching(), "no kernel installed a sink in this test");
        try (Progress p = Progress.start("rendering", 4)) {
            ProgressBar bar = assertInstanceOf(ProgressBar.class, p);
            p.step(2);
            assertEquals(2, bar.done());
            assertEquals("rendering", bar.label());
        }
        LiveChart chart = LiveChart.create("losses", "step", "loss");
        LivePlot plot = assertInstanceOf(LivePlot.class, chart);
        chart.add("critic", 1, 0.5).add("critic", 2, Double.NaN).refresh();
        assertEquals(1, plot.points());
        assertEquals("losses", plot.chart().getTitle());
        chart.finish();
    }
}

package org.latentmotion.display;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class LivePlotTest {

    private static LivePlot plot(RecordingSink sink, FakeClock clock) {
        return new LivePlot(Charts.xy("loss", "step", "value"), sink, clock);
    }

    @Test
    void firstRefreshShowsThenLaterRefreshesUpdateThatDisplayThrottled() throws Exception {
        RecordingSink sink = new RecordingSink(true);
        FakeClock clock = new FakeClock();
        LivePlot plot = plot(sink, clock);
        plot.refresh();
        assertEquals(0, sink.events.size(), "an empty plot is not shown");

        // 50 steps 100 ms apart = 5 s; redraws at most every 500 ms.
        for (int step = 0; step < 50; step++) {
            clock.advanceMillis(100);
            plot.add("critic", step, Math.exp(-step / 10.0));
            plot.add("generator", step, 1 - Math.exp(-step / 10.0));
            plot.refresh();
        }
        plot.finish();

        assertEquals(1, sink.count("display"));
        String id = sink.events.get(0).id();
        assertTrue(sink.events.stream().allMatch(e -> e.id().equals(id)));
        long updates = sink.count("update");
        assertTrue(updates >= 8 && updates <= 11, "expected ~10 throttled redraws, found " + updates);

        MimeBundle last = sink.last().bundle();
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(last.get(MimeBundle.PNG))));
        assertEquals(Charts.WIDTH, png.getWidth());
        assertEquals(Charts.HEIGHT, png.getHeight());
        assertTrue(last.get(MimeBundle.TEXT).contains("critic[50 pts"), last.get(MimeBundle.TEXT));
    }

    @Test
    void finishDrawsPointsTheThrottleHeldBack() {
        RecordingSink sink = new RecordingSink(true);
        FakeClock clock = new FakeClock();
        LivePlot plot = plot(sink, clock);
        plot.add("a", 0, 1).refresh();           // display
        clock.advanceMillis(10);
        plot.add("a", 1, 2).refresh();           // throttled
        assertEquals(1, sink.events.size());
        plot.finish();
        assertEquals(2, sink.events.size());
        assertTrue(sink.last().bundle().get(MimeBundle.TEXT).contains("a[2 pts"));
        plot.finish();
        assertEquals(2, sink.events.size(), "nothing new, no redraw");
    }

    @Test
    void chartHoldsEveryFinitePointInOrder() {
        LivePlot plot = plot(new RecordingSink(false), new FakeClock());
        for (int i = 0; i < 100; i++) {
            plot.add("s", i, i * 2.0);
        }
        plot.add("s", 100, Double.NaN);
        assertEquals(100, plot.points());
        assertEquals(List.of("s"), plot.seriesNames());
        assertEquals(198.0, plot.y("s")[99]);
        double[] ys = plot.chart().getSeriesMap().get("s").getYData();
        assertEquals(100, ys.length);
        assertArrayEquals(plot.y("s"), ys);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> plot.y("missing"));
        assertTrue(e.getMessage().contains("missing") && e.getMessage().contains("[s]"));
    }

    @Test
    void nonInteractiveSinkSeesNothing() {
        RecordingSink sink = new RecordingSink(false);
        LivePlot plot = plot(sink, new FakeClock());
        plot.add("a", 0, 1).refresh();
        plot.close();
        assertEquals(0, sink.events.size());
    }

    @Test
    void rendersTextAloneWhenOnlyTextIsAsked() {
        LivePlot plot = plot(new RecordingSink(false), new FakeClock());
        plot.add("a", 0, 1);
        MimeBundle text = Renderers.render(plot, MimeBundle.TEXT);
        assertEquals(List.of(MimeBundle.TEXT), List.copyOf(text.data().keySet()));
        MimeBundle all = Renderers.render(plot);
        assertTrue(all.has(MimeBundle.PNG));
    }
}

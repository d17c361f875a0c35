package org.latentmotion.display;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.latentmotion.wplus.FrameRenderer;
import org.latentmotion.wplus.LayerGroups;
import org.latentmotion.wplus.Trajectory;
import org.nd4j.linalg.api.ndarray.INDArray;

class TrajectoryViewTest {

    static Trajectory random(int frames, int layers, int width, long seed) {
        Random r = new Random(seed);
        float[] v = new float[frames * layers * width];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return Trajectory.of(v, frames, layers, width, 25, "random " + seed);
    }

    @Test
    void displayShowsTableChartAndFramesWhenARendererIsAttached() {
        Trajectory t = random(11, 4, 3, 3);
        MimeBundle plain = Renderers.render(t);
        assertTrue(plain.get(MimeBundle.TEXT).contains("Trajectory[11, 4, 3]"));
        assertTrue(plain.get(MimeBundle.HTML).contains("<table"));
        assertTrue(plain.get(MimeBundle.HTML).contains("data:image/png;base64"));
        assertTrue(!plain.get(MimeBundle.HTML).contains("frame 5"));

        MeanColourRenderer r = new MeanColourRenderer(4, 3);
        TrajectoryView shown = TrajectoryView.of(t, r);
        assertEquals(t, shown.trajectory());
        MimeBundle viewed = Renderers.render(shown);
        String html = viewed.get(MimeBundle.HTML);
        assertTrue(html.contains("frame 0") && html.contains("frame 5") && html.contains("frame 10"), html);
        assertEquals(3, r.framesRendered);
        assertEquals(3, shown.keyFrames().length);
        assertEquals(plain.get(MimeBundle.TEXT), viewed.get(MimeBundle.TEXT), "the view's text is the trajectory's");

        // a renderer for other codes is refused before any work
        var e = assertThrows(IllegalArgumentException.class, () -> TrajectoryView.of(t, new MeanColourRenderer(18, 512)));
        assertTrue(e.getMessage().contains("[18, 512]") && e.getMessage().contains("[4, 3]"), e.getMessage());
        // a renderer that fails is reported in the output, not a crash
        assertTrue(Renderers.render(TrajectoryView.of(t, new MeanColourRenderer(4, 3) {
            @Override
            public BufferedImage[] renderFrames(INDArray codes) {
                throw new IllegalStateException("no GPU today");
            }
        })).get(MimeBundle.HTML).contains("frames could not be rendered: no GPU today"));
        // only text when only text is asked for
        MimeBundle textOnly = Renderers.render(t, MimeBundle.TEXT);
        assertEquals(List.of(MimeBundle.TEXT), List.copyOf(textOnly.data().keySet()));
    }

    @Test
    void theMotionChartHasOneLinePerLayerGroup() {
        Trajectory t = random(30, 18, 16, 2);
        XYChart chart = TrajectoryCharts.motion(t);
        assertEquals(3, chart.getSeriesMap().size());
        assertTrue(chart.getSeriesMap().containsKey("coarse (layers 0–3)"));
        assertArrayEquals(LayerGroups.of(18).get(2).rms(t.distanceFromMean()),
                chart.getSeriesMap().get("fine (layers 8–17)").getYData(), 1e-12);
        assertEquals(29 / 25.0, chart.getSeriesMap().get("fine (layers 8–17)").getXData()[29], 1e-12);
    }

    /** A test renderer: a grey image whose brightness is the frame's mean code. */
    static class MeanColourRenderer implements FrameRenderer {
        final int layers;
        final int width;
        int framesRendered;

        MeanColourRenderer(int layers, int width) {
            this.layers = layers;
            this.width = width;
        }

        @Override
        public int layers() {
            return layers;
        }

        @Override
        public int width() {
            return width;
        }

        @Override
        public BufferedImage[] renderFrames(INDArray codes) {
            assertArrayEquals(new long[] {codes.size(0), layers, width}, codes.shape());
            BufferedImage[] out = new BufferedImage[(int) codes.size(0)];
            for (int i = 0; i < out.length; i++) {
                double m = codes.slice(i).meanNumber().doubleValue();
                int g = (int) Math.max(0, Math.min(255, 128 + 60 * m));
                out[i] = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
                var gr = out[i].createGraphics();
                gr.setColor(new Color(g, g, g));
                gr.fillRect(0, 0, 8, 8);
                gr.dispose();
                framesRendered++;
            }
            return out;
        }
    }
}

package org.latentmotion.wplus;

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
import org.latentmotion.display.MimeBundle;
import org.nd4j.linalg.api.ndarray.INDArray;
import tech.tablesaw.api.Table;

class TrajectoryDisplayTest {

    static Trajectory random(int frames, int layers, int width, long seed) {
        Random r = new Random(seed);
        float[] v = new float[frames * layers * width];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return Trajectory.of(v, frames, layers, width, 25, "random " + seed);
    }

    @Test
    void layerGroupsFollowStyleGanAndScale() {
        assertEquals(List.of(new LayerGroups.Group("coarse", 0, 4), new LayerGroups.Group("middle", 4, 8),
                new LayerGroups.Group("fine", 8, 18)), LayerGroups.of(18));
        List<LayerGroups.Group> g14 = LayerGroups.of(14);
        assertEquals(3, g14.size());
        assertEquals(14, g14.get(2).to());
        assertEquals(1, LayerGroups.of(1).size());
        assertEquals(2, LayerGroups.of(2).size());
        for (int l = 1; l <= 40; l++) {
            List<LayerGroups.Group> g = LayerGroups.of(l);
            int next = 0;
            for (LayerGroups.Group x : g) {
                assertEquals(next, x.from(), "contiguous for L=" + l);
                assertTrue(x.size() >= 1);
                next = x.to();
            }
            assertEquals(l, next);
        }
    }

    @Test
    void statisticsMatchAPlainLoop() {
        Trajectory t = random(7, 5, 6, 1);
        float[] v = t.codes().data().asFloat();
        double[][] norms = t.layerNorms();
        double[][] speeds = t.frameSpeeds();
        double[][] dist = t.distanceFromMean();
        for (int l = 0; l < 5; l++) {
            double[] mean = new double[6];
            for (int f = 0; f < 7; f++) {
                for (int d = 0; d < 6; d++) {
                    mean[d] += v[(f * 5 + l) * 6 + d] / 7.0;
                }
            }
            for (int f = 0; f < 7; f++) {
                double n = 0;
                double s = 0;
                double m = 0;
                for (int d = 0; d < 6; d++) {
                    double x = v[(f * 5 + l) * 6 + d];
                    n += x * x;
                    m += (x - mean[d]) * (x - mean[d]);
                    if (f < 6) {
                        double y = v[((f + 1) * 5 + l) * 6 + d];
                        s += (y - x) * (y - x);
                    }
                }
                assertEquals(Math.sqrt(n), norms[f][l], 1e-5);
                assertEquals(Math.sqrt(m), dist[f][l], 1e-5);
                if (f < 6) {
                    assertEquals(Math.sqrt(s), speeds[f][l], 1e-5);
                }
            }
        }
    }

    @Test
    void summaryTableHasGroupNormsAndSpeeds() {
        Trajectory t = random(50, 18, 16, 2);
        Table s = t.summary();
        assertEquals(1, s.rowCount());
        assertEquals(50, s.intColumn("frames").get(0));
        assertEquals(2.0, s.doubleColumn("seconds").get(0), 1e-9);
        double coarse = Trajectory.groupMean(t.layerNorms(), LayerGroups.of(18).get(0));
        assertEquals(coarse, s.doubleColumn("norm coarse 0–3").get(0), 1e-4);
        // a still trajectory has zero speed and zero distance from its mean
        Trajectory still = Trajectory.of(t.frame(0).reshape(1, 18, 16).repeat(0, 10), 25, "still");
        assertEquals(0.0, still.summary().doubleColumn("speed fine").get(0), 1e-6);
        XYChart chart = still.motionChart();
        assertEquals(3, chart.getSeriesMap().size());
    }

    @Test
    void displayShowsTableChartAndFramesWhenARendererIsAttached() {
        Trajectory t = random(11, 4, 3, 3);
        MimeBundle plain = t.toMimeBundle();
        assertTrue(plain.get(MimeBundle.TEXT).contains("Trajectory[11, 4, 3]"));
        assertTrue(plain.get(MimeBundle.HTML).contains("<table"));
        assertTrue(plain.get(MimeBundle.HTML).contains("data:image/png;base64"));
        assertTrue(!plain.get(MimeBundle.HTML).contains("frame 5"));

        MeanColourRenderer r = new MeanColourRenderer(4, 3);
        Trajectory shown = t.withRenderer(r);
        assertEquals(t.codes(), shown.codes());
        String html = shown.toMimeBundle().get(MimeBundle.HTML);
        assertTrue(html.contains("frame 0") && html.contains("frame 5") && html.contains("frame 10"), html);
        assertEquals(3, r.framesRendered);
        assertEquals(3, shown.keyFrames().length);

        // a renderer for other codes is reported, not a crash
        assertThrows(IllegalArgumentException.class, () -> t.withRenderer(new MeanColourRenderer(18, 512)).keyFrames());
        assertTrue(t.withRenderer(new MeanColourRenderer(18, 512)).toMimeBundle().get(MimeBundle.HTML)
                .contains("could not be rendered"));
        // only text when only text is asked for
        MimeBundle textOnly = new MimeBundle(MimeBundle.TEXT);
        t.renderTo(textOnly);
        assertEquals(List.of(MimeBundle.TEXT), List.copyOf(textOnly.data().keySet()));
    }

    /** A test renderer: a grey image whose brightness is the frame's mean code. */
    static final class MeanColourRenderer implements FrameRenderer {
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

package org.latentmotion.wplus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

class TrajectoryStatisticsTest {

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
        // the per-group RMS of the distance from the mean is zero for a still trajectory
        for (LayerGroups.Group g : LayerGroups.of(18)) {
            assertArrayEquals(new double[10], g.rms(still.distanceFromMean()), 1e-6);
        }
        double[][] d = t.distanceFromMean();
        LayerGroups.Group coarseGroup = LayerGroups.of(18).get(0);
        double sq = 0;
        for (int l = 0; l < 4; l++) {
            sq += d[7][l] * d[7][l];
        }
        assertEquals(Math.sqrt(sq / 4), coarseGroup.rms(d)[7], 1e-12);
    }

}

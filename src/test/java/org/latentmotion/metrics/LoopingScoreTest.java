package org.latentmotion.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.latentmotion.display.MimeBundle;
import org.latentmotion.display.Renderers;
import org.latentmotion.wplus.Trajectory;
import org.nd4j.linalg.factory.Nd4j;

class LoopingScoreTest {
    static final int T = 1500;
    static final int K = 12;

    /** A random smooth cycle of {@code period} frames repeated over T frames, plus white noise. */
    static double[][] looping(long seed) {
        Random r = new Random(seed);
        int period = 30 + r.nextInt(220);
        double noise = 0.5 * r.nextDouble(); // noise std relative to a unit-ish signal
        double[][] x = new double[T][K];
        double[][] amp = new double[K][4];
        double[][] phase = new double[K][4];
        for (int k = 0; k < K; k++) {
            for (int h = 0; h < 4; h++) {
                amp[k][h] = r.nextGaussian() / (h + 1);
                phase[k][h] = 2 * Math.PI * r.nextDouble();
            }
        }
        for (int t = 0; t < T; t++) {
            for (int k = 0; k < K; k++) {
                double v = 0;
                for (int h = 0; h < 4; h++) {
                    v += amp[k][h] * Math.sin(2 * Math.PI * (h + 1) * t / period + phase[k][h]);
                }
                x[t][k] = v + noise * r.nextGaussian();
            }
        }
        return x;
    }

    /** Four kinds of motion that never return to where they were as a whole. */
    static double[][] nonLooping(long seed) {
        Random r = new Random(seed);
        double[][] x = new double[T][K];
        int kind = (int) (seed % 4);
        switch (kind) {
            case 0 -> { // AR(1) with correlation times 5…100 frames
                for (int k = 0; k < K; k++) {
                    double a = Math.exp(-1.0 / (5 + 95 * r.nextDouble()));
                    double v = 0;
                    for (int t = 0; t < T; t++) {
                        v = a * v + Math.sqrt(1 - a * a) * r.nextGaussian();
                        x[t][k] = v;
                    }
                }
            }
            case 1 -> { // random walk
                for (int k = 0; k < K; k++) {
                    double v = 0;
                    for (int t = 0; t < T; t++) {
                        v += r.nextGaussian() * 0.1;
                        x[t][k] = v;
                    }
                }
            }
            case 2 -> { // every coordinate its own sinusoid: each one periodic, the state is not
                for (int k = 0; k < K; k++) {
                    double w = 0.01 + 0.2 * r.nextDouble();
                    double p = 2 * Math.PI * r.nextDouble();
                    for (int t = 0; t < T; t++) {
                        x[t][k] = Math.sin(w * t + p) + 0.2 * r.nextGaussian();
                    }
                }
            }
            default -> { // smoothed noise (a moving average of 15 frames) plus jitter
                for (int k = 0; k < K; k++) {
                    double[] n = new double[T + 15];
                    for (int i = 0; i < n.length; i++) {
                        n[i] = r.nextGaussian();
                    }
                    for (int t = 0; t < T; t++) {
                        double s = 0;
                        for (int j = 0; j < 15; j++) {
                            s += n[t + j];
                        }
                        x[t][k] = s / Math.sqrt(15) + 0.3 * r.nextGaussian();
                    }
                }
            }
        }
        return x;
    }

    @Test
    void separatesConstructedLoopingAndNonLoopingSamplesPerfectly() {
        double minLooping = Double.POSITIVE_INFINITY;
        double maxOther = Double.NEGATIVE_INFINITY;
        for (long seed = 0; seed < 24; seed++) {
            LoopingScore loop = LoopingScore.of(Nd4j.createFromArray(looping(seed)));
            assertTrue(loop.looping(), "looping sample " + seed + ": " + loop);
            minLooping = Math.min(minLooping, loop.score());
            LoopingScore other = LoopingScore.of(Nd4j.createFromArray(nonLooping(seed)));
            assertFalse(other.looping(), "non-looping sample " + seed + ": " + other);
            if (!Double.isNaN(other.score())) {
                maxOther = Math.max(maxOther, other.score());
            }
        }
        System.out.printf("looping: min score %.3f; non-looping: max score %.3f%n", minLooping, maxOther);
        assertTrue(minLooping > maxOther);
    }

    @Test
    void findsThePeriodOfAPureLoop() {
        double[][] x = new double[600][3];
        for (int t = 0; t < 600; t++) {
            x[t][0] = Math.sin(2 * Math.PI * t / 40.0);
            x[t][1] = Math.cos(2 * Math.PI * t / 40.0);
            x[t][2] = Math.sin(4 * Math.PI * t / 40.0);
        }
        LoopingScore s = LoopingScore.of(Nd4j.createFromArray(x));
        assertEquals(40, s.period());
        assertEquals(1.0, s.score(), 1e-9);
        assertEquals(LoopingScore.Verdict.LOOPING, s.verdict());
    }

    @Test
    void aFrozenSampleNeverDecorrelatesAndIsNotCalledLooping() {
        double[][] x = new double[300][4];
        for (int t = 0; t < 300; t++) {
            for (int k = 0; k < 4; k++) {
                x[t][k] = 1e-3 * t + k; // a slow drift
            }
        }
        LoopingScore s = LoopingScore.of(Nd4j.createFromArray(x));
        assertEquals(LoopingScore.Verdict.NEVER_DECORRELATES, s.verdict());
        assertFalse(s.looping());
    }

    @Test
    void trajectoryPathIsRotationInvariantAndDisplays() {
        // A looping sample embedded in W+-shaped codes [T, 2, 8] through a fixed random rotation.
        double[][] x = looping(5);
        Random r = new Random(1);
        double[][] q = new double[K][16];
        for (double[] row : q) {
            for (int j = 0; j < 16; j++) {
                row[j] = r.nextGaussian();
            }
        }
        float[] codes = new float[T * 16];
        for (int t = 0; t < T; t++) {
            for (int j = 0; j < 16; j++) {
                double v = 0;
                for (int k = 0; k < K; k++) {
                    v += x[t][k] * q[k][j];
                }
                codes[t * 16 + j] = (float) v;
            }
        }
        LoopingScore s = LoopingScore.of(Trajectory.of(codes, T, 2, 8, 25, "constructed loop"));
        assertTrue(s.looping(), s.toString());
        MimeBundle b = Renderers.render(s);
        assertTrue(b.has(MimeBundle.PNG) && b.get(MimeBundle.TEXT).contains("LOOPING"));
    }

    @Test
    void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> LoopingScore.of(Nd4j.rand(5, 3)));
        assertThrows(IllegalArgumentException.class, () -> LoopingScore.of(Nd4j.rand(new int[] {5, 3, 2})));
        var nan = Nd4j.rand(50, 3);
        nan.putScalar(7, 1, Double.NaN);
        var e = assertThrows(IllegalArgumentException.class, () -> LoopingScore.of(nan));
        assertTrue(e.getMessage().contains("NaN"));
        assertThrows(IllegalArgumentException.class, () -> LoopingScore.detector().threshold(1.5));
    }
}

package org.latentmotion.pca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentmotion.display.MimeBundle;
import org.latentmotion.display.PcaCharts;
import org.latentmotion.display.Renderers;
import org.latentmotion.wplus.Trajectory;
import org.latentmotion.wplus.TrajectorySet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** LatentPca against an independent float64 covariance eigendecomposition (Jacobi, below). */
class LatentPcaTest {
    @TempDir
    Path tmp;

    /** N rows of F values with a decaying spectrum: x = mean + Σ_j s_j g_j a_j + small noise. */
    static double[][] data(int n, int f, long seed) {
        Random r = new Random(seed);
        double[][] dirs = new double[f][f];
        for (double[] d : dirs) {
            for (int i = 0; i < f; i++) {
                d[i] = r.nextGaussian();
            }
        }
        double[][] x = new double[n][f];
        for (int s = 0; s < n; s++) {
            for (int j = 0; j < f; j++) {
                double g = r.nextGaussian() * 3.0 * Math.pow(0.75, j);
                for (int i = 0; i < f; i++) {
                    x[s][i] += g * dirs[j][i] / Math.sqrt(f);
                }
            }
            for (int i = 0; i < f; i++) {
                x[s][i] += 0.5 + i * 0.01;
            }
        }
        return x;
    }

    /** Covariance (N − 1 denominator) and its eigenpairs by cyclic Jacobi, descending. */
    static Eigen reference(double[][] x) {
        int n = x.length;
        int f = x[0].length;
        double[] mean = new double[f];
        for (double[] row : x) {
            for (int i = 0; i < f; i++) {
                mean[i] += row[i] / n;
            }
        }
        double[][] c = new double[f][f];
        for (double[] row : x) {
            for (int i = 0; i < f; i++) {
                for (int j = 0; j < f; j++) {
                    c[i][j] += (row[i] - mean[i]) * (row[j] - mean[j]) / (n - 1);
                }
            }
        }
        double trace = 0;
        for (int i = 0; i < f; i++) {
            trace += c[i][i];
        }
        double[][] v = new double[f][f];
        for (int i = 0; i < f; i++) {
            v[i][i] = 1;
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            for (int p = 0; p < f; p++) {
                for (int q = p + 1; q < f; q++) {
                    off += c[p][q] * c[p][q];
                }
            }
            if (off < 1e-26) {
                break;
            }
            for (int p = 0; p < f; p++) {
                for (int q = p + 1; q < f; q++) {
                    if (Math.abs(c[p][q]) < 1e-300) {
                        continue;
                    }
                    double theta = (c[q][q] - c[p][p]) / (2 * c[p][q]);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double cs = 1 / Math.sqrt(t * t + 1);
                    double sn = t * cs;
                    for (int k = 0; k < f; k++) {
                        double a = c[k][p];
                        double b = c[k][q];
                        c[k][p] = cs * a - sn * b;
                        c[k][q] = sn * a + cs * b;
                    }
                    for (int k = 0; k < f; k++) {
                        double a = c[p][k];
                        double b = c[q][k];
                        c[p][k] = cs * a - sn * b;
                        c[q][k] = sn * a + cs * b;
                    }
                    for (int k = 0; k < f; k++) {
                        double a = v[k][p];
                        double b = v[k][q];
                        v[k][p] = cs * a - sn * b;
                        v[k][q] = sn * a + cs * b;
                    }
                }
            }
        }
        Integer[] order = new Integer[f];
        for (int i = 0; i < f; i++) {
            order[i] = i;
        }
        double[][] cc = c;
        Arrays.sort(order, (a, b) -> Double.compare(cc[b][b], cc[a][a]));
        double[] values = new double[f];
        double[][] vectors = new double[f][f];
        for (int i = 0; i < f; i++) {
            values[i] = c[order[i]][order[i]];
            for (int k = 0; k < f; k++) {
                vectors[i][k] = v[k][order[i]];
            }
        }
        return new Eigen(values, vectors, trace);
    }

    record Eigen(double[] values, double[][] vectors, double trace) {
    }

    /** ‖P_a − P_b‖_F for the projectors onto the spans of the first k rows. */
    static double subspaceDistance(double[][] a, double[][] b, int k) {
        int f = a[0].length;
        double s = 0;
        for (int i = 0; i < f; i++) {
            for (int j = 0; j < f; j++) {
                double pa = 0;
                double pb = 0;
                for (int r = 0; r < k; r++) {
                    pa += a[r][i] * a[r][j];
                    pb += b[r][i] * b[r][j];
                }
                s += (pa - pb) * (pa - pb);
            }
        }
        return Math.sqrt(s);
    }

    static void assertAgrees(LatentPca pca, Eigen ref, int k, double relTol, double subspaceTol) {
        double[] var = pca.explainedVariance();
        for (int i = 0; i < k; i++) {
            assertEquals(ref.values[i], var[i], relTol * ref.values[i], "variance " + i);
        }
        assertEquals(ref.trace, pca.totalVariance(), 1e-5 * ref.trace, "total variance");
        double[][] comps = pca.components().castTo(DataType.DOUBLE).toDoubleMatrix();
        for (int kk = 1; kk <= k; kk++) {
            assertTrue(subspaceDistance(comps, ref.vectors, kk) < subspaceTol,
                    "span of the first " + kk + " components: " + subspaceDistance(comps, ref.vectors, kk));
        }
    }

    @Test
    void exactFitAgreesWithACovarianceEigendecomposition() {
        double[][] x = data(60, 24, 1); // N > F: covariance path
        Eigen ref = reference(x);
        assertAgrees(LatentPca.fit(Nd4j.createFromArray(x), 8, 0), ref, 8, 1e-4, 1e-3);
        double[][] wide = data(20, 30, 2); // N < F: Gram path
        Eigen refWide = reference(wide);
        LatentPca g = LatentPca.fit(Nd4j.createFromArray(wide), 8, 0);
        assertTrue(g.method().contains("Gram"), g.method());
        assertAgrees(g, refWide, 8, 1e-4, 1e-3);
    }

    @Test
    void randomizedFitAgreesToo() {
        double[][] x = data(300, 48, 3);
        Eigen ref = reference(x);
        LatentPca r = LatentPca.fitRandomized(Nd4j.createFromArray(x), 10, 5, LatentPca.POWER_ITERATIONS);
        assertAgrees(r, ref, 10, 1e-3, 1e-2);
        // same seed, same basis
        assertEquals(r.components(), LatentPca.fitRandomized(Nd4j.createFromArray(x), 10, 5, 4).components());
    }

    @Test
    void componentsAreOrthonormalAndReconstructionLosesExactlyTheDiscardedVariance() {
        double[][] x = data(80, 20, 4);
        INDArray frames = Nd4j.createFromArray(x).castTo(DataType.FLOAT);
        for (LatentPca pca : new LatentPca[] {LatentPca.fit(frames, 6, 1), LatentPca.fitRandomized(frames, 6, 1, 4)}) {
            INDArray c = pca.components();
            INDArray gram = c.mmul(c.transpose());
            assertTrue(gram.sub(Nd4j.eye(6)).norm2Number().doubleValue() < 1e-5, "orthonormal: " + gram);
            INDArray back = pca.reconstruct(pca.project(frames));
            double err = back.castTo(DataType.DOUBLE).sub(frames.castTo(DataType.DOUBLE)).norm2Number().doubleValue();
            double mse = err * err / (x.length - 1);
            assertEquals(pca.discardedVariance(), mse, 1e-3 * pca.discardedVariance(), pca.method());
        }
        // with every component, reconstruction is exact
        LatentPca full = LatentPca.fit(frames, 20, 1);
        assertTrue(full.reconstruct(full.project(frames)).sub(frames).amaxNumber().doubleValue() < 1e-4);
        assertEquals(0.0, full.discardedVariance(), 1e-4 * full.totalVariance());
    }

    @Test
    void lowRankDataGivesAnOrthonormalBasisWithZeroTrailingVariance() {
        Random r = new Random(11);
        double[][] x = new double[200][64];
        double[][] basis = new double[3][64];
        for (double[] b : basis) {
            for (int i = 0; i < 64; i++) {
                b[i] = r.nextGaussian();
            }
        }
        for (double[] row : x) {
            for (double[] b : basis) {
                double g = r.nextGaussian();
                for (int i = 0; i < 64; i++) {
                    row[i] += g * b[i];
                }
            }
        }
        INDArray frames = Nd4j.createFromArray(x).castTo(DataType.FLOAT);
        for (LatentPca pca : new LatentPca[] {LatentPca.fitRandomized(frames, 8, 3, 4), LatentPca.fitExact(frames, 8)}) {
            INDArray c = pca.components();
            assertTrue(c.mmul(c.transpose()).sub(Nd4j.eye(8)).norm2Number().doubleValue() < 1e-5, pca.method());
            double[] v = pca.explainedVariance();
            for (int i = 3; i < 8; i++) {
                assertTrue(v[i] < 1e-6 * v[0], "variance " + i + " = " + v[i] + " in " + pca.method());
            }
            assertTrue(pca.discardedVariance() < 1e-5 * pca.totalVariance());
            INDArray back = pca.reconstruct(pca.project(frames));
            assertTrue(back.sub(frames).amaxNumber().doubleValue() < 1e-3, pca.method());
        }
    }

    static TrajectorySet clips() {
        Random r = new Random(9);
        Trajectory[] t = new Trajectory[2];
        for (int c = 0; c < 2; c++) {
            float[] v = new float[40 * 3 * 8];
            for (int i = 0; i < v.length; i++) {
                int frame = i / 24;
                v[i] = (float) (Math.sin(frame * 0.3 + (i % 24)) + 0.1 * r.nextGaussian());
            }
            t[c] = Trajectory.of(v, 40, 3, 8, 25, "clip" + c);
        }
        return TrajectorySet.of("two clips", t);
    }

    @Test
    void fitsTrajectoriesAndReconstructsThem() {
        TrajectorySet set = clips();
        LatentPca pca = LatentPca.fit(set, 5);
        assertEquals(5, pca.k());
        assertEquals(80, pca.samples());
        assertArrayEquals(new long[] {3, 8}, pca.direction(0).shape());
        assertArrayEquals(new long[] {40, 5}, pca.project(set.clip(0)).shape());
        Trajectory back = pca.reconstruct(set.clip(1));
        assertEquals(40, back.frames());
        assertEquals(3, back.layers());
        assertEquals(LatentPca.fit(set.allFrames(), 5).explainedVariance()[0], pca.explainedVariance()[0], 1e-9);
        double[] ratio = pca.explainedVarianceRatio();
        for (int i = 1; i < ratio.length; i++) {
            assertTrue(ratio[i] <= ratio[i - 1] + 1e-9);
        }
        assertThrows(IllegalArgumentException.class, () -> pca.project(Trajectory.of(new float[18 * 4], 1, 18, 4, 25, "")));
    }

    @Test
    void savesAndLoads() {
        LatentPca pca = LatentPca.fit(clips(), 4);
        Path p = tmp.resolve("pca.npz");
        pca.save(p);
        LatentPca back = LatentPca.load(p);
        assertEquals(pca.components(), back.components());
        assertEquals(pca.mean(), back.mean());
        assertArrayEquals(pca.explainedVariance(), back.explainedVariance(), 0);
        assertEquals(pca.totalVariance(), back.totalVariance(), 0);
        assertEquals(pca.layers(), back.layers());
        assertEquals(pca.project(clips().clip(0)), back.project(clips().clip(0)));
    }

    @Test
    void refusesBadInputBeforeWorking() {
        INDArray frames = Nd4j.rand(DataType.FLOAT, 10, 6);
        assertThrows(IllegalArgumentException.class, () -> LatentPca.fit(frames, 10, 0));
        assertThrows(IllegalArgumentException.class, () -> LatentPca.fit(frames, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> LatentPca.fit(Nd4j.rand(DataType.FLOAT, 1, 6), 1, 0));
        INDArray nan = frames.dup();
        nan.putScalar(3, 2, Double.NaN);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LatentPca.fit(nan, 2, 0)).getMessage().contains("NaN"));
    }

    @Test
    void displaysScreePlotTableAndPlane() {
        LatentPca pca = LatentPca.fit(clips(), 6);
        MimeBundle b = Renderers.render(pca);
        assertTrue(b.get(MimeBundle.TEXT).contains("LatentPca k=6"));
        assertTrue(b.get(MimeBundle.HTML).contains("data:image/png") && b.get(MimeBundle.HTML).contains("cumulative"));
        assertEquals(6, pca.componentTable(10).rowCount());
        assertEquals(100.0 * (1 - pca.discardedVariance() / pca.totalVariance()),
                pca.componentTable(10).doubleColumn("cumulative %").get(5), 0.01);
        var plane = PcaCharts.plane(pca, clips().clip(0), 0, 1);
        assertEquals(40, plane.getSeriesMap().get("path").getXData().length);
    }
}

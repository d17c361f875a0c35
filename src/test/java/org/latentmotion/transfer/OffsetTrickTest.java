package org.latentmotion.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.latentmotion.display.MimeBundle;
import org.latentmotion.display.Renderers;
import org.latentmotion.display.TransferStrips;
import org.latentmotion.wplus.FrameRenderer;
import org.latentmotion.wplus.Trajectory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tech.tablesaw.api.Table;

class OffsetTrickTest {
    private static final int L = 3;
    private static final int D = 16;
    private static final int F = L * D;
    private static final int K = 5;

    /** k orthonormal rows of length f by Gram–Schmidt on Gaussian vectors (independent of the class under test). */
    static double[][] orthonormal(int k, int f, long seed) {
        Random r = new Random(seed);
        double[][] q = new double[k][f];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < f; j++) {
                q[i][j] = r.nextGaussian();
            }
            for (int p = 0; p < i; p++) {
                double dot = 0;
                for (int j = 0; j < f; j++) {
                    dot += q[i][j] * q[p][j];
                }
                for (int j = 0; j < f; j++) {
                    q[i][j] -= dot * q[p][j];
                }
            }
            double n = 0;
            for (int j = 0; j < f; j++) {
                n += q[i][j] * q[i][j];
            }
            n = Math.sqrt(n);
            for (int j = 0; j < f; j++) {
                q[i][j] /= n;
            }
        }
        return q;
    }

    private final double[][] c = orthonormal(K, F, 11);
    private final double[] mean = gaussian(F, 12, 2.0);
    private final double[] variance = {4, 2, 1, 0.5, 0.25};
    private final OffsetTrick trick = OffsetTrick.fromBasis(Nd4j.createFromArray(mean), Nd4j.createFromArray(c), variance);

    static double[] gaussian(int n, long seed, double scale) {
        Random r = new Random(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = scale * r.nextGaussian();
        }
        return v;
    }

    /** A motion inside the basis span: frame t = mean + Σ a_t[k] c_k. */
    private Trajectory motionInSpan(int frames, double[][] coords) {
        float[] data = new float[frames * F];
        for (int t = 0; t < frames; t++) {
            for (int j = 0; j < F; j++) {
                double v = mean[j];
                for (int k = 0; k < K; k++) {
                    v += coords[t][k] * c[k][j];
                }
                data[t * F + j] = (float) v;
            }
        }
        return Trajectory.of(data, frames, L, D, 25, "test motion");
    }

    private double[][] someCoords(int frames) {
        double[][] a = new double[frames][K];
        for (int t = 0; t < frames; t++) {
            for (int k = 0; k < K; k++) {
                a[t][k] = Math.sqrt(variance[k]) * Math.sin(0.3 * t * (k + 1) + k);
            }
        }
        return a;
    }

    private INDArray newActor(long seed) {
        return Nd4j.createFromArray(gaussian(F, seed, 3.0)).castTo(DataType.FLOAT).reshape(L, D);
    }

    @Test
    void offsetIsOrthogonalToEveryBasisDirection() {
        INDArray w = newActor(3);
        INDArray delta = trick.offset(w).castTo(DataType.DOUBLE).reshape(F);
        double deltaNorm = delta.norm2Number().doubleValue();
        assertTrue(deltaNorm > 1, "a random actor lies mostly outside a 5-D basis, |Δ| = " + deltaNorm);
        for (int k = 0; k < K; k++) {
            double dot = Nd4j.createFromArray(c[k]).mul(delta).sumNumber().doubleValue();
            assertEquals(0, dot / deltaNorm, 1e-6, "Δ · c_" + k);
        }
        // anchor + Δ = w_new, and the anchor lies in mean + span(C)
        INDArray anchor = trick.anchor(w).castTo(DataType.DOUBLE).reshape(F);
        INDArray sum = anchor.add(delta);
        assertEquals(0, sum.sub(w.castTo(DataType.DOUBLE).reshape(F)).amaxNumber().doubleValue(), 1e-5);
        INDArray residual = anchor.sub(Nd4j.createFromArray(mean));
        for (int k = 0; k < K; k++) {
            residual.subi(Nd4j.createFromArray(c[k]).mul(Nd4j.createFromArray(c[k]).mul(residual).sumNumber().doubleValue()));
        }
        assertEquals(0, residual.norm2Number().doubleValue(), 1e-4, "anchor outside mean + span(C)");
    }

    @Test
    void transferOfMotionInTheSpanKeepsItsStateCoordinatesExactly() {
        double[][] a = someCoords(30);
        Trajectory motion = motionInSpan(30, a);
        INDArray w = newActor(4);
        Trajectory moved = trick.transfer(motion, w);
        INDArray coords = trick.stateCoordinates(moved); // in σ units
        for (int t = 0; t < 30; t++) {
            for (int k = 0; k < K; k++) {
                assertEquals(a[t][k] / Math.sqrt(variance[k]), coords.getDouble(t, k), 2e-4, "frame " + t + " direction " + k);
            }
        }
        // every frame is shifted by the same Δ
        INDArray delta = trick.offset(w).reshape(F);
        INDArray diff = moved.flatFrames().sub(motion.flatFrames());
        for (int t = 0; t < 30; t++) {
            assertEquals(0, diff.getRow(t).sub(delta).amaxNumber().doubleValue(), 1e-4);
        }
        // and an actor already in the span (the training actor in another state) gets Δ = 0
        Trajectory same = trick.transfer(motion, motion.frame(7));
        assertEquals(0, same.codes().sub(motion.codes()).amaxNumber().doubleValue(), 1e-4);
    }

    @Test
    void naiveOffsetStartsAtTheNewActorAndAddsItsStateToTheMotion() {
        double[][] a = someCoords(20);
        Trajectory motion = motionInSpan(20, a);
        INDArray w = newActor(5);
        Trajectory naive = trick.naive(motion, w);
        assertEquals(0, naive.frame(0).sub(w).amaxNumber().doubleValue(), 1e-5);
        // state coords of the naive result = a_t − a_0 + b_new, b_new the new actor's own state
        INDArray bNew = trick.stateCoordinates(Trajectory.of(w.reshape(1, L, D), 25, "w"));
        INDArray coords = trick.stateCoordinates(naive);
        for (int t = 0; t < 20; t++) {
            for (int k = 0; k < K; k++) {
                double expect = (a[t][k] - a[0][k]) / Math.sqrt(variance[k]) + bNew.getDouble(0, k);
                assertEquals(expect, coords.getDouble(t, k), 2e-3);
            }
        }
        Table table = trick.compare(motion, w).table();
        assertEquals(3, table.rowCount());
        assertEquals(0, table.doubleColumn(4).getDouble(2), 1e-3, "the offset trick keeps the motion");
        assertTrue(table.doubleColumn(4).getDouble(1) > 0.1, "the naive offset changes the state coordinates");
    }

    @Test
    void badInputIsRejectedWithWhatWasExpected() {
        var e = assertThrows(IllegalArgumentException.class, () -> trick.offset(Nd4j.zeros(DataType.FLOAT, L, D + 1)));
        assertTrue(e.getMessage().contains("expected a code of 48"), e.getMessage());
        double[][] notOrtho = orthonormal(K, F, 2);
        notOrtho[1] = notOrtho[0].clone();
        e = assertThrows(IllegalArgumentException.class,
                () -> OffsetTrick.fromBasis(Nd4j.createFromArray(mean), Nd4j.createFromArray(notOrtho), null));
        assertTrue(e.getMessage().contains("orthonormal"), e.getMessage());
        INDArray nan = newActor(6);
        nan.putScalar(0, 0, Float.NaN);
        e = assertThrows(IllegalArgumentException.class, () -> trick.offset(nan));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        Trajectory wrong = Trajectory.of(new float[2 * 2 * D], 2, 2, D, 25, "x");
        assertThrows(IllegalArgumentException.class, () -> trick.transfer(wrong, newActor(1)));
    }

    @Test
    void comparisonDisplaysATableAndAStripOfFrames() {
        Trajectory motion = motionInSpan(12, someCoords(12));
        TransferComparison cmp = trick.compare(motion, newActor(8));
        MimeBundle bundle = Renderers.render(cmp);
        assertTrue(bundle.get(MimeBundle.HTML).contains("offset trick"));
        assertTrue(bundle.get(MimeBundle.TEXT).contains("naive offset"));
        FrameRenderer gray = new FrameRenderer() {
            public int layers() {
                return L;
            }

            public int width() {
                return D;
            }

            public BufferedImage[] renderFrames(INDArray codes) {
                BufferedImage[] out = new BufferedImage[(int) codes.size(0)];
                for (int i = 0; i < out.length; i++) {
                    out[i] = new BufferedImage(10, 8, BufferedImage.TYPE_INT_RGB);
                }
                return out;
            }
        };
        BufferedImage strip = TransferStrips.of(cmp, gray, 4);
        assertEquals(40, strip.getWidth());
        assertEquals(3 * (8 + 18), strip.getHeight());
        assertTrue(trick.toString().contains("5 state directions"));
    }

    @Test
    void showsItsBasisAsAPropertyTable() {
        MimeBundle b = Renderers.render(trick);
        assertEquals(trick.toString(), b.get(MimeBundle.TEXT));
        assertEquals(org.latentmotion.display.Tables.STYLE + "<table class=\"lm-table\"><caption>Offset trick</caption><tbody>"
                + "<tr><th>state directions (PCA)</th><td>5</td></tr>"
                + "<tr><th>code size</th><td>48 (1 × 48)</td></tr>" // a raw basis of 48 values: one layer
                + "<tr><th>variances known</th><td>true</td></tr>"
                + "</tbody></table>", b.get(MimeBundle.HTML));
    }
}

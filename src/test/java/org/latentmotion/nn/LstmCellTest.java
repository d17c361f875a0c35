package org.latentmotion.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.latentmotion.nn.GradientCheck.uniform;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@link LstmCell}: PyTorch's equations, finite-difference gradients (first and second order), its inits. */
class LstmCellTest {

    @Test
    void gradientsMatchFiniteDifferencesThroughTwoStepsFirstAndSecondOrder() {
        ParameterSet ps = LayersGradientTest.params();
        LstmCell cell = new LstmCell(ps, "lstm", 3, 4);
        // from a zero state, then a second step from the first one's state: both code paths, and the recurrence
        LayersGradientTest.check("LstmCell(2 steps)", ps, uniform(1, -1, 1, 2, 3), x -> {
            LstmCell.State s = cell.forward(x);
            LstmCell.State s2 = cell.forward(x, s);
            return Ops.concat(1, s2.h(), s2.c());
        });
    }

    @Test
    void stateGradientsMatchFiniteDifferences() {
        ParameterSet ps = LayersGradientTest.params();
        LstmCell cell = LstmCell.orthogonal(ps, "lstm", 3, 4);
        INDArray x = uniform(3, -1, 1, 2, 3);
        double err = GradientCheck.maxRelativeError(v -> {
            LstmCell.State s = cell.forward(Var.constant(x), new LstmCell.State(v.get(0), v.get(1)));
            return Ops.sumAll(Ops.add(Ops.tanh(s.h()), Ops.square(s.c())));
        }, List.of(uniform(4, -1, 1, 2, 4), uniform(5, -1, 1, 2, 4)), 40);
        System.out.printf("grad check LSTM state (h, c): %.2e%n", err);
        assertTrue(err <= LayersGradientTest.TOLERANCE, "state gradient " + err);
    }

    @Test
    void matchesPyTorchsEquationsWrittenOut() {
        ParameterSet ps = LayersGradientTest.params();
        int in = 2;
        int hid = 3;
        LstmCell cell = new LstmCell(ps, "lstm", in, hid);
        INDArray x = uniform(1, -1, 1, 1, in);
        INDArray h = uniform(2, -1, 1, 1, hid);
        INDArray c = uniform(3, -1, 1, 1, hid);
        LstmCell.State out = cell.forward(Var.constant(x), new LstmCell.State(Var.constant(h), Var.constant(c)));
        INDArray wi = ps.parameters().get("lstm.weight_ih").value();
        INDArray wh = ps.parameters().get("lstm.weight_hh").value();
        INDArray bi = ps.parameters().get("lstm.bias_ih").value();
        INDArray bh = ps.parameters().get("lstm.bias_hh").value();
        for (int j = 0; j < hid; j++) {
            double[] a = new double[4];
            for (int gate = 0; gate < 4; gate++) {
                int col = gate * hid + j;
                a[gate] = bi.getDouble(col) + bh.getDouble(col);
                for (int i = 0; i < in; i++) {
                    a[gate] += x.getDouble(0, i) * wi.getDouble(i, col);
                }
                for (int i = 0; i < hid; i++) {
                    a[gate] += h.getDouble(0, i) * wh.getDouble(i, col);
                }
            }
            double ig = sigmoid(a[0]);
            double fg = sigmoid(a[1]);
            double gg = Math.tanh(a[2]);
            double og = sigmoid(a[3]);
            double cNext = fg * c.getDouble(0, j) + ig * gg;
            assertEquals(cNext, out.c().value().getDouble(0, j), 1e-12);
            assertEquals(og * Math.tanh(cNext), out.h().value().getDouble(0, j), 1e-12);
        }
        // no state given = a zero state
        LstmCell.State fromZero = cell.forward(Var.constant(x));
        LstmCell.State explicit = cell.forward(Var.constant(x), new LstmCell.State(
                Var.constant(h.mul(0)), Var.constant(c.mul(0))));
        assertEquals(0, fromZero.h().value().sub(explicit.h().value()).amaxNumber().doubleValue(), 1e-15);
        assertEquals(0, fromZero.c().value().sub(explicit.c().value()).amaxNumber().doubleValue(), 1e-15);
    }

    private static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    @Test
    void orthogonalInitGivesOrthonormalGateBlocksAndZeroBiases() {
        ParameterSet ps = LayersGradientTest.params();
        int in = 6;
        int hid = 4;
        LstmCell.orthogonal(ps, "lstm", in, hid);
        INDArray wi = ps.parameters().get("lstm.weight_ih").value(); // [in, 4H]: block ᵀ is PyTorch's [H, in]
        INDArray wh = ps.parameters().get("lstm.weight_hh").value();
        for (int gate = 0; gate < 4; gate++) {
            for (INDArray w : new INDArray[] {wi, wh}) {
                INDArray block = w.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                        org.nd4j.linalg.indexing.NDArrayIndex.interval(gate * hid, (gate + 1) * hid));
                // PyTorch's block [H, rows] with H ≤ rows has orthonormal rows: our columns, so blockᵀ·block = I
                INDArray gram = block.transpose().mmul(block);
                INDArray eye = org.nd4j.linalg.factory.Nd4j.eye(hid).castTo(gram.dataType());
                assertEquals(0, gram.sub(eye).amaxNumber().doubleValue(), 1e-12, "gate " + gate);
            }
        }
        assertEquals(0, ps.parameters().get("lstm.bias_ih").value().amaxNumber().doubleValue());
        assertEquals(0, ps.parameters().get("lstm.bias_hh").value().amaxNumber().doubleValue());
        // rows > cols: orthonormal columns
        double[][] q = LstmCell.orthogonalMatrix(ps, 5, 2);
        for (int a = 0; a < 2; a++) {
            for (int b = 0; b < 2; b++) {
                double dot = 0;
                for (int r = 0; r < 5; r++) {
                    dot += q[r][a] * q[r][b];
                }
                assertEquals(a == b ? 1 : 0, dot, 1e-12);
            }
        }
    }

    @Test
    void badShapesAreNamed() {
        LstmCell cell = new LstmCell(LayersGradientTest.params(), "lstm", 3, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> cell.forward(Var.constant(uniform(1, -1, 1, 2, 5))));
        assertTrue(e.getMessage().contains("[N, 3]") && e.getMessage().contains("[2, 5]"), e.getMessage());
        LstmCell.State wrong = new LstmCell.State(Var.constant(uniform(1, -1, 1, 2, 3)), Var.constant(uniform(1, -1, 1, 2, 3)));
        IllegalArgumentException s = assertThrows(IllegalArgumentException.class,
                () -> cell.forward(Var.constant(uniform(1, -1, 1, 2, 3)), wrong));
        assertTrue(s.getMessage().contains("states [N, 4]"), s.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new LstmCell(LayersGradientTest.params(), "x", 0, 4));
    }
}

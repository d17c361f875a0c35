package org.latentmotion.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.latentmotion.nn.GradientCheck.uniform;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Every layer: gradients with respect to input and parameters, first and second order, float64. */
class LayersGradientTest {
    static final double TOLERANCE = 1e-6;

    /** Checks f = Σ r ⊙ tanh(layer(x)) against finite differences, first and second order. */
    static void check(String name, ParameterSet ps, INDArray x, Function<Var, Var> layer) {
        Var in = Var.input(x);
        List<Var> leaves = new ArrayList<>();
        leaves.add(in);
        leaves.addAll(ps.parameterList());
        Var probe = Autograd.noGrad(() -> layer.apply(Var.constant(x)));
        INDArray r = uniform(42, -1, 1, probe.shape());
        Supplier<Var> f = () -> Ops.sumAll(Ops.mul(Ops.tanh(layer.apply(in)), Var.constant(r)));
        double first = GradientCheck.maxRelativeError(f, leaves, 60);
        double second = GradientCheck.maxRelativeError(GradientCheck.gradientDot(f, leaves, 3), leaves, 15);
        System.out.printf("grad check %-18s first order %.2e, second order %.2e%n", name, first, second);
        assertTrue(first <= TOLERANCE, name + " first order " + first);
        assertTrue(second <= TOLERANCE, name + " second order " + second);
    }

    static ParameterSet params() {
        return new ParameterSet(DataType.DOUBLE, 7);
    }

    @Test
    void linear() {
        ParameterSet ps = params();
        Linear l = new Linear(ps, "fc", 5, 3);
        check("Linear", ps, uniform(1, -1, 1, 4, 5), l::forward);
    }

    @Test
    void gruCell() {
        ParameterSet ps = params();
        GruCell cell = new GruCell(ps, "gru", 3, 4);
        INDArray h0 = uniform(2, -1, 1, 2, 4);
        Var h = Var.input(h0);
        // two steps so the recurrence is exercised; the initial state is a leaf too
        ParameterSet withState = ps;
        check("GruCell(2 steps)", withState, uniform(1, -1, 1, 2, 3), x -> cell.forward(x, cell.forward(x, h)));
        double err = GradientCheck.maxRelativeError(
                () -> Ops.sumAll(Ops.tanh(cell.forward(Var.constant(uniform(1, -1, 1, 2, 3)), h))), List.of(h), 60);
        assertTrue(err <= TOLERANCE, "GRU state gradient " + err);
    }

    @Test
    void gruCellMatchesItsEquations() {
        ParameterSet ps = params();
        GruCell cell = new GruCell(ps, "gru", 2, 3);
        INDArray x = uniform(1, -1, 1, 1, 2);
        INDArray h = uniform(2, -1, 1, 1, 3);
        INDArray out = cell.forward(Var.constant(x), Var.constant(h)).value();
        INDArray wi = ps.parameters().get("gru.weight_ih").value();
        INDArray wh = ps.parameters().get("gru.weight_hh").value();
        INDArray bi = ps.parameters().get("gru.bias_ih").value();
        INDArray bh = ps.parameters().get("gru.bias_hh").value();
        for (int j = 0; j < 3; j++) {
            double[] gx = new double[3];
            double[] gh = new double[3];
            for (int gate = 0; gate < 3; gate++) {
                int col = gate * 3 + j;
                gx[gate] = bi.getDouble(col);
                gh[gate] = bh.getDouble(col);
                for (int i = 0; i < 2; i++) {
                    gx[gate] += x.getDouble(0, i) * wi.getDouble(i, col);
                }
                for (int i = 0; i < 3; i++) {
                    gh[gate] += h.getDouble(0, i) * wh.getDouble(i, col);
                }
            }
            double r = 1 / (1 + Math.exp(-(gx[0] + gh[0])));
            double z = 1 / (1 + Math.exp(-(gx[1] + gh[1])));
            double n = Math.tanh(gx[2] + r * gh[2]);
            double expected = (1 - z) * n + z * h.getDouble(0, j);
            assertEquals(expected, out.getDouble(0, j), 1e-12);
        }
    }

    @Test
    void batchNormTraining() {
        ParameterSet ps = params();
        BatchNorm bn = new BatchNorm(ps, "bn", 3);
        // non-trivial scale and shift
        ps.parameters().get("bn.weight").value().assign(uniform(5, 0.5, 1.5, 3));
        ps.parameters().get("bn.bias").value().assign(uniform(6, -0.5, 0.5, 3));
        check("BatchNorm(train)", ps, uniform(1, -1, 1, 5, 3), x -> bn.forward(x, Mode.TRAIN_FROZEN));
    }

    @Test
    void batchNormEvalAndRunningStatistics() {
        ParameterSet ps = params();
        BatchNorm bn = new BatchNorm(ps, "bn", 3);
        INDArray x = uniform(1, -1, 3, 6, 3);
        bn.forward(Var.constant(x), Mode.TRAIN);
        INDArray rm = ps.buffers().get("bn.running_mean");
        INDArray rv = ps.buffers().get("bn.running_var");
        for (int f = 0; f < 3; f++) {
            INDArray col = x.getColumn(f);
            assertEquals(0.1 * col.meanNumber().doubleValue(), rm.getDouble(f), 1e-12);
            double unbiased = col.varNumber().doubleValue(); // ND4J var is bias-corrected
            assertEquals(0.9 + 0.1 * unbiased, rv.getDouble(f), 1e-12);
        }
        check("BatchNorm(eval)", ps, uniform(2, -1, 1, 4, 3), v -> bn.forward(v, Mode.EVAL));
    }

    @Test
    void pixelNorm() {
        check("PixelNorm", params(), uniform(1, -1, 1, 3, 5), Layers::pixelNorm);
        INDArray y = Layers.pixelNorm(Var.constant(uniform(2, -3, 3, 2, 8))).value();
        INDArray ms = y.mul(y).mean(1);
        assertEquals(1.0, ms.getDouble(0), 1e-6);
    }

    @Test
    void conv1dStridedPadded() {
        ParameterSet ps = params();
        Conv1d conv = new Conv1d(ps, "conv", 3, 2, 4, 2, 1);
        check("Conv1d(k4,s2,p1)", ps, uniform(1, -1, 1, 2, 7, 3), conv::forward);
    }

    @Test
    void conv1dValid() {
        ParameterSet ps = params();
        Conv1d conv = new Conv1d(ps, "conv", 2, 1, 3, 1, 0);
        check("Conv1d(k3,s1,p0)", ps, uniform(1, -1, 1, 2, 3, 2), conv::forward);
    }

    @Test
    void conv1dMatchesDirectSum() {
        ParameterSet ps = params();
        Conv1d conv = new Conv1d(ps, "conv", 2, 3, 4, 2, 1);
        INDArray x = uniform(3, -1, 1, 1, 9, 2);
        INDArray y = conv.forward(Var.constant(x)).value();
        INDArray w = ps.parameters().get("conv.weight").value();
        INDArray b = ps.parameters().get("conv.bias").value();
        assertEquals(4, y.size(1));
        for (int o = 0; o < 4; o++) {
            for (int co = 0; co < 3; co++) {
                double s = b.getDouble(co);
                for (int j = 0; j < 4; j++) {
                    int t = o * 2 + j - 1;
                    if (t < 0 || t >= 9) {
                        continue;
                    }
                    for (int c = 0; c < 2; c++) {
                        s += x.getDouble(0, t, c) * w.getDouble(j * 2 + c, co);
                    }
                }
                assertEquals(s, y.getDouble(0, o, co), 1e-12);
            }
        }
    }

    @Test
    void adamMatchesItsFormulaAndEmaBlendsWeightsAndCopiesBuffers() {
        ParameterSet ps = params();
        Var p = ps.parameter("p", Nd4j.createFromArray(1.0, -2.0));
        Adam adam = new Adam(ps, 0.1, 0.5, 0.9, 1e-8);
        double[] grads = {0.3, -0.7};
        double m = 0, v = 0;
        double p0 = 1.0;
        for (int t = 1; t <= 3; t++) {
            adam.step(List.of(Var.constant(Nd4j.createFromArray(grads[0] * t, grads[1]))));
            double g = grads[0] * t;
            m = 0.5 * m + 0.5 * g;
            v = 0.9 * v + 0.1 * g * g;
            p0 -= 0.1 * (m / (1 - Math.pow(0.5, t))) / (Math.sqrt(v) / Math.sqrt(1 - Math.pow(0.9, t)) + 1e-8);
        }
        assertEquals(p0, p.value().getDouble(0), 1e-12);
        ParameterSet shadow = params();
        shadow.parameter("p", Nd4j.createFromArray(0.0, 0.0));
        ps.buffer("running_var", Nd4j.createFromArray(0.01, 0.02));
        INDArray shadowVar = shadow.buffer("running_var", Nd4j.createFromArray(1.0, 1.0));
        new Ema(ps, shadow, 0.75).update();
        assertEquals(0.25 * p.value().getDouble(1), shadow.parameters().get("p").value().getDouble(1), 1e-12);
        // running statistics follow the source exactly, not its average with the stale initial 1
        assertEquals(0.02, shadowVar.getDouble(1), 1e-12);
    }
}

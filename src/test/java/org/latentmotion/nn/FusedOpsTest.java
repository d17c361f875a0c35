package org.latentmotion.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.latentmotion.nn.GradientCheck.uniform;

import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The native fast paths of backward rules (leakyrelu_bp, sigmoid_bp, tanh_bp, skipped matmul
 * gradients): the same values as the plain formulas, including at the kinks, and differentiable
 * to third order (a backward rule of a backward rule is itself a tape op).
 */
class FusedOpsTest {
    static final double TOLERANCE = 1e-6;

    static Function<List<Var>, Var> objective(Function<Var, Var> op, long... shape) {
        INDArray r = uniform(99, -1, 1, shape);
        return v -> Ops.sumAll(Ops.mul(Ops.tanh(op.apply(v.get(0))), Var.constant(r)));
    }

    static double thirdOrderError(Function<Var, Var> op, double lo, double hi) {
        List<INDArray> in = List.of(uniform(11, lo, hi, 3, 4));
        Function<List<Var>, Var> f = objective(op, 3, 4);
        Function<List<Var>, Var> second = GradientCheck.gradientDot(f, in, 5);
        Function<List<Var>, Var> third = GradientCheck.gradientDot(second, in, 8);
        return GradientCheck.maxRelativeError(third, in, 100);
    }

    @Test
    void sigmoidAndTanhBackwardsAreDifferentiableToThirdOrder() {
        double sig = thirdOrderError(Ops::sigmoid, -2, 2);
        double tanh = thirdOrderError(Ops::tanh, -2, 2);
        System.out.printf("grad check sigmoid third order %.2e, tanh third order %.2e%n", sig, tanh);
        assertTrue(sig <= TOLERANCE, "sigmoid third order " + sig);
        assertTrue(tanh <= TOLERANCE, "tanh third order " + tanh);
    }

    @Test
    void leakyReluMaskTakesTheSlopeAtExactZerosLikePyTorch() {
        // 0 and −0 are on the negative side (torch: grad · (x > 0 ? 1 : slope)); the native op alone would take 1
        Var x = Var.input(Nd4j.createFromArray(-1.0, 0.0, 2.0, -0.0, 0.5));
        Var y = Ops.leakyRelu(x, 0.2);
        INDArray g = Autograd.grad(Ops.sumAll(y), List.of(x), false).get(0).value();
        assertEquals(Nd4j.createFromArray(0.2, 0.2, 1.0, 0.2, 1.0), g);
        Var r = Ops.relu(x);
        INDArray gr = Autograd.grad(Ops.sumAll(r), List.of(x), false).get(0).value();
        assertEquals(Nd4j.createFromArray(0.0, 0.0, 1.0, 0.0, 1.0), gr);
        // without zeros: the one-op path, same mask
        Var x2 = Var.input(Nd4j.createFromArray(-1.0, 3.0));
        INDArray g2 = Autograd.grad(Ops.sumAll(Ops.leakyRelu(x2, 0.2)), List.of(x2), false).get(0).value();
        assertEquals(Nd4j.createFromArray(0.2, 1.0), g2);
    }

    @Test
    void nativeBackwardsEqualTheFormulasInFloat32() {
        // float32 is where the one-op paths run for slope 0.2 (float64 keeps the explicit mask)
        INDArray xv = uniform(4, -2, 2, 64, 32).castTo(DataType.FLOAT);
        INDArray gv = uniform(5, -1, 1, 64, 32).castTo(DataType.FLOAT);
        Var x = Var.input(xv);
        INDArray leaky = Autograd.grad(Ops.sumAll(Ops.mul(Ops.leakyRelu(x, 0.2), Var.constant(gv))), List.of(x), false).get(0).value();
        INDArray mask = xv.gt(0.0).castTo(DataType.FLOAT).muli(0.8).addi(0.2);
        assertEquals(0.0, leaky.sub(gv.mul(mask)).amaxNumber().doubleValue());
        INDArray sig = Autograd.grad(Ops.sumAll(Ops.mul(Ops.sigmoid(x), Var.constant(gv))), List.of(x), false).get(0).value();
        INDArray s = Transforms.sigmoid(xv, true);
        assertEquals(0.0, sig.sub(gv.mul(s.mul(s.rsub(1.0)))).amaxNumber().doubleValue(), 1e-6);
        INDArray th = Autograd.grad(Ops.sumAll(Ops.mul(Ops.tanh(x), Var.constant(gv))), List.of(x), false).get(0).value();
        INDArray t = Transforms.tanh(xv, true);
        assertEquals(0.0, th.sub(gv.mul(t.mul(t).rsub(1.0))).amaxNumber().doubleValue(), 1e-6);
    }

    @Test
    void leakyReluSecondOrderThroughTheMask() {
        List<INDArray> in = List.of(uniform(3, -1, 1, 3, 4));
        Function<List<Var>, Var> f = objective(x -> Ops.leakyRelu(Ops.square(x), 0.2), 3, 4);
        Function<List<Var>, Var> f2 = objective(x -> Ops.leakyRelu(Ops.scale(x, 1.5), 0.2), 3, 4);
        double e1 = GradientCheck.maxRelativeError(GradientCheck.gradientDot(f, in, 5), in, 100);
        double e2 = GradientCheck.maxRelativeError(GradientCheck.gradientDot(GradientCheck.gradientDot(f2, in, 5), in, 6), in, 100);
        assertTrue(e1 <= TOLERANCE, "second order " + e1);
        assertTrue(e2 <= TOLERANCE, "third order " + e2);
    }

    @Test
    void matmulSkipsGradientsNobodyAskedFor() {
        Var x = Var.input(uniform(1, -1, 1, 3, 4));
        Var w = Var.parameter(uniform(2, -1, 1, 4, 2));
        Var y = Ops.sumAll(Ops.tanh(Ops.matmul(x, w)));
        // only ∂/∂x: the rule is told w is not needed and returns no gradient for it
        Var.Backward rule = Ops.matmul(x, w).backward;
        Var[] pg = rule.apply(null, Var.constant(uniform(3, -1, 1, 3, 2)), new boolean[] {true, false});
        assertNull(pg[1]);
        // and the gradient asked for is the full one
        List<Var> both = Autograd.grad(y, List.of(x, w), false);
        List<Var> onlyX = Autograd.grad(y, List.of(x), false);
        assertEquals(both.get(0).value(), onlyX.get(0).value());
        // second order through a ∂/∂x-only gradient still reaches w (the gradient penalty's case)
        double err = GradientCheck.maxRelativeError(() -> Autograd.withGrad(() -> {
            Var gx = Autograd.grad(Ops.sumAll(Ops.tanh(Ops.matmul(x, w))), List.of(x), true).get(0);
            return Ops.sumAll(Ops.square(gx));
        }), List.of(x, w), 100);
        assertTrue(err <= TOLERANCE, "gradient-penalty-like second order " + err);
    }

    @Test
    void aSeveralOutputOpRunsItsBackwardOnceWithAllGradients() {
        Var a = Var.input(uniform(6, -1, 1, 2, 3));
        int[] calls = {0};
        // y0 = 2a, y1 = 3a as one op with two outputs
        Var[] y = Ops.makeGroup(new INDArray[] {a.value().mul(2.0), a.value().mul(3.0)}, (gs, need) -> {
            calls[0]++;
            Var g = gs[0] == null ? Ops.scale(gs[1], 3.0)
                    : gs[1] == null ? Ops.scale(gs[0], 2.0) : Ops.add(Ops.scale(gs[0], 2.0), Ops.scale(gs[1], 3.0));
            return new Var[] {g};
        }, a);
        Var loss = Ops.add(Ops.sumAll(Ops.square(y[0])), Ops.sumAll(y[1]));
        INDArray g = Autograd.grad(loss, List.of(a), false).get(0).value();
        assertEquals(1, calls[0]);
        assertEquals(a.value().mul(8.0).add(3.0), g); // 2·(2a)·2 + 3
        // an output without a gradient is passed as null
        calls[0] = 0;
        INDArray g1 = Autograd.grad(Ops.sumAll(y[1]), List.of(a), false).get(0).value();
        assertEquals(1, calls[0]);
        assertEquals(Nd4j.valueArrayOf(new long[] {2, 3}, 3.0, DataType.DOUBLE), g1);
    }

    @Test
    void affineEqualsMatmulPlusBiasAndItsDerivativesMatchFiniteDifferences() {
        List<INDArray> in = List.of(uniform(1, -1, 1, 3, 4), uniform(2, -1, 1, 4, 5), uniform(3, -1, 1, 5));
        List<Var> v = GradientCheck.leaves(in);
        assertEquals(Ops.addRow(Ops.matmul(v.get(0), v.get(1)), v.get(2)).value(), Ops.affine(v.get(0), v.get(1), v.get(2)).value());
        INDArray r = uniform(4, -1, 1, 3, 5);
        Function<List<Var>, Var> f = x -> Ops.sumAll(Ops.mul(Ops.tanh(Ops.affine(x.get(0), x.get(1), x.get(2))), Var.constant(r)));
        assertFirstAndSecondOrderMatchFiniteDifferences(f, in, 100);
    }

    @Test
    void largeColumnSumsRunAsGemvWithTheSameValuesAndDerivatives() {
        // 300 × 256 = 76 800 elements: above the GEMV threshold
        List<INDArray> in = List.of(uniform(7, -1, 1, 300, 256));
        INDArray s = Ops.sum(Var.constant(in.get(0)), 0).value();
        assertEquals(0.0, s.sub(in.get(0).sum(0)).amaxNumber().doubleValue(), 1e-12);
        assertEquals(256, s.length());
        INDArray r = uniform(8, -1, 1, 256);
        Function<List<Var>, Var> f = x -> Ops.sumAll(Ops.mul(Ops.tanh(Ops.sum(Ops.scale(x.get(0), 0.05), 0)), Var.constant(r)));
        assertFirstAndSecondOrderMatchFiniteDifferences(f, in, 60);
    }

    /** f's gradient and the gradient of its gradient (along a fixed direction) against finite differences, up to {@code maxEntries} entries per input. */
    private static void assertFirstAndSecondOrderMatchFiniteDifferences(Function<List<Var>, Var> f, List<INDArray> in, int maxEntries) {
        double first = GradientCheck.maxRelativeError(f, in, maxEntries);
        double second = GradientCheck.maxRelativeError(GradientCheck.gradientDot(f, in, 5), in, maxEntries);
        assertTrue(first <= TOLERANCE, "first order " + first);
        assertTrue(second <= TOLERANCE, "second order " + second);
    }

    @Test
    void gradientSumsAddedInPlaceAreNeverSharedWhenModified() {
        Var p = Var.input(uniform(9, -1, 1, 2, 2));
        Var q = Var.input(uniform(10, -1, 1, 2, 2));
        Var e = Ops.scale(p, 5.0); // a consumer of p older than v: its term arrives after v's rule ran
        Var v = Ops.add(p, q); // add passes its gradient (a sum of two terms) to p and q unchanged
        Var loss = Ops.add(Ops.add(Ops.sumAll(e), Ops.sumAll(v)), Ops.sumAll(Ops.scale(v, 2.0)));
        List<Var> g = Autograd.grad(loss, List.of(p, q), false);
        assertEquals(0.0, g.get(0).value().sub(8.0).amaxNumber().doubleValue());
        assertEquals(0.0, g.get(1).value().sub(3.0).amaxNumber().doubleValue());
    }
}

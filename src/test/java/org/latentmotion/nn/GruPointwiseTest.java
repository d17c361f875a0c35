package org.latentmotion.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.latentmotion.nn.GradientCheck.uniform;

import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The fused GRU step against the same step built from tape primitives: values, and every order of
 * derivative the model uses (first for training, second for WGAN-GP-style double backprop and the
 * gradient angle penalty) plus the third (the primitive fallback), each against finite differences.
 */
class GruPointwiseTest {
    static final double TOLERANCE = 1e-6;

    static List<INDArray> inputs() {
        // gx, gh [N, 3H], h [N, H] with N = 3, H = 4
        return List.of(uniform(1, -1.5, 1.5, 3, 12), uniform(2, -1.5, 1.5, 3, 12), uniform(3, -1, 1, 3, 4));
    }

    static Function<List<Var>, Var> objective(boolean fused) {
        INDArray r = uniform(9, -1, 1, 3, 4);
        return v -> {
            Var out = fused ? GruPointwise.apply(v.get(0), v.get(1), v.get(2)) : GruPointwise.reference(v.get(0), v.get(1), v.get(2));
            // a second step on the result so h' is used nonlinearly and by the next step's h path
            Var out2 = fused ? GruPointwise.apply(v.get(0), v.get(1), out) : GruPointwise.reference(v.get(0), v.get(1), out);
            return Ops.sumAll(Ops.mul(Ops.tanh(out2), Var.constant(r)));
        };
    }

    static double diff(INDArray a, INDArray b) {
        return a.sub(b).amaxNumber().doubleValue() / Math.max(1e-12, b.amaxNumber().doubleValue());
    }

    @Test
    void valuesAndGradientsEqualThePrimitiveStep() {
        List<Var> leaves = GradientCheck.leaves(inputs());
        Var fused = objective(true).apply(leaves);
        Var ref = objective(false).apply(leaves);
        assertTrue(Math.abs(fused.item() - ref.item()) <= 1e-14 * Math.max(1, Math.abs(ref.item())));
        // first order
        List<Var> gf = Autograd.grad(fused, leaves, true);
        List<Var> gr = Autograd.grad(ref, leaves, true);
        for (int k = 0; k < 3; k++) {
            double d = diff(gf.get(k).value(), gr.get(k).value());
            assertTrue(d <= 1e-12, "first order, leaf " + k + ": " + d);
        }
        // second order: gradient of <∇f, c> for each leaf separately, so each backward node is exercised alone
        for (int k = 0; k < 3; k++) {
            INDArray c = uniform(20 + k, -1, 1, leaves.get(k).shape());
            Var sf = Ops.sumAll(Ops.mul(gf.get(k), Var.constant(c)));
            Var sr = Ops.sumAll(Ops.mul(gr.get(k), Var.constant(c)));
            List<Var> hf = Autograd.grad(sf, leaves, false);
            List<Var> hr = Autograd.grad(sr, leaves, false);
            for (int j = 0; j < 3; j++) {
                double d = diff(hf.get(j).value(), hr.get(j).value());
                assertTrue(d <= 1e-12, "second order, cotangent on leaf " + k + ", gradient of leaf " + j + ": " + d);
            }
        }
    }

    @Test
    void firstSecondAndThirdOrderMatchFiniteDifferences() {
        List<INDArray> in = inputs();
        Function<List<Var>, Var> f = objective(true);
        double first = GradientCheck.maxRelativeError(f, in, 100);
        Function<List<Var>, Var> second = GradientCheck.gradientDot(f, in, 5);
        double secondErr = GradientCheck.maxRelativeError(second, in, 100);
        double third = GradientCheck.maxRelativeError(GradientCheck.gradientDot(second, in, 8), in, 40);
        System.out.printf("grad check GruPointwise first %.2e, second %.2e, third %.2e%n", first, secondErr, third);
        assertTrue(first <= TOLERANCE, "first order " + first);
        assertTrue(secondErr <= TOLERANCE, "second order " + secondErr);
        assertTrue(third <= TOLERANCE, "third order " + third);
    }
}

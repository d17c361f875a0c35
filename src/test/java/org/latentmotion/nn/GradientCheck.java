package org.latentmotion.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Compares tape gradients with central finite differences in float64.
 *
 * <p>Error of one input: max_i |analytic_i − numeric_i| / max(max_i |analytic_i|, max_i |numeric_i|, 1e-8),
 * i.e. relative to the largest gradient entry of that input; the check returns the largest
 * error over all inputs.
 */
public final class GradientCheck {
    public static final double STEP = 1e-6;

    private GradientCheck() {
    }

    /** Random float64 array with entries uniform in [lo, hi). */
    public static INDArray uniform(long seed, double lo, double hi, long... shape) {
        Random r = new Random(seed);
        INDArray a = Nd4j.create(DataType.DOUBLE, shape);
        long n = a.length();
        for (long i = 0; i < n; i++) {
            a.putScalar(i, lo + (hi - lo) * r.nextDouble());
        }
        return a;
    }

    /**
     * Max relative error of the gradients of the one-element {@code f(inputs)} (checking up to
     * {@code maxEntries} entries per input, chosen at random beyond that).
     */
    public static double maxRelativeError(Function<List<Var>, Var> f, List<INDArray> inputs, int maxEntries) {
        List<Var> vars = new ArrayList<>();
        for (INDArray x : inputs) {
            if (x.dataType() != DataType.DOUBLE) {
                throw new IllegalArgumentException("gradient checks run in float64, found " + x.dataType());
            }
            vars.add(Var.input(x));
        }
        Var out = f.apply(vars);
        List<Var> grads = Autograd.grad(out, vars, false);
        Random pick = new Random(1);
        double worst = 0;
        for (int k = 0; k < inputs.size(); k++) {
            INDArray x = inputs.get(k);
            INDArray analytic = grads.get(k).value();
            long n = x.length();
            int count = (int) Math.min(n, maxEntries);
            double maxDiff = 0;
            double maxAbs = 1e-8;
            for (int c = 0; c < count; c++) {
                long i = n <= maxEntries ? c : (long) (pick.nextDouble() * n);
                double orig = x.getDouble(i);
                x.putScalar(i, orig + STEP);
                double plus = evaluate(f, inputs);
                x.putScalar(i, orig - STEP);
                double minus = evaluate(f, inputs);
                x.putScalar(i, orig);
                double numeric = (plus - minus) / (2 * STEP);
                double a = analytic.getDouble(i);
                maxDiff = Math.max(maxDiff, Math.abs(a - numeric));
                maxAbs = Math.max(maxAbs, Math.max(Math.abs(a), Math.abs(numeric)));
            }
            worst = Math.max(worst, maxDiff / maxAbs);
        }
        return worst;
    }

    private static double evaluate(Function<List<Var>, Var> f, List<INDArray> inputs) {
        return Autograd.noGrad(() -> {
            List<Var> cs = new ArrayList<>();
            for (INDArray x : inputs) {
                cs.add(Var.constant(x));
            }
            return f.apply(cs).item();
        });
    }

    /**
     * Second-order version: the function x ↦ ⟨∂f/∂x, r⟩ (summed over inputs, with a fixed random
     * r), whose gradient exercises every backward rule's own backward.
     */
    public static Function<List<Var>, Var> gradientDot(Function<List<Var>, Var> f, List<INDArray> inputs, long seed) {
        List<INDArray> rs = new ArrayList<>();
        for (int k = 0; k < inputs.size(); k++) {
            rs.add(uniform(seed + k, -1, 1, inputs.get(k).shape()));
        }
        return vars -> {
            // The leaves must need gradients even when the outer check evaluates with constants.
            List<Var> leaves = new ArrayList<>();
            for (Var v : vars) {
                leaves.add(v.requiresGrad() ? v : Var.input(v.value()));
            }
            // Finite-difference evaluations run without recording; the inner gradient needs it.
            return Autograd.withGrad(() -> inner(f, leaves, rs));
        };
    }

    private static Var inner(Function<List<Var>, Var> f, List<Var> leaves, List<INDArray> rs) {
        Var out = f.apply(leaves);
        List<Var> g = Autograd.grad(out, leaves, true);
        Var total = null;
        for (int k = 0; k < g.size(); k++) {
            Var term = Ops.sumAll(Ops.mul(g.get(k), Var.constant(rs.get(k))));
            total = total == null ? term : Ops.add(total, term);
        }
        return total;
    }
}

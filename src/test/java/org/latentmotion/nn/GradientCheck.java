package org.latentmotion.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Supplier;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Compares tape gradients with central finite differences (step 1e-6) in float64.
 *
 * <p>Error of one leaf: max_i |analytic_i − numeric_i| / max(max_i |analytic_i|, max_i |numeric_i|, 1e-8),
 * i.e. relative to the largest gradient entry of that leaf; a check returns the largest error
 * over all leaves.
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

    /** Error of the gradients of {@code f(inputs)} with respect to the inputs. */
    public static double maxRelativeError(Function<List<Var>, Var> f, List<INDArray> inputs, int maxEntries) {
        List<Var> leaves = leaves(inputs);
        return maxRelativeError(() -> f.apply(leaves), leaves, maxEntries);
    }

    static List<Var> leaves(List<INDArray> inputs) {
        List<Var> leaves = new ArrayList<>();
        for (INDArray x : inputs) {
            if (x.dataType() != DataType.DOUBLE) {
                throw new IllegalArgumentException("gradient checks run in float64, found " + x.dataType());
            }
            leaves.add(Var.input(x));
        }
        return leaves;
    }

    /**
     * Error of the gradients of the one-element {@code f()} with respect to {@code leaves}
     * (parameters or inputs, perturbed in place), checking up to {@code maxEntries} entries per
     * leaf (chosen at random beyond that).
     */
    public static double maxRelativeError(Supplier<Var> f, List<Var> leaves, int maxEntries) {
        return maxRelativeError(f, leaves, maxEntries, false);
    }

    /**
     * As {@link #maxRelativeError(Supplier, List, int)}; with {@code wholeGradient} the error is
     * relative to the largest entry of the whole gradient (all leaves together),
     * ‖analytic − numeric‖∞ / ‖numeric‖∞ over the checked entries, instead of per leaf. For model
     * losses: some parameter tensors there have gradients 10⁻⁴ of the largest, where the rounding
     * noise of the differences (~1e-16·|f| / h) alone is 1e-6 of that tensor's scale, and a larger
     * step h would cross LeakyReLU kinks.
     */
    public static double maxRelativeError(Supplier<Var> f, List<Var> leaves, int maxEntries, boolean wholeGradient) {
        Var out = f.get();
        List<Var> grads = Autograd.grad(out, leaves, false);
        Random pick = new Random(1);
        double worst = 0;
        double allDiff = 0;
        double allAbs = 1e-8;
        for (int k = 0; k < leaves.size(); k++) {
            INDArray x = leaves.get(k).value();
            if (x.dataType() != DataType.DOUBLE) {
                throw new IllegalArgumentException("gradient checks run in float64, found " + x.dataType());
            }
            INDArray analytic = grads.get(k).value();
            long n = x.length();
            int count = (int) Math.min(n, maxEntries);
            double maxDiff = 0;
            double maxAbs = 1e-8;
            for (int c = 0; c < count; c++) {
                long i = n <= maxEntries ? c : (long) (pick.nextDouble() * n);
                double orig = x.getDouble(i);
                double plus = at(f, x, i, orig + STEP);
                double minus = at(f, x, i, orig - STEP);
                x.putScalar(i, orig);
                double numeric = (plus - minus) / (2 * STEP);
                double a = analytic.getDouble(i);
                maxDiff = Math.max(maxDiff, Math.abs(a - numeric));
                maxAbs = Math.max(maxAbs, Math.max(Math.abs(a), Math.abs(numeric)));
            }
            worst = Math.max(worst, maxDiff / maxAbs);
            allDiff = Math.max(allDiff, maxDiff);
            allAbs = Math.max(allAbs, maxAbs);
        }
        return wholeGradient ? allDiff / allAbs : worst;
    }

    private static double at(Supplier<Var> f, INDArray x, long i, double value) {
        x.putScalar(i, value);
        return Autograd.noGrad(() -> f.get().item());
    }

    /** Second-order version over inputs: see {@link #gradientDot(Supplier, List, long)}. */
    public static Function<List<Var>, Var> gradientDot(Function<List<Var>, Var> f, List<INDArray> inputs, long seed) {
        return vars -> gradientDot(() -> f.apply(vars), vars, seed).get();
    }

    /**
     * The function ↦ Σ_k ⟨∂f/∂leaf_k, r_k⟩ with fixed random r_k; its gradient runs every backward
     * rule's own backward (double backprop). Records even when called inside noGrad.
     */
    public static Supplier<Var> gradientDot(Supplier<Var> f, List<Var> leaves, long seed) {
        List<INDArray> rs = new ArrayList<>();
        for (int k = 0; k < leaves.size(); k++) {
            rs.add(uniform(seed + k, -1, 1, leaves.get(k).shape()));
        }
        return () -> Autograd.withGrad(() -> {
            Var out = f.get();
            List<Var> g = Autograd.grad(out, leaves, true);
            Var total = null;
            for (int k = 0; k < g.size(); k++) {
                Var term = Ops.sumAll(Ops.mul(g.get(k), Var.constant(rs.get(k))));
                total = total == null ? term : Ops.add(total, term);
            }
            return total;
        });
    }
}

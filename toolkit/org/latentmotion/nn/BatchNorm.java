package org.latentmotion.nn;

import java.util.ArrayList;
import java.util.List;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Batch normalisation over the rows of [N, F] with a learned per-feature scale and shift, as
 * PyTorch's BatchNorm1d (eps 1e-5, momentum 0.1, running variance unbiased). In training mode it
 * normalises with the batch statistics (differentiably, including double backprop) and, if asked,
 * updates the running statistics; in evaluation mode it uses the running statistics.
 * Parameters {@code <name>.weight}, {@code <name>.bias}; buffers {@code <name>.running_mean},
 * {@code <name>.running_var}.
 */
public final class BatchNorm {
    public static final double EPS = 1e-5;
    public static final double MOMENTUM = 0.1;

    private final Var gamma;
    private final Var beta;
    private final INDArray runningMean;
    private final INDArray runningVar;
    private final int features;

    /** Registers scale 1, shift 0, running mean 0 and running variance 1, each [features], under {@code name}. */
    public BatchNorm(ParameterSet ps, String name, int features) {
        this.features = features;
        gamma = ps.parameter(name + ".weight", ps.constant(1.0, features));
        beta = ps.parameter(name + ".bias", ps.constant(0.0, features));
        runningMean = ps.buffer(name + ".running_mean", ps.constant(0.0, features));
        runningVar = ps.buffer(name + ".running_var", ps.constant(1.0, features));
    }

    /** Normalises x [N, features]: with the batch's statistics when {@code mode} trains (moving the running ones if it says so), else with the running ones. */
    public Var forward(Var x, Mode mode) {
        if (x.rank() != 2 || x.size(1) != features) {
            throw new IllegalArgumentException("BatchNorm(" + features + ") expects [N, " + features + "], found "
                    + java.util.Arrays.toString(x.shape()));
        }
        if (!mode.training()) {
            Var scale = Ops.mul(gamma, Var.constant(Transforms.pow(runningVar.add(EPS), -0.5, false)));
            Var shift = Ops.sub(beta, Ops.mul(Var.constant(runningMean), scale));
            return Ops.addRow(Ops.mulRow(x, scale), shift);
        }
        long n = x.size(0);
        if (n < 2) {
            throw new IllegalArgumentException("BatchNorm in training mode needs at least 2 rows, found " + n);
        }
        return new Training(x, n, mode).output();
    }

    /**
     * Training-mode batch norm from tape primitives: y = (x − μ)·(1/√(σ² + ε))·γ + β with the batch's μ and
     * σ² (biased). The reference of {@link Training}, whose values are these ops' exactly, and what its
     * backward differentiates when the gradient itself must be differentiable. Returns {y, μ, σ²}.
     */
    static Var[] composed(Var x, Var gamma, Var beta) {
        Var mean = Ops.mean(x, 0);
        Var centered = Ops.addRow(x, Ops.neg(mean));
        Var variance = Ops.mean(Ops.square(centered), 0);
        Var inv = Ops.reciprocal(Ops.sqrt(Ops.addScalar(variance, EPS)));
        return new Var[] {Ops.addRow(Ops.mulRow(centered, Ops.mul(inv, gamma)), beta), mean, variance};
    }

    /**
     * Training-mode batch norm as one tape node, with the values of {@link #composed} (the same ops in the
     * same order) and far fewer [N, F] arrays: composed, the forward makes four (x − μ, its square, the
     * scaled and the shifted output) and the first-order backward eight (broadcast rows, products, sums),
     * which at the mapper heads of paper() ([3200, 9216] float32, 113 MB each) is 1.4 GB a generator step
     * holds in its workspace until the step ends. Here: two forward (x − μ; its square, overwritten by y)
     * and two backward (∂x, and one scratch array). A backward taken with the tape recording (a gradient
     * to be differentiated again, e.g. the angle penalty through the hallucinator) differentiates
     * {@link #composed} instead, so every order stays exact.
     */
    private final class Training {
        private final Var x;
        private final long n;
        private final INDArray centered;
        private final INDArray root;
        private final INDArray inv;
        private final INDArray scale;
        private final INDArray y;

        Training(Var x, long n, Mode mode) {
            this.x = x;
            this.n = n;
            Var xc = Var.constant(x.value);
            // small [F] statistics through the ops composed() uses, on constants: same values, nothing recorded
            Var[] st = Autograd.noGrad(() -> {
                Var mean = Ops.mean(xc, 0);
                return new Var[] {mean, Ops.addRow(xc, Ops.neg(mean))};
            });
            Var mean = st[0];
            centered = st[1].value;
            y = centered.mul(centered); // square(centered); the output overwrites it below
            Var[] v = Autograd.noGrad(() -> {
                Var variance = Ops.mean(Var.constant(y), 0);
                Var r = Ops.sqrt(Ops.addScalar(variance, EPS));
                Var i = Ops.reciprocal(r);
                return new Var[] {variance, r, i, Ops.mul(i, Var.constant(gamma.value))};
            });
            root = v[1].value;
            inv = v[2].value;
            scale = v[3].value;
            if (mode.updateStatistics()) {
                double m = mode.statisticsMomentum();
                runningMean.muli(1 - m).addi(mean.value.mul(m));
                runningVar.muli(1 - m).addi(v[0].value.mul(m * n / (n - 1.0)));
            }
            Broadcasts.addiRow(Broadcasts.muliRow(y.assign(centered), scale), beta.value); // mulRow, then addRow
        }

        Var output() {
            return Ops.make(y, (o, g, need) -> Autograd.recording() ? differentiable(g, need) : firstOrder(g, need),
                    x, gamma, beta);
        }

        /**
         * ∂x, ∂γ, ∂β for ∂y = g with the rules of composed()'s ops, in their order (so the same values),
         * as in-place updates of two [N, F] arrays. The comments name the composed op each line stands for.
         */
        private Var[] firstOrder(Var g, boolean[] need) {
            Var dBeta = need[2] ? Ops.sum(g, 0) : null; // addRow
            if (!need[0] && !need[1]) {
                return new Var[] {null, null, dBeta};
            }
            INDArray scratch = g.value.mul(centered); // mulRow's ∂scale = Σ_rows g ⊙ (x − μ)
            Var dScale = Ops.sum(Var.constant(scratch), 0);
            Var dGamma = need[1] ? Ops.mul(dScale, Var.constant(inv)) : null; // mul(inv, γ)
            if (!need[0]) {
                Scope.release(scratch);
                return new Var[] {null, dGamma, dBeta};
            }
            INDArray dx = Broadcasts.mulRow(g.value, scale); // mulRow's ∂(x − μ), first term
            Var dInv = Ops.mul(dScale, Var.constant(gamma.value)); // mul(inv, γ)
            Var dRoot = Ops.neg(Ops.mul(dInv, Ops.square(Var.constant(inv)))); // reciprocal
            Var dVariance = Ops.div(Ops.scale(dRoot, 0.5), Var.constant(root)); // sqrt; addScalar passes it on
            Var dSquareRow = Ops.scale(dVariance, 1.0 / n); // mean = scale(sum, 1/n); sum broadcasts the row
            Broadcasts.muliRow(centered.mul(2.0, scratch), dSquareRow.value); // square: broadcast row ⊙ 2(x − μ)
            dx.addi(scratch); // the two terms of ∂(x − μ), summed as Autograd sums them
            Scope.release(scratch);
            // x − μ = addRow(x, neg(μ)): ∂x = ∂(x − μ) plus the broadcast of scale(neg(Σ_rows ∂(x − μ)), 1/n)
            Var dMeanRow = Ops.scale(Ops.neg(Ops.sum(Var.constant(dx), 0)), 1.0 / n);
            Broadcasts.addiRow(dx, dMeanRow.value);
            return new Var[] {Ops.make(dx, NO_BACKWARD), dGamma, dBeta};
        }

        /** The vector-Jacobian product of composed() rebuilt on the tape, for gradients that are differentiated again. */
        private Var[] differentiable(Var g, boolean[] need) {
            Var[] parents = {x, gamma, beta};
            // identity proxies: the tape's gradients are total derivatives, and a rule needs the partial ones
            Var[] p = new Var[3];
            List<Var> wrt = new ArrayList<>();
            for (int k = 0; k < 3; k++) {
                if (need[k]) {
                    p[k] = Ops.make(parents[k].value, false, (o, gg, nd) -> new Var[] {gg}, parents[k]);
                    wrt.add(p[k]);
                }
            }
            Var[] in = new Var[3];
            for (int k = 0; k < 3; k++) {
                in[k] = p[k] != null ? p[k] : parents[k];
            }
            List<Var> grads = Autograd.grad(composed(in[0], in[1], in[2])[0], g, wrt, true);
            Var[] out = new Var[3];
            for (int k = 0, m = 0; k < 3; k++) {
                out[k] = p[k] == null ? null : grads.get(m++);
            }
            return out;
        }
    }

    private static final Var.Backward NO_BACKWARD = (o, g, need) -> {
        throw new IllegalStateException("a first-order batch-norm gradient is a constant");
    };

    /** Features normalised (the width of x). */
    public int features() {
        return features;
    }
}

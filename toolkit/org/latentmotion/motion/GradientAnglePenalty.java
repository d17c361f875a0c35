package org.latentmotion.motion;

import java.util.List;
import org.latentmotion.nn.Autograd;
import org.latentmotion.nn.Ops;
import org.latentmotion.nn.ParameterSet;
import org.latentmotion.nn.Var;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The gradient angle penalty (seed 002, Sec. 3.2): L_GAP = mean_b (max(0, π/4 − φ_b))², φ_b =
 * atan(‖∂d/∂s_b‖ / ‖∂d/∂i_b‖), with d = Σ_b d_b, d_b = ‖(l_{t−1} − l_0 − μ) / σ‖, so the noise
 * s_k, not only the first latent i, decides how far a window moves. μ, σ² are running statistics
 * (momentum {@value #MOMENTUM}*) of l_{t−1} − l_0, updated with each generator batch before it is
 * normalised*; φ per window*, +1e-12 inside each square root* (* where the paper is silent).
 * Buffers of the model's {@code stats.*} group: gap_mean, gap_var [hidden].
 */
final class GradientAnglePenalty {
    static final double MOMENTUM = 0.1;
    private static final double NORM_EPS = 1e-12;

    private final INDArray mean;
    private final INDArray var;

    GradientAnglePenalty(StyleVideoGanConfig config, ParameterSet stats) {
        mean = stats.buffer("gap_mean", stats.constant(0, config.hidden()));
        var = stats.buffer("gap_var", stats.constant(1, config.hidden()));
    }

    /** The penalty and what it is made of, per window (package-private for gradient checks). */
    record Terms(Var loss, Var phi, Var normS, Var normI) {
    }

    /**
     * L_GAP from diff = l_{t−1} − l_0 [B, hidden] and the leaves i, s it was computed from; the
     * gradients of d are taken with createGraph, so L_GAP is differentiable in the weights.
     */
    Terms terms(Var diff, Var i, Var s) {
        INDArray inv = Transforms.pow(var.add(1e-5), -0.5, false);
        Var normalized = Ops.mulRow(Ops.addRow(diff, Var.constant(mean.neg())), Var.constant(inv));
        Var d = Ops.sqrt(Ops.addScalar(Ops.sum(Ops.square(normalized), 1), NORM_EPS));
        List<Var> g = Autograd.grad(Ops.sumAll(d), List.of(s, i), true);
        Var normS = Ops.sqrt(Ops.addScalar(Ops.sum(Ops.square(g.get(0)), 1), NORM_EPS));
        Var normI = Ops.sqrt(Ops.addScalar(Ops.sum(Ops.square(g.get(1)), 1), NORM_EPS));
        Var phi = Ops.atan(Ops.div(normS, normI));
        Var hinge = Ops.relu(Ops.addScalar(Ops.neg(phi), Math.PI / 4));
        return new Terms(Ops.meanAll(Ops.square(hinge)), phi, normS, normI);
    }

    /** Moves the running statistics towards a batch of l_{t−1} − l_0 [B, hidden]. */
    void update(INDArray diff) {
        long n = diff.size(0);
        INDArray m = diff.mean(0);
        INDArray v = diff.var(true, 0);
        mean.muli(1 - MOMENTUM).addi(m.muli(MOMENTUM));
        if (n > 1) {
            var.muli(1 - MOMENTUM).addi(v.muli(MOMENTUM));
        }
    }
}

package org.latentmotion.motion.styleinv;

import org.latentmotion.nn.Linear;
import org.latentmotion.nn.Ops;
import org.latentmotion.nn.ParameterSet;
import org.latentmotion.nn.Var;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The temporal style s_t of StyleInV: a motion code and an acyclic positional encoding (APE) of the
 * time stamp, fused with the first frame's code. As the official code's {@code AlignedTimeEncoder}
 * does, with Δ the distance between motion codes, l = ⌊t/Δ⌋, α = (t mod Δ)/Δ:
 * <pre>
 *   u_j   = LeakyReLU(a_j·W_m + b_m)                  a_0 = c (learned), a_j ~ N(0, I) for j ≥ 1
 *   pe(t) = [sin(ω t + φ), cos(ω t + φ)]              ω_f = 2π / P_f, P_f geometric in minPeriod … maxPeriod
 *   e_t   = pe(t) − ((1−α)·pe(lΔ) + α·pe((l+1)Δ)) + ((1−α)·u_l + α·u_{l+1})·W_a
 *   s_t   = Linear(LeakyReLU(Linear([e_t, x₀])))      (content-adaptive: x₀ the first frame's coordinates)
 * </pre>
 * New motion codes keep coming every Δ frames, so the encoding never repeats (acyclic) and is as
 * good at frame 1500 as at frame 20. At t = 0 the sinusoid term is exactly 0 and the aligner reads
 * only the learned constant c, so e_0 is the same for every motion noise: the paper's "stable
 * embedding of the zero time stamp".
 *
 * <p>Adapted: the paper's periods and phases are learned functions of u_l (periods tanh(·) + 1,
 * phases linear); here the periods are fixed and the phases drawn at random per clip (the autodiff
 * has no sine, so nothing learned can sit inside one). The paper's motion codes pass through a
 * causal convolution of kernel 11 over anchors; here a per-anchor layer (kernel 1).
 * Parameters (after the given prefix): {@code motion_const} [m], {@code motion.weight} [m, m], {@code motion.bias} [m],
 * {@code align} [m, 2F] (no bias, as the code's), {@code fuse0.*} [2F + k, S], {@code fuse1.*} [S, S].
 */
final class TemporalStyle {
    private final StyleInVConfig config;
    private final Var motionConst;
    private final Linear motion;
    private final Var align;
    private final Linear fuse0;
    private final Linear fuse1;
    private final double[] omega;

    TemporalStyle(StyleInVConfig config, ParameterSet ps, String prefix) {
        this.config = config;
        int m = config.motionDim();
        int f = config.frequencies();
        motionConst = ps.parameter(prefix + "motion_const", ps.normal(1.0, m));
        motion = new Linear(ps, prefix + "motion", m, m);
        align = ps.parameter(prefix + "align", ps.uniform(1.0 / Math.sqrt(m), m, 2L * f));
        fuse0 = new Linear(ps, prefix + "fuse0", 2 * f + config.components(), config.styleDim());
        fuse1 = new Linear(ps, prefix + "fuse1", config.styleDim(), config.styleDim());
        omega = frequencies(config);
    }

    /** ω_f = 2π / P_f with the periods P_f geometric from minPeriod to maxPeriod. */
    static double[] frequencies(StyleInVConfig c) {
        int f = c.frequencies();
        double[] w = new double[f];
        for (int j = 0; j < f; j++) {
            double frac = f == 1 ? 0 : (double) j / (f - 1);
            double period = Math.exp(Math.log(c.minPeriod()) + frac * (Math.log(c.maxPeriod()) - Math.log(c.minPeriod())));
            w[j] = 2 * Math.PI / period;
        }
        return w;
    }

    /** The styles s_t [B·n, S] (rows clip by clip) of the draw's frames, for first frames x₀ [B, k]. */
    Var forward(Var x0, MotionDraw draw) {
        int b = draw.clips();
        int n = draw.frames();
        long anchors = draw.motionCodes().size(1);
        int m = config.motionDim();
        Var first = Ops.broadcastTo(Ops.reshape(motionConst, 1, 1, m), b, 1, m);
        Var codes = anchors > 1
                ? Ops.concat(1, first, Ops.slice(Var.constant(draw.motionCodes()), 1, 1, anchors))
                : first;
        Var u = Ops.leakyRelu(motion.forward(Ops.reshape(codes, b * anchors, m)), config.leakySlope());
        INDArray mix = Nd4j.zeros(u.dataType(), (long) b * n, b * anchors);
        INDArray residual = Nd4j.zeros(u.dataType(), (long) b * n, 2L * omega.length);
        int delta = config.motionDistance();
        for (int c = 0; c < b; c++) {
            for (int i = 0; i < n; i++) {
                int t = draw.times()[c][i];
                int l = t / delta;
                double a = (double) (t % delta) / delta;
                if (l + 1 >= anchors) {
                    throw new IllegalArgumentException("temporal style: time " + t + " needs " + (l + 2)
                            + " motion codes, the draw has " + anchors);
                }
                long row = (long) c * n + i;
                mix.putScalar(new long[] {row, (long) c * anchors + l}, 1 - a);
                mix.putScalar(new long[] {row, (long) c * anchors + l + 1}, a);
                for (int j = 0; j < omega.length; j++) {
                    double phi = draw.phases().getDouble(c, j);
                    double at = omega[j] * t + phi;
                    double left = omega[j] * l * delta + phi;
                    double right = omega[j] * (l + 1) * delta + phi;
                    // exactly 0 at every anchor (α = 0 and t = lΔ): the aligner alone speaks there
                    double s = a == 0 ? 0 : Math.sin(at) - ((1 - a) * Math.sin(left) + a * Math.sin(right));
                    double co = a == 0 ? 0 : Math.cos(at) - ((1 - a) * Math.cos(left) + a * Math.cos(right));
                    residual.putScalar(new long[] {row, j}, s);
                    residual.putScalar(new long[] {row, omega.length + j}, co);
                }
            }
        }
        Var aligned = Ops.matmul(Ops.matmul(Var.constant(mix), u), align);
        Var embedding = Ops.add(Var.constant(residual), aligned);
        int k = config.components();
        Var content = Ops.reshape(Ops.broadcastTo(Ops.reshape(x0, b, 1, k), b, n, k), (long) b * n, k);
        Var h = Ops.leakyRelu(fuse0.forward(Ops.concat(1, embedding, content)), config.leakySlope());
        return fuse1.forward(h);
    }
}

package org.latentmotion.motion.styleganv;

import java.util.Arrays;

import org.latentmotion.nn.Conv1d;
import org.latentmotion.nn.Ops;
import org.latentmotion.nn.ParameterSet;
import org.latentmotion.nn.Var;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * StyleGAN-V's motion mapping: motion codes at sparse times → a continuous motion signal v(t).
 *
 * <p>Motion codes z_i ~ N(0, I) stand at times i·δ (δ = {@code codeDistance} frames). Two
 * padding-free Conv1d layers with LeakyReLU turn them into u_i (u_i reads z_i … z_{i+2(K−1)}, so
 * u_i never changes when later codes are added: a sample can be extended at will). For a time t
 * between the knots t_l = lδ and t_r = t_l + δ, α = (t − t_l)/δ, the paper's acyclic positional
 * embedding is
 * <pre>
 *   periods p = tanh(u_l·W_p) + 1,  phases φ = u_l·W_φ                       [F]
 *   e(τ) = [sin(ω ⊙ p·τ + φ ⊙ ρ), cos(ω ⊙ p·τ + φ ⊙ ρ)]                       [2F]
 *   v(t) = e(t) − ((1−α)·e(t_l) + α·e(t_r)) + (1−α)·u_l·W_a + α·u_r·W_a
 * </pre>
 * with ω_f = 2π / P_f the base frequencies, periods P_f spaced evenly in log2 from δ to
 * {@code maxPeriod} (ascending frequencies), and ρ_f = maxPeriod / P_f the phase scales. Subtracting
 * the sinusoids' interpolation between the knots and adding the interpolated "aligners" u·W_a
 * makes v continuous in t, equal to u·W_a at every knot, and no longer periodic. W_p, W_φ, W_a have
 * no bias (the paper: "to prevent motion mode collapse"); they start N(0, 1/in), the value an
 * equalized-lr layer starts from.
 *
 * <p>Parameters: {@code motion.conv0/conv1.{weight, bias}} (see {@link Conv1d}), {@code
 * motion.periods.weight} [U, F], {@code motion.phases.weight} [U, F], {@code motion.aligners.weight}
 * [U, 2F].
 */
final class MotionMapping {
    private final StyleGanVConfig config;
    private final Conv1d conv0;
    private final Conv1d conv1;
    private final Var periods;
    private final Var phases;
    private final Var aligners;
    private final double[] frequencies;
    private final double[] phaseScales;

    MotionMapping(StyleGanVConfig config, ParameterSet ps) {
        this.config = config;
        int z = config.motionDim();
        int k = config.motionKernel();
        int f = config.embeddingFeatures();
        conv0 = new Conv1d(ps, "motion.conv0", z, z, k, 1, 0);
        conv1 = new Conv1d(ps, "motion.conv1", z, z, k, 1, 0);
        double std = 1 / Math.sqrt(z);
        periods = ps.parameter("motion.periods.weight", ps.normal(std, z, f));
        phases = ps.parameter("motion.phases.weight", ps.normal(std, z, f));
        aligners = ps.parameter("motion.aligners.weight", ps.normal(std, z, 2L * f));
        frequencies = new double[f];
        phaseScales = new double[f];
        double lo = log2(config.codeDistance());
        double hi = log2(config.maxPeriod());
        for (int j = 0; j < f; j++) {
            // periods from δ up to maxPeriod; listed longest first, i.e. frequencies ascending
            double period = Math.pow(2, f == 1 ? lo : hi - (hi - lo) * j / (f - 1));
            frequencies[j] = 2 * Math.PI / period;
            phaseScales[j] = config.maxPeriod() / period;
        }
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    /** Width of the motion signal v(t): 2F. */
    int signalWidth() {
        return 2 * config.embeddingFeatures();
    }

    /** The base frequencies ω [F] (a copy). */
    double[] frequencies() {
        return frequencies.clone();
    }

    /** Conv outputs u_i [B, M − 2(K−1), U] of motion codes [B, M, U]. */
    Var convolve(Var codes) {
        if (codes.rank() != 3 || codes.size(2) != config.motionDim() || codes.size(1) <= config.extraCodes()) {
            throw new IllegalArgumentException("motion mapping: expected motion codes [B, more than "
                    + config.extraCodes() + ", " + config.motionDim() + "], found " + Arrays.toString(codes.shape()));
        }
        double s = config.leakySlope();
        return Ops.leakyRelu(conv1.forward(Ops.leakyRelu(conv0.forward(codes), s)), s);
    }

    /**
     * The motion signal v(t) [B·m, 2F] at {@code times} [B·m] (frames, row r belongs to clip r / m)
     * from motion codes [B, M, U] whose row 0 is code number {@code first[b]} of clip b.
     */
    Var signal(Var codes, int[] first, double[] times, int m) {
        Var u = convolve(codes);
        long b = u.size(0);
        int nu = (int) u.size(1);
        int zd = config.motionDim();
        int n = times.length;
        if (first.length != b || n != b * m) {
            throw new IllegalArgumentException("motion mapping: expected " + b + " first indices and " + b * m
                    + " times, found " + first.length + " and " + n);
        }
        double delta = config.codeDistance();
        DataType dt = u.dataType();
        INDArray pickLeft = Nd4j.zeros(dt, n, b * nu);
        INDArray pickRight = Nd4j.zeros(dt, n, b * nu);
        INDArray tNow = Nd4j.create(dt, n);
        INDArray tLeft = Nd4j.create(dt, n);
        INDArray tRight = Nd4j.create(dt, n);
        INDArray alpha = Nd4j.create(dt, n);
        for (int r = 0; r < n; r++) {
            int clip = r / m;
            double t = times[r];
            if (!(t >= 0) || Double.isInfinite(t)) {
                throw new IllegalArgumentException("motion mapping: expected finite times ≥ 0, found " + t);
            }
            long l = (long) Math.floor(t / delta);
            long local = l - first[clip];
            if (local < 0 || local + 1 >= nu) {
                throw new IllegalArgumentException("motion mapping: time " + t + " of clip " + clip + " needs conv"
                        + " outputs " + l + " and " + (l + 1) + ", the codes give " + first[clip] + " … "
                        + (first[clip] + nu - 1));
            }
            pickLeft.putScalar(r, clip * (long) nu + local, 1.0);
            pickRight.putScalar(r, clip * (long) nu + local + 1, 1.0);
            tNow.putScalar(r, t);
            tLeft.putScalar(r, l * delta);
            tRight.putScalar(r, (l + 1) * delta);
            alpha.putScalar(r, (t - l * delta) / delta);
        }
        Var flat = Ops.reshape(u, b * nu, zd);
        Var uLeft = Ops.matmul(Var.constant(pickLeft), flat);
        Var uRight = Ops.matmul(Var.constant(pickRight), flat);
        Var p = Ops.addScalar(Ops.tanh(Ops.matmul(uLeft, periods)), 1.0);
        Var phase = Ops.mulRow(Ops.matmul(uLeft, phases), constant(phaseScales, dt));
        Var scaledFreq = Ops.mulRow(p, constant(frequencies, dt));
        Var e = embed(scaledFreq, phase, tNow);
        Var eLeft = embed(scaledFreq, phase, tLeft);
        Var eRight = embed(scaledFreq, phase, tRight);
        Var a = Var.constant(alpha);
        Var oneMinus = Var.constant(alpha.rsub(1.0));
        Var remove = Ops.add(Ops.mulCol(eLeft, oneMinus), Ops.mulCol(eRight, a));
        Var add = Ops.add(Ops.mulCol(Ops.matmul(uLeft, aligners), oneMinus), Ops.mulCol(Ops.matmul(uRight, aligners), a));
        return Ops.add(Ops.sub(e, remove), add);
    }

    /** [sin, cos] of (ω ⊙ p)·τ + φ ⊙ ρ, τ one time per row. */
    private static Var embed(Var scaledFreq, Var phase, INDArray tau) {
        Var raw = Ops.add(Ops.mulCol(scaledFreq, Var.constant(tau)), phase);
        return Ops.concat(1, Ops.sin(raw), Ops.cos(raw));
    }

    private static Var constant(double[] v, DataType dt) {
        return Var.constant(Nd4j.createFromArray(v).castTo(dt));
    }
}

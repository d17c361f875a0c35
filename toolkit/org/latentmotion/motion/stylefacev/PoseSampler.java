package org.latentmotion.motion.stylefacev;

import java.util.Arrays;

import org.latentmotion.nn.Linear;
import org.latentmotion.nn.LstmCell;
import org.latentmotion.nn.Ops;
import org.latentmotion.nn.ParameterSet;
import org.latentmotion.nn.Var;

/**
 * StyleFaceV's motion sampler (seed 004, "Motion Sampling", Eq. 9): an LSTM that generates the
 * poses of later frames from the first frame's pose p₀ and motion noise z_t. As in the official
 * code (which uses MoCoGAN-HD's LSTM module for it):
 * <pre>
 *   (h₀, c₀) = LSTM_enc(p₀)                                  from a zero state
 *   (h_t, c_t) = LSTM(z_t, (h_{t−1}, c_{t−1})),  z_t ~ N(0, I), t = 1 … T−1
 *   p_t = p_{t−1} + α · tanh(h_t·W + b)
 *   ẑ_t = fc2(ReLU(fc1([h_t, c_t])))                          read by the diversity loss (Eq. 11)
 * </pre>
 * PyTorch's default initialisation everywhere. Parameters: {@code enc_cell.*} (LSTMCell(P, H)),
 * {@code cell.*} (LSTMCell(noise, H)), {@code out.weight} [H, P], {@code out.bias} [P],
 * {@code fc1.*} (Linear(2H, noise)), {@code fc2.*} (Linear(noise, noise)), weights [in, out].
 */
final class PoseSampler {
    /** Generated poses [B, T, P] and, per step, the noise and its reconstruction [B·(T−1), noise] (null for T = 1). */
    record Output(Var poses, Var noise, Var reconstruction) {
    }

    private final StyleFaceVConfig config;
    private final LstmCell encoder;
    private final LstmCell cell;
    private final Linear out;
    private final Linear fc1;
    private final Linear fc2;

    PoseSampler(StyleFaceVConfig config, ParameterSet ps) {
        this.config = config;
        int p = config.poseDim();
        int h = config.samplerHidden();
        int n = config.noiseDim();
        encoder = new LstmCell(ps, "enc_cell", p, h);
        cell = new LstmCell(ps, "cell", n, h);
        out = new Linear(ps, "out", h, p);
        fc1 = new Linear(ps, "fc1", 2 * h, n);
        fc2 = new Linear(ps, "fc2", n, n);
    }

    /** The poses of {@code noise.size(1) + 1} frames from p₀ [B, P] and noise [B, T−1, noise]. */
    Output forward(Var first, Var noise) {
        int p = config.poseDim();
        int n = config.noiseDim();
        int h = config.samplerHidden();
        if (first.rank() != 2 || first.size(1) != p) {
            throw new IllegalArgumentException("pose sampler: expected first poses [B, " + p + "], found "
                    + Arrays.toString(first.shape()));
        }
        long b = first.size(0);
        if (noise.rank() != 3 || noise.size(0) != b || noise.size(2) != n) {
            throw new IllegalArgumentException("pose sampler: expected noise [" + b + ", T−1, " + n + "], found "
                    + Arrays.toString(noise.shape()));
        }
        int steps = (int) noise.size(1);
        LstmCell.State state = encoder.forward(first);
        Var[] poses = new Var[steps + 1];
        Var[] states = new Var[steps];
        poses[0] = first;
        if (steps > 0) {
            Var gates = Ops.reshape(cell.projectInput(Ops.reshape(noise, b * steps, n)), b, steps, 4L * h);
            for (int t = 0; t < steps; t++) {
                state = cell.step(Ops.reshape(Ops.slice(gates, 1, t, t + 1), b, 4L * h), state);
                poses[t + 1] = Ops.add(poses[t], Ops.scale(Ops.tanh(out.forward(state.h())), config.alpha()));
                states[t] = Ops.concat(1, state.h(), state.c());
            }
        }
        Var sequence = Ops.reshape(Ops.concat(1, poses), b, steps + 1L, p);
        if (steps == 0) {
            return new Output(sequence, null, null);
        }
        Var hc = Ops.reshape(Ops.concat(1, states), b * steps, 2L * h);
        Var reconstruction = fc2.forward(Ops.relu(fc1.forward(hc)));
        return new Output(sequence, Ops.reshape(noise, b * steps, n), reconstruction);
    }

    /**
     * The diversity loss (Eq. 11 as the official code computes it): −mean_{b,t} cos(ẑ_t, z_t), the
     * noise a constant, so different noise must give different hidden states and so different poses.
     */
    static Var diversity(Output out) {
        Var z = Var.constant(out.noise().value());
        Var r = out.reconstruction();
        Var dot = Ops.sum(Ops.mul(r, z), 1);
        Var norms = Ops.mul(Ops.sqrt(Ops.addScalar(Ops.sum(Ops.square(r), 1), 1e-24)),
                Ops.sqrt(Ops.sum(Ops.square(z), 1)));
        return Ops.neg(Ops.meanAll(Ops.div(dot, norms)));
    }
}

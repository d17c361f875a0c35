package org.latentmotion.motion.mocogan;

import java.util.Arrays;

import org.latentmotion.nn.Init;
import org.latentmotion.nn.Linear;
import org.latentmotion.nn.LstmCell;
import org.latentmotion.nn.Ops;
import org.latentmotion.nn.ParameterSet;
import org.latentmotion.nn.Var;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * MoCoGAN-HD's motion generator (its {@code RNNModule}, {@code models/rnn.py}), in whitened principal
 * coordinates x̃ (see {@link MotionBasis}):
 * <pre>
 *   (h₀, c₀) = LSTM_enc(x̃₀)                                 from a zero state
 *   (h_t, c_t) = LSTM(ε_t, (h_{t−1}, c_{t−1})),  ε_t ~ N(0, I_noise),  t = 1 … T−1
 *   x̃_t = x̃_{t−1} + α · tanh(h_t·W + b) ⊙ (σ / s)             the paper's w_t = w_{t−1} + α·tanh(h_t W + b)·(σ ⊙ B)
 *   ε̂_t = fc2(ReLU(fc1([h_t, c_t])))                          what the mutual-information term compares with ε_t
 * </pre>
 * so x̃_t = x̃₀ + α Σ_{τ ≤ t} tanh(h_τ W + b) ⊙ σ/s: every frame is the content frame plus the summed
 * residuals. Parameters (names of the model file, PyTorch's transposes for the weights):
 * {@code enc_cell.*} (LSTMCell(k, H)), {@code cell.*} (LSTMCell(noise, H)), {@code w} [H, k],
 * {@code b} [k], {@code fc1.weight} [2H, noise], {@code fc1.bias}, {@code fc2.weight} [noise, noise],
 * {@code fc2.bias}. With {@code orthogonalInit} (the paper's {@code init_weights}): each LSTM gate
 * block and the fc weights orthogonal, LSTM biases 0, W ~ N(0, 0.02²), b = 0, fc biases PyTorch's.
 */
final class MotionGenerator {
    /** A generated window: the whitened sequence [B, T, k], and per step the noise and its reconstruction [B·(T−1), noise]. */
    record Output(Var sequence, Var noise, Var reconstruction) {
    }

    private final MoCoGanHdConfig config;
    private final LstmCell encoder;
    private final LstmCell cell;
    private final Var w;
    private final Var b;
    private final Linear fc1;
    private final Linear fc2;

    MotionGenerator(MoCoGanHdConfig config, ParameterSet ps) {
        this.config = config;
        int k = config.components();
        int h = config.hidden();
        int n = config.noiseDim();
        boolean paper = config.orthogonalInit();
        encoder = paper ? LstmCell.orthogonal(ps, "enc_cell", k, h) : new LstmCell(ps, "enc_cell", k, h);
        cell = paper ? LstmCell.orthogonal(ps, "cell", n, h) : new LstmCell(ps, "cell", n, h);
        w = ps.parameter("w", paper ? ps.normal(0.02, h, k) : ps.uniform(1.0 / Math.sqrt(h), h, k));
        b = ps.parameter("b", paper ? ps.constant(0, k) : ps.uniform(1.0 / Math.sqrt(h), k));
        fc1 = new Linear(ps, "fc1", 2 * h, n, Init.pytorch());
        fc2 = new Linear(ps, "fc2", n, n, Init.pytorch());
        if (paper) {
            orthogonalWeight(ps, "fc1", 2 * h, n);
            orthogonalWeight(ps, "fc2", n, n);
        }
    }

    /** Replaces a Linear's weight [in, out] by the transpose of an orthogonal [out, in] matrix (torch's orthogonal_). */
    private static void orthogonalWeight(ParameterSet ps, String name, int in, int out) {
        double[][] q = LstmCell.orthogonalMatrix(ps, out, in);
        INDArray weight = ps.parameters().get(name + ".weight").value();
        for (int i = 0; i < in; i++) {
            for (int o = 0; o < out; o++) {
                weight.putScalar(new long[] {i, o}, q[o][i]);
            }
        }
    }

    /**
     * The window of {@code frames} = noise steps + 1 frames from content x̃₀ [B, k] and noise ε
     * [B, T−1, noise]; {@code residualScale} is σ/s [k] (see {@link MotionBasis#residualScale()}).
     */
    Output forward(Var content, Var noise, INDArray residualScale) {
        int k = config.components();
        int n = config.noiseDim();
        int h = config.hidden();
        if (content.rank() != 2 || content.size(1) != k) {
            throw new IllegalArgumentException("motion generator: expected content [B, " + k + "], found "
                    + Arrays.toString(content.shape()));
        }
        long batch = content.size(0);
        if (noise.rank() != 3 || noise.size(0) != batch || noise.size(2) != n) {
            throw new IllegalArgumentException("motion generator: expected noise [" + batch + ", T−1, " + n + "], found "
                    + Arrays.toString(noise.shape()));
        }
        int steps = (int) noise.size(1);
        Var scale = Var.constant(residualScale.castTo(content.dataType()).mul(config.alpha()));
        LstmCell.State state = encoder.forward(content);
        Var gates = Ops.reshape(cell.projectInput(Ops.reshape(noise, batch * steps, n)), batch, steps, 4L * h);
        Var[] frames = new Var[steps + 1];
        Var[] states = new Var[steps];
        frames[0] = content;
        for (int t = 0; t < steps; t++) {
            Var gx = Ops.reshape(Ops.slice(gates, 1, t, t + 1), batch, 4L * h);
            state = cell.step(gx, state);
            Var residual = Ops.mulRow(Ops.tanh(Ops.affine(state.h(), w, b)), scale);
            frames[t + 1] = Ops.add(frames[t], residual);
            states[t] = Ops.concat(1, state.h(), state.c());
        }
        Var sequence = Ops.reshape(Ops.concat(1, frames), batch, steps + 1L, k);
        Var reconstruction = null;
        Var flatNoise = null;
        if (steps > 0) {
            Var hc = Ops.reshape(Ops.concat(1, states), batch * steps, 2L * h);
            reconstruction = fc2.forward(Ops.relu(fc1.forward(hc)));
            flatNoise = Ops.reshape(noise, batch * steps, n);
        }
        return new Output(sequence, flatNoise, reconstruction);
    }

    /**
     * The mutual-information term of {@code train_func_in_domain.py}: −mean_{b,t} cos(ε̂_t, ε_t), the
     * noise treated as a constant. It keeps the LSTM's state informative of the noise it read, so
     * different noise gives different motion.
     */
    static Var mutualInformation(Output out) {
        Var e = Var.constant(out.noise().value());
        Var r = out.reconstruction();
        Var dot = Ops.sum(Ops.mul(r, e), 1);
        Var norms = Ops.mul(Ops.sqrt(Ops.addScalar(Ops.sum(Ops.square(r), 1), 1e-24)),
                Ops.sqrt(Ops.sum(Ops.square(e), 1)));
        return Ops.neg(Ops.meanAll(Ops.div(dot, norms)));
    }
}

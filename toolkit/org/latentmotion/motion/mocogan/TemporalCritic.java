package org.latentmotion.motion.mocogan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.latentmotion.nn.Conv1d;
import org.latentmotion.nn.Init;
import org.latentmotion.nn.Ops;
import org.latentmotion.nn.ParameterSet;
import org.latentmotion.nn.Var;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * MoCoGAN-HD's video discriminator ({@code models/D_3d.py}: a multi-scale PatchGAN of 3-D
 * convolutions) with the spatial dimensions gone: it reads W+ windows as whitened principal
 * coordinates, and judges the pairs (first frame, frame t), t = 1 … T−1, as the paper's in-domain
 * training feeds D_3d the first frame concatenated to every later one
 * ({@code train_func_in_domain.py}). Per scale, over time, channels last:
 * <pre>
 *   Conv1d(2k → C, kernel 4, stride 2, padding 2) + LeakyReLU
 *   Conv1d(C → 2C, 4, 2, 2) + InstanceNorm + LeakyReLU
 *   Conv1d(2C → 4C, 4, 2, 2) + InstanceNorm + LeakyReLU
 *   Conv1d(4C → 8C, 4, 1, 2) + InstanceNorm + LeakyReLU
 *   Conv1d(8C → 1, 4, 1, 2)                                     → a score per temporal patch
 * </pre>
 * (channels capped at 512; instance norm without affine weights, ε = 1e-5, biased variance, over
 * time per window and channel: PyTorch's InstanceNorm in training mode, as D runs while it
 * trains). Scale s &gt; 0 reads scale s−1's input averaged over time with a 3-frame window (stride 1,
 * or 2 for more than 16 pairs; padding 1, padded frames not counted: D_3d's AvgPool3d). Weights
 * start N(0, 0.02²) with {@code orthogonalInit} (D_3d's {@code weights_init}), biases PyTorch's.
 * Parameters: {@code scale<s>.conv<j>.weight} [4·C_in, C_out] (see {@link Conv1d} for the layout),
 * {@code .bias} [C_out].
 */
final class TemporalCritic {
    private static final double INSTANCE_NORM_EPS = 1e-5;

    private final MoCoGanHdConfig config;
    private final List<Conv1d[]> scales = new ArrayList<>();

    TemporalCritic(MoCoGanHdConfig config, ParameterSet ps) {
        this.config = config;
        for (int s = 0; s < config.criticScales(); s++) {
            Conv1d[] convs = new Conv1d[5];
            int in = 2 * config.components();
            for (int j = 0; j < 5; j++) {
                int out = j == 4 ? 1 : config.criticChannelsAt(j);
                int stride = j < 3 ? 2 : 1;
                String name = "scale" + s + ".conv" + j;
                convs[j] = new Conv1d(ps, name, in, out, 4, stride, 2, Init.pytorch());
                if (config.orthogonalInit()) {
                    INDArray weight = ps.parameters().get(name + ".weight").value();
                    weight.assign(ps.normal(0.02, weight.shape()));
                }
                in = out;
            }
            scales.add(convs);
        }
    }

    /** Whitened windows [B, T, k] → the pairs (first frame, frame t) [B, T−1, 2k]. */
    Var pairs(Var sequence) {
        int k = config.components();
        if (sequence.rank() != 3 || sequence.size(2) != k || sequence.size(1) < 2) {
            throw new IllegalArgumentException("critic: expected whitened windows [B, T ≥ 2, " + k + "], found "
                    + Arrays.toString(sequence.shape()));
        }
        long b = sequence.size(0);
        long t = sequence.size(1);
        Var first = Ops.broadcastTo(Ops.slice(sequence, 1, 0, 1), b, t - 1, k);
        return Ops.concat(2, first, Ops.slice(sequence, 1, 1, t));
    }

    /** The pairs [B, P, 2k] reversed in time (the paper's flip_video). */
    static Var flip(Var pairs) {
        int p = (int) pairs.size(1);
        INDArray m = Nd4j.zeros(pairs.dataType(), p, p);
        for (int t = 0; t < p; t++) {
            m.putScalar(new long[] {t, p - 1 - t}, 1.0);
        }
        return mixTime(pairs, m);
    }

    /** The critic's patch scores of every scale, each [B, patches], for pairs [B, P, 2k]. */
    List<Var> scores(Var pairs) {
        List<Var> out = new ArrayList<>();
        Var input = pairs;
        for (int s = 0; s < scales.size(); s++) {
            if (s > 0) {
                input = mixTime(input, pooling((int) input.size(1), input));
            }
            out.add(score(scales.get(s), input));
        }
        return out;
    }

    private Var score(Conv1d[] convs, Var x) {
        double slope = config.leakySlope();
        long b = x.size(0);
        Var y = x;
        for (int j = 0; j < 4; j++) {
            y = convs[j].forward(y);
            if (j > 0 && config.criticInstanceNorm()) {
                y = instanceNorm(y);
            }
            y = Ops.leakyRelu(y, slope);
        }
        y = convs[4].forward(y);
        return Ops.reshape(y, b, y.size(1));
    }

    /** (x − mean_t x) / √(var_t x + ε) per window and channel of x [B, T, C] (biased variance). */
    static Var instanceNorm(Var x) {
        long[] s = x.shape();
        Var mean = Ops.broadcastTo(Ops.reshape(Ops.mean(x, 1), s[0], 1, s[2]), s);
        Var centred = Ops.sub(x, mean);
        Var var = Ops.reshape(Ops.mean(Ops.square(centred), 1), s[0], 1, s[2]);
        Var std = Ops.broadcastTo(Ops.sqrt(Ops.addScalar(var, INSTANCE_NORM_EPS)), s);
        return Ops.div(centred, std);
    }

    /**
     * D_3d's downsampling in time as a [P, P'] matrix: a 3-frame average (stride 1 for ≤ 16 frames,
     * else 2; padding 1; padded frames not counted).
     */
    private static INDArray pooling(int p, Var like) {
        int stride = p > 16 ? 2 : 1;
        int out = (p + 2 - 3) / stride + 1;
        INDArray m = Nd4j.zeros(like.dataType(), p, out);
        for (int o = 0; o < out; o++) {
            int from = Math.max(0, o * stride - 1);
            int to = Math.min(p - 1, o * stride + 1);
            for (int t = from; t <= to; t++) {
                m.putScalar(new long[] {t, o}, 1.0 / (to - from + 1));
            }
        }
        return m;
    }

    /** y[b, t', c] = Σ_t x[b, t, c]·m[t, t'] for x [B, P, C] and a constant m [P, P']. */
    static Var mixTime(Var x, INDArray m) {
        long b = x.size(0);
        long p = x.size(1);
        long c = x.size(2);
        Var rows = Ops.reshape(Ops.permute(x, 0, 2, 1), b * c, p);
        Var mixed = Ops.matmul(rows, Var.constant(m));
        return Ops.permute(Ops.reshape(mixed, b, c, m.size(1)), 0, 2, 1);
    }
}

package org.latentmotion.motion.styleinv;

import org.latentmotion.nn.Linear;
import org.latentmotion.nn.Ops;
import org.latentmotion.nn.ParameterSet;
import org.latentmotion.nn.Var;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The temporal critic over the few frames of a clip and their time gaps (StyleInV trains the
 * StyleGAN-V discriminator, which reads a clip's sparse frames and a Fourier embedding of the
 * distances between them, with the real first frame in place of the generated one:
 * {@code first_frame_in_D}). On whitened coordinates, per clip:
 * <pre>
 *   input = [x_{t_0}, …, x_{t_{n−1}}, sin(ω d_i), cos(ω d_i) for the gaps d_i = t_i − t_{i−1}]
 *   D     = Linear(LeakyReLU(Linear(LeakyReLU(Linear(input)))))  → one score per clip
 * </pre>
 * with ω the positional encoding's frequencies. The paper's image backbone is gone (frames are
 * codes); the gaps enter at the input instead of at the backbone's 16² features.
 * Parameters: {@code fc0.*} [n·k + 2F(n−1), C], {@code fc1.*} [C, C], {@code fc2.*} [C, 1].
 */
final class SparseFrameCritic {
    private final StyleInVConfig config;
    private final Linear fc0;
    private final Linear fc1;
    private final Linear fc2;
    private final double[] omega;
    private final int frames;

    SparseFrameCritic(StyleInVConfig config, ParameterSet ps) {
        this.config = config;
        frames = config.sparseFrames() + 1;
        omega = TemporalStyle.frequencies(config);
        int in = frames * config.components() + 2 * omega.length * (frames - 1);
        fc0 = new Linear(ps, "fc0", in, config.criticHidden());
        fc1 = new Linear(ps, "fc1", config.criticHidden(), config.criticHidden());
        fc2 = new Linear(ps, "fc2", config.criticHidden(), 1);
    }

    /** Scores [B] of clips x [B, n, k] sampled at {@code times} [B][n]. */
    Var score(Var x, int[][] times) {
        long b = x.size(0);
        if (x.rank() != 3 || x.size(1) != frames || x.size(2) != config.components() || times.length != b) {
            throw new IllegalArgumentException("critic: expected clips [B, " + frames + ", " + config.components()
                    + "] with B time rows, found " + java.util.Arrays.toString(x.shape()) + " and " + times.length);
        }
        INDArray gaps = Nd4j.create(x.dataType(), b, 2L * omega.length * (frames - 1));
        for (int c = 0; c < b; c++) {
            for (int i = 1; i < frames; i++) {
                int d = times[c][i] - times[c][i - 1];
                for (int j = 0; j < omega.length; j++) {
                    long col = 2L * omega.length * (i - 1);
                    gaps.putScalar(new long[] {c, col + j}, Math.sin(omega[j] * d));
                    gaps.putScalar(new long[] {c, col + omega.length + j}, Math.cos(omega[j] * d));
                }
            }
        }
        Var in = Ops.concat(1, Ops.reshape(x, b, x.size(1) * x.size(2)), Var.constant(gaps));
        double slope = config.leakySlope();
        Var h = Ops.leakyRelu(fc0.forward(in), slope);
        h = Ops.leakyRelu(fc1.forward(h), slope);
        return Ops.reshape(fc2.forward(h), b);
    }
}

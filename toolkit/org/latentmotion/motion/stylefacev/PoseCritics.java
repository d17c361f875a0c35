package org.latentmotion.motion.stylefacev;

import java.util.Arrays;

import org.latentmotion.nn.Conv1d;
import org.latentmotion.nn.Init;
import org.latentmotion.nn.Ops;
import org.latentmotion.nn.ParameterSet;
import org.latentmotion.nn.Var;

/**
 * StyleFaceV's two pose critics (seed 004, Eq. 10), judging pose sequences [B, T, P] through the
 * pairs (first pose, pose t), t = 1 … T−1, as the official code feeds its critics the first frame
 * next to later ones:
 * <ul>
 *   <li>the 2-D critic scores single pairs: Mlp(2P → C₂ → C₂ → 1) on each pair (the paper's
 *       NLayerDiscriminator on one frame next to the first; here on every pair of the window, not one
 *       random one: a score per pair, [B, T−1]);</li>
 *   <li>the 3-D critic scores the pairs as a sequence, a PatchGAN over time, channels last:
 *       Conv1d(2P → C, 4, stride 2, pad 2) + LeakyReLU, Conv1d(C → 2C, 4, 2, 2) + LeakyReLU,
 *       Conv1d(2C → 1, 4, 1, 2) → a score per temporal patch [B, patches] (the paper's conv3d
 *       discriminator with the spatial dimensions gone; no normalisation layers).</li>
 * </ul>
 * PyTorch's default initialisation. Parameters: {@code critic2d.fc<j>.*}, {@code critic3d.conv<j>.weight}
 * [4·C_in, C_out] (see {@link Conv1d}) and {@code .bias}.
 */
final class PoseCritics {
    private final StyleFaceVConfig config;
    private final Mlp critic2d;
    private final Conv1d[] critic3d = new Conv1d[3];

    PoseCritics(StyleFaceVConfig config, ParameterSet ps) {
        this.config = config;
        int p = config.poseDim();
        int h = config.criticHidden();
        int c = config.criticChannels();
        critic2d = new Mlp(ps, "critic2d", config.leakySlope(), 2 * p, h, h, 1);
        critic3d[0] = new Conv1d(ps, "critic3d.conv0", 2 * p, c, 4, 2, 2, Init.pytorch());
        critic3d[1] = new Conv1d(ps, "critic3d.conv1", c, 2 * c, 4, 2, 2, Init.pytorch());
        critic3d[2] = new Conv1d(ps, "critic3d.conv2", 2 * c, 1, 4, 1, 2, Init.pytorch());
    }

    /** Pose sequences [B, T ≥ 2, P] → the pairs (first pose, pose t) [B, T−1, 2P]. */
    Var pairs(Var poses) {
        int p = config.poseDim();
        if (poses.rank() != 3 || poses.size(2) != p || poses.size(1) < 2) {
            throw new IllegalArgumentException("pose critic: expected pose sequences [B, T ≥ 2, " + p + "], found "
                    + Arrays.toString(poses.shape()));
        }
        long b = poses.size(0);
        long t = poses.size(1);
        Var first = Ops.broadcastTo(Ops.slice(poses, 1, 0, 1), b, t - 1, p);
        return Ops.concat(2, first, Ops.slice(poses, 1, 1, t));
    }

    /** The 2-D critic's score of every pair: pairs [B, P', 2P] → [B, P']. */
    Var score2d(Var pairs) {
        long b = pairs.size(0);
        long n = pairs.size(1);
        return Ops.reshape(critic2d.forward(Ops.reshape(pairs, b * n, pairs.size(2))), b, n);
    }

    /** The 3-D critic's patch scores: pairs [B, P', 2P] → [B, patches]. */
    Var score3d(Var pairs) {
        long b = pairs.size(0);
        Var y = pairs;
        for (int j = 0; j < critic3d.length; j++) {
            y = critic3d[j].forward(y);
            if (j < critic3d.length - 1) {
                y = Ops.leakyRelu(y, config.leakySlope());
            }
        }
        return Ops.reshape(y, b, y.size(1));
    }
}

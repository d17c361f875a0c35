package org.latentmotion.motion.styleinv;

import org.latentmotion.nn.Linear;
import org.latentmotion.nn.Ops;
import org.latentmotion.nn.ParameterSet;
import org.latentmotion.nn.Var;

/**
 * StyleInV's encoder, the network that inverts the first frame, modulated by the temporal style:
 * on whitened coordinates x₀ [B, k] of the first frame's W+ code,
 * <pre>
 *   h   = LeakyReLU(x₀·W_in + b_in)                             (per clip, shared by its frames)
 *   h   = LeakyReLU(AdaIN_j(h·W_j + b_j, s_t))                   j = 1 … blocks
 *   AdaIN(h, s) = (1 + s·G_j + g_j) ⊙ (h − mean h) / √(var h + ε) + s·E_j + e_j
 *   g(x₀, s_t) = h·W_out + b_out                                 (W_out, b_out start at 0)
 *   x_t = x₀ + g(x₀, s_t) − g(x₀, s_0)
 * </pre>
 * The normalisation is over the features of each frame's vector (the paper's instance norm over
 * feature maps, {@code normalize_adain}; a vector has no spatial positions to normalise over).
 *
 * <p><b>The identity-like inversion.</b> The paper initialises this encoder from a pretrained
 * inversion network (pSp), so before motion training it maps a frame to its own code. In W+ the
 * inversion of a code is the code itself, so here the encoder is residual and its last layer starts
 * at zero: an untrained StyleInV returns x_t = x₀ for every t, the identity inversion, and training
 * starts from it. <b>Frame 0 is the first frame exactly</b>, for any weights: x₀ + g(s_0) − g(s_0)
 * is x₀ to the last bit (the paper gets close with a reconstruction loss of weight 10 on frame 0;
 * subtracting makes that loss 0, so it is left out).
 * Parameters (after the given prefix): {@code input.*} [k, H], {@code block<j>.*} [H, H], {@code gamma<j>.*} and
 * {@code beta<j>.*} [S, H], {@code output.*} [H, k].
 */
final class InversionEncoder {
    static final double NORM_EPS = 1e-5;

    private final StyleInVConfig config;
    private final Linear input;
    private final Linear[] blocks;
    private final Linear[] gammas;
    private final Linear[] betas;
    private final Linear output;

    InversionEncoder(StyleInVConfig config, ParameterSet ps, String prefix) {
        this.config = config;
        int k = config.components();
        int h = config.hidden();
        input = new Linear(ps, prefix + "input", k, h);
        blocks = new Linear[config.blocks()];
        gammas = new Linear[config.blocks()];
        betas = new Linear[config.blocks()];
        for (int j = 0; j < blocks.length; j++) {
            blocks[j] = new Linear(ps, prefix + "block" + j, h, h);
            gammas[j] = new Linear(ps, prefix + "gamma" + j, config.styleDim(), h);
            betas[j] = new Linear(ps, prefix + "beta" + j, config.styleDim(), h);
        }
        output = new Linear(ps, prefix + "output", h, k);
        ps.parameters().get(prefix + "output.weight").value().assign(0);
        ps.parameters().get(prefix + "output.bias").value().assign(0);
    }

    /**
     * The frames x [B, n, k] for first frames x₀ [B, k] and styles [B·n, S] (rows clip by clip), of
     * which the first per clip is s_0: row 0 of every clip is x₀ itself.
     */
    Var forward(Var x0, Var styles, int frames) {
        long b = x0.size(0);
        int k = config.components();
        int hw = config.hidden();
        double slope = config.leakySlope();
        Var h0 = Ops.leakyRelu(input.forward(x0), slope);
        Var h = Ops.reshape(Ops.broadcastTo(Ops.reshape(h0, b, 1, hw), b, frames, hw), b * frames, hw);
        for (int j = 0; j < blocks.length; j++) {
            Var y = normalise(blocks[j].forward(h));
            Var scale = Ops.addScalar(gammas[j].forward(styles), 1.0);
            h = Ops.leakyRelu(Ops.add(Ops.mul(scale, y), betas[j].forward(styles)), slope);
        }
        Var g = Ops.reshape(output.forward(h), b, frames, k);
        Var g0 = Ops.broadcastTo(Ops.slice(g, 1, 0, 1), b, frames, k);
        Var start = Ops.broadcastTo(Ops.reshape(x0, b, 1, k), b, frames, k);
        return Ops.add(start, Ops.sub(g, g0));
    }

    /** (y − mean y) / √(var y + ε) over the features of each row of y [N, H] (biased variance). */
    static Var normalise(Var y) {
        long[] s = y.shape();
        Var mean = Ops.broadcastTo(Ops.reshape(Ops.mean(y, 1), s[0], 1), s);
        Var centred = Ops.sub(y, mean);
        Var var = Ops.reshape(Ops.mean(Ops.square(centred), 1), s[0], 1);
        return Ops.div(centred, Ops.broadcastTo(Ops.sqrt(Ops.addScalar(var, NORM_EPS)), s));
    }
}

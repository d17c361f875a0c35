package org.latentmotion.motion;

import java.util.ArrayList;
import java.util.List;

import org.latentmotion.nn.Conv1d;
import org.latentmotion.nn.Init;
import org.latentmotion.nn.Linear;
import org.latentmotion.nn.Ops;
import org.latentmotion.nn.ParameterSet;
import org.latentmotion.nn.Var;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * StyleVideoGAN's critic C (seed 002, Table 7): a per-frame feature extractor E (2 × (Linear +
 * LeakyReLU) to the critic width, then 4 × (Linear + LeakyReLU) narrowing geometrically to
 * {@code criticFeatures}), then a 1-D DCGAN critic over time without batch norm: convolutions
 * with kernel 4, stride 2, padding 1 and LeakyReLU while the sequence is longer than 4 frames
 * (channels {@code criticChannels}, doubling each time), then one convolution whose kernel
 * spans the remaining frames to a single output (for t = 25: 25 → 12 → 6 → 3 → 1). With
 * {@code spectralCritic} (ours, not the paper's) a {@link SpectralHead} also scores the window's
 * amplitude spectrum, and D is the sum of both scores.
 */
final class Critic {
    private final StyleVideoGanConfig c;
    private final ParameterSet ps;
    private final Linear[] extractor = new Linear[6];
    private final List<Conv1d> convs = new ArrayList<>();
    private final Conv1d last;
    /** With {@code spectralCritic}: the amplitude-spectrum head whose score is added to D's; else null. */
    private final SpectralHead spectral;
    /** The whitening of frame-to-frame changes [features, features] (null without {@code criticDifferences}). */
    private final INDArray changeWhitening;

    /**
     * @param changeWhitening with {@code criticDifferences}: the transform that whitens the data's
     *                        frame-to-frame changes, applied to the critic's change inputs (the
     *                        model's buffer: read at every forward, so fitting it later is seen)
     */
    Critic(StyleVideoGanConfig c, ParameterSet ps, INDArray changeWhitening) {
        this.c = c;
        this.ps = ps;
        this.changeWhitening = changeWhitening;
        int w = c.criticWidth();
        int[] widths = c.criticExtractorWidths();
        int in = c.features() * (c.criticDifferences() ? 2 : 1);
        Init init = c.kaimingInit() ? Init.kaiming(c.leakySlope()) : Init.pytorch();
        for (int j = 0; j < 6; j++) {
            extractor[j] = new Linear(ps, "critic.fc" + j, in, widths[j], init);
            in = widths[j];
        }
        int length = c.windowLength();
        int ch = c.criticFeatures();
        int out = c.criticChannels();
        int j = 0;
        while (length > 4) {
            Conv1d conv = new Conv1d(ps, "critic.conv" + j, ch, out, 4, 2, 1, init);
            convs.add(conv);
            length = conv.outputLength(length);
            ch = out;
            out *= 2;
            j++;
        }
        last = new Conv1d(ps, "critic.conv" + j, ch, 1, length, 1, 0, init);
        // created after the convolutions, so without it every other weight starts as before
        spectral = c.spectralCritic() ? new SpectralHead(c, ps, init) : null;
    }

    ParameterSet parameters() {
        return ps;
    }

    /** x [B·t, features] (standardised codes, rows by sample then frame) → D(x) [B]. */
    Var forward(Var x) {
        return score(inputs(x));
    }

    /**
     * What the extractor E reads, [B·t, features] → [B·t, width of E's input]: the frames, and with
     * {@code criticDifferences} their whitened changes beside them. The gradient penalty is taken
     * with respect to this (see {@link StyleVideoGan}), so the critic is 1-Lipschitz in a metric
     * where a frame-to-frame change counts in units of the data's own changes.
     */
    Var inputs(Var x) {
        long rows = x.size(0);
        int t = c.windowLength();
        if (rows % t != 0 || x.size(1) != c.features()) {
            throw new IllegalArgumentException("critic expects [B·" + t + ", " + c.features() + "], found "
                    + java.util.Arrays.toString(x.shape()));
        }
        return c.criticDifferences() ? withDifferences(x, rows / t, t) : x;
    }

    /**
     * D from {@link #inputs}: [B·t, width of E's input] → [B]; with {@code spectralCritic} plus the
     * {@link SpectralHead}'s score of the frames (the first {@code features} columns).
     */
    Var score(Var e) {
        int t = c.windowLength();
        long b = e.size(0) / t;
        double slope = c.leakySlope();
        Var frames = e;
        for (Linear fc : extractor) {
            e = Ops.leakyRelu(fc.forward(e), slope);
        }
        Var seq = Ops.reshape(e, b, t, c.criticFeatures());
        for (Conv1d conv : convs) {
            seq = Ops.leakyRelu(conv.forward(seq), slope);
        }
        Var d = Ops.reshape(last.forward(seq), b);
        if (spectral == null) {
            return d;
        }
        Var x = frames.size(1) == c.features() ? frames : Ops.slice(frames, 1, 0, c.features());
        return Ops.add(d, spectral.score(x));
    }

    /**
     * [B·t, F] → [B·t, 2F]: each frame next to its change from the previous frame (zero for a
     * window's first frame), whitened by the data's changes. A change is then an input of its own,
     * on the scale of the data's own changes in that direction. With the gradient penalty taken at
     * these inputs, a head that turns five times as fast per frame as the data moves the critic's
     * input by about five units in its change coordinates; taken at the frames, the same head would
     * be worth a few hundredths of a unit (its change in standardised coordinates), because the
     * penalty would charge the whitening's gain against the critic's slope.
     */
    private Var withDifferences(Var x, long b, int t) {
        long f = x.size(1);
        Var rows = Ops.reshape(x, b, t * f);
        Var previous = Ops.concat(1, Ops.slice(rows, 1, 0, f), Ops.slice(rows, 1, 0, (t - 1) * f));
        Var change = Ops.reshape(Ops.sub(rows, previous), b * t, f);
        Var whitening = Var.constant(changeWhitening.castTo(x.value().dataType()));
        return Ops.concat(1, x, Ops.matmul(change, whitening));
    }
}

package org.latentmotion.motion.styleganv;

import java.util.Arrays;

import org.latentmotion.nn.Linear;
import org.latentmotion.nn.Ops;
import org.latentmotion.nn.ParameterSet;
import org.latentmotion.nn.Var;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The critic of sparse clips: n frames (whitened W+ coordinates) at increasing times, and the
 * n − 1 time gaps between them. The paper's discriminator computes features per frame, joins the
 * frames along channels part-way up, and is conditioned on the time gaps as StyleGAN2's
 * conditional discriminator is on a class: the condition goes through a mapping network to a
 * vector c, and the score is the projection ⟨h, c⟩/√H of the last features h. This class keeps
 * that on W+ coordinates:
 * <pre>
 *   f_i = MLP_frame(x̃_i)                                   [H] per frame (shared)
 *   h   = Linear_out(MLP_joint([f_1, …, f_n]))              [H]
 *   e_j = [E[gap_j − 1], sin(2π·gap_j/P), cos(2π·gap_j/P)]  a learned table row and fixed sinusoids, P = 2, 4, …
 *   c   = MLP_map([e_1, …, e_{n−1}])                        [H]
 *   D   = ⟨h, c⟩ / √H
 * </pre>
 * The table and the sinusoids are the official code's {@code TemporalDifferenceEncoder}
 * (nn.Embedding of the gap plus fixed Fourier features); its periods start at 1 frame, which at
 * whole-frame gaps gives a constant, so here they start at 2. The "hypernetwork" of the paper's
 * title for its discriminator is this conditioning: the gaps decide which direction of the
 * features is scored. Parameters {@code frame.fc*}, {@code joint.fc*}, {@code out.{weight, bias}},
 * {@code gap_table} [maxGap, e], {@code mapping.fc*}.
 */
final class GapCritic {
    private final StyleGanVConfig config;
    private final Perceptron frame;
    private final Perceptron joint;
    private final Linear out;
    private final Var gapTable;
    private final Perceptron mapping;
    private final double[] gapPeriods;

    GapCritic(StyleGanVConfig config, ParameterSet ps) {
        this.config = config;
        int h = config.criticHidden();
        int n = config.framesPerClip();
        double s = config.leakySlope();
        frame = new Perceptron(ps, "frame", s, true, config.components(), h, h);
        joint = new Perceptron(ps, "joint", s, true, n * h, h);
        out = new Linear(ps, "out", h, h);
        gapTable = ps.parameter("gap_table", ps.normal(1.0, config.maxGap(), config.gapEmbedding()));
        int periods = (int) Math.ceil(Math.log(config.maxGap()) / Math.log(2)) + 1;
        gapPeriods = new double[periods];
        for (int j = 0; j < periods; j++) {
            gapPeriods[j] = Math.pow(2, j + 1);
        }
        mapping = new Perceptron(ps, "mapping", s, false, (n - 1) * (config.gapEmbedding() + 2 * periods), h, h);
    }

    /** Scores [B] of clips [B, n, k] with time gaps [B·(n − 1)] (whole frames in 1 … maxGap). */
    Var score(Var clips, int[] gaps) {
        int n = config.framesPerClip();
        int k = config.components();
        int h = config.criticHidden();
        if (clips.rank() != 3 || clips.size(1) != n || clips.size(2) != k) {
            throw new IllegalArgumentException("critic: expected clips [B, " + n + ", " + k + "], found "
                    + Arrays.toString(clips.shape()));
        }
        long b = clips.size(0);
        if (gaps.length != b * (n - 1)) {
            throw new IllegalArgumentException("critic: expected " + b * (n - 1) + " time gaps, found " + gaps.length);
        }
        Var f = frame.forward(Ops.reshape(clips, b * n, k));
        Var hidden = out.forward(joint.forward(Ops.reshape(f, b, (long) n * h)));
        Var c = mapping.forward(gapFeatures(gaps, b, clips.dataType()));
        return Ops.scale(Ops.sum(Ops.mul(hidden, c), 1), 1 / Math.sqrt(h));
    }

    /** [B, (n − 1)·(e + 2P)]: per gap its table row and its sinusoids. */
    private Var gapFeatures(int[] gaps, long b, DataType dt) {
        int rows = gaps.length;
        int p = gapPeriods.length;
        INDArray oneHot = Nd4j.zeros(dt, rows, config.maxGap());
        INDArray waves = Nd4j.create(dt, rows, 2L * p);
        for (int r = 0; r < rows; r++) {
            int g = gaps[r];
            if (g < 1 || g > config.maxGap()) {
                throw new IllegalArgumentException("critic: expected time gaps in 1 … " + config.maxGap()
                        + " frames, found " + g);
            }
            oneHot.putScalar(r, g - 1, 1.0);
            for (int j = 0; j < p; j++) {
                double a = 2 * Math.PI * g / gapPeriods[j];
                waves.putScalar(r, j, Math.sin(a));
                waves.putScalar(r, p + j, Math.cos(a));
            }
        }
        Var e = Ops.concat(1, Ops.matmul(Var.constant(oneHot), gapTable), Var.constant(waves));
        return Ops.reshape(e, b, (long) (rows / b) * e.size(1));
    }
}

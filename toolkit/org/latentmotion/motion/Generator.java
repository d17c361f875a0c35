package org.latentmotion.motion;

import java.util.ArrayList;
import java.util.List;

import org.latentmotion.nn.Autograd;
import org.latentmotion.nn.BatchNorm;
import org.latentmotion.nn.GruCell;
import org.latentmotion.nn.GruStackUnroll;
import org.latentmotion.nn.Init;
import org.latentmotion.nn.Layers;
import org.latentmotion.nn.Linear;
import org.latentmotion.nn.Mode;
import org.latentmotion.nn.Ops;
import org.latentmotion.nn.ParameterSet;
import org.latentmotion.nn.Var;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * StyleVideoGAN's generator G(i, s) = T(P(H(i), i, s)) (seed 002, Tables 4–6), producing
 * standardised W+ codes (see {@link StyleVideoGan} for the standardisation and the parameter
 * names). Wiring, where the tables leave a choice:
 * <ul>
 *   <li>H: i → 4 × (Linear + LeakyReLU) → BatchNorm(3·hidden) → split into h_{0,0}, h_{0,1}, h_{0,2};
 *       h_{0,3} := i;</li>
 *   <li>P: cell 0 reads s_k, cell j &gt; 0 reads the new state of cell j − 1 at the same step;
 *       l_{k+1} := h_{k+1,3} (the last cell's state) and l_0 := h_{0,3} = i, so t frames come
 *       from t − 1 noise vectors;</li>
 *   <li>T: per frame, BatchNorm(hidden) → Linear(hidden, M) → PixelNorm → 4 × (Linear(M, M) +
 *       LeakyReLU) → BatchNorm(M) → Linear(M, M) → L parallel heads (Linear(M, D) + LeakyReLU +
 *       BatchNorm(D)), the heads fused into one Linear(M, L·D) and one BatchNorm(L·D), which is
 *       exactly L independent heads because batch norm is per feature. Batch statistics are taken
 *       over all B·t frames of a batch.</li>
 * </ul>
 */
final class Generator {
    /** Output of one forward pass. */
    record Output(Var codes, Var firstLatent, Var lastLatent) {
    }

    private final StyleVideoGanConfig c;
    private final ParameterSet ps;
    private final Linear[] hallucinator = new Linear[4];
    private final BatchNorm hallucinatorNorm;
    private final GruCell[] cells = new GruCell[4];
    private final BatchNorm mapperNormIn;
    private final Linear mapperAffineIn;
    private final Linear[] mapperFc = new Linear[4];
    private final BatchNorm mapperNormMid;
    private final Linear mapperAffineMid;
    private final Linear heads;
    private final BatchNorm headsNorm;

    Generator(StyleVideoGanConfig c, ParameterSet ps) {
        this.c = c;
        this.ps = ps;
        int hw = c.hallucinatorWidth();
        int hid = c.hidden();
        Init init = c.kaimingInit() ? Init.kaiming(c.leakySlope()) : Init.pytorch();
        for (int j = 0; j < 4; j++) {
            int in = j == 0 ? c.latentDim() : hw;
            int out = j == 3 ? 3 * hid : hw;
            hallucinator[j] = new Linear(ps, "hallucinator.fc" + j, in, out, init);
        }
        hallucinatorNorm = new BatchNorm(ps, "hallucinator.bn", 3 * hid);
        for (int j = 0; j < 4; j++) {
            cells[j] = new GruCell(ps, "producer.gru" + j, j == 0 ? c.latentDim() : hid, hid, c.gruTimescale());
        }
        int m = c.mapperWidth();
        mapperNormIn = new BatchNorm(ps, "mapper.bn_in", hid);
        mapperAffineIn = new Linear(ps, "mapper.affine_in", hid, m, init);
        for (int j = 0; j < 4; j++) {
            mapperFc[j] = new Linear(ps, "mapper.fc" + j, m, m, init);
        }
        mapperNormMid = new BatchNorm(ps, "mapper.bn_mid", m);
        mapperAffineMid = new Linear(ps, "mapper.affine_mid", m, m, init);
        heads = new Linear(ps, "mapper.heads", m, c.features(), init);
        headsNorm = new BatchNorm(ps, "mapper.heads_bn", c.features());
    }

    ParameterSet parameters() {
        return ps;
    }

    /**
     * i [B, latent], s [B, (t − 1)·latent] (step k in columns k·latent … (k+1)·latent) →
     * codes [B·t, L·D] (rows ordered by sample, then frame), l_0 and l_{t−1} [B, hidden].
     */
    Output forward(Var i, Var s, Mode mode) {
        Latents l = latents(i, s, mode);
        return new Output(map(l.all(), mode), i, l.last());
    }

    /** The latent codes l_0 … l_{t−1} of every sample, [B·t, hidden] (rows by sample, then frame), and l_{t−1} [B, hidden]. */
    record Latents(Var all, Var last) {
    }

    /** H and P of {@link #forward}: the latent codes the mapper T turns into W+ codes. */
    Latents latents(Var i, Var s, Mode mode) {
        return unroll(initialStates(i, mode), s);
    }

    /**
     * A sequence resumed from the four GRU states {@code start} (e.g. {@link #statesAfter}):
     * l_0 := start[3], then one frame per noise vector of s; as {@link #forward} otherwise.
     */
    Output forwardFrom(Var[] start, Var s, Mode mode) {
        Latents l = unroll(start.clone(), s);
        return new Output(map(l.all(), mode), start[3], l.last());
    }

    /**
     * The codes of the frames at {@code offsets} (increasing, from 0) of a sequence resumed from the
     * four GRU states {@code start}, one frame per noise vector of s [B, (S − 1)·latent] after the
     * first: [B·K, features], rows by sample then offset. Only those K frames go through the mapper
     * (the span critic's view), so a span of hundreds of frames costs the recurrence, not the mapper.
     */
    Var spanCodes(Var[] start, Var s, int[] offsets, Mode mode) {
        long b = start[3].size(0);
        int hid = c.hidden();
        Latents l = unroll(start.clone(), s);
        long frames = l.all().size(0) / b;
        if (offsets[offsets.length - 1] >= frames) {
            throw new IllegalArgumentException("span: offset " + offsets[offsets.length - 1] + " past the " + frames
                    + " frames of the noise given");
        }
        Var rows = Ops.reshape(l.all(), b, frames * hid);
        Var[] picked = new Var[offsets.length];
        for (int j = 0; j < offsets.length; j++) {
            picked[j] = Ops.slice(rows, 1, (long) offsets[j] * hid, (long) (offsets[j] + 1) * hid);
        }
        return map(Ops.reshape(Ops.concat(1, picked), b * offsets.length, hid), mode);
    }

    /**
     * {@link #spanCodes(Var[], Var, int[], Mode)} with the tape on the span's last {@code backprop}
     * frames only (0: on all): the recurrence up to frame S − 1 − backprop runs without it, and its
     * picked frames and states enter as constants (truncated backpropagation). The codes are the same;
     * the gradient reaches the recurrence over the last frames and the mapper at every picked frame.
     */
    Var spanCodes(Var[] start, Var s, int[] offsets, Mode mode, int backprop) {
        int lat = c.latentDim();
        int steps = (int) (s.size(1) / lat);
        int cut = backprop > 0 ? Math.max(0, steps - backprop) : 0;
        if (cut == 0) {
            return spanCodes(start, s, offsets, mode);
        }
        long b = start[3].size(0);
        int hid = c.hidden();
        INDArray noise = s.value();
        Var head = Var.constant(noise.get(NDArrayIndex.all(), NDArrayIndex.interval(0, (long) cut * lat)).dup('c'));
        Var tail = Var.constant(noise.get(NDArrayIndex.all(), NDArrayIndex.interval((long) cut * lat, (long) steps * lat)).dup('c'));
        Var[] untaped = Autograd.noGrad(() -> {
            Var gx = Ops.reshape(cells[0].projectInput(Ops.reshape(head, b * cut, lat)), b, (long) cut * 3 * hid);
            return GruStackUnroll.lastCellStatesAndFinalStates(cells, gx, start);
        });
        Var headRows = Ops.concat(1, Var.constant(start[3].value()), untaped[0]); // frames 0 … cut, [B, (cut + 1)·H]
        Var tailRows = Ops.reshape(unroll(java.util.Arrays.copyOfRange(untaped, 1, 5), tail).all(), b,
                (long) (steps - cut + 1) * hid); // frames cut … S − 1, the first a constant
        Var[] picked = new Var[offsets.length];
        for (int j = 0; j < offsets.length; j++) {
            int o = offsets[j];
            picked[j] = o <= cut ? Ops.slice(headRows, 1, (long) o * hid, (long) (o + 1) * hid)
                    : Ops.slice(tailRows, 1, (long) (o - cut) * hid, (long) (o - cut + 1) * hid);
        }
        return map(Ops.reshape(Ops.concat(1, picked), b * offsets.length, hid), mode);
    }

    /**
     * The four GRU states after H and one recurrence step per noise vector of s [B, k·latent]
     * (null: none), without the tape (call inside {@link Autograd#noGrad}): where a sequence's
     * frame k begins.
     */
    Var[] statesAfter(Var i, Var s, Mode mode) {
        Var[] h = initialStates(i, mode);
        if (s == null) {
            return h;
        }
        long b = i.size(0);
        int lat = c.latentDim();
        int steps = (int) (s.size(1) / lat);
        if (steps == 0) {
            return h;
        }
        Var gx = Ops.reshape(cells[0].projectInput(Ops.reshape(s, b * steps, lat)), b, (long) steps * 3 * c.hidden());
        return GruStackUnroll.finalStates(cells, gx, h);
    }

    /** H: h_{0,0…2} hallucinated from i, h_{0,3} := i. */
    private Var[] initialStates(Var i, Mode mode) {
        int hid = c.hidden();
        double slope = c.leakySlope();
        Var x = i;
        for (Linear fc : hallucinator) {
            x = Ops.leakyRelu(fc.forward(x), slope);
        }
        Var m = hallucinatorNorm.forward(x, mode);
        Var[] h = new Var[4];
        for (int j = 0; j < 3; j++) {
            h[j] = Ops.slice(m, 1, (long) j * hid, (long) (j + 1) * hid);
        }
        h[3] = i;
        return h;
    }

    /** P from the states h (overwritten as it steps): l_0 := h[3], then l_{k+1} := the last cell's state after s_k. */
    private Latents unroll(Var[] h, Var s) {
        Var first = h[3];
        long b = first.size(0);
        int lat = c.latentDim();
        int hid = c.hidden();
        int steps = (int) (s.size(1) / lat);
        List<Var> latents = new ArrayList<>(steps + 1);
        latents.add(first);
        if (steps > 0) {
            // the first cell's input projections for all steps in one product
            Var gx0all = Ops.reshape(cells[0].projectInput(Ops.reshape(s, b * steps, lat)), b, (long) steps * 3 * hid);
            if (b <= GruStackUnroll.MAX_BATCH) {
                // small batch: the recurrence in plain Java, not ~14 ND4J ops per step (and their backward rules
                // when training: one tape node whose BPTT, and its second order for the angle penalty, are Java too)
                Var states = Autograd.recording() ? GruStackUnroll.lastCellStatesRecorded(cells, gx0all, h)
                        : GruStackUnroll.lastCellStates(cells, gx0all, h);
                Var l = Ops.reshape(Ops.concat(1, first, states), b * (steps + 1), hid);
                return new Latents(l, Ops.slice(states, 1, (long) (steps - 1) * hid, (long) steps * hid));
            }
            for (int k = 0; k < steps; k++) {
                Var gx0 = Ops.slice(gx0all, 1, (long) k * 3 * hid, (long) (k + 1) * 3 * hid);
                h[0] = cells[0].step(gx0, h[0]);
                for (int j = 1; j < 4; j++) {
                    h[j] = cells[j].forward(h[j - 1], h[j]);
                }
                latents.add(h[3]);
            }
        }
        Var last = latents.get(latents.size() - 1);
        Var l = latents.size() == 1 ? first : Ops.concat(1, latents.toArray(new Var[0]));
        return new Latents(Ops.reshape(l, b * (steps + 1), hid), last);
    }

    /** T: latent codes [N, hidden] → standardised codes [N, features] (W+ or motion coordinates). */
    Var map(Var l, Mode mode) {
        double slope = c.leakySlope();
        Var v = mapperAffineIn.forward(mapperNormIn.forward(l, mode));
        if (c.mapperPixelNorm()) {
            v = Layers.pixelNorm(v);
        }
        for (Linear fc : mapperFc) {
            v = Ops.leakyRelu(fc.forward(v), slope);
        }
        v = mapperAffineMid.forward(mapperNormMid.forward(v, mode));
        return headsNorm.forward(Ops.leakyRelu(heads.forward(v), slope), mode);
    }
}

package org.latentmotion.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A stack of GRU cells over a window as ONE tape node (StyleVideoGAN's producer while it trains):
 * the forward in plain Java (float64, every activation kept), backpropagation through time by
 * hand, and the vector-Jacobian product of that backward for double backprop. On the tape a
 * window of 24 steps of 4 cells is ~340 ND4J ops forward and several times that backward, each
 * paying 50–100 µs of fixed dispatch cost for products of [16, 32]·[32, 96].
 *
 * <p>Equations and gate order as {@link GruCell} and {@link GruPointwise} (PyTorch's), per cell j
 * and step k, with x the cell's input and h its state before the step:
 * <pre>
 *   gx = x·W_ih + b_ih (cell 0: column block k of the given projection),  gh = h·W_hh + b_hh
 *   r = σ(gx_r + gh_r),  z = σ(gx_z + gh_z),  q = gh_n,  n = tanh(gx_n + r ⊙ q),  h' = n + z ⊙ (h − n)
 * </pre>
 * Cell j &gt; 0 reads cell j − 1's new state at the same step.
 *
 * <p>Parents, in this order: the projection, each cell's initial state, then per cell W_hh, b_hh
 * and, for cells 1 …, W_ih, b_ih (cell 0's W_ih, b_ih reach the tape through the projection).
 * Derivatives:
 * <ul>
 *   <li>first order, B(g) = Jᵀg: steps from last to first, cells from top to bottom within a
 *       step, cell j's input gradient added to cell j − 1's state gradient at the same step; one
 *       op with an output per needed parent ({@link Var.Group});</li>
 *   <li>second order, for the gradient angle penalty (it takes ∂d/∂(s, i) with createGraph, and d
 *       reads the last state): the product of B's Jacobian with cotangents v on B's outputs (a
 *       direction in the parents' space) is, with respect to g, the tangent J·v of the output
 *       (a forward-mode sweep), and with respect to the parents, the gradient of ⟨g, J·v⟩ (a
 *       reverse sweep over states and tangents together, {@link #secondOrder});</li>
 *   <li>third order: refused with an {@link IllegalStateException} (nothing here needs it; the
 *       tape path, {@link GruCell#step} per frame, has it).</li>
 * </ul>
 */
final class RecordedGruStack {
    private static final String NAME = "RecordedGruStack (the fused GRU stack node of GruStackUnroll.lastCellStatesRecorded)";

    private final Var[] parents;
    private final int layers;
    private final int hid;
    private final int steps;
    private final int batch;
    private final DataType type;
    private final CellWeights[] w;
    /** State of cell j before step k of row b: hs[j][(b·(steps+1) + k)·H + u]; k = steps is the last state. */
    private final double[][] hs;
    /** Gate values of cell j at step k of row b: [j][(b·steps + k)·H + u]. */
    private final double[][] r;
    private final double[][] z;
    private final double[][] n;
    private final double[][] q;

    private RecordedGruStack(GruCell[] cells, Var projection, Var[] initial) {
        layers = cells.length;
        hid = cells[0].hidden();
        batch = (int) projection.size(0);
        steps = (int) (projection.size(1) / (3L * hid));
        type = projection.dataType();
        w = new CellWeights[layers];
        List<Var> ps = new ArrayList<>();
        ps.add(projection);
        ps.addAll(Arrays.asList(initial));
        for (int j = 0; j < layers; j++) {
            w[j] = new CellWeights(cells[j], j > 0);
            ps.add(cells[j].weightHh);
            ps.add(cells[j].biasHh);
            if (j > 0) {
                ps.add(cells[j].weightIh);
                ps.add(cells[j].biasIh);
            }
        }
        parents = ps.toArray(new Var[0]);
        int gates = batch * steps * hid;
        hs = new double[layers][];
        r = new double[layers][gates];
        z = new double[layers][gates];
        n = new double[layers][gates];
        q = new double[layers][gates];
        for (int j = 0; j < layers; j++) {
            hs[j] = new double[batch * (steps + 1) * hid];
            double[] h0 = GruPointwise.read(initial[j].value());
            for (int b = 0; b < batch; b++) {
                System.arraycopy(h0, b * hid, hs[j], b * (steps + 1) * hid, hid);
            }
        }
        forward(GruPointwise.read(projection.value()));
    }

    /** The last cell's state after every step, [B, steps·H], as one tape node (see the class comment). */
    static Var lastCellStates(GruCell[] cells, Var projection, Var[] initial) {
        check(cells, projection, initial);
        RecordedGruStack s = new RecordedGruStack(cells, projection, initial);
        double[] out = new double[s.batch * s.steps * s.hid];
        double[] top = s.hs[s.layers - 1];
        for (int b = 0; b < s.batch; b++) {
            System.arraycopy(top, (b * (s.steps + 1) + 1) * s.hid, out, b * s.steps * s.hid, s.steps * s.hid);
        }
        return Ops.make(s.array(out, new long[] {s.batch, (long) s.steps * s.hid}), (o, g, need) -> s.firstOrder(g, need),
                s.parents);
    }

    private static void check(GruCell[] cells, Var projection, Var[] initial) {
        if (cells.length == 0) {
            throw new IllegalArgumentException("a GRU stack needs at least one cell, found none");
        }
        int hid = cells[0].hidden();
        for (int j = 1; j < cells.length; j++) {
            if (cells[j].hidden() != hid || cells[j].weightIh.size(0) != hid) {
                throw new IllegalArgumentException("GRU stack: cell " + j + " must read cell " + (j - 1) + "'s state (" + hid
                        + " wide) and keep " + hid + ", found input " + cells[j].weightIh.size(0) + ", state " + cells[j].hidden());
            }
        }
        if (projection.rank() != 2 || projection.size(1) % (3L * hid) != 0 || projection.size(1) == 0
                || initial.length != cells.length) {
            throw new IllegalArgumentException("GRU stack: expected a projection [B, steps·" + 3 * hid + "] (steps ≥ 1) and "
                    + cells.length + " initial states, found " + Arrays.toString(projection.shape()) + " and " + initial.length);
        }
        DataType type = projection.dataType();
        for (int j = 0; j < cells.length; j++) {
            Var h = initial[j];
            if (h.rank() != 2 || h.size(0) != projection.size(0) || h.size(1) != hid || h.dataType() != type) {
                throw new IllegalArgumentException("GRU stack: initial state " + j + " must be [" + projection.size(0) + ", " + hid
                        + "] " + type + " like the projection, found " + h);
            }
            GruCell c = cells[j];
            for (Var p : new Var[] {c.weightIh, c.weightHh, c.biasIh, c.biasHh}) {
                if (p.dataType() != type) {
                    throw new IllegalArgumentException("GRU stack: cell " + j + "'s parameters must be " + type
                            + " like the projection, found " + p);
                }
            }
        }
    }

    // ---- forward --------------------------------------------------------------------------------

    private void forward(double[] proj) {
        // rows are independent: chunks give the same numbers as one pass
        RowChunks.run(RowChunks.count(batch, steps), batch, (chunk, from, to) -> forwardRows(proj, from, to));
    }

    private void forwardRows(double[] proj, int from, int to) {
        double[] gx = new double[3 * hid];
        double[] gh = new double[3 * hid];
        for (int b = from; b < to; b++) {
            for (int k = 0; k < steps; k++) {
                for (int j = 0; j < layers; j++) {
                    if (j == 0) {
                        System.arraycopy(proj, (b * steps + k) * 3 * hid, gx, 0, 3 * hid);
                    } else {
                        w[j].affine(hs[j - 1], state(b, k + 1), w[j].wIh, w[j].bIh, gx);
                    }
                    int h = state(b, k);
                    w[j].affine(hs[j], h, w[j].wHh, w[j].bHh, gh);
                    double[] hj = hs[j];
                    int g = gate(b, k);
                    for (int u = 0; u < hid; u++) {
                        double rk = Activations.sigmoid(gx[u] + gh[u]);
                        double zk = Activations.sigmoid(gx[hid + u] + gh[hid + u]);
                        double qk = gh[2 * hid + u];
                        double nk = Activations.tanh(gx[2 * hid + u] + rk * qk);
                        r[j][g + u] = rk;
                        z[j][g + u] = zk;
                        q[j][g + u] = qk;
                        n[j][g + u] = nk;
                        hj[h + hid + u] = nk + zk * (hj[h + u] - nk);
                    }
                }
            }
        }
    }

    /** Offset of row b's state before step k in {@link #hs}. */
    private int state(int b, int k) {
        return (b * (steps + 1) + k) * hid;
    }

    /** Offset of row b's gates at step k in {@link #r}, {@link #z}, {@link #n}, {@link #q}. */
    private int gate(int b, int k) {
        return (b * steps + k) * hid;
    }

    // ---- first order ----------------------------------------------------------------------------

    /** Index of cell j's W_hh among the parents (b_hh, then for j &gt; 0 W_ih, b_ih follow). */
    private int weightIndex(int j) {
        return 1 + layers + (j == 0 ? 0 : 2 + 4 * (j - 1));
    }

    private Var[] firstOrder(Var g, boolean[] need) {
        double[] gv = GruPointwise.read(g.value);
        int three = 3 * hid;
        double[] dProj = need[0] ? new double[batch * steps * three] : null;
        double[][] dInit = new double[layers][];
        for (int j = 0; j < layers; j++) {
            dInit[j] = need[1 + j] ? new double[batch * hid] : null;
        }
        // rows write their own parts of dProj and dInit; the weights' gradients are summed per chunk, then over the
        // chunks in order (a fixed count: the same rounding on every machine; one chunk for a short window, as before)
        int chunks = RowChunks.count(batch, steps);
        WeightGradients[] parts = new WeightGradients[chunks];
        for (int c = 0; c < chunks; c++) {
            parts[c] = new WeightGradients(need);
        }
        RowChunks.run(chunks, batch, (chunk, from, to) -> firstOrderRows(gv, from, to, dProj, dInit, parts[chunk]));
        for (int c = 1; c < chunks; c++) {
            parts[0].add(parts[c]);
        }
        double[][][] dWhh = parts[0].wHh;
        double[][] dBhh = parts[0].bHh;
        double[][][] dWih = parts[0].wIh;
        double[][] dBih = parts[0].bIh;
        double[][] values = new double[parents.length][];
        values[0] = dProj;
        for (int j = 0; j < layers; j++) {
            int p = weightIndex(j);
            values[1 + j] = dInit[j];
            values[p] = flat(dWhh[j]);
            values[p + 1] = dBhh[j];
            if (j > 0) {
                values[p + 2] = flat(dWih[j]);
                values[p + 3] = dBih[j];
            }
        }
        INDArray[] arrays = new INDArray[parents.length];
        for (int i = 0; i < parents.length; i++) {
            arrays[i] = need[i] ? array(values[i], parents[i].shape()) : null;
        }
        Var[] groupParents = new Var[parents.length + 1];
        groupParents[0] = g;
        System.arraycopy(parents, 0, groupParents, 1, parents.length);
        // with createGraph the outputs are recorded: their rule is the second order below
        return Ops.makeGroup(arrays, (cs, nd) -> secondOrder(g, gv, cs, nd), groupParents);
    }

    /** The first-order backward of rows from … to − 1: their dProj and dInit parts, their sum of the weights' gradients. */
    private void firstOrderRows(double[] gv, int from, int to, double[] dProj, double[][] dInit, WeightGradients acc) {
        int three = 3 * hid;
        double[][][] dWhh = acc.wHh;
        double[][] dBhh = acc.bHh;
        double[][][] dWih = acc.wIh;
        double[][] dBih = acc.bIh;
        double[][] grad = new double[layers][hid]; // ∂/∂(cell j's state at the current step)
        double[] next = new double[hid];
        double[] dgx = new double[three];
        double[] dgh = new double[three];
        for (int b = from; b < to; b++) {
            for (double[] a : grad) {
                Arrays.fill(a, 0);
            }
            for (int k = steps - 1; k >= 0; k--) {
                double[] top = grad[layers - 1];
                int o = (b * steps + k) * hid;
                for (int u = 0; u < hid; u++) {
                    top[u] += gv[o + u];
                }
                for (int j = layers - 1; j >= 0; j--) {
                    double[] gj = grad[j];
                    double[] hj = hs[j];
                    int h = state(b, k);
                    int gi = gate(b, k);
                    for (int u = 0; u < hid; u++) {
                        double zk = z[j][gi + u];
                        double nk = n[j][gi + u];
                        double rk = r[j][gi + u];
                        double omz = 1 - zk;
                        double an = gj[u] * omz * (1 - nk * nk);
                        double az = gj[u] * (hj[h + u] - nk) * zk * omz;
                        double ar = an * q[j][gi + u] * rk * (1 - rk);
                        dgx[u] = ar;
                        dgx[hid + u] = az;
                        dgx[2 * hid + u] = an;
                        dgh[u] = ar;
                        dgh[hid + u] = az;
                        dgh[2 * hid + u] = an * rk;
                        next[u] = gj[u] * zk;
                    }
                    CellWeights cw = w[j];
                    backAffine(dgh, cw.wHhT, next);
                    if (dWhh[j] != null) {
                        outer(hj, h, dgh, dWhh[j]);
                    }
                    if (dBhh[j] != null) {
                        add(dgh, dBhh[j]);
                    }
                    if (j == 0) {
                        if (dProj != null) {
                            System.arraycopy(dgx, 0, dProj, (b * steps + k) * three, three);
                        }
                    } else {
                        backAffine(dgx, cw.wIhT, grad[j - 1]);
                        if (dWih[j] != null) {
                            outer(hs[j - 1], state(b, k + 1), dgx, dWih[j]);
                        }
                        if (dBih[j] != null) {
                            add(dgx, dBih[j]);
                        }
                    }
                    System.arraycopy(next, 0, gj, 0, hid);
                }
            }
            for (int j = 0; j < layers; j++) {
                if (dInit[j] != null) {
                    System.arraycopy(grad[j], 0, dInit[j], b * hid, hid);
                }
            }
        }
    }

    /** The weights' gradients of some rows: per cell W_hh, b_hh and (cells 1 …) W_ih, b_ih, null where not needed. */
    private final class WeightGradients {
        final double[][][] wHh = new double[layers][][];
        final double[][] bHh = new double[layers][];
        final double[][][] wIh = new double[layers][][];
        final double[][] bIh = new double[layers][];

        WeightGradients(boolean[] need) {
            int three = 3 * hid;
            for (int j = 0; j < layers; j++) {
                int p = weightIndex(j);
                wHh[j] = need[p] ? new double[hid][three] : null;
                bHh[j] = need[p + 1] ? new double[three] : null;
                if (j > 0) {
                    wIh[j] = need[p + 2] ? new double[hid][three] : null;
                    bIh[j] = need[p + 3] ? new double[three] : null;
                }
            }
        }

        /** this += other. */
        void add(WeightGradients other) {
            for (int j = 0; j < layers; j++) {
                addRows(other.wHh[j], wHh[j]);
                addRows(other.wIh[j], wIh[j]);
                if (bHh[j] != null) {
                    RecordedGruStack.add(other.bHh[j], bHh[j]);
                }
                if (bIh[j] != null) {
                    RecordedGruStack.add(other.bIh[j], bIh[j]);
                }
            }
        }

        private static void addRows(double[][] d, double[][] acc) {
            if (acc != null) {
                for (int i = 0; i < acc.length; i++) {
                    RecordedGruStack.add(d[i], acc[i]);
                }
            }
        }
    }

    // ---- second order ---------------------------------------------------------------------------

    /**
     * The vector-Jacobian product of the first-order outputs B(g, θ) = J(θ)ᵀg for cotangents cs on
     * them (null meaning zero), with respect to (g, θ). The cotangents are a direction v in the
     * parents' space θ; with out(θ) the node's output,
     * <pre>
     *   ∂⟨v, Jᵀg⟩/∂g = J·v = the output's tangent along v        (forward-mode sweep)
     *   ∂⟨v, Jᵀg⟩/∂θ = ∇θ ⟨g, J(θ)·v⟩                           (reverse sweep over states and tangents)
     * </pre>
     * Per cell step, with tangents ġx, ġh, ḣ: ṙ = σ'·(ġx_r + ġh_r), ż = σ'·(ġx_z + ġh_z),
     * ȧ = ġx_n + ṙq + r·ġh_n, ṅ = (1 − n²)ȧ, ḣ' = (1 − z)ṅ + ż(h − n) + zḣ. In the reverse sweep
     * the tangents' adjoints (c) follow the first-order recursion seeded with g; the states'
     * adjoints (p) get, besides the usual terms, c times the derivatives of the tangent equations
     * in the primal values: z̄ = c(ḣ − ṅ), n̄ = −cż − 2c(1 − z)n·ȧ, h̄ = cż, r̄ = Ā·ġh_n, q̄ = Ā·ṙ
     * (Ā = c(1 − z)(1 − n²)), and σ'' = σ'(1 − 2σ) terms through ṙ and ż.
     */
    private Var[] secondOrder(Var g, double[] gv, Var[] cs, boolean[] need) {
        if (Autograd.recording()) {
            throw new IllegalStateException(NAME + " has no third-order rule: its second-order gradients cannot be "
                    + "differentiated again (Autograd.grad with createGraph = true reached them); run the stack on the tape "
                    + "(GruCell.step per frame) where that is needed");
        }
        int three = 3 * hid;
        double[] vProj = cs[0] == null ? null : GruPointwise.read(cs[0].value);
        double[][] vInit = new double[layers][];
        double[][][] vWhh = new double[layers][][];
        double[][] vBhh = new double[layers][];
        double[][][] vWihT = new double[layers][][];
        double[][][] vWhhT = new double[layers][][];
        double[][][] vWih = new double[layers][][];
        double[][] vBih = new double[layers][];
        for (int j = 0; j < layers; j++) {
            int p = weightIndex(j); // cs is indexed like the parents (need has g first)
            vInit[j] = cs[1 + j] == null ? null : GruPointwise.read(cs[1 + j].value);
            double[] vw = cs[p] == null ? null : GruPointwise.read(cs[p].value);
            vWhh[j] = vw == null ? null : rows(vw, hid, three);
            vWhhT[j] = vw == null ? null : transposedRows(vw, hid, three);
            vBhh[j] = cs[p + 1] == null ? null : GruPointwise.read(cs[p + 1].value);
            if (j > 0) {
                double[] vi = cs[p + 2] == null ? null : GruPointwise.read(cs[p + 2].value);
                vWih[j] = vi == null ? null : rows(vi, hid, three);
                vWihT[j] = vi == null ? null : transposedRows(vi, hid, three);
                vBih[j] = cs[p + 3] == null ? null : GruPointwise.read(cs[p + 3].value);
            }
        }
        // outputs: index 0 is g, then the parents (shifted by one)
        double[] gBar = need[0] ? new double[batch * steps * hid] : null;
        double[] pProj = need[1] ? new double[batch * steps * three] : null;
        double[][] pInit = new double[layers][];
        double[][][] pWhh = new double[layers][][];
        double[][] pBhh = new double[layers][];
        double[][][] pWih = new double[layers][][];
        double[][] pBih = new double[layers][];
        for (int j = 0; j < layers; j++) {
            int p = weightIndex(j) + 1;
            pInit[j] = need[2 + j] ? new double[batch * hid] : null;
            pWhh[j] = need[p] ? new double[hid][three] : null;
            pBhh[j] = need[p + 1] ? new double[three] : null;
            if (j > 0) {
                pWih[j] = need[p + 2] ? new double[hid][three] : null;
                pBih[j] = need[p + 3] ? new double[three] : null;
            }
        }
        // one row's tangents: states ḣ [j][(k·H + u)], k = 0 … steps, and the pre-activations' ġx, ġh [j][k][c]
        double[][] th = new double[layers][(steps + 1) * hid];
        double[][][] tgx = new double[layers][steps][three];
        double[][][] tgh = new double[layers][steps][three];
        double[][] c = new double[layers][hid];  // adjoints of the tangent states
        double[][] pa = new double[layers][hid]; // adjoints of the states
        double[] nextC = new double[hid];
        double[] nextP = new double[hid];
        double[] tdx = new double[three];  // adjoint of ġx
        double[] tdh = new double[three];  // adjoint of ġh
        double[] pdx = new double[three];  // adjoint of gx
        double[] pdh = new double[three];  // adjoint of gh
        for (int b = 0; b < batch; b++) {
            // forward-mode sweep along v
            for (int j = 0; j < layers; j++) {
                if (vInit[j] == null) {
                    Arrays.fill(th[j], 0, hid, 0);
                } else {
                    System.arraycopy(vInit[j], b * hid, th[j], 0, hid);
                }
            }
            for (int k = 0; k < steps; k++) {
                for (int j = 0; j < layers; j++) {
                    CellWeights cw = w[j];
                    double[] gx = tgx[j][k];
                    double[] gh = tgh[j][k];
                    if (j == 0) {
                        if (vProj == null) {
                            Arrays.fill(gx, 0);
                        } else {
                            System.arraycopy(vProj, (b * steps + k) * three, gx, 0, three);
                        }
                    } else {
                        tangentAffine(th[j - 1], (k + 1) * hid, cw.wIh, hs[j - 1], state(b, k + 1), vWih[j], vBih[j], gx);
                    }
                    tangentAffine(th[j], k * hid, cw.wHh, hs[j], state(b, k), vWhh[j], vBhh[j], gh);
                    int gi = gate(b, k);
                    int h = state(b, k);
                    for (int u = 0; u < hid; u++) {
                        double rk = r[j][gi + u];
                        double zk = z[j][gi + u];
                        double nk = n[j][gi + u];
                        double rd = rk * (1 - rk) * (gx[u] + gh[u]);
                        double zd = zk * (1 - zk) * (gx[hid + u] + gh[hid + u]);
                        double ad = gx[2 * hid + u] + rd * q[j][gi + u] + rk * gh[2 * hid + u];
                        double nd = (1 - nk * nk) * ad;
                        th[j][(k + 1) * hid + u] = (1 - zk) * nd + zd * (hs[j][h + u] - nk) + zk * th[j][k * hid + u];
                    }
                }
                if (gBar != null) {
                    System.arraycopy(th[layers - 1], (k + 1) * hid, gBar, (b * steps + k) * hid, hid);
                }
            }
            // reverse sweep over states and tangents, seeded with g on the output's tangent
            for (int j = 0; j < layers; j++) {
                Arrays.fill(c[j], 0);
                Arrays.fill(pa[j], 0);
            }
            for (int k = steps - 1; k >= 0; k--) {
                double[] top = c[layers - 1];
                int o = (b * steps + k) * hid;
                for (int u = 0; u < hid; u++) {
                    top[u] += gv[o + u];
                }
                for (int j = layers - 1; j >= 0; j--) {
                    CellWeights cw = w[j];
                    int gi = gate(b, k);
                    int h = state(b, k);
                    double[] gx = tgx[j][k];
                    double[] gh = tgh[j][k];
                    double[] cj = c[j];
                    double[] pj = pa[j];
                    for (int u = 0; u < hid; u++) {
                        double rk = r[j][gi + u];
                        double zk = z[j][gi + u];
                        double nk = n[j][gi + u];
                        double qk = q[j][gi + u];
                        double hk = hs[j][h + u];
                        double ck = cj[u];
                        double pk = pj[u];
                        double sr = rk * (1 - rk);
                        double sz = zk * (1 - zk);
                        double nn = 1 - nk * nk;
                        double omz = 1 - zk;
                        // tangents of this step
                        double tr = gx[u] + gh[u];
                        double tz = gx[hid + u] + gh[hid + u];
                        double tq = gh[2 * hid + u];
                        double rd = sr * tr;
                        double zd = sz * tz;
                        double ad = gx[2 * hid + u] + rd * qk + rk * tq;
                        double nd = nn * ad;
                        double hd = th[j][k * hid + u];
                        // adjoints of the tangents: the first-order rule with c
                        double an = ck * omz * nn;
                        double zdBar = ck * (hk - nk);
                        double rdBar = an * qk;
                        double ar = rdBar * sr;
                        double az = zdBar * sz;
                        tdx[u] = ar;
                        tdx[hid + u] = az;
                        tdx[2 * hid + u] = an;
                        tdh[u] = ar;
                        tdh[hid + u] = az;
                        tdh[2 * hid + u] = an * rk;
                        nextC[u] = ck * zk;
                        // adjoints of the states: p through h' = n + z(h − n), c through the tangent equations
                        double zBar = ck * (hd - nd) + pk * (hk - nk);
                        double nBar = -ck * zd - 2 * ck * omz * nk * ad + pk * omz;
                        double aN = nBar * nn;
                        double rBar = an * tq + aN * qk;
                        double qBar = an * rd + aN * rk;
                        double aR = rdBar * tr * sr * (1 - 2 * rk) + rBar * sr;
                        double aZ = zdBar * tz * sz * (1 - 2 * zk) + zBar * sz;
                        pdx[u] = aR;
                        pdx[hid + u] = aZ;
                        pdx[2 * hid + u] = aN;
                        pdh[u] = aR;
                        pdh[hid + u] = aZ;
                        pdh[2 * hid + u] = qBar;
                        nextP[u] = ck * zd + pk * zk;
                    }
                    // gh = h·W_hh + b_hh and its tangent ġh = ḣ·W_hh + h·v_Whh + v_bhh
                    backAffine(tdh, cw.wHhT, nextC);
                    backAffine(pdh, cw.wHhT, nextP);
                    if (vWhhT[j] != null) {
                        backAffine(tdh, vWhhT[j], nextP);
                    }
                    if (pWhh[j] != null) {
                        outer(hs[j], h, pdh, pWhh[j]);
                        outer(th[j], k * hid, tdh, pWhh[j]);
                    }
                    if (pBhh[j] != null) {
                        add(pdh, pBhh[j]);
                    }
                    if (j == 0) {
                        if (pProj != null) {
                            System.arraycopy(pdx, 0, pProj, (b * steps + k) * three, three);
                        }
                    } else {
                        // gx = x·W_ih + b_ih and ġx = ẋ·W_ih + x·v_Wih + v_bih, x = cell j − 1's new state
                        backAffine(tdx, cw.wIhT, c[j - 1]);
                        backAffine(pdx, cw.wIhT, pa[j - 1]);
                        if (vWihT[j] != null) {
                            backAffine(tdx, vWihT[j], pa[j - 1]);
                        }
                        if (pWih[j] != null) {
                            outer(hs[j - 1], state(b, k + 1), pdx, pWih[j]);
                            outer(th[j - 1], (k + 1) * hid, tdx, pWih[j]);
                        }
                        if (pBih[j] != null) {
                            add(pdx, pBih[j]);
                        }
                    }
                    System.arraycopy(nextC, 0, cj, 0, hid);
                    System.arraycopy(nextP, 0, pj, 0, hid);
                }
            }
            for (int j = 0; j < layers; j++) {
                if (pInit[j] != null) {
                    System.arraycopy(pa[j], 0, pInit[j], b * hid, hid);
                }
            }
        }
        Var[] out = new Var[need.length];
        if (gBar != null) {
            out[0] = Ops.make(array(gBar, g.shape()), null);
        }
        double[][] values = new double[parents.length][];
        values[0] = pProj;
        for (int j = 0; j < layers; j++) {
            int p = weightIndex(j);
            values[1 + j] = pInit[j];
            values[p] = flat(pWhh[j]);
            values[p + 1] = pBhh[j];
            if (j > 0) {
                values[p + 2] = flat(pWih[j]);
                values[p + 3] = pBih[j];
            }
        }
        for (int i = 0; i < parents.length; i++) {
            if (need[i + 1]) {
                out[i + 1] = Ops.make(array(values[i], parents[i].shape()), null);
            }
        }
        return out;
    }

    /**
     * out = t[to … to+H)·W + (v_W == null ? 0 : x[xo … xo+H)·v_W) + (v_b == null ? 0 : v_b): the tangent of
     * x·W + b along (ẋ, v_W, v_b).
     */
    private void tangentAffine(double[] t, int to, double[][] weight, double[] x, int xo, double[][] vWeight, double[] vBias,
            double[] out) {
        if (vBias == null) {
            Arrays.fill(out, 0);
        } else {
            System.arraycopy(vBias, 0, out, 0, out.length);
        }
        axpyRows(t, to, weight, out);
        if (vWeight != null) {
            axpyRows(x, xo, vWeight, out);
        }
    }

    // ---- helpers --------------------------------------------------------------------------------

    // The inner loops below all read and write their arrays at the same index (rows of 2-D arrays, no offsets): the
    // form C2 turns into vector instructions. With offsets (acc[base + c] += a·d[c]) it stayed scalar, 3x slower.

    /** out += v[o … o+H) · W for W given as H rows. */
    private static void axpyRows(double[] v, int o, double[][] weight, double[] out) {
        for (int i = 0; i < weight.length; i++) {
            double a = v[o + i];
            double[] row = weight[i];
            for (int c = 0; c < out.length; c++) {
                out[c] += a * row[c];
            }
        }
    }

    /** acc += d · Wᵀ for d [3H], given Wᵀ as 3H rows of H. */
    private static void backAffine(double[] d, double[][] weightT, double[] acc) {
        for (int c = 0; c < d.length; c++) {
            double a = d[c];
            double[] row = weightT[c];
            for (int i = 0; i < acc.length; i++) {
                acc[i] += a * row[i];
            }
        }
    }

    /** acc [H rows of 3H] += v[o … o+H)ᵀ · d (a weight's gradient from one row of the batch). */
    private static void outer(double[] v, int o, double[] d, double[][] acc) {
        for (int i = 0; i < acc.length; i++) {
            double a = v[o + i];
            double[] row = acc[i];
            for (int c = 0; c < d.length; c++) {
                row[c] += a * d[c];
            }
        }
    }

    private static void add(double[] d, double[] acc) {
        for (int i = 0; i < d.length; i++) {
            acc[i] += d[i];
        }
    }

    /** The rows of a C-order [rows, cols] matrix. */
    private static double[][] rows(double[] m, int rows, int cols) {
        double[][] r = new double[rows][];
        for (int i = 0; i < rows; i++) {
            r[i] = Arrays.copyOfRange(m, i * cols, (i + 1) * cols);
        }
        return r;
    }

    /** The rows of the [cols, rows] transpose of a C-order [rows, cols] matrix. */
    private static double[][] transposedRows(double[] m, int rows, int cols) {
        double[][] t = new double[cols][rows];
        for (int i = 0; i < rows; i++) {
            for (int c = 0; c < cols; c++) {
                t[c][i] = m[i * cols + c];
            }
        }
        return t;
    }

    /** The rows of a matrix concatenated (C order); null stays null. */
    private static double[] flat(double[][] m) {
        if (m == null) {
            return null;
        }
        int cols = m[0].length;
        double[] f = new double[m.length * cols];
        for (int i = 0; i < m.length; i++) {
            System.arraycopy(m[i], 0, f, i * cols, cols);
        }
        return f;
    }

    /** A new array of the node's data type holding {@code d} in the given shape. */
    private INDArray array(double[] d, long[] shape) {
        INDArray a = Nd4j.create(d, shape, 'c');
        if (type == DataType.DOUBLE) {
            return a;
        }
        INDArray cast = a.castTo(type);
        a.close();
        return cast;
    }

    /** A cell's parameters as float64 rows, and the transposes the backward reads, read once per node. */
    private final class CellWeights {
        final double[][] wHh;
        final double[][] wHhT;
        final double[] bHh;
        final double[][] wIh;
        final double[][] wIhT;
        final double[] bIh;

        CellWeights(GruCell cell, boolean readsState) {
            double[] hh = GruPointwise.read(cell.weightHh.value());
            wHh = rows(hh, hid, 3 * hid);
            wHhT = transposedRows(hh, hid, 3 * hid);
            bHh = GruPointwise.read(cell.biasHh.value());
            double[] ih = readsState ? GruPointwise.read(cell.weightIh.value()) : null;
            wIh = readsState ? rows(ih, hid, 3 * hid) : null;
            wIhT = readsState ? transposedRows(ih, hid, 3 * hid) : null;
            bIh = readsState ? GruPointwise.read(cell.biasIh.value()) : null;
        }

        /** out[0 … 3H) = v[off … off+H) · W + bias. */
        void affine(double[] v, int off, double[][] weight, double[] bias, double[] out) {
            System.arraycopy(bias, 0, out, 0, out.length);
            axpyRows(v, off, weight, out);
        }
    }
}

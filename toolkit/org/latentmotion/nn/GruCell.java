package org.latentmotion.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A GRU cell with PyTorch's equations and gate order (r, z, n), gates fused into one matrix
 * product each for the input and the state:
 * <pre>
 *   gx = x·Wx + bx,  gh = h·Wh + bh                    (both [N, 3H], columns r | z | n)
 *   r = σ(gx_r + gh_r),  z = σ(gx_z + gh_z)
 *   n = tanh(gx_n + r ⊙ gh_n)
 *   h' = (1 − z) ⊙ n + z ⊙ h
 * </pre>
 * Parameters: {@code <name>.weight_ih} [in, 3H], {@code <name>.weight_hh} [H, 3H],
 * {@code <name>.bias_ih} [3H], {@code <name>.bias_hh} [3H]; the transposes of nn.GRUCell's
 * tensors of the same names. Initialised uniform in ±1/√H like PyTorch.
 *
 * <p>A step is two tape nodes: the state's affine map and the gates' elementwise
 * part as one node with hand-written forward and backward loops ({@link GruPointwise}).
 */
public final class GruCell {
    final Var weightIh;
    final Var weightHh;
    final Var biasIh;
    final Var biasHh;
    private final int hidden;

    /** A cell from {@code in} inputs to a {@code hidden}-wide state, initialised like PyTorch (no chrono bias). */
    public GruCell(ParameterSet ps, String name, int in, int hidden) {
        this(ps, name, in, hidden, 0);
    }

    /**
     * A cell whose update gates start open to memory over many time scales ("chrono"
     * initialisation, Tallec &amp; Ollivier 2018) when {@code maxTimescale} &gt; 0: unit k's
     * update-gate bias is log T_k with T_k log-uniform in [1/2, maxTimescale], so with z = σ(log T)
     * = T/(1 + T) it keeps its state for about 1 + T_k steps; some units start fast, others hold
     * for hundreds of steps. With 0, everything is PyTorch's default (uniform in ±1/√H).
     */
    public GruCell(ParameterSet ps, String name, int in, int hidden, double maxTimescale) {
        if (!(maxTimescale >= 0) || Double.isInfinite(maxTimescale) || (maxTimescale > 0 && maxTimescale < 1)) {
            throw new IllegalArgumentException("GRU max timescale: expected 0 (PyTorch's init) or ≥ 1 steps, found " + maxTimescale);
        }
        this.hidden = hidden;
        double bound = 1.0 / Math.sqrt(hidden);
        weightIh = ps.parameter(name + ".weight_ih", ps.uniform(bound, in, 3L * hidden));
        weightHh = ps.parameter(name + ".weight_hh", ps.uniform(bound, hidden, 3L * hidden));
        INDArray bih = ps.uniform(bound, 3L * hidden);
        INDArray bhh = ps.uniform(bound, 3L * hidden);
        if (maxTimescale > 0) {
            double logRange = Math.log(2 * maxTimescale);
            for (int k = 0; k < hidden; k++) {
                double t = 0.5 * Math.exp(ps.nextUniform(0, logRange));
                bih.putScalar(hidden + k, Math.log(t)); // columns r | z | n: z starts at `hidden`
                bhh.putScalar(hidden + k, 0);
            }
        }
        biasIh = ps.parameter(name + ".bias_ih", bih);
        biasHh = ps.parameter(name + ".bias_hh", bhh);
    }

    /** Input projection x·Wx + bx for many steps at once ([M, in] → [M, 3H]). */
    public Var projectInput(Var x) {
        return Ops.affine(x, weightIh, biasIh);
    }

    /** One step: x [N, in], h [N, H] → h' [N, H]. */
    public Var forward(Var x, Var h) {
        return step(projectInput(x), h);
    }

    /** One step from a precomputed input projection gx [N, 3H]. */
    public Var step(Var gx, Var h) {
        Var gh = Ops.affine(h, weightHh, biasHh);
        return GruPointwise.apply(gx, gh, h);
    }

    /** Width of the hidden state. */
    public int hidden() {
        return hidden;
    }
}

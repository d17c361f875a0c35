package org.latentmotion.nn;

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

    public GruCell(ParameterSet ps, String name, int in, int hidden) {
        this.hidden = hidden;
        double bound = 1.0 / Math.sqrt(hidden);
        weightIh = ps.parameter(name + ".weight_ih", ps.uniform(bound, in, 3L * hidden));
        weightHh = ps.parameter(name + ".weight_hh", ps.uniform(bound, hidden, 3L * hidden));
        biasIh = ps.parameter(name + ".bias_ih", ps.uniform(bound, 3L * hidden));
        biasHh = ps.parameter(name + ".bias_hh", ps.uniform(bound, 3L * hidden));
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

    public int hidden() {
        return hidden;
    }
}

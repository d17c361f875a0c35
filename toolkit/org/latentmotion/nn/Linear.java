package org.latentmotion.nn;

/**
 * A fully connected layer y = x·W + b with W stored as [in, out] (PyTorch's nn.Linear stores the
 * transpose, [out, in]) and b as [out]. Initialised like PyTorch (both uniform in ±1/√in) unless
 * given another {@link Init}.
 * Parameters: {@code <name>.weight}, {@code <name>.bias}.
 */
public final class Linear {
    private final Var weight;
    private final Var bias;
    private final int in;
    private final int out;

    /** A layer from {@code in} to {@code out} features, initialised like PyTorch ({@link Init#pytorch()}). */
    public Linear(ParameterSet ps, String name, int in, int out) {
        this(ps, name, in, out, Init.pytorch());
    }

    /** A layer from {@code in} to {@code out} features with weight and bias drawn by {@code init}. */
    public Linear(ParameterSet ps, String name, int in, int out, Init init) {
        this.in = in;
        this.out = out;
        this.weight = ps.parameter(name + ".weight", init.weight(ps, in, in, out));
        this.bias = ps.parameter(name + ".bias", init.bias(ps, in, out));
    }

    /** x [N, in] → [N, out]. */
    public Var forward(Var x) {
        if (x.rank() != 2 || x.size(1) != in) {
            throw new IllegalArgumentException("Linear " + in + "→" + out + " expects [N, " + in + "], found "
                    + java.util.Arrays.toString(x.shape()));
        }
        return Ops.affine(x, weight, bias);
    }

    /** Input width. */
    public int in() {
        return in;
    }

    /** Output width. */
    public int out() {
        return out;
    }
}

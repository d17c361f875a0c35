package org.latentmotion.nn;

import java.util.Arrays;

/**
 * A 1-D convolution over time on channels-last sequences x [B, T, C_in] → [B, T_out, C_out],
 * T_out = ⌊(T + 2·padding − kernel) / stride⌋ + 1, zero padding, computed as im2col (strided
 * slices of the padded input, concatenated) and one matrix product.
 * Parameters: {@code <name>.weight} [kernel·C_in, C_out] with row j·C_in + c holding tap j of
 * input channel c (PyTorch's Conv1d weight w[o, c, j] sits at row j·C_in + c, column o), and
 * {@code <name>.bias} [C_out]. Initialised uniform in ±1/√(C_in·kernel) like PyTorch.
 */
public final class Conv1d {
    private final Var weight;
    private final Var bias;
    private final int in;
    private final int out;
    private final int kernel;
    private final int stride;
    private final int padding;

    /** A convolution from {@code in} to {@code out} channels, initialised like PyTorch ({@link Init#pytorch()}). */
    public Conv1d(ParameterSet ps, String name, int in, int out, int kernel, int stride, int padding) {
        this(ps, name, in, out, kernel, stride, padding, Init.pytorch());
    }

    /**
     * A convolution from {@code in} to {@code out} channels with weight and bias drawn by {@code init}
     * (fan-in in·kernel), registered under {@code name}.
     */
    public Conv1d(ParameterSet ps, String name, int in, int out, int kernel, int stride, int padding, Init init) {
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        long fanIn = (long) in * kernel;
        weight = ps.parameter(name + ".weight", init.weight(ps, fanIn, fanIn, out));
        bias = ps.parameter(name + ".bias", init.bias(ps, fanIn, out));
    }

    /** Frames out for {@code length} frames in: (length + 2·padding − kernel) / stride + 1. */
    public int outputLength(int length) {
        return (length + 2 * padding - kernel) / stride + 1;
    }

    /** Convolves x [B, length, C_in] (channels last) to [B, outputLength, C_out]. */
    public Var forward(Var x) {
        if (x.rank() != 3 || x.size(2) != in) {
            throw new IllegalArgumentException("Conv1d expects [B, T, " + in + "], found " + Arrays.toString(x.shape()));
        }
        long b = x.size(0);
        int t = (int) x.size(1);
        int tOut = outputLength(t);
        if (tOut < 1) {
            throw new IllegalArgumentException("Conv1d kernel " + kernel + " does not fit a sequence of " + t
                    + " steps with padding " + padding);
        }
        Var padded = padding == 0 ? x : Ops.unslice(x, 1, t + 2L * padding, padding, 1);
        Var[] taps = new Var[kernel];
        for (int j = 0; j < kernel; j++) {
            long start = j;
            long end = j + (long) stride * (tOut - 1) + 1;
            taps[j] = Ops.slice(padded, 1, start, end, stride);
        }
        Var cols = kernel == 1 ? taps[0] : Ops.concat(2, taps); // [B, T_out, K·C]
        Var y = Ops.affine(Ops.reshape(cols, b * tOut, (long) kernel * in), weight, bias);
        return Ops.reshape(y, b, tOut, out);
    }
}

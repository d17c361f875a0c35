package org.latentmotion.nn;

import java.util.Arrays;
import java.util.Objects;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An LSTM cell with PyTorch's equations and gate order (i, f, g, o), gates fused into one matrix
 * product each for the input and the state:
 * <pre>
 *   a = x·Wx + bx + h·Wh + bh                        ([N, 4H], columns i | f | g | o)
 *   i = σ(a_i),  f = σ(a_f),  g = tanh(a_g),  o = σ(a_o)
 *   c' = f ⊙ c + i ⊙ g,   h' = o ⊙ tanh(c')
 * </pre>
 * Parameters: {@code <name>.weight_ih} [in, 4H], {@code <name>.weight_hh} [H, 4H],
 * {@code <name>.bias_ih} [4H], {@code <name>.bias_hh} [4H]: the transposes of nn.LSTMCell's
 * tensors of the same names. Every step is written in tape ops, so gradients of gradients (a
 * gradient penalty through the recurrence) come for free.
 *
 * <p>Two initialisations: PyTorch's default (every tensor uniform in ±1/√H), and
 * {@link #orthogonal}: each gate's block of both weight matrices an orthogonal matrix, biases
 * zero (what MoCoGAN-HD's motion generator does, {@code models/rnn.py} of snap-research/MoCoGAN-HD).
 */
public final class LstmCell {
    /** A cell's state: the output h [N, H] and the memory c [N, H]. */
    public record State(Var h, Var c) {
        public State {
            Objects.requireNonNull(h, "h");
            Objects.requireNonNull(c, "c");
        }
    }

    private final Var weightIh;
    private final Var weightHh;
    private final Var biasIh;
    private final Var biasHh;
    private final int in;
    private final int hidden;

    /** A cell from {@code in} inputs to a {@code hidden}-wide state, initialised like PyTorch's nn.LSTMCell. */
    public LstmCell(ParameterSet ps, String name, int in, int hidden) {
        this(ps, name, in, hidden, false);
    }

    private LstmCell(ParameterSet ps, String name, int in, int hidden, boolean orthogonal) {
        if (in <= 0 || hidden <= 0) {
            throw new IllegalArgumentException("LSTM cell " + name + ": expected in > 0 and hidden > 0, found in " + in
                    + ", hidden " + hidden);
        }
        this.in = in;
        this.hidden = hidden;
        double bound = 1.0 / Math.sqrt(hidden);
        INDArray wih = orthogonal ? gateBlocks(ps, in, hidden) : ps.uniform(bound, in, 4L * hidden);
        INDArray whh = orthogonal ? gateBlocks(ps, hidden, hidden) : ps.uniform(bound, hidden, 4L * hidden);
        INDArray bih = orthogonal ? ps.constant(0, 4L * hidden) : ps.uniform(bound, 4L * hidden);
        INDArray bhh = orthogonal ? ps.constant(0, 4L * hidden) : ps.uniform(bound, 4L * hidden);
        weightIh = ps.parameter(name + ".weight_ih", wih);
        weightHh = ps.parameter(name + ".weight_hh", whh);
        biasIh = ps.parameter(name + ".bias_ih", bih);
        biasHh = ps.parameter(name + ".bias_hh", bhh);
    }

    /**
     * A cell whose four gate blocks of each weight matrix start orthogonal and whose biases start
     * at zero (PyTorch's {@code init.orthogonal_} per gate, as MoCoGAN-HD initialises its LSTMs).
     */
    public static LstmCell orthogonal(ParameterSet ps, String name, int in, int hidden) {
        return new LstmCell(ps, name, in, hidden, true);
    }

    /** [rows, 4H]: four [rows, H] blocks, each the transpose of an orthogonal [H, rows] matrix. */
    private static INDArray gateBlocks(ParameterSet ps, int rows, int hidden) {
        INDArray w = Nd4j.create(ps.dataType(), rows, 4L * hidden);
        for (int gate = 0; gate < 4; gate++) {
            double[][] q = orthogonalMatrix(ps, hidden, rows); // PyTorch's block: [H, in]
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < hidden; j++) {
                    w.putScalar(new long[] {r, (long) gate * hidden + j}, q[j][r]);
                }
            }
        }
        return w;
    }

    /**
     * A [rows, cols] matrix with orthonormal rows (rows ≤ cols) or columns (rows &gt; cols): the Q of
     * a Gaussian matrix's QR decomposition with R's diagonal made positive (the distribution
     * {@code torch.nn.init.orthogonal_} draws from), by modified Gram–Schmidt in float64.
     */
    public static double[][] orthogonalMatrix(ParameterSet ps, int rows, int cols) {
        int n = Math.max(rows, cols);
        int m = Math.min(rows, cols);
        INDArray g = ps.normal(1.0, m, n).castTo(DataType.DOUBLE);
        double[][] v = new double[m][];
        for (int k = 0; k < m; k++) {
            v[k] = g.getRow(k).toDoubleVector();
            for (int j = 0; j < k; j++) {
                double dot = 0;
                for (int e = 0; e < n; e++) {
                    dot += v[k][e] * v[j][e];
                }
                for (int e = 0; e < n; e++) {
                    v[k][e] -= dot * v[j][e];
                }
            }
            double norm = 0;
            for (int e = 0; e < n; e++) {
                norm += v[k][e] * v[k][e];
            }
            norm = Math.sqrt(norm);
            if (!(norm > 1e-12)) {
                throw new IllegalStateException("orthogonal init: a degenerate Gaussian draw (norm " + norm + ")");
            }
            for (int e = 0; e < n; e++) {
                v[k][e] /= norm;
            }
        }
        double[][] out = new double[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[r][c] = rows <= cols ? v[r][c] : v[c][r];
            }
        }
        return out;
    }

    /** Input projection x·Wx + bx for many steps at once ([M, in] → [M, 4H]). */
    public Var projectInput(Var x) {
        if (x.rank() != 2 || x.size(1) != in) {
            throw new IllegalArgumentException("LSTM cell " + in + "→" + hidden + " expects [N, " + in + "], found "
                    + Arrays.toString(x.shape()));
        }
        return Ops.affine(x, weightIh, biasIh);
    }

    /** One step from a zero state (PyTorch's call without a state): x [N, in] → (h', c'). */
    public State forward(Var x) {
        Var gates = Ops.addRow(projectInput(x), biasHh);
        long n = x.size(0);
        Var zero = Var.constant(Nd4j.zeros(x.dataType(), n, hidden));
        return pointwise(gates, zero);
    }

    /** One step: x [N, in] and the state (h, c) [N, H] → (h', c'). */
    public State forward(Var x, State state) {
        return step(projectInput(x), state);
    }

    /** One step from a precomputed input projection gx [N, 4H] (see {@link #projectInput}). */
    public State step(Var gx, State state) {
        Objects.requireNonNull(state, "state");
        if (gx.rank() != 2 || gx.size(1) != 4L * hidden || state.h().rank() != 2 || state.h().size(1) != hidden
                || state.h().size(0) != gx.size(0) || !Arrays.equals(state.h().shape(), state.c().shape())) {
            throw new IllegalArgumentException("LSTM step expects gates [N, " + 4 * hidden + "] and states [N, " + hidden
                    + "], found " + Arrays.toString(gx.shape()) + ", h " + Arrays.toString(state.h().shape()) + ", c "
                    + Arrays.toString(state.c().shape()));
        }
        Var gates = Ops.add(gx, Ops.affine(state.h(), weightHh, biasHh));
        return pointwise(gates, state.c());
    }

    private State pointwise(Var gates, Var c) {
        long h = hidden;
        Var i = Ops.sigmoid(Ops.slice(gates, 1, 0, h));
        Var f = Ops.sigmoid(Ops.slice(gates, 1, h, 2 * h));
        Var g = Ops.tanh(Ops.slice(gates, 1, 2 * h, 3 * h));
        Var o = Ops.sigmoid(Ops.slice(gates, 1, 3 * h, 4 * h));
        Var next = Ops.add(Ops.mul(f, c), Ops.mul(i, g));
        return new State(Ops.mul(o, Ops.tanh(next)), next);
    }

    /** Width of the input. */
    public int in() {
        return in;
    }

    /** Width of the hidden state. */
    public int hidden() {
        return hidden;
    }
}

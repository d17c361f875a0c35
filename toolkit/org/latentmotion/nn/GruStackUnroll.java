package org.latentmotion.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A stack of GRU cells unrolled over time without the tape, in plain Java, for inference at small
 * batch: cell 0 reads a precomputed input projection per step, cell j &gt; 0 reads the new state of
 * cell j − 1 at the same step (StyleVideoGAN's producer). Sampling a minute of video is 1,500 such
 * steps of four cells at batch 1; on the tape each step is ~14 ND4J ops of 50–100 µs fixed cost
 * each, for products of [1, 32]·[32, 96]. Here a step is a few thousand multiply-adds.
 *
 * <p>For training, {@link #lastCellStatesRecorded} gives the same states as one tape node whose
 * backward through time (and the second order the gradient angle penalty needs) is plain Java too.
 *
 * <p>Same equations and gate order as {@link GruCell} and {@link GruPointwise} (PyTorch's), in
 * float64; the states are returned in the projection's data type.
 */
public final class GruStackUnroll {
    /**
     * Batches up to this size are faster here than as tape ops. Measured at hidden 32, 24 steps of 4 cells,
     * 2 threads, quiet machine: 1.7 / 7.5 / 25.3 / 52.5 ms here against 17.5 / 24.0 / 48.4 / 51.1 ms on the
     * tape at batch 1 / 16 / 64 / 128 (this loop is single-threaded; the tape's GEMMs are not).
     * Rerun: {@code org.latentmotion.bench.GruUnrollCrossover}.
     *
     * <p>The same bound holds for the recorded node ({@link #lastCellStatesRecorded}) as a generator step
     * uses it (forward, the angle penalty's createGraph gradient, the second-order gradient of all): 1 thread,
     * loaded machine, medians of 15, it took 75 / 163 / 134 / 253 ms against 265 / 442 / 182 / 281 ms on the
     * tape at batch 16 / 32 / 64 / 128 (faster up to 64; at 128 within the noise of that machine).
     * Rerun: {@code org.latentmotion.bench.RecordedGruStepBench}.
     */
    public static final int MAX_BATCH = 64;

    private GruStackUnroll() {
    }

    /**
     * The last cell's state after every step, [B, steps·H] (step k in columns k·H … (k+1)·H):
     * {@code firstProjection} [B, steps·3H] holds cell 0's x·W_ih + b_ih for step k in columns
     * k·3H … (k+1)·3H; {@code initial} holds each cell's starting state [B, H]. Not differentiable:
     * call it where nothing is recorded ({@link Autograd#noGrad}); where something is, call
     * {@link #lastCellStatesRecorded}.
     */
    public static Var lastCellStates(GruCell[] cells, Var firstProjection, Var... initial) {
        Unrolled u = unroll(cells, firstProjection, initial, true);
        return u.array(u.lastCell, (long) u.steps * cells[0].hidden(), firstProjection.dataType());
    }

    /**
     * {@link #lastCellStates} for training: the same values as ONE tape node, differentiable in the
     * projection, every initial state and every cell's W_hh, b_hh and (cells 1 …) W_ih, b_ih, to
     * first and second order (the gradient angle penalty differentiates the generator's gradient
     * with respect to its inputs). The backward runs through time in plain Java too, instead of the
     * tape's ~14 ND4J ops per step and their backward rules. A third-order derivative is refused
     * with an {@link IllegalStateException}; run {@link GruCell#step} per frame where one is needed.
     * Gradients come in the inputs' data type; the projection, the states and the cells'
     * parameters must share one.
     */
    public static Var lastCellStatesRecorded(GruCell[] cells, Var firstProjection, Var... initial) {
        return RecordedGruStack.lastCellStates(cells, firstProjection, initial);
    }

    /**
     * Every cell's state after the last step, [B, H] each (where a sequence continued later
     * resumes); arguments as for {@link #lastCellStates}. Not differentiable.
     */
    public static Var[] finalStates(GruCell[] cells, Var firstProjection, Var... initial) {
        Unrolled u = unroll(cells, firstProjection, initial, false);
        Var[] out = new Var[cells.length];
        for (int j = 0; j < cells.length; j++) {
            out[j] = u.array(u.states[j], cells[0].hidden(), firstProjection.dataType());
        }
        return out;
    }

    /**
     * {@link #lastCellStates} and {@link #finalStates} of one unroll: element 0 is the last cell's
     * state after every step [B, steps·H], element 1 + j cell j's final state [B, H]. Not differentiable.
     */
    public static Var[] lastCellStatesAndFinalStates(GruCell[] cells, Var firstProjection, Var... initial) {
        Unrolled u = unroll(cells, firstProjection, initial, true);
        Var[] out = new Var[cells.length + 1];
        out[0] = u.array(u.lastCell, (long) u.steps * cells[0].hidden(), firstProjection.dataType());
        for (int j = 0; j < cells.length; j++) {
            out[j + 1] = u.array(u.states[j], cells[0].hidden(), firstProjection.dataType());
        }
        return out;
    }

    /** Each cell's final state (rows of H), and, if asked, the last cell's state after every step. */
    private record Unrolled(long batch, int steps, double[][] states, double[] lastCell) {
        Var array(double[] values, long columns, DataType type) {
            INDArray value = Nd4j.create(values, new long[] {batch, columns}, DataType.DOUBLE);
            if (type != DataType.DOUBLE) {
                INDArray cast = value.castTo(type);
                value.close();
                value = cast;
            }
            return Ops.make(value, null);
        }
    }

    private static Unrolled unroll(GruCell[] cells, Var firstProjection, Var[] initial, boolean everyStep) {
        if (Autograd.recording()) { // the cells' weights need gradients whenever anything is recorded
            throw new IllegalStateException("GruStackUnroll.lastCellStates/finalStates have no backward rule: run them inside "
                    + "Autograd.noGrad, or use lastCellStatesRecorded where gradients are needed");
        }
        int layers = cells.length;
        int hid = cells[0].hidden();
        long b = firstProjection.size(0);
        if (initial.length != layers || firstProjection.rank() != 2 || firstProjection.size(1) % (3L * hid) != 0) {
            throw new IllegalArgumentException("expected a projection [B, steps·" + 3 * hid + "] and " + layers
                    + " initial states, found " + java.util.Arrays.toString(firstProjection.shape()) + " and " + initial.length);
        }
        int steps = (int) (firstProjection.size(1) / (3L * hid));
        double[] gx0 = GruPointwise.read(firstProjection.value());
        double[][] h = new double[layers][];
        Weights[] w = new Weights[layers];
        for (int j = 0; j < layers; j++) {
            h[j] = GruPointwise.read(initial[j].value()); // a copy: updated in place below
            w[j] = new Weights(cells[j]);
        }
        double[] out = everyStep ? new double[(int) b * steps * hid] : null;
        // rows are independent: chunks give the same numbers as one pass
        RowChunks.run(RowChunks.count((int) b, steps), (int) b, (chunk, from, to) -> {
            double[] gx = new double[3 * hid];
            double[] gh = new double[3 * hid];
            for (int row = from; row < to; row++) {
                int off = row * hid;
                for (int k = 0; k < steps; k++) {
                    System.arraycopy(gx0, (row * steps + k) * 3 * hid, gx, 0, 3 * hid);
                    w[0].step(gx, gh, h[0], off);
                    for (int j = 1; j < layers; j++) {
                        w[j].project(h[j - 1], off, gx);
                        w[j].step(gx, gh, h[j], off);
                    }
                    if (out != null) {
                        System.arraycopy(h[layers - 1], off, out, (row * steps + k) * hid, hid);
                    }
                }
            }
        });
        return new Unrolled(b, steps, h, out);
    }

    /** A cell's parameters as float64 rows, read once per unroll. */
    private static final class Weights {
        final int hid;
        final double[][] wIh;
        final double[][] wHh;
        final double[] bIh;
        final double[] bHh;

        Weights(GruCell cell) {
            hid = cell.hidden();
            wIh = rows(GruPointwise.read(cell.weightIh.value()), (int) cell.weightIh.size(0), 3 * hid);
            wHh = rows(GruPointwise.read(cell.weightHh.value()), hid, 3 * hid);
            bIh = GruPointwise.read(cell.biasIh.value());
            bHh = GruPointwise.read(cell.biasHh.value());
        }

        /** gx = x[off … off+in) · W_ih + b_ih. */
        void project(double[] x, int off, double[] gx) {
            affine(x, off, wIh, bIh, gx);
        }

        /** h[off … off+H) ← GRU(gx, h), with gh as scratch. */
        void step(double[] gx, double[] gh, double[] h, int off) {
            affine(h, off, wHh, bHh, gh);
            for (int u = 0; u < hid; u++) {
                double r = Activations.sigmoid(gx[u] + gh[u]);
                double z = Activations.sigmoid(gx[hid + u] + gh[hid + u]);
                double n = Activations.tanh(gx[2 * hid + u] + r * gh[2 * hid + u]);
                h[off + u] = (1 - z) * n + z * h[off + u];
            }
        }

        /**
         * out = v[off … off+rows) · W + bias, W as rows. The inner loop reads and writes at one index, the
         * form C2 vectorises (with a row offset, out[c] += a·w[base + c], it stayed scalar and ~3x slower).
         */
        private static void affine(double[] v, int off, double[][] weight, double[] bias, double[] out) {
            System.arraycopy(bias, 0, out, 0, out.length);
            for (int i = 0; i < weight.length; i++) {
                double a = v[off + i];
                double[] row = weight[i];
                for (int c = 0; c < out.length; c++) {
                    out[c] += a * row[c];
                }
            }
        }

        private static double[][] rows(double[] m, int rows, int cols) {
            double[][] r = new double[rows][];
            for (int i = 0; i < rows; i++) {
                r[i] = java.util.Arrays.copyOfRange(m, i * cols, (i + 1) * cols);
            }
            return r;
        }
    }
}

package org.latentmotion.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.latentmotion.nn.GradientCheck.uniform;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The fused GRU stack node ({@link GruStackUnroll#lastCellStatesRecorded}) against finite
 * differences and against the same stack on the tape ({@link GruCell#step} per frame, whose
 * pointwise node has its own checked second order): values, first and second order for every
 * kind of input (projection, initial states, each cell's W_hh, b_hh, W_ih, b_ih), with 2 and 4
 * cells, B = 3, 4 steps; float32; need[]; the refused third order.
 */
class RecordedGruStackGradientTest {
    static final double TOLERANCE = 1e-6;
    static final int B = 3;
    static final int H = 4;
    static final int STEPS = 4;

    /** A stack of {@code layers} cells with its inputs as leaves. */
    static final class Stack {
        final GruCell[] cells;
        final Var projection;
        final Var[] initial;
        final List<Var> leaves = new ArrayList<>();
        final INDArray weights;
        final int steps;

        Stack(int layers, DataType type) {
            this(layers, type, B, STEPS);
        }

        Stack(int layers, DataType type, int batch, int steps) {
            this.steps = steps;
            ParameterSet ps = new ParameterSet(type, 11 + layers);
            cells = new GruCell[layers];
            for (int j = 0; j < layers; j++) {
                cells[j] = new GruCell(ps, "gru" + j, H, H);
            }
            projection = Var.input(uniform(3, -1.5, 1.5, batch, (long) steps * 3 * H).castTo(type));
            initial = new Var[layers];
            leaves.add(projection);
            for (int j = 0; j < layers; j++) {
                initial[j] = Var.input(uniform(20 + j, -1, 1, batch, H).castTo(type));
                leaves.add(initial[j]);
            }
            for (int j = 0; j < layers; j++) {
                leaves.add(cells[j].weightHh);
                leaves.add(cells[j].biasHh);
                if (j > 0) {
                    leaves.add(cells[j].weightIh);
                    leaves.add(cells[j].biasIh);
                }
            }
            weights = uniform(99, -1, 1, batch, (long) steps * H).castTo(type);
        }

        Var fused() {
            return GruStackUnroll.lastCellStatesRecorded(cells, projection, initial);
        }

        /** The same states from the cells on the tape, frame by frame. */
        Var tape() {
            Var[] h = initial.clone();
            Var[] top = new Var[steps];
            for (int k = 0; k < steps; k++) {
                h[0] = cells[0].step(Ops.slice(projection, 1, (long) k * 3 * H, (long) (k + 1) * 3 * H), h[0]);
                for (int j = 1; j < cells.length; j++) {
                    h[j] = cells[j].forward(h[j - 1], h[j]);
                }
                top[k] = h[cells.length - 1];
            }
            return Ops.concat(1, top);
        }

        /** Σ w ⊙ tanh(states): nonlinear in the states, so the second order sees g depend on them. */
        Supplier<Var> objective(boolean fused) {
            return () -> Ops.sumAll(Ops.mul(Ops.tanh(fused ? fused() : tape()), Var.constant(weights)));
        }
    }

    static double diff(INDArray a, INDArray b) {
        return a.sub(b).amaxNumber().doubleValue() / Math.max(1e-12, b.amaxNumber().doubleValue());
    }

    @Test
    void valuesAndGradientsEqualTheTapePath() {
        for (int layers : new int[] {2, 4}) {
            Stack s = new Stack(layers, DataType.DOUBLE);
            assertEquals(0, diff(s.fused().value(), s.tape().value()), 1e-13, "values, " + layers + " cells");
            Var fused = s.objective(true).get();
            Var ref = s.objective(false).get();
            List<Var> gf = Autograd.grad(fused, s.leaves, true);
            List<Var> gr = Autograd.grad(ref, s.leaves, true);
            for (int k = 0; k < s.leaves.size(); k++) {
                assertEquals(DataType.DOUBLE, gf.get(k).dataType());
                assertArrayEquals(s.leaves.get(k).shape(), gf.get(k).shape());
                double d = diff(gf.get(k).value(), gr.get(k).value());
                assertTrue(d <= 1e-12, layers + " cells, first order, leaf " + k + ": " + d);
            }
            // second order: ∇⟨∇_k f, c⟩ for each leaf k alone, so each direction of the rule is exercised by itself
            for (int k = 0; k < s.leaves.size(); k++) {
                INDArray c = uniform(50 + k, -1, 1, s.leaves.get(k).shape());
                Var sf = Ops.sumAll(Ops.mul(gf.get(k), Var.constant(c)));
                Var sr = Ops.sumAll(Ops.mul(gr.get(k), Var.constant(c)));
                List<Var> hf = Autograd.grad(sf, s.leaves, false);
                List<Var> hr = Autograd.grad(sr, s.leaves, false);
                for (int j = 0; j < s.leaves.size(); j++) {
                    double d = diff(hf.get(j).value(), hr.get(j).value());
                    assertTrue(d <= 1e-12, layers + " cells, second order, cotangent on leaf " + k + ", leaf " + j + ": " + d);
                }
            }
        }
    }

    @Test
    void aLongBatchRunInTwoChunksEqualsTheTapePath() {
        // 8 rows × 300 steps is past RowChunks.MIN_WORK: forward, backward and the tape-free unroll run in two chunks
        assertEquals(2, RowChunks.count(8, 300));
        Stack s = new Stack(4, DataType.DOUBLE, 8, 300);
        Var tape = s.tape();
        assertEquals(0, diff(s.fused().value(), tape.value()), 1e-13, "values");
        INDArray unrolled = Autograd.noGrad(() -> GruStackUnroll.lastCellStates(s.cells, s.projection, s.initial)).value();
        assertEquals(0, diff(unrolled, tape.value()), 1e-13, "the tape-free unroll");
        List<Var> gf = Autograd.grad(s.objective(true).get(), s.leaves, false);
        List<Var> gt = Autograd.grad(s.objective(false).get(), s.leaves, false);
        for (int k = 0; k < s.leaves.size(); k++) {
            double d = diff(gf.get(k).value(), gt.get(k).value());
            assertTrue(d <= 1e-12, "first order, leaf " + k + ": " + d);
        }
    }

    @Test
    void firstAndSecondOrderMatchFiniteDifferences() {
        for (int layers : new int[] {2, 4}) {
            Stack s = new Stack(layers, DataType.DOUBLE);
            Supplier<Var> f = s.objective(true);
            double first = GradientCheck.maxRelativeError(f, s.leaves, 60);
            double second = GradientCheck.maxRelativeError(GradientCheck.gradientDot(f, s.leaves, 7), s.leaves, 25);
            System.out.printf("grad check RecordedGruStack (%d cells) first order %.2e, second order %.2e%n", layers, first, second);
            assertTrue(first <= TOLERANCE, layers + " cells, first order " + first);
            assertTrue(second <= TOLERANCE, layers + " cells, second order " + second);
        }
    }

    @Test
    void float32InputsGiveFloat32GradientsCloseToTheTapePath() {
        Stack s = new Stack(4, DataType.FLOAT);
        Var out = s.fused();
        assertEquals(DataType.FLOAT, out.dataType());
        assertEquals(0, diff(out.value(), s.tape().value()), 1e-6);
        List<Var> gf = Autograd.grad(s.objective(true).get(), s.leaves, false);
        List<Var> gr = Autograd.grad(s.objective(false).get(), s.leaves, false);
        for (int k = 0; k < s.leaves.size(); k++) {
            assertEquals(DataType.FLOAT, gf.get(k).dataType(), "leaf " + k);
            double d = diff(gf.get(k).value(), gr.get(k).value());
            assertTrue(d <= 1e-5, "float32, leaf " + k + ": " + d);
        }
    }

    @Test
    void computesOnlyTheGradientsAskedFor() {
        Stack s = new Stack(2, DataType.DOUBLE);
        Var out = s.fused();
        Var seed = Var.constant(uniform(7, -1, 1, out.shape()));
        int parents = out.parents.length;
        assertEquals(1 + 2 + 2 + 4, parents); // projection, 2 states, W_hh b_hh, W_hh b_hh W_ih b_ih
        boolean[] all = new boolean[parents];
        java.util.Arrays.fill(all, true);
        Var[] full = Autograd.noGrad(() -> out.backward.apply(out, seed, all));
        boolean[] some = new boolean[parents];
        some[0] = true; // the projection
        some[2] = true; // cell 1's initial state
        some[7] = true; // cell 1's W_ih
        Var[] part = Autograd.noGrad(() -> out.backward.apply(out, seed, some));
        for (int i = 0; i < parents; i++) {
            if (some[i]) {
                assertNotNull(part[i], "parent " + i);
                assertEquals(0, diff(part[i].value(), full[i].value()), 0, "parent " + i);
            } else {
                assertNull(part[i], "parent " + i + " was not asked for");
            }
        }
        // the gradient angle penalty's case: only the inputs' gradients, recorded, then differentiated in everything
        List<Var> inputs = List.of(s.projection, s.initial[0], s.initial[1]);
        Var f = s.objective(true).get();
        List<Var> g = Autograd.grad(f, inputs, true);
        Var dot = Ops.add(Ops.sumAll(Ops.square(g.get(0))), Ops.sumAll(Ops.square(g.get(2))));
        Var fr = s.objective(false).get();
        List<Var> grr = Autograd.grad(fr, inputs, true);
        Var dotr = Ops.add(Ops.sumAll(Ops.square(grr.get(0))), Ops.sumAll(Ops.square(grr.get(2))));
        List<Var> hf = Autograd.grad(dot, s.leaves, false);
        List<Var> hr = Autograd.grad(dotr, s.leaves, false);
        for (int j = 0; j < s.leaves.size(); j++) {
            double d = diff(hf.get(j).value(), hr.get(j).value());
            assertTrue(d <= 1e-12, "penalty-like second order, leaf " + j + ": " + d);
        }
    }

    @Test
    void refusesAThirdOrderWithAClearError() {
        Stack s = new Stack(2, DataType.DOUBLE);
        Supplier<Var> second = GradientCheck.gradientDot(s.objective(true), s.leaves, 3);
        Supplier<Var> third = GradientCheck.gradientDot(second, s.leaves, 4);
        IllegalStateException e = assertThrows(IllegalStateException.class, third::get);
        assertTrue(e.getMessage().contains("RecordedGruStack") && e.getMessage().contains("third-order"), e.getMessage());
        // the second order itself, without a graph, is fine
        assertTrue(Double.isFinite(Autograd.noGrad(() -> second.get().item())));
    }

    @Test
    void badInputsAreNamed() {
        Stack s = new Stack(2, DataType.DOUBLE);
        Var wrongWidth = Var.constant(Nd4j.zeros(DataType.DOUBLE, B, 3L * H + 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GruStackUnroll.lastCellStatesRecorded(s.cells, wrongWidth, s.initial));
        assertTrue(e.getMessage().contains("[B, steps·12]"), e.getMessage());
        Var wrongState = Var.constant(Nd4j.zeros(DataType.DOUBLE, B, H + 1));
        e = assertThrows(IllegalArgumentException.class,
                () -> GruStackUnroll.lastCellStatesRecorded(s.cells, s.projection, s.initial[0], wrongState));
        assertTrue(e.getMessage().contains("initial state 1"), e.getMessage());
        Var floatState = Var.constant(Nd4j.zeros(DataType.FLOAT, B, H));
        e = assertThrows(IllegalArgumentException.class,
                () -> GruStackUnroll.lastCellStatesRecorded(s.cells, s.projection, floatState, s.initial[1]));
        assertTrue(e.getMessage().contains("FLOAT"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GruStackUnroll.lastCellStatesRecorded(s.cells, s.projection, s.initial[0]));
    }
}

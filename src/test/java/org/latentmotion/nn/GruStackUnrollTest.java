package org.latentmotion.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The tape-free unroll against the same stack run step by step on the tape. */
class GruStackUnrollTest {
    @Test
    void matchesTheCellsOnTheTape() {
        int b = 3;
        int in = 4;
        int hid = 5;
        int steps = 7;
        ParameterSet ps = new ParameterSet(DataType.DOUBLE, 11);
        GruCell[] cells = {new GruCell(ps, "c0", in, hid), new GruCell(ps, "c1", hid, hid), new GruCell(ps, "c2", hid, hid)};
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.randn(DataType.DOUBLE, b, (long) steps * in);
        Var[] h = new Var[3];
        for (int j = 0; j < 3; j++) {
            h[j] = Var.constant(Nd4j.randn(DataType.DOUBLE, b, hid));
        }
        // on the tape, step by step, with parameters that need gradients
        Var[] state = h.clone();
        INDArray expected = Nd4j.create(DataType.DOUBLE, b, (long) steps * hid);
        for (int k = 0; k < steps; k++) {
            Var xk = Var.constant(x.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.interval((long) k * in, (long) (k + 1) * in)).dup('c'));
            state[0] = cells[0].forward(xk, state[0]);
            for (int j = 1; j < 3; j++) {
                state[j] = cells[j].forward(state[j - 1], state[j]);
            }
            expected.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.interval((long) k * hid, (long) (k + 1) * hid)).assign(state[2].value());
        }
        Var unrolled = Autograd.noGrad(() -> {
            Var projection = Ops.reshape(cells[0].projectInput(Ops.reshape(Var.constant(x), (long) b * steps, in)), b,
                    (long) steps * 3 * hid);
            return GruStackUnroll.lastCellStates(cells, projection, h);
        });
        assertArrayEquals(new long[] {b, (long) steps * hid}, unrolled.shape());
        assertEquals(0, expected.sub(unrolled.value()).amaxNumber().doubleValue(), 1e-12);
    }

    @Test
    void refusesToRunWhereGradientsAreRecorded() {
        ParameterSet ps = new ParameterSet(DataType.DOUBLE, 1);
        GruCell[] cells = {new GruCell(ps, "c0", 2, 2)};
        Var projection = Var.constant(Nd4j.zeros(DataType.DOUBLE, 1, 6));
        Var h = Var.constant(Nd4j.zeros(DataType.DOUBLE, 1, 2));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> GruStackUnroll.lastCellStates(cells, projection, h));
        assertEquals(true, e.getMessage().contains("noGrad"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Autograd.noGrad(() -> GruStackUnroll.lastCellStates(cells, Var.constant(Nd4j.zeros(DataType.DOUBLE, 1, 5)), h)));
    }
}

package org.latentmotion.motion;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.latentmotion.nn.Autograd;
import org.latentmotion.nn.Mode;
import org.latentmotion.nn.ParameterSet;
import org.latentmotion.nn.Var;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Inference at small batch takes the tape-free GRU unroll; it must give what the tape gives. */
class GeneratorTest {
    @Test
    void inferenceWithoutTheTapeEqualsTheTape() {
        StyleVideoGanConfig c = StyleVideoGanTest.tiny();
        Generator g = new Generator(c, new ParameterSet(DataType.FLOAT, 3));
        Nd4j.getRandom().setSeed(9);
        int steps = 40;
        INDArray i = Nd4j.randn(DataType.FLOAT, 2, c.latentDim());
        INDArray s = Nd4j.randn(DataType.FLOAT, 2, (long) steps * c.latentDim());
        Generator.Output fast = Autograd.noGrad(() -> g.forward(Var.constant(i), Var.constant(s), Mode.EVAL));
        Generator.Output tape = g.forward(Var.input(i), Var.input(s), Mode.EVAL); // recorded: the step-by-step path
        double scale = tape.codes().value().amaxNumber().doubleValue();
        assertEquals(0, tape.codes().value().sub(fast.codes().value()).amaxNumber().doubleValue(), 1e-5 * scale);
        assertEquals(0, tape.lastLatent().value().sub(fast.lastLatent().value()).amaxNumber().doubleValue(), 1e-5);
    }

    /** A training window that starts at frame o (training horizon) is exactly frames o … o + t − 1 of the whole sequence. */
    @Test
    void aResumedSequenceContinuesTheWholeOne() {
        StyleVideoGanConfig c = StyleVideoGanTest.tiny();
        Generator g = new Generator(c, new ParameterSet(DataType.DOUBLE, 5));
        Nd4j.getRandom().setSeed(11);
        int lat = c.latentDim();
        int before = 17;
        int after = 9;
        INDArray i = Nd4j.randn(DataType.DOUBLE, 3, lat);
        INDArray s = Nd4j.randn(DataType.DOUBLE, 3, (long) (before + after) * lat);
        INDArray sBefore = s.get(NDArrayIndex.all(), NDArrayIndex.interval(0, (long) before * lat)).dup('c');
        INDArray sAfter = s.get(NDArrayIndex.all(), NDArrayIndex.interval((long) before * lat, (long) (before + after) * lat)).dup('c');
        // whole: frames 0 … before + after; resumed: frames before … before + after (EVAL: per-frame batch norm)
        INDArray whole = g.latents(Var.input(i), Var.input(s), Mode.EVAL).all().value().reshape(3, before + after + 1, lat);
        Var[] start = Autograd.noGrad(() -> g.statesAfter(Var.constant(i), Var.constant(sBefore), Mode.EVAL));
        Generator.Output resumed = g.forwardFrom(start, Var.input(sAfter), Mode.EVAL);
        Generator.Output all = g.forward(Var.input(i), Var.input(s), Mode.EVAL);
        INDArray expectedCodes = all.codes().value().reshape(3, before + after + 1, c.features())
                .get(NDArrayIndex.all(), NDArrayIndex.interval(before, before + after + 1), NDArrayIndex.all());
        INDArray codes = resumed.codes().value().reshape(3, after + 1, c.features());
        assertEquals(0, expectedCodes.sub(codes).amaxNumber().doubleValue(), 1e-10);
        INDArray startLatent = whole.get(NDArrayIndex.all(), NDArrayIndex.point(before), NDArrayIndex.all());
        assertEquals(0, startLatent.sub(resumed.firstLatent().value()).amaxNumber().doubleValue(), 1e-10);
        assertEquals(0, all.lastLatent().value().sub(resumed.lastLatent().value()).amaxNumber().doubleValue(), 1e-10);
    }
}

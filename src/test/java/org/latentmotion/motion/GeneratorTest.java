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
}

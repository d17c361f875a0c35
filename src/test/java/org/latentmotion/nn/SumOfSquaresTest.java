package org.latentmotion.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.latentmotion.nn.GradientCheck.uniform;

import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Ops.sumOfSquares: exactly the values of sum(square(a), dim) and its gradient; exact to third order. */
class SumOfSquaresTest {

    private static double[] values(INDArray a) {
        return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    private static void sameAsComposed(DataType type, int rows, int cols, int dim) {
        Nd4j.getRandom().setSeed(rows + cols + dim);
        INDArray x = Nd4j.randn(type, rows, cols);
        INDArray r = Nd4j.randn(type, dim == 1 ? rows : cols);
        Var a = Var.input(x);
        Var fused = Ops.sumOfSquares(a, dim);
        INDArray gf = Autograd.grad(Ops.sumAll(Ops.mul(fused, Var.constant(r))), List.of(a), false).get(0).value();
        Var b = Var.input(x);
        Var composed = Ops.sum(Ops.square(b), dim);
        INDArray gc = Autograd.grad(Ops.sumAll(Ops.mul(composed, Var.constant(r))), List.of(b), false).get(0).value();
        String what = type + " [" + rows + ", " + cols + "] over " + dim + ": ";
        assertArrayEquals(values(composed.value()), values(fused.value()), 0.0, what + "value");
        assertArrayEquals(values(gc), values(gf), 0.0, what + "gradient");
    }

    @Test
    void givesTheComposedValuesAndGradientsExactly() {
        sameAsComposed(DataType.FLOAT, 6, 5, 1);
        sameAsComposed(DataType.DOUBLE, 6, 5, 0);
        sameAsComposed(DataType.FLOAT, 8, 40_000, 1); // the gradient penalty's shape: few long rows
        sameAsComposed(DataType.FLOAT, 400, 300, 0); // ≥ 65 536 elements: the column sums run as a GEMV
    }

    @Test
    void isDifferentiableToThirdOrder() {
        for (int dim = 0; dim < 2; dim++) {
            int d = dim;
            List<INDArray> in = List.of(uniform(11, -1, 1, 3, 4));
            INDArray r = uniform(99, -1, 1, d == 1 ? 3 : 4);
            Function<List<Var>, Var> f = v -> Ops.sumAll(Ops.mul(Ops.tanh(Ops.sumOfSquares(v.get(0), d)), Var.constant(r)));
            Function<List<Var>, Var> second = GradientCheck.gradientDot(f, in, 5);
            Function<List<Var>, Var> third = GradientCheck.gradientDot(second, in, 8);
            double err = Math.max(GradientCheck.maxRelativeError(f, in, 100),
                    Math.max(GradientCheck.maxRelativeError(second, in, 100), GradientCheck.maxRelativeError(third, in, 100)));
            assertTrue(err <= 1e-6, "sumOfSquares over " + d + ": worst relative error up to third order " + err);
        }
    }

    @Test
    void refusesWhatItDoesNotCover() {
        assertThrows(IllegalArgumentException.class, () -> Ops.sumOfSquares(Var.input(Nd4j.ones(2, 2, 2)), 1));
        assertThrows(IllegalArgumentException.class, () -> Ops.sumOfSquares(Var.input(Nd4j.ones(2, 2)), 2));
    }
}

package org.latentmotion.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.latentmotion.nn.GradientCheck.uniform;

import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Every op: first and second derivatives against central differences in float64. */
class OpsGradientTest {
    static final double TOLERANCE = 1e-6;

    /** An op under test, applied to the inputs; wrapped in a weighted tanh so every op has curvature. */
    record Case(String name, Function<List<Var>, Var> op, List<INDArray> inputs) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case unary(String name, Function<Var, Var> op, double lo, double hi, long... shape) {
        return new Case(name, v -> op.apply(v.get(0)), List.of(uniform(name.hashCode(), lo, hi, shape)));
    }

    static Case binary(String name, Function<List<Var>, Var> op, double lo, double hi, long[] a, long[] b) {
        return new Case(name, op, List.of(uniform(name.hashCode(), -1, 1, a), uniform(name.hashCode() + 7, lo, hi, b)));
    }

    static Stream<Arguments> cases() {
        long[] m = {3, 4};
        return Stream.of(
                binary("add", v -> Ops.add(v.get(0), v.get(1)), -1, 1, m, m),
                binary("sub", v -> Ops.sub(v.get(0), v.get(1)), -1, 1, m, m),
                binary("mul", v -> Ops.mul(v.get(0), v.get(1)), -1, 1, m, m),
                binary("div", v -> Ops.div(v.get(0), v.get(1)), 0.5, 2, m, m),
                unary("neg", Ops::neg, -1, 1, m),
                unary("scale", x -> Ops.scale(x, -1.7), -1, 1, m),
                unary("addScalar", x -> Ops.addScalar(x, 0.3), -1, 1, m),
                unary("square", Ops::square, -1, 1, m),
                unary("sqrt", Ops::sqrt, 0.2, 2, m),
                unary("reciprocal", Ops::reciprocal, 0.5, 2, m),
                unary("sigmoid", Ops::sigmoid, -2, 2, m),
                unary("tanh", Ops::tanh, -2, 2, m),
                unary("atan", Ops::atan, -2, 2, m),
                unary("leakyRelu", x -> Ops.leakyRelu(x, 0.2), -1, 1, m),
                unary("relu", Ops::relu, -1, 1, m),
                binary("matmul", v -> Ops.matmul(v.get(0), v.get(1), false, false), -1, 1, new long[] {3, 4}, new long[] {4, 5}),
                binary("matmulTb", v -> Ops.matmul(v.get(0), v.get(1), false, true), -1, 1, new long[] {3, 4}, new long[] {5, 4}),
                binary("matmulTa", v -> Ops.matmul(v.get(0), v.get(1), true, false), -1, 1, new long[] {4, 3}, new long[] {4, 5}),
                binary("matmulTaTb", v -> Ops.matmul(v.get(0), v.get(1), true, true), -1, 1, new long[] {4, 3}, new long[] {5, 4}),
                binary("addRow", v -> Ops.addRow(v.get(0), v.get(1)), -1, 1, m, new long[] {4}),
                binary("mulRow", v -> Ops.mulRow(v.get(0), v.get(1)), -1, 1, m, new long[] {4}),
                binary("mulCol", v -> Ops.mulCol(v.get(0), v.get(1)), -1, 1, m, new long[] {3}),
                unary("broadcastTo", x -> Ops.broadcastTo(x, 3, 4, 2), -1, 1, 3, 1, 2),
                unary("sum0", x -> Ops.sum(x, 0), -1, 1, m),
                unary("sum1", x -> Ops.sum(x, 1), -1, 1, m),
                unary("sum02", x -> Ops.sum(x, 0, 2), -1, 1, 2, 3, 4),
                unary("mean1", x -> Ops.mean(x, 1), -1, 1, m),
                unary("sumAll", Ops::sumAll, -1, 1, 2, 3, 2),
                unary("meanAll", Ops::meanAll, 0.2, 1, m), // mean away from 0, where tanh has curvature
                unary("reshape", x -> Ops.reshape(x, 2, 6), -1, 1, m),
                unary("permute", x -> Ops.permute(x, 2, 0, 1), -1, 1, 2, 3, 4),
                unary("sliceStep", x -> Ops.slice(x, 1, 1, 7, 2), -1, 1, 3, 8),
                unary("unslice", x -> Ops.unslice(x, 0, 8, 1, 3), -1, 1, 3, 2),
                binary("concat", v -> Ops.concat(1, v.get(0), v.get(1)), -1, 1, m, new long[] {3, 2})
        ).map(Arguments::of);
    }

    /** f(x) = Σ r ⊙ tanh(op(x)) with fixed random weights r. */
    static Function<List<Var>, Var> objective(Case c) {
        return v -> {
            Var y = c.op().apply(v);
            INDArray r = uniform(99, -1, 1, y.shape());
            return Ops.sumAll(Ops.mul(Ops.tanh(y), Var.constant(r)));
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void firstDerivativeMatchesFiniteDifferences(Case c) {
        double err = GradientCheck.maxRelativeError(objective(c), c.inputs(), 100);
        System.out.printf("grad check %-12s first order  max rel err %.2e%n", c.name(), err);
        assertTrue(err <= TOLERANCE, c.name() + ": " + err);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void secondDerivativeMatchesFiniteDifferences(Case c) {
        Function<List<Var>, Var> f = objective(c);
        double err = GradientCheck.maxRelativeError(GradientCheck.gradientDot(f, c.inputs(), 5), c.inputs(), 100);
        System.out.printf("grad check %-12s second order max rel err %.2e%n", c.name(), err);
        assertTrue(err <= TOLERANCE, c.name() + ": " + err);
    }

    @Test
    void shapeMismatchIsReportedWithBothShapes() {
        Var a = Var.constant(uniform(1, 0, 1, 2, 3));
        Var b = Var.constant(uniform(2, 0, 1, 3, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ops.add(a, b));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[3, 2]"), e.getMessage());
    }

    @Test
    void gradientOfUnusedLeafIsZeroAndNoGradRecordsNothing() {
        Var x = Var.input(uniform(3, 0, 1, 2, 2));
        Var y = Var.input(uniform(4, 0, 1, 2, 2));
        Var out = Ops.sumAll(Ops.square(x));
        List<Var> g = Autograd.grad(out, List.of(x, y), false);
        assertEquals(0.0, g.get(1).value().sumNumber().doubleValue());
        assertEquals(false, Autograd.noGrad(() -> Ops.square(x)).requiresGrad());
    }
}

package org.latentmotion.nn;

/**
 * Scalar activations for the plain-Java GRU loops ({@link GruPointwise}, {@link GruStackUnroll}).
 *
 * <p>Why not {@link Math#tanh}: on JDK 17 it is a native call into fdlibm (about 40 ns), while
 * {@link Math#exp} is a compiler intrinsic; a training step of {@code laptop()} evaluates some
 * 1.5 million tanh in its GRU prefixes, and a profile of it showed Math.tanh as 9 % of the step.
 * The exp form below is within 2e-16 of Math.tanh in absolute terms (the loss is relative, near
 * 0, where the value itself is small), far under float32's resolution and the float64 gradient
 * checks' tolerances.
 */
final class Activations {
    private Activations() {
    }

    /** tanh(x) from one exp: (1 − e^(−2|x|)) / (1 + e^(−2|x|)) with the sign of x. */
    static double tanh(double x) {
        double e = Math.exp(-2 * Math.abs(x));
        return Math.copySign((1 - e) / (1 + e), x);
    }

    /** The logistic function 1 / (1 + e^(−x)). */
    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}

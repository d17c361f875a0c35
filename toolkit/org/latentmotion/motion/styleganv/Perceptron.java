package org.latentmotion.motion.styleganv;

import org.latentmotion.nn.Linear;
import org.latentmotion.nn.Ops;
import org.latentmotion.nn.ParameterSet;
import org.latentmotion.nn.Var;

/**
 * Fully connected layers with a LeakyReLU after every one but the last: sizes {n₀, …, n_m} give
 * Linear(n₀→n₁), LeakyReLU, …, Linear(n_{m−1}→n_m), each initialised as PyTorch's nn.Linear.
 * Parameters {@code <name>.fc<j>.weight} [in, out] (nn.Linear's transpose) and {@code .bias}.
 */
final class Perceptron {
    private final Linear[] layers;
    private final double slope;
    private final boolean activateLast;

    Perceptron(ParameterSet ps, String name, double slope, boolean activateLast, int... sizes) {
        if (sizes.length < 2) {
            throw new IllegalArgumentException("a perceptron needs an input and an output size, found " + sizes.length
                    + " sizes");
        }
        this.slope = slope;
        this.activateLast = activateLast;
        layers = new Linear[sizes.length - 1];
        for (int j = 0; j < layers.length; j++) {
            layers[j] = new Linear(ps, name + ".fc" + j, sizes[j], sizes[j + 1]);
        }
    }

    /** x [N, n₀] → [N, n_m]. */
    Var forward(Var x) {
        Var y = x;
        for (int j = 0; j < layers.length; j++) {
            y = layers[j].forward(y);
            if (j < layers.length - 1 || activateLast) {
                y = Ops.leakyRelu(y, slope);
            }
        }
        return y;
    }

    /** Output width n_m. */
    int out() {
        return layers[layers.length - 1].out();
    }
}

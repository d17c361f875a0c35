package org.latentmotion.motion.stylefacev;

import org.latentmotion.nn.Linear;
import org.latentmotion.nn.Ops;
import org.latentmotion.nn.ParameterSet;
import org.latentmotion.nn.Var;

/**
 * A stack of fully connected layers with a LeakyReLU between them (none after the last):
 * sizes {n₀, n₁, …, n_m} give Linear(n₀→n₁), LeakyReLU, …, Linear(n_{m−1}→n_m), each PyTorch's
 * nn.Linear with its default initialisation. Parameters {@code <name>.fc<j>.weight} [in, out]
 * (nn.Linear's transpose) and {@code .bias}. The encoders, the recomposer and the 2-D critic of
 * {@link StyleFaceV} are such stacks (the paper's res-blocks on images, narrowed to vectors).
 */
final class Mlp {
    private final Linear[] layers;
    private final double slope;

    Mlp(ParameterSet ps, String name, double slope, int... sizes) {
        if (sizes.length < 2) {
            throw new IllegalArgumentException("an MLP needs an input and an output size, found " + sizes.length
                    + " sizes");
        }
        this.slope = slope;
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
            if (j < layers.length - 1) {
                y = Ops.leakyRelu(y, slope);
            }
        }
        return y;
    }

    /** Input width n₀. */
    int in() {
        return layers[0].in();
    }

    /** Output width n_m. */
    int out() {
        return layers[layers.length - 1].out();
    }
}

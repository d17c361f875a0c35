package org.latentmotion.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How a layer's weights start. {@link #pytorch()} is PyTorch's default for {@code nn.Linear}
 * and {@code nn.Conv1d} (weights and biases uniform in ±1/√fan_in); {@link #kaiming(double)} is
 * He et al.'s (2015) for LeakyReLU networks (weights normal with variance 2 / ((1 + slope²)
 * fan_in), biases zero), which keeps the scale of activations and gradients through depth.
 *
 * <p>Why it matters here: StyleVideoGAN's critic stacks ten LeakyReLU layers; with PyTorch's
 * default each layer shrinks the signal about threefold, so the critic starts with gradients near
 * zero (gradient penalty term 0.9996 at step 0) and, measured on the default world, did not learn
 * in 60 steps to tell real windows from the same windows with the head shaking, where the
 * Kaiming start did (Wasserstein estimate 18.7 against 0.045 at learning rate 0.001;
 * {@code CriticSeesMotionTest} prints both).
 */
public record Init(boolean kaiming, double slope) {
    public Init {
        if (!(slope >= 0 && slope <= 1)) {
            throw new IllegalArgumentException("LeakyReLU slope must be in [0, 1], found " + slope);
        }
    }

    /** PyTorch's default: uniform in ±1/√fan_in for weights and biases. */
    public static Init pytorch() {
        return new Init(false, 0);
    }

    /** He/Kaiming normal for LeakyReLU with this negative slope; biases zero. */
    public static Init kaiming(double leakySlope) {
        return new Init(true, leakySlope);
    }

    /** A weight of {@code shape} for a layer with {@code fanIn} inputs per output, drawn from {@code ps}'s seeded generator. */
    public INDArray weight(ParameterSet ps, long fanIn, long... shape) {
        if (kaiming) {
            return ps.normal(Math.sqrt(2.0 / ((1 + slope * slope) * fanIn)), shape);
        }
        return ps.uniform(1.0 / Math.sqrt(fanIn), shape);
    }

    /** A bias of {@code n} values for a layer with {@code fanIn} inputs per output. */
    public INDArray bias(ParameterSet ps, long fanIn, long n) {
        return kaiming ? ps.constant(0, n) : ps.uniform(1.0 / Math.sqrt(fanIn), n);
    }
}

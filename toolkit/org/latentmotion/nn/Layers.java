package org.latentmotion.nn;

/** Parameter-free layers. */
public final class Layers {
    public static final double PIXEL_NORM_EPS = 1e-8;

    private Layers() {
    }

    /** StyleGAN's pixel norm over features: x / √(mean(x², 1) + 1e-8) for x [N, F]. */
    public static Var pixelNorm(Var x) {
        Var inv = Ops.reciprocal(Ops.sqrt(Ops.addScalar(Ops.mean(Ops.square(x), 1), PIXEL_NORM_EPS)));
        return Ops.mulCol(x, inv);
    }

    /** max(x, slope·x) elementwise. */
    public static Var leakyRelu(Var x, double slope) {
        return Ops.leakyRelu(x, slope);
    }
}

package org.latentmotion.render;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The models shipped with latentmotion, loaded from the classpath (datasets/models/ in the
 * source tree).
 */
public final class Synthesizers {
    /** The toy face (made by datasets/models/toyface/): StyleGAN's interface, W+ [N, 18, 512] → [N, 3, H, W]. */
    public static final String TOY_FACE = "models/toyface/toyface.onnx";
    /** A 64×64, L = 10 StyleGAN2 with random weights (datasets/models/stylegan2/stylegan2_onnx.py --random). */
    public static final String TEST_STYLEGAN2 = "models/stylegan2/stylegan2.onnx";
    /** A small pSp-style encoder with random weights (datasets/models/psp/psp_onnx.py --random). */
    public static final String TEST_PSP = "models/psp/psp.onnx";

    private Synthesizers() {
    }

    /** The toy face model. */
    public static Synthesizer toyFace() {
        return toyFace(OnnxOptions.defaults());
    }

    /** The toy face model, run with {@code options}. */
    public static Synthesizer toyFace(OnnxOptions options) {
        return Synthesizer.openResource("toyface.onnx", TOY_FACE, options);
    }

    /**
     * The small random-weight StyleGAN2 (real architecture, untrained: pictures are abstract);
     * its {@link Synthesizer#mapping() mapping network} is the mapping.onnx shipped beside it.
     */
    public static Synthesizer testStyleGan2() {
        return testStyleGan2(OnnxOptions.defaults());
    }

    /** The small random-weight StyleGAN2 of {@link #testStyleGan2()}, run with {@code options}. */
    public static Synthesizer testStyleGan2(OnnxOptions options) {
        return Synthesizer.openResource("stylegan2.onnx (random weights)", TEST_STYLEGAN2, options);
    }

    /** The small random-weight pSp-style encoder matching {@link #testStyleGan2()}'s W+ shape. */
    public static Encoder testPspEncoder() {
        return Encoder.open("psp.onnx (random weights)", resource(TEST_PSP), OnnxOptions.defaults());
    }

    static byte[] resource(String name) {
        try (InputStream in = Synthesizers.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("shipped model: expected classpath resource " + name
                        + " (datasets/" + name + " in the source tree, copied by the build), found nothing");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read classpath resource " + name, e);
        }
    }
}

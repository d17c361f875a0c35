package org.latentmotion.render;

/**
 * The key-point models shipped with latentmotion, loaded from the classpath (datasets/models/ in
 * the source tree), as {@link Synthesizers} ships the synthesis models.
 */
public final class KeypointModels {
    /**
     * The toy face's key-point detector (made by datasets/models/toyface/make_keypoints.py):
     * image [N, 3, 128, 128] in [−1, 1] → 12 points [N, 12, 2]: eye centres, upper and lower lids,
     * nose tip, mouth corners, upper and lower lip, chin.
     */
    public static final String TOY_FACE = "models/toyface/keypoints.onnx";

    private KeypointModels() {
    }

    /** The toy face's key-point detector; {@code KeypointModels.toyFace().on(Synthesizers.toyFace())} reads its pose. */
    public static KeypointModel toyFace() {
        return toyFace(OnnxOptions.defaults());
    }

    /** The toy face's key-point detector, run with {@code options}. */
    public static KeypointModel toyFace(OnnxOptions options) {
        return KeypointModel.loadResource("toy-face key points", TOY_FACE, options);
    }
}

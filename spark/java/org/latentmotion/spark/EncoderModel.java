package org.latentmotion.spark;

/**
 * Which image encoder (the pSp role: frames → W+ codes) an executor opens, as settings that ship
 * with a task (an {@link org.latentmotion.render.Encoder} itself cannot: it holds a native ONNX
 * Runtime session). Equal settings share one session per executor JVM ({@link ExecutorSessions}).
 */
public final class EncoderModel extends OnnxModelChoice<EncoderModel> {
    private static final long serialVersionUID = 1L;
    static final String TEST_PSP = "psp-test";

    private EncoderModel(String kind, String location, int threads) {
        super(kind, location, threads);
    }

    @Override
    EncoderModel with(String kind, String location, int threads) {
        return new EncoderModel(kind, location, threads);
    }

    /**
     * The small random-weight pSp-style encoder shipped with latentmotion (64×64 frames → W+
     * [10, 512], the shape of {@link RenderModel#testStyleGan2()}; tests and demos).
     */
    public static EncoderModel testPsp() {
        return new EncoderModel(TEST_PSP, "", 1);
    }

    /**
     * An ONNX encoder at a Hadoop path (copied to each executor's local disk once, and opened as
     * {@link org.latentmotion.render.Encoder#open(java.nio.file.Path)} opens a file). Only the
     * .onnx file is copied: a model with its weights in an external data file beside it does not
     * open this way yet.
     */
    public static EncoderModel file(String onnxPath) {
        return new EncoderModel(FILE, onnxPath(onnxPath, "encoder model"), 1);
    }
}

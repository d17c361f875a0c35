package org.latentmotion.spark;

/**
 * Which synthesis network an executor opens to render frames, as settings that ship with a task
 * (a {@link org.latentmotion.render.Synthesizer} itself cannot: it holds a native ONNX Runtime
 * session). Equal settings share one session per executor JVM ({@link ExecutorSessions}).
 */
public final class RenderModel extends OnnxModelChoice<RenderModel> {
    private static final long serialVersionUID = 1L;
    static final String TOY_FACE = "toyface";
    static final String TEST_STYLEGAN2 = "stylegan2-test";

    private RenderModel(String kind, String location, int threads) {
        super(kind, location, threads);
    }

    @Override
    RenderModel with(String kind, String location, int threads) {
        return new RenderModel(kind, location, threads);
    }

    /** The toy face shipped with latentmotion (the default world's renderer). */
    public static RenderModel toyFace() {
        return new RenderModel(TOY_FACE, "", 1);
    }

    /** The small random-weight StyleGAN2 shipped with latentmotion (tests and demos). */
    public static RenderModel testStyleGan2() {
        return new RenderModel(TEST_STYLEGAN2, "", 1);
    }

    /**
     * An ONNX synthesis network at a Hadoop path (copied to each executor's local disk once, and
     * opened as {@link org.latentmotion.render.Synthesizer#open(java.nio.file.Path)} opens a file).
     * Only the .onnx file is copied: a model with its weights in an external data file beside it
     * ({@code model.onnx.data}) does not open this way yet.
     */
    public static RenderModel file(String onnxPath) {
        return new RenderModel(FILE, onnxPath(onnxPath, "render model"), 1);
    }
}

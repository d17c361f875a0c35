package org.latentmotion.spark;

import java.io.Serializable;
import java.util.Objects;

/**
 * Which synthesis network an executor opens to render frames, as settings that ship with a task
 * (a {@link org.latentmotion.render.Synthesizer} itself cannot: it holds a native ONNX Runtime
 * session). Equal settings share one session per executor JVM ({@link ExecutorSessions}).
 */
public final class RenderModel implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String kind; // "toyface", "stylegan2-test" or "file"
    private final String location;
    private final int threads;

    private RenderModel(String kind, String location, int threads) {
        this.kind = kind;
        this.location = location;
        this.threads = threads;
    }

    /** The toy face shipped with latentmotion (the default world's renderer). */
    public static RenderModel toyFace() {
        return new RenderModel("toyface", "", 1);
    }

    /** The small random-weight StyleGAN2 shipped with latentmotion (tests and demos). */
    public static RenderModel testStyleGan2() {
        return new RenderModel("stylegan2-test", "", 1);
    }

    /**
     * An ONNX synthesis network at a Hadoop path (copied to each executor's local disk once, and
     * opened as {@link org.latentmotion.render.Synthesizer#open(java.nio.file.Path)} opens a file).
     * Only the .onnx file is copied: a model with its weights in an external data file beside it
     * ({@code model.onnx.data}) does not open this way yet.
     */
    public static RenderModel file(String onnxPath) {
        Objects.requireNonNull(onnxPath, "onnxPath");
        if (!onnxPath.endsWith(".onnx")) {
            throw new IllegalArgumentException("render model: expected a path to an .onnx file, found " + onnxPath);
        }
        return new RenderModel("file", onnxPath, 1);
    }

    /**
     * ONNX Runtime intra-op threads per session (default 1: Spark runs one task per core, and
     * tasks of one executor share its session).
     */
    public RenderModel threads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads: expected at least 1, found " + n);
        }
        return new RenderModel(kind, location, n);
    }

    String kind() {
        return kind;
    }

    String location() {
        return location;
    }

    int threadCount() {
        return threads;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RenderModel m && m.kind.equals(kind) && m.location.equals(location) && m.threads == threads;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, location, threads);
    }

    @Override
    public String toString() {
        return "RenderModel[" + (kind.equals("file") ? location : kind) + ", " + threads + " thread"
                + (threads == 1 ? "" : "s") + "]";
    }
}

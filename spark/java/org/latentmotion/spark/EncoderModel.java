package org.latentmotion.spark;

import java.io.Serializable;
import java.util.Objects;

/**
 * Which image encoder (the pSp role: frames → W+ codes) an executor opens, as settings that ship
 * with a task (an {@link org.latentmotion.render.Encoder} itself cannot: it holds a native ONNX
 * Runtime session). Equal settings share one session per executor JVM ({@link ExecutorSessions}).
 */
public final class EncoderModel implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String kind; // "psp-test" or "file"
    private final String location;
    private final int threads;

    private EncoderModel(String kind, String location, int threads) {
        this.kind = kind;
        this.location = location;
        this.threads = threads;
    }

    /**
     * The small random-weight pSp-style encoder shipped with latentmotion (64×64 frames → W+
     * [10, 512], the shape of {@link RenderModel#testStyleGan2()}; tests and demos).
     */
    public static EncoderModel testPsp() {
        return new EncoderModel("psp-test", "", 1);
    }

    /**
     * An ONNX encoder at a Hadoop path (copied to each executor's local disk once, and opened as
     * {@link org.latentmotion.render.Encoder#open(java.nio.file.Path)} opens a file). Only the
     * .onnx file is copied: a model with its weights in an external data file beside it does not
     * open this way yet.
     */
    public static EncoderModel file(String onnxPath) {
        Objects.requireNonNull(onnxPath, "onnxPath");
        if (!onnxPath.endsWith(".onnx")) {
            throw new IllegalArgumentException("encoder model: expected a path to an .onnx file, found " + onnxPath);
        }
        return new EncoderModel("file", onnxPath, 1);
    }

    /**
     * ONNX Runtime intra-op threads per session (default 1: Spark runs one task per core, and
     * tasks of one executor share its session).
     */
    public EncoderModel threads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads: expected at least 1, found " + n);
        }
        return new EncoderModel(kind, location, n);
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
        return o instanceof EncoderModel m && m.kind.equals(kind) && m.location.equals(location) && m.threads == threads;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, location, threads);
    }

    @Override
    public String toString() {
        return "EncoderModel[" + (kind.equals("file") ? location : kind) + ", " + threads + " thread"
                + (threads == 1 ? "" : "s") + "]";
    }
}

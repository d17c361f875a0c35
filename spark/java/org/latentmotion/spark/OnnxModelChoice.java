package org.latentmotion.spark;

import java.io.Serializable;
import java.util.Objects;

/**
 * Which ONNX model an executor opens, as settings that ship with a task (a session itself cannot:
 * it is native): a kind (a model shipped with latentmotion, or {@code "file"}), the file's Hadoop
 * path for that kind, and ONNX Runtime's intra-op threads. Equal settings share one session per
 * executor JVM ({@link ExecutorSessions}). {@link RenderModel} and {@link EncoderModel} say which
 * kinds they know.
 */
abstract class OnnxModelChoice<M extends OnnxModelChoice<M>> implements Serializable {
    private static final long serialVersionUID = 1L;
    static final String FILE = "file";
    private final String kind;
    private final String location;
    private final int threads;

    OnnxModelChoice(String kind, String location, int threads) {
        this.kind = kind;
        this.location = location;
        this.threads = threads;
    }

    /** The same choice with other settings (each subclass makes its own type). */
    abstract M with(String kind, String location, int threads);

    /** A path checked to be an .onnx file, for {@code role}'s error message ("render model"). */
    static String onnxPath(String onnxPath, String role) {
        Objects.requireNonNull(onnxPath, "onnxPath");
        if (!onnxPath.endsWith(".onnx")) {
            throw new IllegalArgumentException(role + ": expected a path to an .onnx file, found " + onnxPath);
        }
        return onnxPath;
    }

    /**
     * ONNX Runtime intra-op threads per session (default 1: Spark runs one task per core, and
     * tasks of one executor share its session).
     */
    public M threads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads: expected at least 1, found " + n);
        }
        return with(kind, location, n);
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
        return o != null && o.getClass() == getClass() && ((OnnxModelChoice<?>) o).kind.equals(kind)
                && ((OnnxModelChoice<?>) o).location.equals(location) && ((OnnxModelChoice<?>) o).threads == threads;
    }

    @Override
    public int hashCode() {
        return Objects.hash(getClass(), kind, location, threads);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + (kind.equals(FILE) ? location : kind) + ", " + threads + " thread"
                + (threads == 1 ? "" : "s") + "]";
    }
}

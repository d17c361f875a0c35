package org.latentmotion.render;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One ONNX Runtime session with what the render layer needs to know about it: its inputs and
 * outputs (name, element type, shape), its metadata, the device it runs on, and where it came
 * from. Shared by {@link Synthesizer}, {@link Encoder} and {@link Mapping}, and the one wrapper of
 * an {@code OrtSession} in the toolkit: {@code metrics.FeatureExtractor} opens its models here
 * too ({@link #openWithRuntimeDefaults}). Whatever it opens (session options, the session) it
 * closes: the options once the session exists, the session on {@link #close()} or when a check
 * of the opened model fails.
 *
 * <p>Names of inputs and outputs are free: models are read by the shapes of their tensors, and
 * the pixel range by the metadata key {@value ValueRange#METADATA_KEY} (or the caller's
 * {@link OnnxOptions}). The JSON files the exporters write beside a model are for people;
 * nothing here reads them.
 *
 * <p>A model on disk is opened by path ({@code OrtEnvironment.createSession(String, options)}):
 * ONNX Runtime reads the file itself, so a model never passes through the Java heap, a model over
 * 2 GB (protobuf's limit for one buffer) opens, and weights saved as external data
 * ({@code model.onnx} + {@code model.onnx.data}) are found next to the file.
 */
public final class OnnxModel implements AutoCloseable {
    /** What a session is opened with: fills in its options and says which device it runs on. */
    @FunctionalInterface
    private interface SessionSetup {
        DeviceChoice apply(OrtSession.SessionOptions so) throws OrtException;
    }

    final String name;
    final OrtEnvironment env;
    final OrtSession session;
    final DeviceChoice device;
    /** Inputs and outputs in the model's order. */
    final Map<String, NodeInfo> inputs;
    final Map<String, NodeInfo> outputs;
    /** The single input and output, for models that have one of each (else null). */
    final String inputName;
    final long[] inputShape;
    final String outputName;
    final long[] outputShape;
    final Map<String, String> metadata;
    /** Size of the .onnx file (without external data), or of the bytes given. */
    final long fileBytes;
    /** The file it was opened from, or null for a model given as bytes. */
    final Path path;
    /** The classpath resource it was read from (for shipped models), or null. */
    final String resource;
    /** How the render layer runs it; null for a model opened with ONNX Runtime's defaults ({@link #openWithRuntimeDefaults}). */
    final OnnxOptions options;
    private volatile boolean closed;

    private OnnxModel(String name, Path path, byte[] model, String resource, OnnxOptions options, String activity,
                      String role, boolean oneInOneOut) {
        this(name, path, model, resource, options, so -> {
            so.setIntraOpNumThreads(options.threads());
            so.setInterOpNumThreads(1);
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            return DeviceChoice.apply(so, options.device(), activity);
        }, role, oneInOneOut);
    }

    private OnnxModel(String name, Path path, byte[] model, String resource, OnnxOptions options, SessionSetup setup,
                      String role, boolean oneInOneOut) {
        this.name = name;
        this.path = path;
        this.resource = resource;
        this.options = options;
        this.env = OnnxEnvironment.get(); // before any other ORT class: see OnnxEnvironment
        OrtSession s = null;
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            this.fileBytes = model != null ? model.length : Files.size(path);
            this.device = setup.apply(so);
            try {
                s = model != null ? env.createSession(model, so) : env.createSession(path.toString(), so);
            } catch (OrtException e) {
                throw new IllegalArgumentException(role + " model " + name + ": ONNX Runtime could not load it: "
                        + e.getMessage() + hint(e.getMessage(), model != null), e);
            }
            this.session = s;
            this.inputs = new LinkedHashMap<>(s.getInputInfo());
            this.outputs = new LinkedHashMap<>(s.getOutputInfo());
            if (oneInOneOut && (inputs.size() != 1 || outputs.size() != 1)) {
                throw new IllegalArgumentException(role + " model " + name + ": expected one input and one output, found "
                        + inputs.size() + " inputs " + describe(inputs) + " and " + outputs.size() + " outputs " + describe(outputs));
            }
            if (oneInOneOut) {
                var in = inputs.entrySet().iterator().next();
                var out = outputs.entrySet().iterator().next();
                this.inputName = in.getKey();
                this.outputName = out.getKey();
                this.inputShape = floatTensorShape(in.getValue(), role, "input");
                this.outputShape = floatTensorShape(out.getValue(), role, "output");
            } else {
                this.inputName = null;
                this.outputName = null;
                this.inputShape = null;
                this.outputShape = null;
            }
            this.metadata = new LinkedHashMap<>(s.getMetadata().getCustomMetadata());
        } catch (IOException e) {
            closeQuietly(s);
            throw new UncheckedIOException(role + " model " + name + ": could not read " + path, e);
        } catch (OrtException e) {
            closeQuietly(s);
            throw new IllegalStateException(role + " model " + name + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(s);
            throw e;
        }
    }

    /** Opens the model at {@code path}, by path (see the class comment), expecting one input and one output. */
    static OnnxModel open(Path path, OnnxOptions options, String activity, String role) {
        return open(path, options, activity, role, true);
    }

    static OnnxModel open(Path path, OnnxOptions options, String activity, String role, boolean oneInOneOut) {
        if (path == null) {
            throw new IllegalArgumentException(role + " model: expected a path to an .onnx file, found null");
        }
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException(role + " model: expected an .onnx file at " + path.toAbsolutePath()
                    + ", found " + (Files.exists(path) ? "a directory" : "no such file"));
        }
        return new OnnxModel(path.getFileName().toString(), path, null, null, options, activity, role, oneInOneOut);
    }

    /**
     * Opens any ONNX model at {@code path} (checked to be a file by the caller) with ONNX Runtime's
     * default session options: its own thread count, CPU, nothing announced. For callers outside
     * this package that feed a model their own tensors ({@code metrics.FeatureExtractor}); no
     * {@link OnnxOptions} apply to it.
     *
     * @param role what the model is, for error messages ("feature extractor")
     */
    public static OnnxModel openWithRuntimeDefaults(Path path, String role) {
        return new OnnxModel(path.getFileName().toString(), path, null, null, null,
                so -> new DeviceChoice(Device.CPU, "ONNX Runtime's default session options"), role, false);
    }

    /** Opens a model held in memory; it cannot have external data (there is no folder to find it in). */
    static OnnxModel open(String name, byte[] model, OnnxOptions options, String activity, String role) {
        return open(name, model, null, options, activity, role, true);
    }

    /** As above; {@code resource} names the classpath resource the bytes came from (null if none). */
    static OnnxModel open(String name, byte[] model, String resource, OnnxOptions options, String activity,
                          String role, boolean oneInOneOut) {
        return new OnnxModel(name, null, model, resource, options, activity, role, oneInOneOut);
    }

    /** What to do about load failures with a known cause. */
    private static String hint(String message, boolean fromBytes) {
        String m = message == null ? "" : message;
        if (m.contains("Cannot parse data from external tensors")) {
            // ORT 1.29 shape-infers Reshape etc. from constant inputs and cannot read those from external data
            return "; the model keeps small constants (e.g. Reshape shapes) in its external data file: save it with "
                    + "onnx.save_model(..., save_as_external_data=True) and the default size_threshold=1024, not 0";
        }
        if (fromBytes && (m.toLowerCase(java.util.Locale.ROOT).contains("external data") || m.contains("model_path"))) {
            return "; a model with external data must be opened by path (Synthesizer.open(Path)), not from bytes";
        }
        return "";
    }

    long[] floatTensorShape(NodeInfo info, String role, String which) {
        if (!(info.getInfo() instanceof TensorInfo t) || t.type != OnnxJavaType.FLOAT) {
            throw new IllegalArgumentException(role + " model " + name + ": expected a float32 tensor " + which
                    + ", found '" + info.getName() + "' " + info.getInfo());
        }
        return t.getShape();
    }

    static String describe(Map<String, NodeInfo> nodes) {
        StringBuilder sb = new StringBuilder("[");
        for (var e : nodes.entrySet()) {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            sb.append(e.getKey());
            if (e.getValue().getInfo() instanceof TensorInfo t) {
                sb.append(' ').append(shape(t.getShape()));
            }
        }
        return sb.append(']').toString();
    }

    /** A shape with dynamic sizes shown as N (batch) or ?. */
    static String shape(long[] shape) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(shape[i] < 0 ? (i == 0 ? "N" : "?") : Long.toString(shape[i]));
        }
        return sb.append(']').toString();
    }

    /**
     * The value range: the caller's, else the model metadata's ({@value ValueRange#METADATA_KEY}),
     * else a clear error naming the model and the key.
     */
    ValueRange range(String role) {
        if (options.range() != null) {
            return options.range();
        }
        String stated = metadata.get(ValueRange.METADATA_KEY);
        if (stated == null) {
            throw new IllegalArgumentException(role + " model " + name + ": its pixel value range is not stated: expected "
                    + "ONNX metadata " + ValueRange.METADATA_KEY + " = " + ValueRange.accepted() + ", found metadata keys "
                    + metadata.keySet() + "; give it with OnnxOptions.builder().range(ValueRange.MINUS_ONE_TO_ONE)");
        }
        try {
            return ValueRange.parse(stated);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(role + " model " + name + ": metadata " + ValueRange.METADATA_KEY
                    + ": expected " + ValueRange.accepted() + ", found \"" + stated + "\"; if the model is right, state "
                    + "its range with OnnxOptions.builder().range(...)", e);
        }
    }

    /** The model's name: its file name, or the name it was given with its bytes. */
    public String name() {
        return name;
    }

    /** The model's inputs, in its order (name → type and shape). */
    public Map<String, NodeInfo> inputs() {
        return Collections.unmodifiableMap(inputs);
    }

    /** The model's outputs, in its order. */
    public Map<String, NodeInfo> outputs() {
        return Collections.unmodifiableMap(outputs);
    }

    /**
     * Runs the session; the caller closes the result (which closes its values).
     *
     * @throws IllegalStateException naming {@code what} and the model if it is closed
     */
    public OrtSession.Result run(Map<String, ? extends OnnxTensorLike> feeds, String what) throws OrtException {
        ensureOpen(what);
        return session.run(feeds);
    }

    /** Throws {@link IllegalStateException} ("{@code what} {@code name} is closed") once closed. */
    public void ensureOpen(String what) {
        if (closed) {
            throw new IllegalStateException(what + " " + name + " is closed");
        }
    }

    /** True once {@link #close()} has run. */
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            closeQuietly(session);
        }
    }

    private static void closeQuietly(OrtSession s) {
        if (s != null) {
            try {
                s.close();
            } catch (OrtException ignored) {
                // closing anyway
            }
        }
    }

    @Override
    public String toString() {
        if (inputName == null) {
            return name + ": " + describe(inputs) + " → " + describe(outputs);
        }
        return name + ": " + inputName + " " + shape(inputShape) + " → " + outputName + " " + shape(outputShape);
    }
}

package org.latentmotion.render;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One ONNX Runtime session with what the render layer needs to know about it: its single input
 * and output (name, element type, shape), its metadata, the device it runs on. Shared by
 * {@link Synthesizer} and {@link Encoder}.
 */
final class OnnxModel implements AutoCloseable {
    final String name;
    final OrtEnvironment env;
    final OrtSession session;
    final DeviceChoice device;
    final String inputName;
    final long[] inputShape;
    final String outputName;
    final long[] outputShape;
    final Map<String, String> metadata;
    final long fileBytes;
    final SynthesizerOptions options;
    private volatile boolean closed;

    private OnnxModel(String name, byte[] model, SynthesizerOptions options, String activity, String role) {
        this.name = name;
        this.options = options;
        this.fileBytes = model.length;
        this.env = OnnxEnvironment.get(); // before any other ORT class: see OnnxEnvironment
        OrtSession s = null;
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setIntraOpNumThreads(options.threads());
            so.setInterOpNumThreads(1);
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            this.device = DeviceChoice.apply(so, options.device(), activity);
            try {
                s = env.createSession(model, so);
            } catch (OrtException e) {
                throw new IllegalArgumentException(role + " model " + name + ": ONNX Runtime could not load it: "
                        + e.getMessage(), e);
            }
            this.session = s;
            Map<String, NodeInfo> inputs = s.getInputInfo();
            Map<String, NodeInfo> outputs = s.getOutputInfo();
            if (inputs.size() != 1 || outputs.size() != 1) {
                throw new IllegalArgumentException(role + " model " + name + ": expected one input and one output, found "
                        + inputs.size() + " inputs " + describe(inputs) + " and " + outputs.size() + " outputs " + describe(outputs));
            }
            var in = inputs.entrySet().iterator().next();
            var out = outputs.entrySet().iterator().next();
            this.inputName = in.getKey();
            this.outputName = out.getKey();
            this.inputShape = floatTensorShape(in.getValue(), role, "input");
            this.outputShape = floatTensorShape(out.getValue(), role, "output");
            this.metadata = new LinkedHashMap<>(s.getMetadata().getCustomMetadata());
        } catch (OrtException e) {
            closeQuietly(s);
            throw new IllegalStateException(role + " model " + name + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(s);
            throw e;
        }
    }

    static OnnxModel open(Path path, SynthesizerOptions options, String activity, String role) {
        if (path == null) {
            throw new IllegalArgumentException(role + " model: expected a path to an .onnx file, found null");
        }
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException(role + " model: expected an .onnx file at " + path.toAbsolutePath()
                    + ", found " + (Files.exists(path) ? "a directory" : "no such file"));
        }
        try {
            return new OnnxModel(path.getFileName().toString(), Files.readAllBytes(path), options, activity, role);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + path, e);
        }
    }

    static OnnxModel open(String name, byte[] model, SynthesizerOptions options, String activity, String role) {
        return new OnnxModel(name, model, options, activity, role);
    }

    private long[] floatTensorShape(NodeInfo info, String role, String which) {
        if (!(info.getInfo() instanceof TensorInfo t) || t.type != OnnxJavaType.FLOAT) {
            throw new IllegalArgumentException(role + " model " + name + ": expected a float32 tensor " + which
                    + ", found '" + info.getName() + "' " + info.getInfo());
        }
        return t.getShape();
    }

    private static String describe(Map<String, NodeInfo> nodes) {
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

    /** The value range: the caller's, else the model metadata's, else a clear error. */
    ValueRange range(String role) {
        if (options.range() != null) {
            return options.range();
        }
        String stated = metadata.get(ValueRange.METADATA_KEY);
        if (stated == null) {
            throw new IllegalArgumentException(role + " model " + name + ": its pixel value range is not stated: expected "
                    + "ONNX metadata " + ValueRange.METADATA_KEY + " = \"-1,1\" or \"0,1\", found metadata keys "
                    + metadata.keySet() + "; give it with SynthesizerOptions.builder().range(ValueRange.MINUS_ONE_TO_ONE)");
        }
        return ValueRange.parse(stated);
    }

    void ensureOpen(String what) {
        if (closed) {
            throw new IllegalStateException(what + " " + name + " is closed");
        }
    }

    boolean isClosed() {
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
        return name + ": " + inputName + " " + shape(inputShape) + " → " + outputName + " " + shape(outputShape);
    }
}

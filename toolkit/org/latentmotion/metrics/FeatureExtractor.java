package org.latentmotion.metrics;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.latentmotion.render.OnnxModel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An image or clip feature extractor on ONNX Runtime (Inception for FID, I3D for FVD, a face
 * recognition network for identity, or any model with one image/clip input and a feature
 * output). Frames come in as the toolkit has them — float RGB in [-1, 1], any size — and are
 * resized, rescaled and laid out as the {@link InputSpec} says.
 *
 * <pre>{@code
 * try (var inception = FeatureExtractor.open(Path.of("inception.onnx"), InputSpec.fid())) {
 *     INDArray f = inception.features(frames); // [N, 2048]
 * }
 * }</pre>
 */
public final class FeatureExtractor implements AutoCloseable {
    private final OnnxModel model;
    private final InputSpec spec;
    private final String inputName;
    private final String outputName;
    private final Path path;
    private int batch = 16;

    private FeatureExtractor(OnnxModel model, InputSpec spec, String inputName, String outputName, Path path) {
        this.model = model;
        this.spec = spec;
        this.inputName = inputName;
        this.outputName = outputName;
        this.path = path;
    }

    /**
     * Opens the ONNX model at {@code model} and checks its input against {@code spec} (rank and
     * every fixed dimension) before anything runs. The session is opened with ONNX Runtime's
     * default options ({@link OnnxModel#openWithRuntimeDefaults}), on the CPU.
     *
     * @throws IllegalArgumentException if the file is missing or the model's interface does not fit the spec
     */
    public static FeatureExtractor open(Path model, InputSpec spec) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(spec, "spec");
        if (!Files.isRegularFile(model)) {
            throw new IllegalArgumentException("feature extractor: no ONNX file at " + model.toAbsolutePath());
        }
        OnnxModel onnx = OnnxModel.openWithRuntimeDefaults(model, "feature extractor");
        try {
            Map<String, NodeInfo> inputs = onnx.inputs();
            String in = spec.inputName();
            if (in == null) {
                if (inputs.size() != 1) {
                    throw new IllegalArgumentException("feature extractor " + model.getFileName() + ": the model has "
                            + inputs.size() + " inputs " + inputs.keySet() + "; name the one to feed with InputSpec.inputName");
                }
                in = inputs.keySet().iterator().next();
            } else if (!inputs.containsKey(in)) {
                throw new IllegalArgumentException("feature extractor " + model.getFileName() + ": unknown input '" + in
                        + "', expected one of " + inputs.keySet());
            }
            Map<String, NodeInfo> outputs = onnx.outputs();
            String out = spec.outputName();
            if (out == null) {
                out = outputs.keySet().iterator().next();
            } else if (!outputs.containsKey(out)) {
                throw new IllegalArgumentException("feature extractor " + model.getFileName() + ": unknown output '" + out
                        + "', expected one of " + outputs.keySet());
            }
            if (inputs.get(in).getInfo() instanceof TensorInfo ti) {
                long[] modelShape = ti.getShape();
                long[] wanted = spec.shape(-1);
                boolean ok = modelShape.length == wanted.length;
                for (int i = 1; ok && i < wanted.length; i++) {
                    ok = modelShape[i] < 0 || modelShape[i] == wanted[i];
                }
                if (!ok) {
                    throw new IllegalArgumentException("feature extractor " + model.getFileName() + ": input '" + in
                            + "' is " + dims(modelShape) + ", but the spec says " + dims(wanted) + " (" + spec.layout()
                            + "); fix the InputSpec (size, frames, layout) to match the model");
                }
                if (ti.type != ai.onnxruntime.OnnxJavaType.FLOAT) {
                    throw new IllegalArgumentException("feature extractor " + model.getFileName() + ": input '" + in
                            + "' has type " + ti.type + ", expected float32");
                }
            } else {
                throw new IllegalArgumentException("feature extractor " + model.getFileName() + ": input '" + in
                        + "' is not a tensor");
            }
            return new FeatureExtractor(onnx, spec, in, out, model);
        } catch (RuntimeException e) {
            onnx.close();
            throw e;
        }
    }

    private static String dims(long[] shape) {
        return Arrays.toString(shape).replace("-1", "?");
    }

    /** Frames (or clips) per ONNX Runtime call (default 16). */
    public FeatureExtractor batch(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("batch: expected at least 1, found " + n);
        }
        batch = n;
        return this;
    }

    /** What the model expects as input (size, frames, layout, range, resize). */
    public InputSpec spec() {
        return spec;
    }

    /**
     * Features of images [N, 3, H, W] (float, RGB in [-1, 1]) for an image model, or of clips
     * [N, T, 3, H, W] for a clip model (T = the spec's frames). Returns [N, F] float32.
     */
    public INDArray features(INDArray input) {
        checkOpen();
        Objects.requireNonNull(input, "input");
        int rank = spec.isClip() ? 5 : 4;
        long[] s = input.shape();
        boolean ok = s.length == rank && s[rank - 3] == 3 && (!spec.isClip() || s[1] == spec.frames());
        if (!ok) {
            throw new IllegalArgumentException("features: expected " + (spec.isClip()
                    ? "clips [N, " + spec.frames() + ", 3, H, W]" : "images [N, 3, H, W]") + " in [-1, 1], found "
                    + Arrays.toString(s));
        }
        int inH = (int) s[rank - 2];
        int inW = (int) s[rank - 1];
        if (spec.resize() == InputSpec.Resize.NONE && (inH != spec.height() || inW != spec.width())) {
            throw new IllegalArgumentException("features: resize is NONE, so frames must be " + spec.height() + "×"
                    + spec.width() + ", found " + inH + "×" + inW);
        }
        float[] all = input.castTo(DataType.FLOAT).dup('c').data().asFloat();
        int n = (int) s[0];
        int t = spec.frames();
        int frameSize = 3 * inH * inW;
        float[][] out = null;
        for (int start = 0; start < n; start += batch) {
            if (Thread.currentThread().isInterrupted()) {
                throw new IllegalStateException("features: interrupted after " + start + " of " + n);
            }
            int b = Math.min(batch, n - start);
            float[] packed = new float[(int) (b * (long) t * 3 * spec.height() * spec.width())];
            for (int i = 0; i < b; i++) {
                for (int f = 0; f < t; f++) {
                    int offset = ((start + i) * t + f) * frameSize;
                    pack(all, offset, inH, inW, packed, i, f);
                }
            }
            float[][] feats = run(packed, b);
            if (out == null) {
                out = new float[n][];
            }
            System.arraycopy(feats, 0, out, start, b);
        }
        return Nd4j.createFromArray(out);
    }

    /** Features of images (RGB; alpha ignored) for an image model. Returns [N, F]. */
    public INDArray features(List<BufferedImage> images) {
        return features(Frames.toArray(images));
    }

    /** Writes one [3, inH, inW] frame, resized and rescaled, into the packed batch in the spec's layout. */
    private void pack(float[] src, int offset, int inH, int inW, float[] dst, int item, int frame) {
        int h = spec.height();
        int w = spec.width();
        int t = spec.frames();
        double scale = (spec.high() - spec.low()) / 2;
        for (int c = 0; c < 3; c++) {
            float[] plane = Resizer.resize(src, offset + c * inH * inW, inH, inW, h, w, spec.resize());
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float v = (float) (spec.low() + (plane[y * w + x] + 1.0) * scale);
                    long idx = switch (spec.layout()) {
                        case NCHW -> ((long) (item * 3 + c) * h + y) * w + x;
                        case NHWC -> (((long) item * h + y) * w + x) * 3 + c;
                        case NCTHW -> ((((long) item * 3 + c) * t + frame) * h + y) * w + x;
                        case NTHWC -> ((((long) item * t + frame) * h + y) * w + x) * 3 + c;
                        case NTCHW -> ((((long) item * t + frame) * 3 + c) * h + y) * w + x;
                    };
                    dst[(int) idx] = v;
                }
            }
        }
    }

    private float[][] run(float[] packed, int b) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(packed), spec.shape(b));
                OrtSession.Result result = model.run(Map.of(inputName, tensor), "feature extractor")) {
            OnnxValue v = result.get(outputName).orElseThrow(() -> new IllegalStateException(
                    "feature extractor " + path.getFileName() + ": no output '" + outputName + "'"));
            if (!(v instanceof OnnxTensor ot)) {
                throw new IllegalStateException("feature extractor " + path.getFileName() + ": output '" + outputName
                        + "' is not a tensor");
            }
            long[] shape = ot.getInfo().getShape();
            if (shape.length < 2 || shape[0] != b) {
                throw new IllegalStateException("feature extractor " + path.getFileName() + ": output '" + outputName
                        + "' should be [" + b + ", F] (or [" + b + ", F, 1, 1]), found " + Arrays.toString(shape));
            }
            FloatBuffer fb = ot.getFloatBuffer();
            int f = fb.remaining() / b;
            float[][] out = new float[b][f];
            for (int i = 0; i < b; i++) {
                fb.get(out[i]);
            }
            for (float[] row : out) {
                for (float x : row) {
                    if (!Float.isFinite(x)) {
                        throw new IllegalStateException("feature extractor " + path.getFileName()
                                + " produced a non-finite feature (" + x + ")");
                    }
                }
            }
            return out;
        } catch (OrtException e) {
            throw new IllegalStateException("feature extractor " + path.getFileName() + " failed: " + e.getMessage(), e);
        }
    }

    private void checkOpen() {
        model.ensureOpen("feature extractor");
    }

    /** Closes the ONNX session; {@link #features} then throws. Closing twice is harmless. */
    @Override
    public void close() {
        model.close();
    }

    @Override
    public String toString() {
        return "FeatureExtractor " + path.getFileName() + " (input '" + inputName + "', output '" + outputName + "', "
                + spec + (model.isClosed() ? ", closed" : "") + ")";
    }
}

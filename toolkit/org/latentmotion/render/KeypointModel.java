package org.latentmotion.render;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.latentmotion.wplus.KeypointReader;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tech.tablesaw.api.Table;

/**
 * A key-point detector on ONNX Runtime: images [N, 3, H, W] → points [N, K, 2], (x, y) scaled to
 * [−1, 1] over the image (x to the right, y down). It is the pre-trained landmark detector of
 * StyleFaceV's pose supervision: {@link #on(Synthesizer)} makes it a {@link KeypointReader} that
 * renders W+ frames and reads their points.
 *
 * <p>Loading checks the model's interface before anything runs: one float32 input
 * [N, 3, H, W] (channels first; H and W fixed, or both dynamic) and one float32 output
 * [N, K, 2]; the K point names come from the metadata key {@value #NAMES_KEY} (comma-separated;
 * when absent they are {@code keypoint0, keypoint1, …}), and the input's pixel range from
 * {@code latentmotion.range} or the caller's {@link OnnxOptions}, as for the other render models.
 *
 * <p>Images of another size than the model's input are <b>resized</b> to it (bilinear; halving
 * by 2×2 averages first when shrinking by 2 or more), stretched if the aspect differs, not
 * cropped: points are in the image's own [−1, 1] coordinates, so a stretch maps them back onto
 * the original image exactly, and a crop would lose points near the border. A detector trained on
 * square faces sees a stretched face when given a wide frame; give it square frames for faithful
 * points.
 *
 * <pre>{@code
 * try (var face = Synthesizers.toyFace(); var points = KeypointModels.toyFace()) {
 *     INDArray p = points.on(face).read(ToyWorld.talkingHead().seconds(4).generate().allFrames());
 * }
 * }</pre>
 */
public final class KeypointModel implements AutoCloseable {
    /** ONNX metadata key listing the K point names, comma-separated, in output order. */
    public static final String NAMES_KEY = "latentmotion.keypoints";
    /** Most pixels one reader block may hold, whatever batch the synthesizer is set to (2^22: 256 frames at 128²). */
    static final long READ_BLOCK_PIXELS = 1L << 22;
    /** Most frames one reader block may hold, whatever batch the synthesizer is set to. */
    static final int READ_BLOCK_MAX = 64;

    private final OnnxModel model;
    private final String title;
    private final int height;
    private final int width;
    private final List<String> names;
    private final ValueRange range;
    private final String rangeSource;
    private final int chunk;
    private final boolean fixedBatch;

    private KeypointModel(OnnxModel model, String title) {
        this.model = model;
        this.title = title;
        try {
            long[] in = model.inputShape;
            long[] out = model.outputShape;
            boolean channelsLast = in.length == 4 && in[3] == 3 && in[1] != 3;
            if (in.length != 4 || (in[1] != 3 && in[1] >= 0) || channelsLast || (in[2] < 0) != (in[3] < 0)) {
                throw new IllegalArgumentException("key-point model " + model.name + ": expected input '" + model.inputName
                        + "' of shape [N, 3, H, W] (RGB images, channels first; H and W fixed, or both dynamic), found "
                        + OnnxModel.shape(in) + (channelsLast ? " (channels last: add a Transpose(0, 3, 1, 2) at the start "
                        + "of the graph)" : in.length == 3 && in[2] == 512 ? " (W+ codes: that is a synthesis model)" : ""));
            }
            if (out.length != 3 || out[2] != 2) {
                throw new IllegalArgumentException("key-point model " + model.name + ": expected output '" + model.outputName
                        + "' of shape [N, K, 2] ((x, y) of K points), found " + OnnxModel.shape(out)
                        + (out.length == 4 && out[1] == 3 ? " (images: that is a synthesis model)" : ""));
            }
            this.height = (int) in[2];
            this.width = (int) in[3];
            this.fixedBatch = in[0] > 0;
            this.rangeSource = model.options.range() != null ? "given by the caller" : "model metadata";
            this.range = model.range("key-point");
            this.chunk = fixedBatch ? (int) in[0] : model.options.batchFor(height, width);
            int k = out[1] > 0 ? (int) out[1] : probePoints(model, in);
            this.names = pointNames(model, k, out[1] > 0);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** The names in the metadata (checked against K), else keypoint0, keypoint1, …. */
    private static List<String> pointNames(OnnxModel model, int k, boolean kFixed) {
        String stated = model.metadata.get(NAMES_KEY);
        if (stated == null) {
            List<String> made = new ArrayList<>(k);
            for (int i = 0; i < k; i++) {
                made.add("keypoint" + i);
            }
            return Collections.unmodifiableList(made);
        }
        List<String> list = new ArrayList<>();
        for (String s : stated.split(",", -1)) {
            String name = s.trim();
            if (name.isEmpty() || list.contains(name)) {
                throw new IllegalArgumentException("key-point model " + model.name + ": metadata " + NAMES_KEY
                        + ": expected " + k + " distinct non-empty names separated by commas, found \"" + stated + "\"");
            }
            list.add(name);
        }
        if (list.size() != k) {
            throw new IllegalArgumentException("key-point model " + model.name + ": metadata " + NAMES_KEY + " names "
                    + list.size() + " points, but the model " + (kFixed ? "outputs" : "output, on one blank image,") + " K = "
                    + k + " points [N, " + k + ", 2]");
        }
        return Collections.unmodifiableList(list);
    }

    /** Runs one blank image to learn K of a model that leaves it dynamic, so a bad model fails at load. */
    private static int probePoints(OnnxModel model, long[] in) {
        int batch = in[0] > 0 ? (int) in[0] : 1;
        int h = in[2] > 0 ? (int) in[2] : 64;
        int w = in[3] > 0 ? (int) in[3] : 64;
        FloatBuffer zeros = FloatBuffer.allocate(batch * 3 * h * w);
        try (OnnxTensor t = OnnxTensor.createTensor(model.env, zeros, new long[] {batch, 3, h, w});
             OrtSession.Result r = model.session.run(Map.of(model.inputName, t))) {
            long[] found = ((OnnxTensor) r.get(0)).getInfo().getShape();
            if (found.length != 3 || found[2] != 2 || found[1] < 1) {
                throw new IllegalArgumentException("key-point model " + model.name + ": expected output '" + model.outputName
                        + "' of shape [N, K, 2], found " + Arrays.toString(found) + " on one blank " + w + "×" + h + " image");
            }
            return (int) found[1];
        } catch (OrtException e) {
            throw new IllegalArgumentException("key-point model " + model.name + ": running one blank image to learn its "
                    + "number of points failed: " + e.getMessage(), e);
        }
    }

    /** Loads the key-point model at {@code path} with default options (device AUTO, all cores). */
    public static KeypointModel load(Path path) {
        return load(path, OnnxOptions.defaults());
    }

    /**
     * Loads the key-point model at {@code path} with {@code options}; throws if there is no file
     * there, or the model is not [N, 3, H, W] → [N, K, 2], or it states no pixel range (and
     * {@code options} gives none).
     */
    public static KeypointModel load(Path path, OnnxOptions options) {
        OnnxModel m = OnnxModel.open(path, options, "detecting key points", "key-point");
        return new KeypointModel(m, "key points by " + m.name);
    }

    /** Loads a key-point model held in memory ({@code name} is for messages); it cannot have external data. */
    public static KeypointModel load(String name, byte[] onnx, OnnxOptions options) {
        return new KeypointModel(OnnxModel.open(name, onnx, options, "detecting key points", "key-point"),
                "key points by " + name);
    }

    /** A model shipped on the classpath, with the title its readers are named by ("toy-face key points"). */
    static KeypointModel loadResource(String title, String resource, OnnxOptions options) {
        String file = resource.substring(resource.lastIndexOf('/') + 1);
        return new KeypointModel(OnnxModel.open(file, Synthesizers.resource(resource), resource, options,
                "detecting key points", "key-point", true), title);
    }

    // ------------------------------------------------------------------ interface

    /** The K point names, in output order. */
    public List<String> keypointNames() {
        return names;
    }

    /** Number of points K. */
    public int keypoints() {
        return names.size();
    }

    /** Height of the model's input in pixels, or -1 if dynamic (images are then fed at their own size). */
    public int inputHeight() {
        return height;
    }

    /** Width of the model's input in pixels, or -1 if dynamic. */
    public int inputWidth() {
        return width;
    }

    /** The pixel range the model reads (from the options, else the model's metadata). */
    public ValueRange range() {
        return range;
    }

    /** The device the model runs on, and why. */
    public DeviceChoice device() {
        return model.device;
    }

    /** The model's name: its file name, or the name it was given with its bytes. */
    public String name() {
        return model.name;
    }

    /** What its readers are called: "toy-face key points" for the shipped model, "key points by FILE" otherwise. */
    public String title() {
        return title;
    }

    /** The model's custom ONNX metadata. */
    public Map<String, String> metadata() {
        return Collections.unmodifiableMap(model.metadata);
    }

    // ------------------------------------------------------------------ detection

    /**
     * The points of images already as a tensor: float [N, 3, H, W] in the model's {@link #range()},
     * any H × W (resized to the model's input, see the class comment). Returns float32 [N, K, 2].
     */
    public INDArray detect(INDArray images) {
        return detect(images, range);
    }

    /** The points of images [N, 3, H, W] whose pixels are in {@code imagesRange}; they are rescaled to the model's range. */
    public INDArray detect(INDArray images, ValueRange imagesRange) {
        model.ensureOpen("KeypointModel");
        if (images == null || images.rank() != 4 || images.size(1) != 3 || images.size(0) < 1 || images.size(2) < 1
                || images.size(3) < 1) {
            throw new IllegalArgumentException("key-point model " + model.name + ": expected images [N, 3, H, W], found "
                    + (images == null ? "null" : Arrays.toString(images.shape())));
        }
        int n = (int) images.size(0);
        int h = (int) images.size(2);
        int w = (int) images.size(3);
        float[] pixels = images.castTo(DataType.FLOAT).dup('c').data().asFloat();
        return detectPixels(pixels, n, h, w, imagesRange);
    }

    /**
     * The points of pictures (8-bit RGB, any size; resized to the model's input). Returns float32
     * [N, K, 2]; pictures of one size go to the model in batches, mixed sizes one at a time.
     */
    public INDArray detect(List<BufferedImage> images) {
        model.ensureOpen("KeypointModel");
        if (images == null || images.isEmpty()) {
            throw new IllegalArgumentException("key-point model " + model.name + ": expected at least one image, found none");
        }
        int h = images.get(0).getHeight();
        int w = images.get(0).getWidth();
        boolean oneSize = images.stream().allMatch(img -> img.getHeight() == h && img.getWidth() == w);
        if (!oneSize) {
            INDArray[] each = new INDArray[images.size()];
            for (int i = 0; i < each.length; i++) {
                each[i] = detect(List.of(images.get(i)));
            }
            return Nd4j.concat(0, each);
        }
        int plane = h * w;
        float[] px = new float[images.size() * 3 * plane];
        int[] rgb = new int[plane];
        for (int i = 0; i < images.size(); i++) {
            images.get(i).getRGB(0, 0, w, h, rgb, 0, w);
            int base = i * 3 * plane;
            for (int p = 0; p < plane; p++) {
                px[base + p] = (rgb[p] >> 16) & 0xff;
                px[base + plane + p] = (rgb[p] >> 8) & 0xff;
                px[base + 2 * plane + p] = rgb[p] & 0xff;
            }
        }
        return detectPixels(px, images.size(), h, w, ValueRange.ZERO_TO_255);
    }

    /** Pixels [n, 3, h, w] (row-major) in {@code from} → points [n, K, 2]: rescale, resize, run in batches. */
    synchronized INDArray detectPixels(float[] pixels, int n, int h, int w, ValueRange from) {
        model.ensureOpen("KeypointModel");
        int th = height > 0 ? height : h;
        int tw = width > 0 ? width : w;
        float scale = (range.high() - range.low()) / (from.high() - from.low());
        float shift = range.low() - from.low() * scale;
        int per = 3 * th * tw;
        int k = keypoints();
        float[] points = new float[n * k * 2];
        FloatBuffer input = ByteBuffer.allocateDirect(chunk * per * Float.BYTES).order(ByteOrder.nativeOrder())
                .asFloatBuffer();
        for (int from0 = 0; from0 < n; from0 += chunk) {
            int count = Math.min(chunk, n - from0);
            int runCount = fixedBatch ? chunk : count;
            input.clear();
            float[] one = null;
            for (int i = 0; i < count; i++) {
                one = KeypointResize.resize(pixels, (from0 + i) * 3 * h * w, h, w, th, tw);
                for (int j = 0; j < per; j++) {
                    one[j] = one[j] * scale + shift;
                }
                input.put(one);
            }
            for (int pad = count; pad < runCount; pad++) { // a fixed-batch model: repeat the last image
                input.put(one);
            }
            input.flip();
            try (OnnxTensor tensor = OnnxTensor.createTensor(model.env, input, new long[] {runCount, 3, th, tw});
                 OrtSession.Result r = model.session.run(Map.of(model.inputName, tensor))) {
                OnnxTensor out = (OnnxTensor) r.get(0);
                long[] shape = out.getInfo().getShape();
                if (shape.length != 3 || shape[0] != runCount || shape[1] != k || shape[2] != 2) {
                    throw new IllegalStateException("key-point model " + model.name + ": expected output [" + runCount + ", "
                            + k + ", 2], found " + Arrays.toString(shape));
                }
                FloatBuffer fb = out.getFloatBuffer();
                fb.get(points, from0 * k * 2, count * k * 2);
            } catch (OrtException e) {
                throw new IllegalStateException("key-point model " + model.name + " failed on images " + from0 + ".."
                        + (from0 + count - 1) + ": " + e.getMessage(), e);
            }
        }
        return Nd4j.create(points, new long[] {n, k, 2}, 'c');
    }

    /**
     * This detector reading the frames {@code synthesizer} renders: a {@link KeypointReader} named
     * after {@link #title()}. It renders a bounded block of frames at a time (the synthesizer's own
     * batch, and never more than {@value #READ_BLOCK_MAX} frames or 2^22 pixels), detects, and keeps
     * only the points, so a long trajectory needs no more memory than a block. It uses both models
     * and closes neither.
     */
    public KeypointReader on(Synthesizer synthesizer) {
        model.ensureOpen("KeypointModel");
        if (synthesizer == null) {
            throw new IllegalArgumentException("key-point model " + model.name + ": expected a synthesizer to render frames "
                    + "with, found null");
        }
        return new KeypointRenderReader(this, synthesizer);
    }

    /** The model's interface and run settings as a two-column table. */
    public Table interfaceTable() {
        PropertyTable rows = new PropertyTable();
        rows.row("model", model.name + String.format(Locale.ROOT, " (%.2f MB file)", model.fileBytes / 1e6));
        rows.row("input", model.inputName + " float32 " + OnnxModel.shape(model.inputShape) + "  (RGB images in " + range
                + ", " + rangeSource + ")");
        rows.row("output", model.outputName + " float32 " + OnnxModel.shape(model.outputShape) + "  ((x, y) in [-1, 1])");
        rows.row("points", keypoints() + ": " + String.join(", ", names));
        rows.row("images", (height > 0 ? "resized to " + width + "×" + height : "fed at their own size") + "; " + chunk
                + " per batch" + (fixedBatch ? " (fixed by the model)" : ""));
        rows.row("device", model.device.toString());
        return rows.build("KeypointModel " + model.name);
    }

    @Override
    public String toString() {
        return "KeypointModel[" + title + ": " + model.inputName + " " + OnnxModel.shape(model.inputShape) + " in " + range
                + " → " + model.outputName + " " + OnnxModel.shape(model.outputShape) + ", " + keypoints() + " points ("
                + String.join(", ", names) + "), " + model.device.device() + (model.isClosed() ? ", closed" : "") + "]";
    }

    /** Releases the session; later calls throw IllegalStateException. */
    @Override
    public void close() {
        model.close();
    }
}

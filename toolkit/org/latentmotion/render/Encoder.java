package org.latentmotion.render;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.latentmotion.video.Footage;
import org.latentmotion.video.Video;
import org.latentmotion.wplus.Trajectory;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tech.tablesaw.api.Table;

/**
 * The pSp role: an image encoder on ONNX Runtime, images → W+ codes [N, L, 512], so a user's own
 * video becomes a {@link Trajectory}.
 *
 * <p>The model must have one float32 input [N, 3, S, S] (S fixed, channels first: a
 * channels-last [N, S, S, 3] input is refused at open) and one float32 output [N, L, 512]; names
 * are free. Its input pixel range comes from metadata ({@code latentmotion.range} = "-1,1", "0,1"
 * or "0,255") or the caller; the JSON file an exporter writes beside the model is not read.
 *
 * <p>Frames are made square by a <b>centre crop</b> (the largest square in the middle of the
 * frame; a warning on standard error says how many frames were cropped and from what size), then
 * resized to S×S (bilinear, halving steps for large reductions) and scaled to the model's range.
 * Cropping, not stretching, because a stretched face is not a face the encoder was trained on;
 * but a pSp-style encoder expects an <em>aligned</em> square face crop (FFHQ alignment: eyes and
 * mouth at fixed places), so for faithful codes crop and align faces before encoding.
 *
 * <pre>{@code
 * try (var psp = Encoder.open(Path.of("my-psp/psp.onnx"))) {
 *     Trajectory mine = psp.encode(Footage.fromFolder(Path.of("my-frames"), 25));  // 0001.png, 0002.png, …
 *     Trajectory talk = psp.encode(Footage.fromVideoFile(Path.of("talk.mp4"))); // through ffmpeg
 * }
 * }</pre>
 */
public final class Encoder implements AutoCloseable {
    private static final int STYLE_WIDTH = 512;

    private final OnnxModel model;
    private final int size;
    private final int layers;
    private final ValueRange range;
    private final int chunk;

    private Encoder(OnnxModel model) {
        this.model = model;
        try {
            long[] in = model.inputShape;
            long[] out = model.outputShape;
            if (in.length != 4 || in[1] != 3 || in[2] < 1 || in[2] != in[3]) {
                throw new IllegalArgumentException("encoder model " + model.name + ": expected input '" + model.inputName
                        + "' of shape [N, 3, S, S] (RGB images, channels first, fixed square size), found " + OnnxModel.shape(in)
                        + (in.length == 4 && in[3] == 3 && in[1] != 3 ? " (channels last: add a Transpose(0, 2, 3, 1) at the start of the graph)" : ""));
            }
            if (out.length != 3 || out[1] < 1 || out[2] != STYLE_WIDTH) {
                throw new IllegalArgumentException("encoder model " + model.name + ": expected output '" + model.outputName
                        + "' of shape [N, L, " + STYLE_WIDTH + "] (W+ codes), found " + OnnxModel.shape(out));
            }
            this.size = (int) in[2];
            this.layers = (int) out[1];
            this.range = model.range("encoder");
            this.chunk = in[0] > 0 ? (int) in[0] : model.options.batchFor(size, size);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** Where the non-square-frame warning goes (standard error by default; tests may capture it). */
    static volatile Consumer<String> warnings = System.err::println;

    /** Opens the encoder at {@code path} (by path: external data and files over 2 GB work). */
    public static Encoder open(Path path) {
        return open(path, OnnxOptions.defaults());
    }

    /**
     * Opens the encoder at {@code path} with {@code options}; throws if there is no file there, or the model is not
     * [N, 3, S, S] → [N, L, 512] or states no pixel range (and {@code options} gives none).
     */
    public static Encoder open(Path path, OnnxOptions options) {
        return new Encoder(OnnxModel.open(path, options, "encoding", "encoder"));
    }

    /** Opens an encoder held in memory ({@code name} is for messages); it cannot have external data. */
    public static Encoder open(String name, byte[] onnx, OnnxOptions options) {
        return new Encoder(OnnxModel.open(name, onnx, options, "encoding", "encoder"));
    }

    /** Side of the square input images. */
    public int inputSize() {
        return size;
    }

    /** W+ layers the encoder outputs. */
    public int layers() {
        return layers;
    }

    /** The pixel range images are scaled to before encoding (from the options, else the model's metadata). */
    public ValueRange range() {
        return range;
    }

    /** The device the encoder runs on, and why. */
    public DeviceChoice device() {
        return model.device;
    }

    /** Encodes {@code frames} as a trajectory at 25 fps. */
    public Trajectory encode(List<BufferedImage> frames) {
        return encode(frames, 25.0);
    }

    /**
     * Encodes {@code frames} as a trajectory at {@code fps}; frames of any size are centre-cropped
     * to a square (with a warning) and resized to the model's input.
     */
    public Trajectory encode(List<BufferedImage> frames, double fps) {
        if (frames == null || frames.isEmpty()) {
            throw new IllegalArgumentException("encode: expected at least one frame, found none");
        }
        INDArray codes = encodeImages(frames);
        return Trajectory.of(codes, fps, "encoded by " + model.name);
    }

    /** Decodes {@code video} frame by frame and encodes it in batches, at the video's fps. */
    public Trajectory encode(Video video) {
        return Trajectory.of(encodeStreaming(video::forEachFrame), video.fps(),
                "encoded by " + model.name + " from " + video.source());
    }

    /**
     * Decodes a user's {@code footage} (a folder of frames, a video file) frame by frame and
     * encodes it in batches, at the footage's fps: their own video to a trajectory in one line.
     */
    public Trajectory encode(Footage footage) {
        return Trajectory.of(encodeStreaming(footage::forEachFrame), footage.fps(),
                "encoded by " + model.name + " from " + footage.source());
    }

    /** Encodes frames as a source hands them over, a batch at a time: only one batch of pictures is held. */
    private INDArray encodeStreaming(Consumer<Consumer<BufferedImage>> forEachFrame) {
        List<INDArray> parts = new ArrayList<>();
        List<BufferedImage> pending = new ArrayList<>(chunk);
        forEachFrame.accept(frame -> {
            pending.add(frame);
            if (pending.size() == chunk) {
                parts.add(encodeImages(pending));
                pending.clear();
            }
        });
        if (!pending.isEmpty()) {
            parts.add(encodeImages(pending));
        }
        return parts.size() == 1 ? parts.get(0) : Nd4j.concat(0, parts.toArray(new INDArray[0]));
    }

    /** The raw model output for images already as a float tensor [N, 3, S, S] in the model's range. */
    public synchronized INDArray encodeTensor(INDArray images) {
        model.ensureOpen("Encoder");
        if (images.rank() != 4 || images.size(1) != 3 || images.size(2) != size || images.size(3) != size) {
            throw new IllegalArgumentException("encoder model " + model.name + ": expected images [N, 3, " + size + ", "
                    + size + "], found " + Arrays.toString(images.shape()));
        }
        float[] v = images.dup('c').data().asFloat();
        FloatBuffer buf = ByteBuffer.allocateDirect(v.length * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        buf.put(v).flip();
        return run(buf, (int) images.size(0));
    }

    private synchronized INDArray encodeImages(List<BufferedImage> frames) {
        model.ensureOpen("Encoder");
        int n = frames.size();
        int plane = size * size;
        List<INDArray> parts = new ArrayList<>();
        FloatBuffer buf = ByteBuffer.allocateDirect(Math.min(n, chunk) * 3 * plane * Float.BYTES)
                .order(ByteOrder.nativeOrder()).asFloatBuffer();
        float lo = range.low();
        float span = range.high() - range.low();
        int[] px = new int[plane];
        warnIfNotSquare(frames);
        for (int from = 0; from < n; from += chunk) {
            int count = Math.min(chunk, n - from);
            buf.clear();
            for (int i = 0; i < count; i++) {
                BufferedImage img = resize(frames.get(from + i), size);
                img.getRGB(0, 0, size, size, px, 0, size);
                for (int c = 0; c < 3; c++) {
                    int shift = 16 - 8 * c;
                    for (int p = 0; p < plane; p++) {
                        buf.put(lo + span * ((px[p] >> shift) & 255) / 255f);
                    }
                }
            }
            buf.flip();
            parts.add(run(buf, count));
        }
        return parts.size() == 1 ? parts.get(0) : Nd4j.concat(0, parts.toArray(new INDArray[0]));
    }

    private INDArray run(FloatBuffer buf, int count) {
        try (OnnxTensor t = OnnxTensor.createTensor(model.env, buf, new long[] {count, 3, size, size});
             OrtSession.Result r = model.session.run(Map.of(model.inputName, t))) {
            OnnxTensor out = (OnnxTensor) r.get(0);
            long[] shape = out.getInfo().getShape();
            float[] w = new float[count * layers * STYLE_WIDTH];
            out.getFloatBuffer().get(w);
            return Nd4j.create(w, new long[] {shape[0], shape[1], shape[2]}, 'c');
        } catch (OrtException e) {
            throw new IllegalStateException("encoder model " + model.name + " failed: " + e.getMessage(), e);
        }
    }

    private void warnIfNotSquare(List<BufferedImage> frames) {
        int cropped = 0;
        BufferedImage example = null;
        for (BufferedImage f : frames) {
            if (f.getWidth() != f.getHeight()) {
                cropped++;
                example = example == null ? f : example;
            }
        }
        if (cropped > 0) {
            int side = Math.min(example.getWidth(), example.getHeight());
            warnings.accept("latentmotion: encoder " + model.name + ": " + cropped + " of " + frames.size() + " frames are not "
                    + "square (e.g. " + example.getWidth() + "×" + example.getHeight() + "): centre-cropped to " + side + "×"
                    + side + ", then resized to " + size + "×" + size + ". pSp-style encoders expect aligned square face "
                    + "crops: crop and align faces first for faithful codes.");
        }
    }

    /** The largest square in the middle of {@code src} (itself if square). */
    static BufferedImage centreCrop(BufferedImage src) {
        int w = src.getWidth();
        int h = src.getHeight();
        if (w == h) {
            return src;
        }
        int side = Math.min(w, h);
        return src.getSubimage((w - side) / 2, (h - side) / 2, side, side);
    }

    /**
     * Centre crop to a square, then bilinear resize to s×s; large reductions go in halving steps
     * so detail is averaged, not skipped.
     */
    static BufferedImage resize(BufferedImage src, int s) {
        if (src.getWidth() == s && src.getHeight() == s && src.getType() == BufferedImage.TYPE_INT_RGB) {
            return src;
        }
        BufferedImage cur = centreCrop(src);
        while (cur.getWidth() >= 2 * s && cur.getHeight() >= 2 * s) {
            cur = draw(cur, cur.getWidth() / 2, cur.getHeight() / 2);
        }
        return draw(cur, s, s);
    }

    private static BufferedImage draw(BufferedImage src, int w, int h) {
        BufferedImage next = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = next.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(src, 0, 0, w, h, null);
        g.dispose();
        return next;
    }

    /** The model's interface as a table: file, input and output shapes, crop and batch, device and metadata. */
    public Table interfaceTable() {
        PropertyTable rows = new PropertyTable();
        rows.row("model", model.name + String.format(Locale.ROOT, " (%.2f MB file)", model.fileBytes / 1e6));
        rows.row("input", model.inputName + " float32 " + OnnxModel.shape(model.inputShape) + "  (RGB images in " + range + ")");
        rows.row("output", model.outputName + " float32 " + OnnxModel.shape(model.outputShape) + "  (W+ codes)");
        rows.row("frames", "centre-cropped to a square, resized to " + size + "×" + size + "; " + chunk + " per batch");
        rows.row("device", model.device.toString());
        for (var e : model.metadata.entrySet()) {
            rows.row("metadata " + e.getKey(), e.getValue());
        }
        return rows.build("Encoder " + model.name);
    }

    @Override
    public String toString() {
        return "Encoder[" + model.name + ": " + model.inputName + " " + OnnxModel.shape(model.inputShape) + " → "
                + model.outputName + " " + OnnxModel.shape(model.outputShape) + ", " + model.device.device()
                + (model.isClosed() ? ", closed" : "") + "]";
    }

    @Override
    public void close() {
        model.close();
    }
}

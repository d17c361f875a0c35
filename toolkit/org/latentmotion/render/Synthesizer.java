package org.latentmotion.render;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.latentmotion.video.Video;
import org.latentmotion.video.VideoOptions;
import org.latentmotion.wplus.FrameRenderer;
import org.latentmotion.wplus.Trajectory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import tech.tablesaw.api.Table;

/**
 * A StyleGAN synthesis network on ONNX Runtime: W+ codes [N, L, 512] → images [N, 3, H, W].
 *
 * <p>Opening checks the model's interface before anything runs: exactly one float32 input
 * [N, L, 512] (L fixed by the model, batch dynamic) and one float32 output [N, 3, H, W]
 * (channels first: a channels-last [N, H, W, 3] output is refused; when the model leaves the
 * channel axis unknown, one zero code is rendered at open to see), and a pixel range stated in
 * the model's metadata ({@code latentmotion.range} = "-1,1", "0,1" or "0,255") or by the caller.
 * Input and output names are free; the shapes and that metadata key are what is read (the JSON
 * file an exporter writes beside the model is for people and is not read). Rendering checks codes
 * (shape, NaN) before running, runs in batches through reused native buffers, and hands back
 * {@link BufferedImage}s, a stream of them, or a {@link Video}.
 *
 * <p>Codes that are faces come from the generator's own mapping network: {@link #mapping()}
 * opens the {@code mapping.onnx} written next to the model.
 *
 * <pre>{@code
 * try (var g = Synthesizer.open(Path.of("my-stylegan2/stylegan2.onnx"))) {
 *     Trajectory loop = g.mapping().sample(4, 42, 0.7).loop(100, 25);
 *     Video clip = g.render(loop);
 * }
 * }</pre>
 */
public final class Synthesizer implements FrameRenderer, AutoCloseable {
    private static final int STYLE_WIDTH = 512;

    private final OnnxModel model;
    private final int layers;
    private final int imageHeight;
    private final int imageWidth;
    private final ValueRange range;
    private final String rangeSource;
    private final int chunk;
    private final boolean fixedBatch;
    // Reused between calls: direct buffers ONNX Runtime reads and writes without copying.
    private FloatBuffer input;
    private FloatBuffer output;
    private OnnxTensor pinnedOutput;
    private Mapping mapping; // opened on first use, closed with this synthesizer

    private Synthesizer(OnnxModel model) {
        this.model = model;
        try {
            long[] in = model.inputShape;
            long[] out = model.outputShape;
            if (in.length != 3 || in[1] < 1 || in[2] != STYLE_WIDTH) {
                throw new IllegalArgumentException("synthesis model " + model.name + ": expected input '" + model.inputName
                        + "' of shape [N, L, " + STYLE_WIDTH + "] (W+ codes, L fixed), found " + OnnxModel.shape(in));
            }
            if (out.length != 4 || (out[1] != 3 && out[1] >= 0) || (out[1] < 0 && out[3] == 3)) {
                throw new IllegalArgumentException("synthesis model " + model.name + ": expected output '" + model.outputName
                        + "' of shape [N, 3, H, W] (RGB images, channels first), found " + OnnxModel.shape(out)
                        + (out.length == 4 && out[3] == 3 ? " (channels last: add a Transpose(0, 3, 1, 2) at the end of the graph)" : ""));
            }
            this.layers = (int) in[1];
            this.rangeSource = model.options.range() != null ? "given by the caller" : "model metadata";
            this.range = model.range("synthesis");
            this.fixedBatch = in[0] > 0;
            if (out[1] < 0) {
                out = probeOutputShape(model, in);
            }
            this.imageHeight = (int) out[2];
            this.imageWidth = (int) out[3];
            this.chunk = fixedBatch ? (int) in[0] : model.options.batchFor(imageHeight, imageWidth);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * Renders one zero code to learn the output shape of a model that leaves its channel axis
     * unknown, so a channels-last model is refused at open, not at the first render.
     */
    private static long[] probeOutputShape(OnnxModel model, long[] in) {
        int batch = in[0] > 0 ? (int) in[0] : 1;
        FloatBuffer zeros = FloatBuffer.allocate(batch * (int) in[1] * STYLE_WIDTH);
        try (OnnxTensor t = OnnxTensor.createTensor(model.env, zeros, new long[] {batch, in[1], STYLE_WIDTH});
             OrtSession.Result r = model.session.run(Map.of(model.inputName, t))) {
            long[] found = ((OnnxTensor) r.get(0)).getInfo().getShape();
            if (found.length != 4 || found[1] != 3) {
                throw new IllegalArgumentException("synthesis model " + model.name + ": expected output '" + model.outputName
                        + "' of shape [N, 3, H, W] (RGB images, channels first), found " + Arrays.toString(found)
                        + " when rendering one zero code" + (found.length == 4 && found[3] == 3
                        ? " (channels last: add a Transpose(0, 3, 1, 2) at the end of the graph)" : ""));
            }
            return found;
        } catch (OrtException e) {
            throw new IllegalArgumentException("synthesis model " + model.name + ": rendering one zero code to learn its "
                    + "output shape failed: " + e.getMessage(), e);
        }
    }

    /**
     * Opens the ONNX model at {@code path} with default options (device AUTO, all cores, a batch
     * that suits the image size). Opened by path: a model over 2 GB or with its weights in an
     * external data file next to it ({@code model.onnx.data}) opens, and is not read into the
     * Java heap.
     */
    public static Synthesizer open(Path path) {
        return open(path, OnnxOptions.defaults());
    }

    /**
     * Opens the ONNX model at {@code path} with {@code options}, by path as {@link #open(Path)}; throws if there is no
     * file there or the model is not a W+ [N, L, 512] → image network with a known pixel range.
     */
    public static Synthesizer open(Path path, OnnxOptions options) {
        return new Synthesizer(OnnxModel.open(path, options, "rendering", "synthesis"));
    }

    /**
     * Opens a model held in memory; {@code name} is for messages. It cannot have external data,
     * and {@link #mapping()} cannot find a mapping network for it (use {@link Mapping#open}).
     */
    public static Synthesizer open(String name, byte[] onnx, OnnxOptions options) {
        return new Synthesizer(OnnxModel.open(name, onnx, options, "rendering", "synthesis"));
    }

    /** A model shipped on the classpath: its mapping network is looked for beside it there. */
    static Synthesizer openResource(String name, String resource, OnnxOptions options) {
        return new Synthesizer(OnnxModel.open(name, Synthesizers.resource(resource), resource, options, "rendering",
                "synthesis", true));
    }

    // ------------------------------------------------------------------ mapping network

    /**
     * This generator's mapping network, z → w: the {@value Mapping#FILE_NAME} next to the model
     * file (the exporters write it there), opened on first use and closed with this synthesizer.
     * Checked against this model: its w width must be 512 and its stated W+ layer count
     * ({@value Mapping#NUM_WS_KEY}) this model's L; codes it makes broadcast to L layers.
     *
     * @throws IllegalArgumentException naming the file looked for when there is none
     */
    public synchronized Mapping mapping() {
        model.ensureOpen("Synthesizer");
        if (mapping == null) {
            Mapping m;
            if (model.path != null) {
                Path file = model.path.toAbsolutePath().resolveSibling(Mapping.FILE_NAME);
                if (!Files.isRegularFile(file)) {
                    throw new IllegalArgumentException("synthesis model " + model.name + ": expected its mapping network at "
                            + file + ", found no such file; export it with the synthesis network (see "
                            + "datasets/models/stylegan2/README.md) or open one with Mapping.open(path)");
                }
                m = Mapping.open(file, model.options);
            } else if (model.resource != null) {
                String res = model.resource.contains("/")
                        ? model.resource.substring(0, model.resource.lastIndexOf('/') + 1) + Mapping.FILE_NAME : Mapping.FILE_NAME;
                if (Synthesizers.class.getClassLoader().getResource(res) == null) {
                    throw new IllegalArgumentException("synthesis model " + model.name + ": expected its mapping network as "
                            + "classpath resource " + res + ", found nothing (this model has no mapping network)");
                }
                m = Mapping.open(Mapping.FILE_NAME, Synthesizers.resource(res), model.options);
            } else {
                throw new IllegalArgumentException("synthesis model " + model.name + " was opened from bytes in memory, so "
                        + "there is no folder to find " + Mapping.FILE_NAME + " in; open it with Mapping.open(path)");
            }
            try {
                mapping = m.withLayers(m.checkFeeds(this));
            } catch (RuntimeException e) {
                m.close();
                throw e;
            }
        }
        return mapping;
    }

    // ------------------------------------------------------------------ interface

    @Override
    public int layers() {
        return layers;
    }

    @Override
    public int width() {
        return STYLE_WIDTH;
    }

    /** Image height in pixels, or -1 if the model leaves it dynamic. */
    public int imageHeight() {
        return imageHeight;
    }

    /** Image width in pixels, or -1 if the model leaves it dynamic. */
    public int imageWidth() {
        return imageWidth;
    }

    /** The model's pixel range, mapped to 0–255 for pictures (from the options, else the model's metadata). */
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

    /** The options the model was opened with. */
    public OnnxOptions options() {
        return model.options;
    }

    /** The model's custom ONNX metadata. */
    public Map<String, String> metadata() {
        return java.util.Collections.unmodifiableMap(model.metadata);
    }

    // ------------------------------------------------------------------ rendering

    /** Renders codes [N, L, 512] to N images. */
    @Override
    public BufferedImage[] renderFrames(INDArray codes) {
        checkCodes(codes);
        int n = (int) codes.size(0);
        BufferedImage[] images = new BufferedImage[n];
        runBatches(codes, (from, out, count, h, w) -> {
            for (int i = 0; i < count; i++) {
                images[from + i] = toImage(out, i, h, w);
            }
        });
        return images;
    }

    /** Renders one code [L, 512] (or [1, L, 512]). */
    public BufferedImage image(INDArray code) {
        INDArray c = code.rank() == 2 ? code.reshape(1, code.size(0), code.size(1)) : code;
        if (c.rank() != 3 || c.size(0) != 1) {
            throw new IllegalArgumentException("image: expected one code [" + layers + ", " + STYLE_WIDTH + "], found "
                    + Arrays.toString(code.shape()));
        }
        return renderFrames(c)[0];
    }

    /**
     * The model's raw output for codes [N, L, 512]: float32 [N, 3, H, W] in the model's value
     * range (no clipping, no conversion).
     */
    public INDArray synthesize(INDArray codes) {
        checkCodes(codes);
        int n = (int) codes.size(0);
        INDArray[] result = new INDArray[1];
        runBatches(codes, (from, out, count, h, w) -> {
            if (result[0] == null) {
                result[0] = Nd4j.create(DataType.FLOAT, n, 3, h, w);
            }
            float[] part = new float[count * 3 * h * w];
            out.position(0);
            out.get(part);
            result[0].get(NDArrayIndex.interval(from, from + count), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all())
                    .assign(Nd4j.create(part, new long[] {count, 3, h, w}, 'c'));
        });
        return result[0];
    }

    /** Renders {@code trajectory} to an inline-playable H.264 video, streaming, with a progress bar. */
    public Video render(Trajectory trajectory) {
        return render(trajectory, VideoOptions.defaults());
    }

    /** Renders with the given video options (format, fps, quality ...); codes are checked first. */
    public Video render(Trajectory trajectory, VideoOptions options) {
        checkTrajectory(trajectory);
        return Video.render(trajectory, this, options.toBuilder().batch(chunk).build());
    }

    /** The frames of {@code trajectory}, rendered lazily batch by batch as the stream is consumed. */
    public Stream<BufferedImage> frames(Trajectory trajectory) {
        checkTrajectory(trajectory);
        INDArray codes = trajectory.codes();
        int total = trajectory.frames();
        Iterator<BufferedImage> it = new Iterator<>() {
            private BufferedImage[] batch = new BufferedImage[0];
            private int next;
            private int rendered;

            @Override
            public boolean hasNext() {
                return next < batch.length || rendered < total;
            }

            @Override
            public BufferedImage next() {
                if (next >= batch.length) {
                    if (rendered >= total) {
                        throw new NoSuchElementException();
                    }
                    int to = Math.min(total, rendered + chunk);
                    batch = renderFrames(codes.get(NDArrayIndex.interval(rendered, to), NDArrayIndex.all(), NDArrayIndex.all()));
                    rendered = to;
                    next = 0;
                }
                BufferedImage img = batch[next];
                batch[next++] = null; // let it go as soon as the consumer has it
                return img;
            }
        };
        return StreamSupport.stream(Spliterators.spliterator(it, total, Spliterator.ORDERED | Spliterator.SIZED), false);
    }

    private void checkTrajectory(Trajectory t) {
        if (t.layers() != layers || t.width() != STYLE_WIDTH) {
            throw new IllegalArgumentException("synthesis model " + model.name + ": expected codes [T, " + layers + ", "
                    + STYLE_WIDTH + "], found trajectory [" + t.frames() + ", " + t.layers() + ", " + t.width() + "]");
        }
        checkFinite(t.codes());
    }

    private void checkCodes(INDArray codes) {
        model.ensureOpen("Synthesizer");
        if (codes == null) {
            throw new IllegalArgumentException("codes: expected [N, " + layers + ", " + STYLE_WIDTH + "], found null");
        }
        if (codes.rank() != 3 || codes.size(1) != layers || codes.size(2) != STYLE_WIDTH || codes.size(0) < 1) {
            throw new IllegalArgumentException("synthesis model " + model.name + ": expected codes [N, " + layers + ", "
                    + STYLE_WIDTH + "], found " + Arrays.toString(codes.shape()));
        }
        checkFinite(codes);
    }

    /** One native pass (a sum) to detect NaN/Inf; only on failure a scan to say where. */
    private static void checkFinite(INDArray codes) {
        double sum = codes.sumNumber().doubleValue();
        if (Double.isFinite(sum)) {
            return;
        }
        INDArray flat = codes.reshape(codes.size(0), -1);
        for (int i = 0; i < flat.rows(); i++) {
            float[] row = flat.getRow(i).toFloatVector();
            for (int j = 0; j < row.length; j++) {
                if (!Float.isFinite(row[j])) {
                    long l = j / codes.size(2);
                    long d = j % codes.size(2);
                    throw new IllegalArgumentException("codes: expected finite numbers, found " + row[j] + " at frame " + i
                            + ", layer " + l + ", channel " + d);
                }
            }
        }
    }

    @FunctionalInterface
    private interface BatchSink {
        void accept(int from, FloatBuffer output, int count, int height, int width);
    }

    private synchronized void runBatches(INDArray given, BatchSink sink) {
        model.ensureOpen("Synthesizer");
        // ND4J 1.0.0-M2.1 gets a view of a view wrong: codes.get(interval(1, 3)).get(interval(1, 2), all, all)
        // is an empty array. So a view (e.g. frames 100..199 of a clip) is copied once, then cut into batches.
        INDArray codes = given.isView() ? given.dup('c') : given;
        int n = (int) codes.size(0);
        int per = layers * STYLE_WIDTH;
        if (input == null) {
            input = ByteBuffer.allocateDirect(chunk * per * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        }
        for (int from = 0; from < n; from += chunk) {
            int count = Math.min(chunk, n - from);
            int runCount = fixedBatch ? chunk : count;
            INDArray part = codes.get(NDArrayIndex.interval(from, from + count), NDArrayIndex.all(), NDArrayIndex.all());
            INDArray copy = part.dup('c');
            float[] values = copy.data().asFloat();
            copy.close(); // native memory: left to the GC it piles up over a long render (~160 KB per batch)
            input.clear();
            input.put(values, 0, count * per);
            for (int pad = count; pad < runCount; pad++) { // a fixed-batch model: repeat the last code
                input.put(values, (count - 1) * per, per);
            }
            input.flip();
            try (OnnxTensor tensor = OnnxTensor.createTensor(model.env, input, new long[] {runCount, layers, STYLE_WIDTH})) {
                boolean pin = runCount == chunk && imageHeight > 0 && imageWidth > 0;
                if (pin) {
                    if (pinnedOutput == null) {
                        output = ByteBuffer.allocateDirect(chunk * 3 * imageHeight * imageWidth * Float.BYTES)
                                .order(ByteOrder.nativeOrder()).asFloatBuffer();
                        pinnedOutput = OnnxTensor.createTensor(model.env, output, new long[] {chunk, 3, imageHeight, imageWidth});
                    }
                    try (OrtSession.Result r = model.session.run(Map.of(model.inputName, tensor), Map.of(model.outputName, pinnedOutput))) {
                        output.position(0);
                        sink.accept(from, output, count, imageHeight, imageWidth);
                    }
                } else {
                    try (OrtSession.Result r = model.session.run(Map.of(model.inputName, tensor))) {
                        OnnxValue v = r.get(0);
                        long[] shape = ((OnnxTensor) v).getInfo().getShape();
                        if (shape.length != 4 || shape[1] != 3 || shape[0] != runCount) {
                            throw new IllegalStateException("synthesis model " + model.name + ": expected output [" + runCount
                                    + ", 3, H, W], found " + Arrays.toString(shape));
                        }
                        sink.accept(from, ((OnnxTensor) v).getFloatBuffer(), count, (int) shape[2], (int) shape[3]);
                    }
                }
            } catch (OrtException e) {
                throw new IllegalStateException("synthesis model " + model.name + " failed on codes " + from + ".."
                        + (from + count - 1) + ": " + e.getMessage(), e);
            }
        }
    }

    private BufferedImage toImage(FloatBuffer out, int i, int h, int w) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] px = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
        int plane = h * w;
        int base = i * 3 * plane;
        float lo = range.low();
        float scale = 255f / (range.high() - range.low());
        for (int p = 0; p < plane; p++) {
            int r = toByte((out.get(base + p) - lo) * scale);
            int g = toByte((out.get(base + plane + p) - lo) * scale);
            int b = toByte((out.get(base + 2 * plane + p) - lo) * scale);
            px[p] = (r << 16) | (g << 8) | b;
        }
        return img;
    }

    private static int toByte(float v) {
        int x = Math.round(v);
        return x < 0 ? 0 : (x > 255 ? 255 : x); // NaN rounds to 0
    }

    // ------------------------------------------------------------------ interface table

    /** The model's interface and run settings as a two-column table. */
    public Table interfaceTable() {
        PropertyTable rows = new PropertyTable();
        rows.row("model", model.name + String.format(Locale.ROOT, " (%.2f MB file)", model.fileBytes / 1e6));
        rows.row("input", model.inputName + " float32 " + OnnxModel.shape(model.inputShape) + "  (W+ codes)");
        rows.row("output", model.outputName + " float32 " + OnnxModel.shape(model.outputShape) + "  (RGB images)");
        rows.row("W+ layers L", Integer.toString(layers));
        rows.row("image", (imageWidth > 0 ? imageWidth + "×" + imageHeight : "dynamic") + " pixels");
        rows.row("value range", range + " (" + rangeSource + ")");
        rows.row("device", model.device.toString());
        rows.row("threads / batch", model.options.threads() + " intra-op / " + chunk + (fixedBatch ? " (fixed by the model)"
                : model.options.batchIsAutomatic() ? " (automatic for " + imageWidth + "×" + imageHeight + ")" : ""));
        for (var e : model.metadata.entrySet()) {
            if (!e.getKey().equals(ValueRange.METADATA_KEY)) {
                rows.row("metadata " + e.getKey(), e.getValue());
            }
        }
        return rows.build("Synthesizer " + model.name);
    }

    @Override
    public String toString() {
        return "Synthesizer[" + model.name + ": " + model.inputName + " " + OnnxModel.shape(model.inputShape) + " → "
                + model.outputName + " " + OnnxModel.shape(model.outputShape) + ", range " + range + ", " + model.device.device()
                + (model.isClosed() ? ", closed" : "") + "]";
    }

    /** Releases the session, its native buffers and its mapping network; later calls throw IllegalStateException. */
    @Override
    public synchronized void close() {
        if (mapping != null) {
            mapping.close();
        }
        if (pinnedOutput != null) {
            pinnedOutput.close();
            pinnedOutput = null;
        }
        model.close();
    }
}

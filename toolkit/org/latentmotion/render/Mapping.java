package org.latentmotion.render;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tech.tablesaw.api.Table;

/**
 * A StyleGAN mapping network on ONNX Runtime: latent z [N, z_dim] → style codes w [N, w_dim],
 * plus the average code w_avg [w_dim] that truncation pulls towards. This is where a trained
 * StyleGAN's faces come from: a Gaussian W+ code is not a face, a mapped one is.
 *
 * <p>The model (written as {@code mapping.onnx} next to the synthesis network by the exporters
 * in datasets/models/) has one float32 input of rank 2 (z), and two float32 outputs: one of rank
 * 2 (w, untruncated) and one of rank 1 (w_avg). Names are free; the ranks say which is which.
 * Metadata: {@code latentmotion.num_ws} (how many W+ layers the synthesis network has, so W
 * codes broadcast to the right W+ shape), {@code latentmotion.kind} = {@code mapping} (if
 * present it must say so), {@code latentmotion.w_avg_source} (shown, not interpreted).
 *
 * <pre>{@code
 * try (var g = Synthesizer.open(Path.of("my-stylegan2/stylegan2.onnx"))) {
 *     WCodes faces = g.mapping().sample(8, 42, 0.7);   // z from seeds, truncated towards w_avg
 *     BufferedImage[] pictures = g.renderFrames(faces.wPlus());
 * }
 * }</pre>
 */
public final class Mapping implements AutoCloseable {
    /** Metadata keys of the mapping-network contract (see datasets/models/stylegan2/README.md). */
    public static final String KIND_KEY = "latentmotion.kind";
    public static final String NUM_WS_KEY = "latentmotion.num_ws";
    public static final String W_AVG_SOURCE_KEY = "latentmotion.w_avg_source";
    /** The file name the exporters write next to the synthesis network. */
    public static final String FILE_NAME = "mapping.onnx";

    private final OnnxModel model;
    private final String zName;
    private final String wName;
    private final String wAvgName;
    private final int zDim;
    private final int wDim;
    private final int layers;
    private final float[] wAvg;

    private Mapping(OnnxModel model) {
        this.model = model;
        try {
            String kind = model.metadata.get(KIND_KEY);
            if (kind != null && !kind.equals("mapping")) {
                throw new IllegalArgumentException("mapping model " + model.name + ": expected metadata " + KIND_KEY
                        + " = \"mapping\", found \"" + kind + "\"");
            }
            if (model.inputs.size() != 1) {
                throw new IllegalArgumentException("mapping model " + model.name + ": expected one input z [N, z_dim], found "
                        + model.inputs.size() + " inputs " + OnnxModel.describe(model.inputs));
            }
            var in = model.inputs.entrySet().iterator().next();
            long[] zShape = model.floatTensorShape(in.getValue(), "mapping", "input");
            if (zShape.length != 2 || zShape[1] < 1) {
                throw new IllegalArgumentException("mapping model " + model.name + ": expected input '" + in.getKey()
                        + "' of shape [N, z_dim] (z_dim fixed), found " + OnnxModel.shape(zShape));
            }
            this.zName = in.getKey();
            this.zDim = (int) zShape[1];
            String w = null;
            String avg = null;
            long[] wShape = null;
            long[] avgShape = null;
            for (Map.Entry<String, NodeInfo> e : model.outputs.entrySet()) {
                long[] shape = model.floatTensorShape(e.getValue(), "mapping", "output");
                if (shape.length == 2 && w == null) {
                    w = e.getKey();
                    wShape = shape;
                } else if (shape.length == 1 && avg == null) {
                    avg = e.getKey();
                    avgShape = shape;
                } else {
                    w = null;
                    break;
                }
            }
            if (w == null || avg == null || model.outputs.size() != 2) {
                throw new IllegalArgumentException("mapping model " + model.name + ": expected two outputs, w [N, w_dim] and "
                        + "w_avg [w_dim], found " + OnnxModel.describe(model.outputs));
            }
            if (wShape[1] < 1 || (avgShape[0] >= 0 && avgShape[0] != wShape[1])) {
                throw new IllegalArgumentException("mapping model " + model.name + ": expected w [N, w_dim] (w_dim fixed) and "
                        + "w_avg [w_dim] of the same width, found " + w + " " + OnnxModel.shape(wShape) + " and " + avg + " "
                        + OnnxModel.shape(avgShape));
            }
            this.wName = w;
            this.wAvgName = avg;
            this.wDim = (int) wShape[1];
            this.layers = parseLayers(model);
            // w_avg is a constant of the graph; one run on a zero z reads it (and proves the graph runs)
            float[][] out = run(new float[zDim], 1);
            this.wAvg = out[1];
            if (wAvg.length != wDim) {
                throw new IllegalArgumentException("mapping model " + model.name + ": expected w_avg [" + wDim + "], found ["
                        + wAvg.length + "]");
            }
            for (int i = 0; i < wAvg.length; i++) {
                if (!Float.isFinite(wAvg[i])) {
                    throw new IllegalArgumentException("mapping model " + model.name + ": expected a finite w_avg, found "
                            + wAvg[i] + " at channel " + i + " (" + W_AVG_SOURCE_KEY + ": "
                            + model.metadata.getOrDefault(W_AVG_SOURCE_KEY, "not stated") + ")");
                }
            }
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    private static int parseLayers(OnnxModel model) {
        String stated = model.metadata.get(NUM_WS_KEY);
        if (stated == null) {
            return -1; // unknown: wPlus(layers) needs it given; Synthesizer.mapping() supplies its own
        }
        try {
            int n = Integer.parseInt(stated.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("mapping model " + model.name + ": metadata " + NUM_WS_KEY
                + ": expected a positive whole number (the synthesis network's W+ layers), found \"" + stated + "\"");
    }

    /** Opens the mapping network at {@code path} (by path: external data and files over 2 GB work). */
    public static Mapping open(Path path) {
        return open(path, OnnxOptions.defaults());
    }

    /** Opens the mapping network at {@code path} with {@code options}; throws if there is no model file there. */
    public static Mapping open(Path path, OnnxOptions options) {
        return new Mapping(OnnxModel.open(path, options, "mapping", "mapping", false));
    }

    /** Opens a mapping network held in memory; {@code name} is for messages. */
    public static Mapping open(String name, byte[] onnx, OnnxOptions options) {
        return new Mapping(OnnxModel.open(name, onnx, null, options, "mapping", "mapping", false));
    }

    // ------------------------------------------------------------------ interface

    /** Width of z. */
    public int zDim() {
        return zDim;
    }

    /** Width of w (512 for every StyleGAN2/3). */
    public int wDim() {
        return wDim;
    }

    /** The synthesis network's W+ layer count, from metadata {@value #NUM_WS_KEY}; -1 if not stated. */
    public int layers() {
        return layers;
    }

    /** The average w (a copy), the centre truncation pulls towards. */
    public INDArray wAvg() {
        return Nd4j.create(wAvg.clone(), new long[] {wDim}, 'c');
    }

    /** The model's name: its file name, or the name it was given with its bytes. */
    public String name() {
        return model.name;
    }

    /** The model's custom ONNX metadata. */
    public Map<String, String> metadata() {
        return Collections.unmodifiableMap(model.metadata);
    }

    // ------------------------------------------------------------------ mapping

    /**
     * {@code n} codes from seeds: z = numpy's {@code RandomState(seed).randn(n, z_dim)} (so
     * {@code sample(1, 42, ψ)} is the z of NVlabs' {@code generate.py --seeds=42}), mapped, then
     * truncated: w_avg + ψ (w − w_avg). ψ = 1 keeps w; ψ = 0 gives w_avg; 0.5–0.7 trades
     * variety for typical, cleaner faces.
     */
    public WCodes sample(int n, long seed, double truncation) {
        if (n < 1) {
            throw new IllegalArgumentException("sample: expected at least 1 code, found " + n);
        }
        return map(Nd4j.create(NumpyRandom.randn(seed, n, zDim), new long[] {n, zDim}, 'c'), truncation)
                .withSource(String.format(Locale.ROOT, "%s, seed %d, ψ = %s", model.name, seed, psi(truncation)));
    }

    /** {@code n} codes from seeds, untruncated (ψ = 1). */
    public WCodes sample(int n, long seed) {
        return sample(n, seed, 1.0);
    }

    /** Maps z [N, z_dim] to untruncated w codes. */
    public WCodes map(INDArray z) {
        return map(z, 1.0);
    }

    /** Maps z [N, z_dim] and truncates towards w_avg with {@code truncation} ψ. */
    public synchronized WCodes map(INDArray z, double truncation) {
        model.ensureOpen("Mapping");
        if (!Double.isFinite(truncation)) {
            throw new IllegalArgumentException("truncation ψ: expected a finite number (0 … 1 usually), found " + truncation);
        }
        if (z == null || z.rank() != 2 || z.size(1) != zDim || z.size(0) < 1) {
            throw new IllegalArgumentException("mapping model " + model.name + ": expected z [N, " + zDim + "], found "
                    + (z == null ? "null" : Arrays.toString(z.shape())));
        }
        int n = (int) z.size(0);
        float[] values = z.dup('c').data().asFloat();
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new IllegalArgumentException("z: expected finite numbers, found " + values[i] + " at row " + (i / zDim)
                        + ", column " + (i % zDim));
            }
        }
        float[] w = run(values, n)[0];
        float psi = (float) truncation;
        if (psi != 1f) {
            for (int i = 0; i < w.length; i++) {
                float avg = wAvg[i % wDim];
                w[i] = avg + psi * (w[i] - avg);
            }
        }
        for (int i = 0; i < w.length; i++) {
            if (!Float.isFinite(w[i])) {
                throw new IllegalStateException("mapping model " + model.name + ": produced " + w[i] + " for z row "
                        + (i / wDim) + " (channel " + (i % wDim) + ")");
            }
        }
        INDArray codes = Nd4j.create(w, new long[] {n, wDim}, 'c');
        return new WCodes(codes, layers, truncation, "mapped by " + model.name + ", ψ = " + psi(truncation));
    }

    static String psi(double truncation) {
        return truncation == Math.rint(truncation) ? String.format(Locale.ROOT, "%.0f", truncation)
                : String.format(Locale.ROOT, "%s", (float) truncation);
    }

    /** Runs z values [n, zDim]; returns {w [n·wDim], w_avg [wDim]}. */
    private float[][] run(float[] z, int n) {
        FloatBuffer buf = FloatBuffer.wrap(z);
        try (OnnxTensor t = OnnxTensor.createTensor(model.env, buf, new long[] {n, zDim});
             OrtSession.Result r = model.session.run(Map.of(zName, t))) {
            OnnxTensor w = (OnnxTensor) r.get(wName).orElseThrow();
            OnnxTensor avg = (OnnxTensor) r.get(wAvgName).orElseThrow();
            long[] ws = w.getInfo().getShape();
            if (ws.length != 2 || ws[0] != n || ws[1] != wDim) {
                throw new IllegalStateException("mapping model " + model.name + ": expected output " + wName + " [" + n + ", "
                        + wDim + "], found " + Arrays.toString(ws));
            }
            float[] wv = new float[n * wDim];
            w.getFloatBuffer().get(wv);
            FloatBuffer ab = avg.getFloatBuffer();
            float[] av = new float[ab.remaining()];
            ab.get(av);
            return new float[][] {wv, av};
        } catch (OrtException e) {
            throw new IllegalStateException("mapping model " + model.name + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Checks that this mapping feeds {@code synthesizer}: w_dim equals its code width and the
     * stated layer count equals its L. Returns the layer count to use.
     */
    int checkFeeds(Synthesizer synthesizer) {
        if (wDim != synthesizer.width()) {
            throw new IllegalArgumentException("mapping model " + model.name + " does not fit synthesis model "
                    + synthesizer.name() + ": expected w_dim " + synthesizer.width() + ", found " + wDim);
        }
        if (layers > 0 && layers != synthesizer.layers()) {
            throw new IllegalArgumentException("mapping model " + model.name + " does not fit synthesis model "
                    + synthesizer.name() + ": expected metadata " + NUM_WS_KEY + " = " + synthesizer.layers()
                    + " (the synthesis network's W+ layers), found " + layers);
        }
        return synthesizer.layers();
    }

    /** A view that stamps {@code layers} on the codes it makes (for a mapping that does not state it). */
    Mapping withLayers(int l) {
        return l == layers ? this : new Mapping(this, l);
    }

    private Mapping(Mapping m, int layers) {
        this.model = m.model;
        this.zName = m.zName;
        this.wName = m.wName;
        this.wAvgName = m.wAvgName;
        this.zDim = m.zDim;
        this.wDim = m.wDim;
        this.wAvg = m.wAvg;
        this.layers = layers;
    }

    // ------------------------------------------------------------------ interface table

    /**
     * The model's interface as a table: file, z input, w and w_avg outputs, W+ layers, |w_avg|, device and metadata.
     */
    public Table interfaceTable() {
        PropertyTable rows = new PropertyTable();
        rows.row("model", model.name + String.format(Locale.ROOT, " (%.2f MB)", model.fileBytes / 1e6));
        rows.row("input", zName + " float32 [N, " + zDim + "]  (z)");
        rows.row("outputs", wName + " float32 [N, " + wDim + "]  (w, untruncated), " + wAvgName + " float32 ["
                + wDim + "]  (w_avg)");
        rows.row("W+ layers L", layers > 0 ? Integer.toString(layers) : "not stated (" + NUM_WS_KEY + ")");
        double norm = 0;
        for (float v : wAvg) {
            norm += v * v;
        }
        rows.row("|w_avg|", String.format(Locale.ROOT, "%.3f", Math.sqrt(norm)));
        rows.row("device", model.device.toString());
        for (var e : model.metadata.entrySet()) {
            rows.row("metadata " + e.getKey(), e.getValue());
        }
        return rows.build("Mapping " + model.name);
    }

    @Override
    public String toString() {
        return "Mapping[" + model.name + ": z [N, " + zDim + "] → w [N, " + wDim + "], L = " + (layers > 0 ? layers : "?")
                + (model.isClosed() ? ", closed" : "") + "]";
    }

    /** Releases the session; later calls throw IllegalStateException. */
    @Override
    public void close() {
        model.close();
    }
}

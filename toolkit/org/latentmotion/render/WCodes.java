package org.latentmotion.render;

import java.util.Arrays;
import java.util.Locale;
import org.latentmotion.wplus.Trajectory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * W codes from a {@link Mapping}: [N, w_dim] float32, one style vector per picture, with the
 * synthesis network's W+ layer count L they are meant for. A synthesis network takes W+ codes
 * [N, L, w_dim]: {@link #wPlus()} repeats each code on every layer (what StyleGAN does),
 * {@link #mix} takes the layers from {@code fromLayer} on from other codes (style mixing: coarse
 * layers set pose and shape, fine ones colour and texture), {@link #loop} makes a trajectory.
 *
 * <pre>{@code
 * WCodes faces = synthesizer.mapping().sample(4, 42, 0.7);
 * INDArray wPlus = faces.wPlus();                          // [4, L, 512]
 * INDArray mixed = faces.mix(faces.get(0), faces.layers() / 2); // every face with face 0's fine layers
 * }</pre>
 */
public final class WCodes {
    private final INDArray codes;
    private final int layers;
    private final double truncation;
    private final String source;

    WCodes(INDArray codes, int layers, double truncation, String source) {
        this.codes = codes;
        this.layers = layers;
        this.truncation = truncation;
        this.source = source;
    }

    /**
     * Codes given directly, e.g. read from a file: [N, w_dim], meant for a synthesis network with
     * {@code layers} W+ layers.
     */
    public static WCodes of(INDArray codes, int layers, String source) {
        if (codes == null || codes.rank() != 2 || codes.size(0) < 1 || codes.size(1) < 1) {
            throw new IllegalArgumentException("W codes: expected [N, w_dim], found "
                    + (codes == null ? "null" : Arrays.toString(codes.shape())));
        }
        if (layers < 1) {
            throw new IllegalArgumentException("W codes: expected a layer count of at least 1, found " + layers);
        }
        return new WCodes(codes.castTo(DataType.FLOAT).dup('c'), layers, Double.NaN, source);
    }

    WCodes withSource(String newSource) {
        return new WCodes(codes, layers, truncation, newSource);
    }

    /** The codes [N, w_dim] (not a copy). */
    public INDArray codes() {
        return codes;
    }

    /** Number of codes N. */
    public int size() {
        return (int) codes.size(0);
    }

    /** w_dim. */
    public int width() {
        return (int) codes.size(1);
    }

    /** The W+ layer count L these codes are for; -1 if the mapping network did not state it. */
    public int layers() {
        return layers;
    }

    /** The truncation ψ they were made with (NaN for codes given directly). */
    public double truncation() {
        return truncation;
    }

    /**
     * Where the codes came from, for messages: the mapping network with seed and ψ, or what was given to {@link #of}.
     */
    public String source() {
        return source;
    }

    /** Code {@code i} alone. */
    public WCodes get(int i) {
        checkIndex(i);
        return new WCodes(codes.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.all()).dup('c'), layers, truncation,
                source + ", code " + i);
    }

    /** Codes {@code from} (inclusive) to {@code to} (exclusive). */
    public WCodes slice(int from, int to) {
        if (from < 0 || to > size() || from >= to) {
            throw new IllegalArgumentException("W codes: expected 0 ≤ from < to ≤ " + size() + ", found " + from + ", " + to);
        }
        return new WCodes(codes.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).dup('c'), layers, truncation,
                source + ", codes " + from + "…" + (to - 1));
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= size()) {
            throw new IndexOutOfBoundsException("W codes: expected an index in 0…" + (size() - 1) + ", found " + i);
        }
    }

    /** W+ codes [N, L, w_dim]: each code on every one of the synthesis network's L layers. */
    public INDArray wPlus() {
        return wPlus(requireLayers());
    }

    /** W+ codes [N, layers, w_dim]: each code repeated on {@code layers} layers. */
    public INDArray wPlus(int layers) {
        if (layers < 1) {
            throw new IllegalArgumentException("W+ layers: expected at least 1, found " + layers);
        }
        int n = size();
        int d = width();
        float[] src = codes.data().asFloat();
        float[] out = new float[n * layers * d];
        for (int i = 0; i < n; i++) {
            for (int l = 0; l < layers; l++) {
                System.arraycopy(src, i * d, out, (i * layers + l) * d, d);
            }
        }
        return Nd4j.create(out, new long[] {n, layers, d}, 'c');
    }

    /**
     * Style mixing: W+ codes [N, L, w_dim] whose layers before {@code fromLayer} come from these
     * codes and the layers from {@code fromLayer} on from {@code fine}. {@code fine} has N codes
     * (paired in order) or one (used for all). Early layers hold pose and face shape, late ones
     * colour and fine texture; a cut at L/2 mixes about evenly.
     */
    public INDArray mix(WCodes fine, int fromLayer) {
        int l = requireLayers();
        if (fine.width() != width()) {
            throw new IllegalArgumentException("style mixing: expected codes of width " + width() + ", found " + fine.width());
        }
        if (fine.size() != size() && fine.size() != 1) {
            throw new IllegalArgumentException("style mixing: expected " + size() + " codes (one per code) or 1, found "
                    + fine.size());
        }
        if (fromLayer < 0 || fromLayer > l) {
            throw new IllegalArgumentException("style mixing: expected a first fine layer in 0…" + l + ", found " + fromLayer);
        }
        int n = size();
        int d = width();
        INDArray out = wPlus(l);
        float[] flat = out.data().asFloat();
        float[] other = fine.codes.data().asFloat();
        for (int i = 0; i < n; i++) {
            int j = fine.size() == 1 ? 0 : i;
            for (int k = fromLayer; k < l; k++) {
                System.arraycopy(other, j * d, flat, (i * l + k) * d, d);
            }
        }
        return Nd4j.create(flat, new long[] {n, l, d}, 'c');
    }

    /**
     * Every code here mixed with every code of {@code fine}: [N·M, L, w_dim], row by row (row i
     * holds code i's coarse layers with each of fine's M codes in turn) — a style-mixing grid.
     */
    public INDArray mixGrid(WCodes fine, int fromLayer) {
        INDArray[] rows = new INDArray[size()];
        for (int i = 0; i < size(); i++) {
            WCodes repeated = new WCodes(Nd4j.repeat(codes.getRow(i, true), fine.size()).reshape(fine.size(), width()),
                    layers, truncation, source);
            rows[i] = repeated.mix(fine, fromLayer);
        }
        return Nd4j.concat(0, rows);
    }

    /**
     * A seamless loop through the codes, {@code frames} long at {@code fps}: equal time from each
     * code to the next (the last leads back to the first), eased with a half cosine so the motion
     * slows at each code instead of turning sharply.
     */
    public Trajectory loop(int frames, double fps) {
        int l = requireLayers();
        if (frames < 1) {
            throw new IllegalArgumentException("loop: expected at least 1 frame, found " + frames);
        }
        int n = size();
        int d = width();
        float[] src = codes.data().asFloat();
        float[] out = new float[frames * l * d];
        for (int t = 0; t < frames; t++) {
            double u = (double) n * t / frames;
            int i = (int) u;
            float a = (float) (0.5 - 0.5 * Math.cos(Math.PI * (u - i)));
            int from = (i % n) * d;
            int to = ((i + 1) % n) * d;
            for (int c = 0; c < d; c++) {
                float v = src[from + c] * (1 - a) + src[to + c] * a;
                for (int k = 0; k < l; k++) {
                    out[(t * l + k) * d + c] = v;
                }
            }
        }
        return Trajectory.of(out, frames, l, d, fps, "loop through " + n + " codes (" + source + ")");
    }

    private int requireLayers() {
        if (layers < 1) {
            throw new IllegalStateException("W codes from " + source + ": the W+ layer count is not known (the mapping "
                    + "network does not state metadata " + Mapping.NUM_WS_KEY + "); get codes through "
                    + "synthesizer.mapping(), or give it: wPlus(layers)");
        }
        return layers;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "WCodes[%d × %d, for L = %s, %s]", size(), width(),
                layers > 0 ? Integer.toString(layers) : "?", source);
    }
}

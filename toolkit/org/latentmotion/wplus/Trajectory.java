package org.latentmotion.wplus;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * A sequence of StyleGAN W+ codes: T frames × L layers × width (512) float32 values, with a
 * frame rate and a label saying where it came from.
 *
 * <p>Immutable by convention: operations return new trajectories; {@link #codes()} is a view
 * that callers must not modify. A trajectory holds codes, not pictures: to see its frames, hand
 * it to a renderer ({@code synthesizer.render(trajectory)}) or to the display layer's views.
 */
public final class Trajectory {
    private final INDArray codes; // [T, L, D], float32, C order
    private final double fps;
    private final String source;

    private Trajectory(INDArray codes, double fps, String source) {
        this.codes = codes;
        this.fps = fps;
        this.source = source;
    }

    /**
     * Wraps {@code codes} of shape [T, L, D] (no copy when it is already float32 in C order).
     *
     * @throws IllegalArgumentException if the shape is not rank 3 or any size is zero
     */
    public static Trajectory of(INDArray codes, double fps, String source) {
        Objects.requireNonNull(codes, "codes");
        if (codes.rank() != 3) {
            throw new IllegalArgumentException("trajectory codes: expected shape [T, L, D], found "
                    + Arrays.toString(codes.shape()));
        }
        if (codes.size(0) < 1 || codes.size(1) < 1 || codes.size(2) < 1) {
            throw new IllegalArgumentException("trajectory codes: every dimension must be at least 1, found "
                    + Arrays.toString(codes.shape()));
        }
        if (!(fps > 0) || Double.isInfinite(fps)) {
            throw new IllegalArgumentException("trajectory fps: expected a positive number, found " + fps);
        }
        INDArray c = codes;
        if (c.dataType() != DataType.FLOAT) {
            c = c.castTo(DataType.FLOAT);
        }
        if (c.ordering() != 'c' || c.isView()) {
            c = c.dup('c');
        }
        return new Trajectory(c, fps, source == null ? "" : source);
    }

    /** A trajectory from a flat C-order array of T × L × D floats (copied). */
    public static Trajectory of(float[] data, int frames, int layers, int width, double fps, String source) {
        long expected = (long) frames * layers * width;
        if (data.length != expected) {
            throw new IllegalArgumentException("trajectory data: expected " + frames + " × " + layers + " × "
                    + width + " = " + expected + " floats, found " + data.length);
        }
        return of(Nd4j.create(data, new long[] {frames, layers, width}, 'c'), fps, source);
    }

    /**
     * The trajectory stored as array {@code member} of a numpy {@code .npz} archive (e.g.
     * {@code np.savez("talk.npz", w=codes)}), played at {@code fps}: one line from a Python
     * inversion to the toolkit. The array must be W+ codes [T, L, D] of a floating-point dtype;
     * only that member is inflated. Errors name the file and member and say what was expected
     * and found: a missing member (listing those there are), [T, D] W codes (repeat each code
     * over the layers first), several clips [N, T, L, D], integers, NaN or infinity.
     */
    public static Trajectory fromNpz(Path path, String member, double fps) {
        Objects.requireNonNull(path, "path");
        INDArray a = Npz.read(path, member);
        String where = path.getFileName() + ":" + member;
        if (!a.dataType().isFPType()) {
            throw new IllegalArgumentException("NPZ member '" + member + "' of " + path + ": expected floating-point W+"
                    + " codes, found " + a.dataType().name().toLowerCase(java.util.Locale.ROOT) + " values");
        }
        if (a.rank() != 3) {
            String hint = switch (a.rank()) {
                case 2 -> " (W codes, one per frame: repeat each over the layers, e.g. np.repeat(w[:, None], L, 1)"
                        + " in numpy, before saving)";
                case 4 -> " (several clips: pick one, e.g. codes[0], or read the array with Npz.read and slice it)";
                default -> "";
            };
            throw new IllegalArgumentException("NPZ member '" + member + "' of " + path + ": expected W+ codes [T, L, D]"
                    + " (frames × layers × width, e.g. [250, 18, 512]), found " + Arrays.toString(a.shape()) + hint);
        }
        if (a.length() == 0) {
            throw new IllegalArgumentException("NPZ member '" + member + "' of " + path + ": expected at least one frame,"
                    + " layer and value, found shape " + Arrays.toString(a.shape()));
        }
        return of(a, fps, where);
    }

    /** Concatenates trajectories in time; all must have the same layers, width and fps. */
    public static Trajectory concat(List<Trajectory> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("concat: expected at least one trajectory, found none");
        }
        Trajectory first = parts.get(0);
        INDArray[] arrays = new INDArray[parts.size()];
        for (int i = 0; i < parts.size(); i++) {
            Trajectory p = parts.get(i);
            if (p.layers() != first.layers() || p.width() != first.width() || p.fps != first.fps) {
                throw new IllegalArgumentException("concat: part " + i + " is " + p.describeShape()
                        + " at " + p.fps + " fps, expected " + first.describeShape() + " at " + first.fps + " fps");
            }
            arrays[i] = p.codes;
        }
        return new Trajectory(Nd4j.concat(0, arrays), first.fps, first.source);
    }

    /** Number of frames T. */
    public int frames() {
        return (int) codes.size(0);
    }

    /** W+ layers L per frame (18 for a 1024² StyleGAN2). */
    public int layers() {
        return (int) codes.size(1);
    }

    /** Width D of each layer's code (512 for StyleGAN). */
    public int width() {
        return (int) codes.size(2);
    }

    /** Frames per second. */
    public double fps() {
        return fps;
    }

    /** Where the trajectory came from (a file, a model, an operation), for messages; "" if not given. */
    public String source() {
        return source;
    }

    /** Length in seconds: frames / fps. */
    public double durationSeconds() {
        return frames() / fps;
    }

    /** The codes as [T, L, D] float32 (shared, do not modify). */
    public INDArray codes() {
        return codes;
    }

    /** The codes flattened per frame, [T, L·D] (a view, do not modify). */
    public INDArray flatFrames() {
        return codes.reshape('c', frames(), (long) layers() * width());
    }

    /** One frame's code, [L, D] (a view). */
    public INDArray frame(int t) {
        checkFrame(t);
        return codes.get(NDArrayIndex.point(t), NDArrayIndex.all(), NDArrayIndex.all());
    }

    /** One layer over time, [T, D] (a copy). */
    public INDArray layer(int l) {
        if (l < 0 || l >= layers()) {
            throw new IndexOutOfBoundsException("layer " + l + " of a trajectory with " + layers() + " layers");
        }
        return codes.get(NDArrayIndex.all(), NDArrayIndex.point(l), NDArrayIndex.all()).dup('c');
    }

    /** Frames [from, to) as a new trajectory. */
    public Trajectory slice(int from, int to) {
        if (from < 0 || to > frames() || from >= to) {
            throw new IndexOutOfBoundsException("slice [" + from + ", " + to + ") of a trajectory with "
                    + frames() + " frames");
        }
        INDArray part = codes.get(NDArrayIndex.interval(from, to), NDArrayIndex.all(), NDArrayIndex.all()).dup('c');
        return new Trajectory(part, fps, source);
    }

    /** The mean code over time, [L, D]. */
    public INDArray mean() {
        return codes.mean(0);
    }

    /**
     * Adds {@code offset} to every frame: [L, D] per layer, or [D] (or [1, D]) broadcast to all
     * layers.
     */
    public Trajectory plus(INDArray offset) {
        INDArray o = offset;
        if (o.rank() == 1 || (o.rank() == 2 && o.size(0) == 1 && layers() != 1)) {
            o = o.reshape(1, width()).repeat(0, layers());
        }
        if (o.rank() != 2 || o.size(0) != layers() || o.size(1) != width()) {
            throw new IllegalArgumentException("offset: expected [" + layers() + ", " + width() + "] or ["
                    + width() + "], found " + Arrays.toString(offset.shape()));
        }
        INDArray out = codes.dup('c');
        long flat = (long) layers() * width();
        // a [1, flat] row broadcast by the pairwise op, not addiRowVector: ND4J's broadcast op can lose its
        // dimension buffer to a garbage collection mid-call (org.latentmotion.nn.Broadcasts, a layer above)
        out.reshape('c', frames(), flat).addi(o.castTo(DataType.FLOAT).dup('c').reshape(1, flat));
        return new Trajectory(out, fps, source);
    }

    /** The same codes (shared, not copied) with another source label. */
    public Trajectory withSource(String newSource) {
        return new Trajectory(codes, fps, newSource);
    }

    /**
     * The same codes played at {@code newFps} (no frames added or dropped); throws unless it is positive and finite.
     */
    public Trajectory withFps(double newFps) {
        return new Trajectory(of(codes, newFps, source).codes, newFps, source);
    }

    // ---- statistics -------------------------------------------------------------------

    /** L2 norm of every layer's code at every frame, [T, L]. */
    public double[][] layerNorms() {
        return codes.norm2(2).castTo(DataType.DOUBLE).reshape(frames(), layers()).toDoubleMatrix();
    }

    /** L2 distance of every layer's code from that layer's mean code, [T, L]. */
    public double[][] distanceFromMean() {
        long flat = (long) layers() * width();
        INDArray centred = flatFrames().sub(codes.mean(0).reshape(1, flat)) // pairwise, as in offset()
                .reshape('c', frames(), layers(), width());
        return centred.norm2(2).castTo(DataType.DOUBLE).reshape(frames(), layers()).toDoubleMatrix();
    }

    /** L2 distance each layer moves from one frame to the next, [T - 1, L] (empty for one frame). */
    public double[][] frameSpeeds() {
        if (frames() < 2) {
            return new double[0][layers()];
        }
        INDArray a = codes.get(NDArrayIndex.interval(1, frames()), NDArrayIndex.all(), NDArrayIndex.all());
        INDArray b = codes.get(NDArrayIndex.interval(0, frames() - 1), NDArrayIndex.all(), NDArrayIndex.all());
        return a.sub(b).norm2(2).castTo(DataType.DOUBLE).reshape(frames() - 1, layers()).toDoubleMatrix();
    }

    /** Mean over frames and the group's layers of a [rows, L] statistic; NaN if there are no rows. */
    static double groupMean(double[][] perLayer, LayerGroups.Group g) {
        double sum = 0;
        long n = 0;
        for (double[] row : perLayer) {
            for (int l = g.from(); l < g.to(); l++) {
                sum += row[l];
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /**
     * A one-row summary: frames, layers, width, fps, duration, and per layer group the mean code
     * norm and the mean frame-to-frame speed (L2 distance per frame, per layer).
     */
    public Table summary() {
        Table t = Table.create(source.isEmpty() ? "Trajectory" : source);
        addSummaryColumns(t);
        appendSummaryRow(t);
        return t;
    }

    void addSummaryColumns(Table t) {
        t.addColumns(IntColumn.create("frames"), IntColumn.create("layers"), IntColumn.create("width"),
                DoubleColumn.create("fps"), DoubleColumn.create("seconds"));
        for (LayerGroups.Group g : LayerGroups.of(layers())) {
            t.addColumns(DoubleColumn.create("norm " + g.name() + " " + g.range()));
        }
        for (LayerGroups.Group g : LayerGroups.of(layers())) {
            t.addColumns(DoubleColumn.create("speed " + g.name()));
        }
    }

    void appendSummaryRow(Table t) {
        List<LayerGroups.Group> groups = LayerGroups.of(layers());
        double[][] norms = layerNorms();
        double[][] speeds = frameSpeeds();
        int c = t.columnIndex("frames");
        t.intColumn(c).append(frames());
        t.intColumn(c + 1).append(layers());
        t.intColumn(c + 2).append(width());
        t.doubleColumn(c + 3).append(round(fps, 3));
        t.doubleColumn(c + 4).append(round(durationSeconds(), 3));
        for (int i = 0; i < groups.size(); i++) {
            t.doubleColumn(c + 5 + i).append(round(groupMean(norms, groups.get(i)), 4));
            t.doubleColumn(c + 5 + groups.size() + i).append(round(groupMean(speeds, groups.get(i)), 4));
        }
    }

    static double round(double v, int digits) {
        if (!Double.isFinite(v)) {
            return v;
        }
        double s = Math.pow(10, digits);
        double r = Math.round(v * s) / s;
        return Math.abs(v) >= 1e-3 || v == 0 ? r : v;
    }

    String describeShape() {
        return "[" + frames() + ", " + layers() + ", " + width() + "]";
    }

    private void checkFrame(int t) {
        if (t < 0 || t >= frames()) {
            throw new IndexOutOfBoundsException("frame " + t + " of a trajectory with " + frames() + " frames");
        }
    }

    @Override
    public String toString() {
        return String.format("Trajectory%s %.2f s at %.3g fps%s", describeShape(), durationSeconds(), fps,
                source.isEmpty() ? "" : " from " + source);
    }
}

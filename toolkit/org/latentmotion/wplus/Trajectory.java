package org.latentmotion.wplus;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.latentmotion.display.Displayable;
import org.latentmotion.display.MimeBundle;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A sequence of StyleGAN W+ codes: T frames × L layers × width (512) float32 values, with a
 * frame rate and a label saying where it came from.
 *
 * <p>Immutable by convention: operations return new trajectories; {@link #codes()} is a view
 * that callers must not modify.
 */
public final class Trajectory implements Displayable {
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

    public int frames() {
        return (int) codes.size(0);
    }

    public int layers() {
        return (int) codes.size(1);
    }

    public int width() {
        return (int) codes.size(2);
    }

    public double fps() {
        return fps;
    }

    public String source() {
        return source;
    }

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
        out.reshape('c', frames(), flat).addiRowVector(o.castTo(DataType.FLOAT).dup('c').reshape(1, flat));
        return new Trajectory(out, fps, source);
    }

    public Trajectory withSource(String newSource) {
        return new Trajectory(codes, fps, newSource);
    }

    public Trajectory withFps(double newFps) {
        return of(codes, newFps, source);
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
    public void renderTo(MimeBundle bundle) {
        bundle.text(toString());
    }

    @Override
    public String toString() {
        return String.format("Trajectory%s %.2f s at %.3g fps%s", describeShape(), durationSeconds(), fps,
                source.isEmpty() ? "" : " from " + source);
    }
}

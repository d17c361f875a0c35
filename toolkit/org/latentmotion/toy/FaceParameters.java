package org.latentmotion.toy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Named toy-face parameters over time: T frames × (yaw, pitch, roll, …, mouthOpen, smile, eyeOpen,
 * browRaise, gazeX, gazeY, …, lightX, lightY), as {@link FaceCodec#decode} reads them from W+ codes.
 * Immutable.
 */
public final class FaceParameters {
    private final List<String> names;
    private final double[][] values; // [P][T]
    private final double fps;

    FaceParameters(List<String> names, double[][] values, double fps) {
        if (names.size() != values.length) {
            throw new IllegalArgumentException("face parameters: " + names.size() + " names for " + values.length
                    + " value rows");
        }
        if (!(fps > 0)) {
            throw new IllegalArgumentException("face parameters: expected a positive fps, found " + fps);
        }
        int t = values.length == 0 ? 0 : values[0].length;
        for (double[] v : values) {
            if (v.length != t) {
                throw new IllegalArgumentException("face parameters: rows of different lengths " + t + " and " + v.length);
            }
        }
        this.names = List.copyOf(names);
        this.values = values;
        this.fps = fps;
    }

    /** Concatenates parameter sequences in time (all must have the same names and fps). */
    public static FaceParameters concat(List<FaceParameters> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("concat: expected at least one FaceParameters, found none");
        }
        FaceParameters first = parts.get(0);
        int total = 0;
        for (FaceParameters p : parts) {
            if (!p.names.equals(first.names) || p.fps != first.fps) {
                throw new IllegalArgumentException("concat: parts differ in names or fps: " + p + " vs " + first);
            }
            total += p.frames();
        }
        double[][] v = new double[first.names.size()][total];
        int at = 0;
        for (FaceParameters p : parts) {
            for (int i = 0; i < v.length; i++) {
                System.arraycopy(p.values[i], 0, v[i], at, p.frames());
            }
            at += p.frames();
        }
        return new FaceParameters(first.names, v, first.fps);
    }

    /** Number of frames T. */
    public int frames() {
        return values.length == 0 ? 0 : values[0].length;
    }

    /** Frames per second of the sequence. */
    public double fps() {
        return fps;
    }

    /** Length in seconds: frames / fps. */
    public double durationSeconds() {
        return frames() / fps;
    }

    /** Parameter names in model order. */
    public List<String> names() {
        return names;
    }

    /** One parameter over time (a copy). */
    public double[] get(String name) {
        return values[index(name)].clone();
    }

    /** One parameter at frame {@code t}. */
    public double get(String name, int t) {
        double[] v = values[index(name)];
        if (t < 0 || t >= v.length) {
            throw new IndexOutOfBoundsException("frame " + t + " of " + v.length);
        }
        return v[t];
    }

    /** Frames [from, to). */
    public FaceParameters slice(int from, int to) {
        if (from < 0 || to > frames() || from >= to) {
            throw new IndexOutOfBoundsException("slice [" + from + ", " + to + ") of " + frames() + " frames");
        }
        double[][] v = new double[values.length][];
        for (int i = 0; i < v.length; i++) {
            v[i] = Arrays.copyOfRange(values[i], from, to);
        }
        return new FaceParameters(names, v, fps);
    }

    /** Time (s) of every frame. */
    public double[] seconds() {
        double[] s = new double[frames()];
        for (int t = 0; t < s.length; t++) {
            s[t] = t / fps;
        }
        return s;
    }

    /** One row per frame: time plus every parameter. */
    public Table table() {
        Table t = Table.create("face parameters (" + frames() + " frames at " + fmt(fps) + " fps)");
        t.addColumns(DoubleColumn.create("time s", seconds()));
        for (int i = 0; i < names.size(); i++) {
            t.addColumns(DoubleColumn.create(names.get(i), values[i]));
        }
        return t;
    }

    /** One row per parameter: kind, mean, standard deviation, min and max over all frames. */
    public Table summary() {
        StringColumn name = StringColumn.create("parameter");
        StringColumn kind = StringColumn.create("kind");
        DoubleColumn mean = DoubleColumn.create("mean");
        DoubleColumn std = DoubleColumn.create("std");
        DoubleColumn min = DoubleColumn.create("min");
        DoubleColumn max = DoubleColumn.create("max");
        FaceCodec spec = FaceCodec.spec();
        for (int i = 0; i < names.size(); i++) {
            double[] v = values[i];
            double m = Arrays.stream(v).average().orElse(Double.NaN);
            double var = 0;
            for (double x : v) {
                var += (x - m) * (x - m);
            }
            name.append(names.get(i));
            kind.append(spec.parameter(names.get(i)).kind().name().toLowerCase(java.util.Locale.ROOT));
            mean.append(round(m));
            std.append(round(Math.sqrt(var / Math.max(1, v.length))));
            min.append(round(Arrays.stream(v).min().orElse(Double.NaN)));
            max.append(round(Arrays.stream(v).max().orElse(Double.NaN)));
        }
        return Table.create("face parameters: " + frames() + " frames, " + fmt(durationSeconds()) + " s", name, kind,
                mean, std, min, max);
    }

    /**
     * Mean |this − other| over frames, averaged over the parameters of one kind: how far a
     * transferred motion's state strays from the source motion ({@link FaceCodec.Kind#STATE}), or
     * how far its identity strays from the new actor's ({@link FaceCodec.Kind#IDENTITY}; a single-frame
     * {@code other} is compared with every frame).
     */
    public double meanAbsoluteDifference(FaceParameters other, FaceCodec.Kind kind) {
        List<String> names = FaceCodec.spec().names(kind);
        double sum = 0;
        for (String n : names) {
            sum += meanAbs(get(n), other.get(n));
        }
        return sum / names.size();
    }

    /**
     * One row per parameter: kind, mean and max |this − other| over frames. {@code other} has the
     * same number of frames, or one frame (a reference pose or identity compared with every frame).
     */
    public Table difference(FaceParameters other) {
        if (other.frames() != frames() && other.frames() != 1) {
            throw new IllegalArgumentException("difference: expected " + frames() + " frames or 1, found "
                    + other.frames());
        }
        StringColumn name = StringColumn.create("parameter");
        StringColumn kind = StringColumn.create("kind");
        DoubleColumn mean = DoubleColumn.create("mean |Δ|");
        DoubleColumn max = DoubleColumn.create("max |Δ|");
        FaceCodec spec = FaceCodec.spec();
        for (String n : names) {
            double[] a = get(n);
            double[] b = other.get(n);
            double m = 0;
            for (int t = 0; t < a.length; t++) {
                m = Math.max(m, Math.abs(a[t] - b[b.length == 1 ? 0 : t]));
            }
            name.append(n);
            kind.append(spec.parameter(n).kind().name().toLowerCase(java.util.Locale.ROOT));
            mean.append(round(meanAbs(a, b)));
            max.append(round(m));
        }
        return Table.create("parameter differences", name, kind, mean, max);
    }

    private static double meanAbs(double[] a, double[] b) {
        if (b.length != a.length && b.length != 1) {
            throw new IllegalArgumentException("difference: expected " + a.length + " frames or 1, found " + b.length);
        }
        double s = 0;
        for (int t = 0; t < a.length; t++) {
            s += Math.abs(a[t] - b[b.length == 1 ? 0 : t]);
        }
        return s / a.length;
    }

    private int index(String name) {
        int i = names.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no face parameter '" + name + "'; expected one of " + names);
        }
        return i;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("FaceParameters: " + frames() + " frames (" + fmt(durationSeconds())
                + " s at " + fmt(fps) + " fps) × " + names.size() + " parameters");
        if (frames() == 1) {
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                parts.add(names.get(i) + "=" + fmt(values[i][0]));
            }
            s.append(" {").append(String.join(", ", parts)).append('}');
        }
        return s.toString();
    }

    private static double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 1e4) / 1e4 : v;
    }

    private static String fmt(double v) {
        return String.format("%.3g", v);
    }
}

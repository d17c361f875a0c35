package org.latentmotion.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.latentmotion.pca.LatentPca;
import org.latentmotion.toy.FaceParameters;
import org.latentmotion.toy.FaceCodec;
import org.latentmotion.wplus.Trajectory;
import org.nd4j.linalg.api.ndarray.INDArray;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Where motion is too fast: the power spectrum of frame-to-frame differences of a few scalar
 * series (PCA coordinates of W+ codes, or the toy face's parameters), for several sources side
 * by side — the data, a model's training generator, its EMA generator. A motion that is right in
 * spread but shakes shows as difference power at high frequencies that the data does not have.
 *
 * <pre>{@code
 * DifferenceSpectrum.ofPca(pca, 4)
 *         .add("data", data.clips())
 *         .add("training generator", gan.sampleTrainingGenerator(10, 500, 7))
 *         .add("EMA generator", samples)       // shows one panel per component and a table
 * }</pre>
 *
 * <p>Spectra are Welch estimates: Hann windows of {@value #WINDOW} differences, half overlapping,
 * within each clip; power is per frequency bin, in squared units of the series per frame. The
 * table gives per source and series the standard deviation, the RMS frame-to-frame change, the
 * share of change power above {@value #HIGH_HZ} Hz, and the RMS change relative to the first
 * source (the data): a ratio of 1 is right, 10 means ten times too fast.
 */
public final class DifferenceSpectrum {
    static final int WINDOW = 64;
    static final double HIGH_HZ = 3.0;

    private final List<String> names;
    private final Function<Trajectory, double[][]> reader;
    private final Map<String, Source> sources = new LinkedHashMap<>();
    private double fps = Double.NaN;

    private record Source(double[][] power, double[] std, double[] rmsChange, int frames) {
    }

    private DifferenceSpectrum(List<String> names, Function<Trajectory, double[][]> reader) {
        this.names = List.copyOf(names);
        this.reader = reader;
    }

    /**
     * Spectra of series the caller reads itself (e.g. key points of a real video); sources are
     * added with {@link #addSeries}.
     */
    public static DifferenceSpectrum ofSeries(String... names) {
        if (names.length == 0) {
            throw new IllegalArgumentException("ofSeries: name at least one series");
        }
        List<String> list = List.of(names);
        return new DifferenceSpectrum(list, t -> {
            throw new IllegalStateException("a spectrum of series " + list + " reads no W+ codes: use addSeries");
        });
    }

    /** Spectra of the first {@code components} PCA coordinates of W+ codes (projected with {@code pca}). */
    public static DifferenceSpectrum ofPca(LatentPca pca, int components) {
        Objects.requireNonNull(pca, "pca");
        if (components < 1 || components > pca.k()) {
            throw new IllegalArgumentException("components: expected 1…" + pca.k() + ", found " + components);
        }
        List<String> names = new ArrayList<>();
        for (int c = 0; c < components; c++) {
            names.add("PC " + c);
        }
        return new DifferenceSpectrum(names, t -> {
            INDArray p = pca.project(t); // [T, k]
            double[][] out = new double[components][];
            for (int c = 0; c < components; c++) {
                out[c] = p.getColumn(c).toDoubleVector();
            }
            return out;
        });
    }

    /** Spectra of named toy-face parameters (read with {@link FaceCodec#decode}), e.g. "yaw", "mouthOpen". */
    public static DifferenceSpectrum ofParameters(String... parameters) {
        if (parameters.length == 0) {
            throw new IllegalArgumentException("ofParameters: name at least one toy-face parameter");
        }
        for (String p : parameters) {
            FaceCodec.spec().parameter(p); // an unknown name fails here, naming the known ones
        }
        List<String> names = List.of(parameters);
        return new DifferenceSpectrum(names, t -> read(FaceCodec.decode(t), names));
    }

    private static double[][] read(FaceParameters f, List<String> names) {
        double[][] out = new double[names.size()][];
        for (int i = 0; i < names.size(); i++) {
            out[i] = f.get(names.get(i));
        }
        return out;
    }

    /** Adds a source: clips of W+ codes (all at the same fps). */
    public DifferenceSpectrum add(String label, List<Trajectory> clips) {
        Objects.requireNonNull(clips, label);
        List<double[][]> series = new ArrayList<>();
        double rate = Double.NaN;
        for (Trajectory t : clips) {
            series.add(reader.apply(t));
            rate = t.fps();
        }
        return add(label, series, rate);
    }

    /** Adds a source of toy-face parameters directly (e.g. the ground truth); only for {@link #ofParameters}. */
    public DifferenceSpectrum addParameters(String label, List<FaceParameters> clips) {
        List<double[][]> series = new ArrayList<>();
        double rate = Double.NaN;
        for (FaceParameters f : clips) {
            series.add(read(f, names));
            rate = f.fps();
        }
        return add(label, series, rate);
    }

    /** Adds a source of raw series: each clip is [series][frame], in the order of {@link #series()}. */
    public DifferenceSpectrum addSeries(String label, double fps, List<double[][]> clips) {
        if (!(fps > 0) || Double.isInfinite(fps)) {
            throw new IllegalArgumentException("source '" + label + "': expected a positive fps, found " + fps);
        }
        for (double[][] c : clips) {
            if (c.length != names.size()) {
                throw new IllegalArgumentException("source '" + label + "': expected " + names.size() + " series per clip "
                        + names + ", found " + c.length);
            }
        }
        return add(label, clips, fps);
    }

    private DifferenceSpectrum add(String label, List<double[][]> clips, double rate) {
        Objects.requireNonNull(label, "label");
        if (clips.isEmpty()) {
            throw new IllegalArgumentException("source '" + label + "': expected at least one clip, found none");
        }
        if (!Double.isNaN(fps) && Math.abs(rate - fps) > 1e-9) {
            throw new IllegalArgumentException("source '" + label + "': expected " + fps + " fps like the others, found " + rate);
        }
        fps = rate;
        int n = names.size();
        double[][] power = new double[n][WINDOW / 2 + 1];
        double[] std = new double[n];
        double[] rms = new double[n];
        int frames = 0;
        boolean enough = false;
        for (int s = 0; s < n; s++) {
            double sum = 0;
            double sq = 0;
            double dsq = 0;
            long count = 0;
            long dcount = 0;
            int segments = 0;
            for (double[][] clip : clips) {
                double[] v = clip[s];
                for (double x : v) {
                    sum += x;
                    sq += x * x;
                }
                count += v.length;
                double[] d = new double[Math.max(0, v.length - 1)];
                for (int i = 0; i < d.length; i++) {
                    d[i] = v[i + 1] - v[i];
                    dsq += d[i] * d[i];
                }
                dcount += d.length;
                segments += welch(d, power[s]);
            }
            if (segments == 0) {
                continue;
            }
            enough = true;
            for (int k = 0; k < power[s].length; k++) {
                power[s][k] /= segments;
            }
            double mean = sum / count;
            std[s] = Math.sqrt(Math.max(0, sq / count - mean * mean));
            rms[s] = Math.sqrt(dsq / dcount);
            frames = (int) count;
        }
        if (!enough) {
            throw new IllegalArgumentException("source '" + label + "': clips need at least " + (WINDOW + 1)
                    + " frames for a spectrum");
        }
        sources.put(label, new Source(power, std, rms, frames));
        return this;
    }

    /** Adds the Hann-windowed periodograms of {@code d}'s half-overlapping segments to {@code power}; returns how many. */
    private static int welch(double[] d, double[] power) {
        int segments = 0;
        double norm = 0;
        double[] hann = new double[WINDOW];
        for (int i = 0; i < WINDOW; i++) {
            hann[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / WINDOW);
            norm += hann[i] * hann[i];
        }
        for (int start = 0; start + WINDOW <= d.length; start += WINDOW / 2) {
            for (int k = 0; k <= WINDOW / 2; k++) {
                double re = 0;
                double im = 0;
                double step = 2 * Math.PI * k / WINDOW;
                for (int i = 0; i < WINDOW; i++) {
                    double x = d[start + i] * hann[i];
                    re += x * Math.cos(step * i);
                    im -= x * Math.sin(step * i);
                }
                power[k] += (re * re + im * im) / norm; // per bin: sums to the variance over bins 0…N−1
            }
            segments++;
        }
        return segments;
    }

    /** Frequencies of the spectrum bins in Hz. */
    public double[] frequencies() {
        double[] f = new double[WINDOW / 2 + 1];
        for (int k = 0; k < f.length; k++) {
            f[k] = k * fps / WINDOW;
        }
        return f;
    }

    /** The power spectrum of series {@code name}'s frame differences for source {@code label}. */
    public double[] power(String label, String name) {
        return source(label).power[index(name)].clone();
    }

    /** RMS frame-to-frame change of series {@code name} for source {@code label}. */
    public double rmsChange(String label, String name) {
        return source(label).rmsChange[index(name)];
    }

    /** Standard deviation of series {@code name} for source {@code label}. */
    public double std(String label, String name) {
        return source(label).std[index(name)];
    }

    /** Share of the change power above {@value #HIGH_HZ} Hz (0–1). */
    public double highFrequencyShare(String label, String name) {
        double[] p = source(label).power[index(name)];
        double[] f = frequencies();
        double high = 0;
        double all = 0;
        for (int k = 0; k < p.length; k++) {
            double weight = k == 0 || k == p.length - 1 ? 1 : 2; // one-sided spectrum
            all += weight * p[k];
            if (f[k] > HIGH_HZ) {
                high += weight * p[k];
            }
        }
        return all > 0 ? high / all : Double.NaN;
    }

    /** Names of the series, in order. */
    public List<String> series() {
        return names;
    }

    /** Labels of the sources, in the order added (the first is the reference). */
    public List<String> sources() {
        return List.copyOf(sources.keySet());
    }

    private Source source(String label) {
        Source s = sources.get(label);
        if (s == null) {
            throw new IllegalArgumentException("no source '" + label + "'; sources are " + sources.keySet());
        }
        return s;
    }

    private int index(String name) {
        int i = names.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no series '" + name + "'; series are " + names);
        }
        return i;
    }

    /** One row per series and source: std, RMS change, high-frequency share, RMS change / the first source's. */
    public Table table() {
        StringColumn series = StringColumn.create("series");
        StringColumn source = StringColumn.create("source");
        DoubleColumn std = DoubleColumn.create("std");
        DoubleColumn rms = DoubleColumn.create("RMS change per frame");
        DoubleColumn high = DoubleColumn.create(String.format(Locale.ROOT, "change power above %.0f Hz", HIGH_HZ));
        DoubleColumn ratio = DoubleColumn.create("change / reference");
        String reference = sources.isEmpty() ? null : sources.keySet().iterator().next();
        for (String name : names) {
            for (String label : sources.keySet()) {
                series.append(name);
                source.append(label);
                std.append(round(std(label, name)));
                rms.append(round(rmsChange(label, name)));
                high.append(round(highFrequencyShare(label, name)));
                ratio.append(round(rmsChange(label, name) / rmsChange(reference, name)));
            }
        }
        return Table.create("frame-to-frame change", series, source, std, rms, high, ratio);
    }

    private static double round(double v) {
        return Double.isFinite(v) ? Double.parseDouble(String.format(Locale.ROOT, "%.4g", v)) : v;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("DifferenceSpectrum of ").append(names).append(": RMS change vs ")
                .append(sources.isEmpty() ? "-" : sources.keySet().iterator().next());
        String reference = sources.isEmpty() ? null : sources.keySet().iterator().next();
        for (String label : sources.keySet()) {
            s.append("\n  ").append(label).append(':');
            for (String name : names) {
                s.append(String.format(Locale.ROOT, " %s %.2f×", name, rmsChange(label, name) / rmsChange(reference, name)));
            }
        }
        return s.toString();
    }
}

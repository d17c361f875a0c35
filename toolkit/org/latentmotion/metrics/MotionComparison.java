package org.latentmotion.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.ToDoubleFunction;
import org.latentmotion.toy.FaceParameters;
import org.latentmotion.toy.MotionStatistics;
import org.latentmotion.toy.FaceCodec;
import org.latentmotion.wplus.Trajectory;
import org.latentmotion.wplus.TrajectorySet;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Motion statistics of generated samples against the real motion, in the default world: both
 * sides are read through {@link FaceCodec#decode} (the same instrument, so the embedding jitter of
 * the real codes is on both sides), cut into segments of equal length (overlapping: a new one
 * every quarter segment, so a short training recording still gives several), and each segment gets
 * its {@link MotionStatistics} (blinks per minute, eye opening, eyes and mouth shut, mouth rhythm,
 * pose variance and speed). Each statistic's real and generated distributions are compared by the
 * 1-Wasserstein distance (also divided by the real spread, so statistics in different units
 * compare), and all of them together by the Fréchet distance of their standardized Gaussians.
 *
 * <p>The noise floor: the same W1 / real std between the two disjoint halves of the real set
 * ({@link RealHalves}: first halves as real, second halves as generated), in its own column of
 * {@link #table()}, so a reader can tell a model's 0.4 from the 0.3 two halves of the data
 * already differ by. It needs real clips of two segments' length (two 256-frame segments per
 * half); with shorter real clips it is NaN and the table says so in its title.
 */
public final class MotionComparison {
    /** The statistics compared, in table order. */
    public static final List<String> STATISTICS = List.of("blinks per minute", "eye opening mean",
            "eyes shut (fraction of frames)", "mouth rhythm (Hz)", "mouth opening std", "mouth shut (fraction of frames)",
            "pose variance", "pose speed");
    private static final List<ToDoubleFunction<MotionStatistics>> READERS = List.of(MotionStatistics::blinksPerMinute,
            MotionStatistics::eyeOpenMean, MotionStatistics::eyesShutFraction, MotionStatistics::mouthRhythmHz,
            MotionStatistics::mouthOpenStd, MotionStatistics::mouthShutFraction, MotionStatistics::poseVariance,
            MotionStatistics::poseSpeed);

    private final double[][] real; // [statistic][segment]
    private final double[][] generated;
    private final int segmentFrames;
    private final MotionComparison noiseFloor; // real halves against each other; null if too short (or this is it)

    private MotionComparison(double[][] real, double[][] generated, int segmentFrames, MotionComparison noiseFloor) {
        this.real = real;
        this.generated = generated;
        this.segmentFrames = segmentFrames;
        this.noiseFloor = noiseFloor;
    }

    /**
     * Compares {@code generated} samples with the {@code real} set (toy-face W+ codes), on
     * segments of {@code segmentFrames} frames (at least 256, about 10 s at 25 fps: the mouth
     * spectrum needs 256 frames, and blinks need seconds).
     */
    public static MotionComparison of(TrajectorySet real, List<Trajectory> generated, int segmentFrames) {
        Objects.requireNonNull(real, "real");
        Objects.requireNonNull(generated, "generated");
        if (segmentFrames < 256) {
            throw new IllegalArgumentException("motion comparison: segments need at least 256 frames (the mouth rhythm"
                    + " spectrum window), found " + segmentFrames);
        }
        double[][] r = statistics(real.clips(), segmentFrames, "real");
        double[][] g = statistics(generated, segmentFrames, "generated");
        RealHalves halves = RealHalves.of(real);
        List<MotionStatistics> a = segments(halves.first().clips(), segmentFrames);
        List<MotionStatistics> b = segments(halves.second().clips(), segmentFrames);
        MotionComparison floor = a.size() >= 2 && b.size() >= 2
                ? new MotionComparison(columns(a), columns(b), segmentFrames, null) : null;
        return new MotionComparison(r, g, segmentFrames, floor);
    }

    private static List<MotionStatistics> segments(List<Trajectory> clips, int len) {
        List<MotionStatistics> stats = new ArrayList<>();
        for (Trajectory clip : clips) {
            if (clip.frames() < len) {
                continue;
            }
            FaceParameters p = FaceCodec.decode(clip);
            for (int s = 0; s + len <= clip.frames(); s += Math.max(1, len / 4)) {
                stats.add(MotionStatistics.of(p.slice(s, s + len)));
            }
        }
        return stats;
    }

    private static double[][] statistics(List<Trajectory> clips, int len, String side) {
        List<MotionStatistics> stats = segments(clips, len);
        if (stats.size() < 2) {
            throw new IllegalArgumentException("motion comparison: the " + side + " side has " + stats.size()
                    + " segment(s) of " + len + " frames; expected at least 2 (longer or more trajectories)");
        }
        return columns(stats);
    }

    /** [statistic][segment]. */
    private static double[][] columns(List<MotionStatistics> stats) {
        double[][] out = new double[READERS.size()][stats.size()];
        for (int i = 0; i < READERS.size(); i++) {
            for (int j = 0; j < stats.size(); j++) {
                out[i][j] = READERS.get(i).applyAsDouble(stats.get(j));
            }
        }
        return out;
    }

    /** The 1-Wasserstein distance between two empirical distributions (NaN values ignored). */
    public static double wasserstein1(double[] a, double[] b) {
        double[] x = finiteSorted(a);
        double[] y = finiteSorted(b);
        if (x.length == 0 || y.length == 0) {
            return Double.NaN;
        }
        // ∫ |F_x(v) − F_y(v)| dv over the merged support.
        double[] all = new double[x.length + y.length];
        System.arraycopy(x, 0, all, 0, x.length);
        System.arraycopy(y, 0, all, x.length, y.length);
        Arrays.sort(all);
        double w = 0;
        int i = 0;
        int j = 0;
        for (int k = 0; k + 1 < all.length; k++) {
            double v = all[k];
            while (i < x.length && x[i] <= v) {
                i++;
            }
            while (j < y.length && y[j] <= v) {
                j++;
            }
            w += Math.abs((double) i / x.length - (double) j / y.length) * (all[k + 1] - v);
        }
        return w;
    }

    private static double[] finiteSorted(double[] a) {
        return Arrays.stream(a).filter(Double::isFinite).sorted().toArray();
    }

    private static double mean(double[] a) {
        return Arrays.stream(a).filter(Double::isFinite).average().orElse(Double.NaN);
    }

    private static double std(double[] a) {
        double[] f = finiteSorted(a);
        if (f.length < 2) {
            return Double.NaN;
        }
        double m = mean(f);
        double s = 0;
        for (double v : f) {
            s += (v - m) * (v - m);
        }
        return Math.sqrt(s / (f.length - 1));
    }

    /** W1 of statistic {@code i} divided by the real spread (std). */
    public double standardizedWasserstein(int i) {
        double sd = std(real[i]);
        return sd > 0 ? wasserstein1(real[i], generated[i]) / sd : Double.NaN;
    }

    /** The generated mean of statistic {@code i} divided by the real mean (1 = matches; NaN or infinite when the real mean is 0). */
    public double meanRatio(int i) {
        return mean(generated[i]) / mean(real[i]);
    }

    /** The mean standardized W1 over the statistics: one number for "how real is the motion". */
    public double meanStandardizedWasserstein() {
        double s = 0;
        int n = 0;
        for (int i = 0; i < real.length; i++) {
            double v = standardizedWasserstein(i);
            if (Double.isFinite(v)) {
                s += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : s / n;
    }

    /**
     * Fréchet distance between Gaussians of the statistic vectors, each statistic standardized
     * by the real mean and std (segments with a NaN statistic, e.g. no blink, are left out).
     */
    public double frechet() {
        double[][] a = standardizedRows(real);
        double[][] b = standardizedRows(generated);
        if (a.length < 2 || b.length < 2) {
            return Double.NaN;
        }
        return FrechetDistance.between(a, b);
    }

    private double[][] standardizedRows(double[][] side) {
        int s = side.length;
        List<double[]> rows = new ArrayList<>();
        for (int j = 0; j < side[0].length; j++) {
            double[] row = new double[s];
            boolean ok = true;
            for (int i = 0; i < s; i++) {
                double sd = std(real[i]);
                row[i] = (side[i][j] - mean(real[i])) / (sd > 0 ? sd : 1);
                ok &= Double.isFinite(row[i]);
            }
            if (ok) {
                rows.add(row);
            }
        }
        return rows.toArray(new double[0][]);
    }

    /**
     * W1 / real std of statistic {@code i} between the two halves of the real set (first halves as
     * real, second as generated): the noise floor of {@link #standardizedWasserstein(int)}; NaN
     * when a half has fewer than two segments.
     */
    public double noiseFloor(int i) {
        return noiseFloor == null ? Double.NaN : noiseFloor.standardizedWasserstein(i);
    }

    /**
     * The mean W1 / real std between the two halves of {@code real} (what {@link #meanNoiseFloor()}
     * gives for any generated set), NaN when a half has fewer than two segments of {@code segmentFrames}.
     */
    static double realVsReal(TrajectorySet real, int segmentFrames) {
        RealHalves halves = RealHalves.of(real);
        List<MotionStatistics> a = segments(halves.first().clips(), segmentFrames);
        List<MotionStatistics> b = segments(halves.second().clips(), segmentFrames);
        return a.size() >= 2 && b.size() >= 2
                ? new MotionComparison(columns(a), columns(b), segmentFrames, null).meanStandardizedWasserstein() : Double.NaN;
    }

    /** The noise floor of {@link #meanStandardizedWasserstein()} (NaN when the real halves are too short). */
    public double meanNoiseFloor() {
        return noiseFloor == null ? Double.NaN : noiseFloor.meanStandardizedWasserstein();
    }

    /**
     * One row per statistic: real and generated mean ± std, W1, W1 / real std and the same between
     * two disjoint halves of the real set (the noise floor); a last row holds the means over the statistics.
     */
    public Table table() {
        StringColumn name = StringColumn.create("statistic");
        DoubleColumn rm = DoubleColumn.create("real mean");
        DoubleColumn rs = DoubleColumn.create("real std");
        DoubleColumn gm = DoubleColumn.create("generated mean");
        DoubleColumn gs = DoubleColumn.create("generated std");
        DoubleColumn w = DoubleColumn.create("W1");
        DoubleColumn ws = DoubleColumn.create("W1 / real std");
        DoubleColumn floor = DoubleColumn.create("W1 / real std, " + RealHalves.LABEL);
        for (int i = 0; i < STATISTICS.size(); i++) {
            name.append(STATISTICS.get(i));
            rm.append(mean(real[i]));
            rs.append(std(real[i]));
            gm.append(mean(generated[i]));
            gs.append(std(generated[i]));
            w.append(wasserstein1(real[i], generated[i]));
            ws.append(standardizedWasserstein(i));
            floor.append(noiseFloor(i));
        }
        name.append("mean over the statistics");
        for (DoubleColumn c : List.of(rm, rs, gm, gs, w)) {
            c.appendMissing();
        }
        ws.append(meanStandardizedWasserstein());
        floor.append(meanNoiseFloor());
        String note = noiseFloor == null ? " (real clips too short for a noise floor: a half needs two segments)" : "";
        return Table.create("Motion statistics, " + real[0].length + " real vs " + generated[0].length
                + " generated segments of " + segmentFrames + " frames" + note, name, rm, rs, gm, gs, w, ws, floor);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "MotionComparison: mean W1/std %.3f (real vs real: %.3f),"
                + " Fréchet (standardized statistics) %.3f; %d real vs %d generated segments of %d frames",
                meanStandardizedWasserstein(), meanNoiseFloor(), frechet(), real[0].length, generated[0].length,
                segmentFrames);
    }
}

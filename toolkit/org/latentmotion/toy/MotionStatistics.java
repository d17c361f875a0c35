package org.latentmotion.toy;

import java.util.Arrays;
import java.util.List;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * How a face moves, measured from its parameters: blink rate and duration, the rhythm of the
 * mouth, head-pose variance and speed. Compares real (ground-truth) motion with a model's samples
 * in the units a person would check: blinks per minute, Hz, radians.
 *
 * <p>Blinks: eyeOpen drops below half its median (and counts as closed until it is back above 60 %
 * of the median). Mouth rhythm: the peak above 1 Hz of the Welch power spectrum of mouthOpen
 * (Hann windows of 256 frames, half overlapping, within each clip). Pose: yaw, pitch and roll in
 * radians; variance summed over the three, speed as the mean norm of the per-frame change × fps.
 */
public final class MotionStatistics {
    static final double BLINK_CLOSE = 0.5;
    static final double BLINK_REOPEN = 0.6;
    static final int SPECTRUM_WINDOW = 256;
    static final double MIN_RHYTHM_HZ = 1.0;

    private final double fps;
    private final int frames;
    private final int blinks;
    private final double meanBlinkFrames;
    private final double mouthRhythmHz;
    private final double mouthMean;
    private final double mouthStd;
    private final double poseVariance;
    private final double poseSpeed;
    private final double[] spectrumHz;
    private final double[] spectrumPower;

    private MotionStatistics(List<FaceParameters> clips, double fps) {
        if (clips.isEmpty()) {
            throw new IllegalArgumentException("motion statistics: expected at least one clip, found none");
        }
        if (!(fps > 0) || Double.isInfinite(fps)) {
            throw new IllegalArgumentException("motion statistics: expected a positive fps, found " + fps);
        }
        this.fps = fps;
        int n = 0;
        double[] allEyes = new double[clips.stream().mapToInt(FaceParameters::frames).sum()];
        for (FaceParameters c : clips) {
            System.arraycopy(c.get("eyeOpen"), 0, allEyes, n, c.frames());
            n += c.frames();
        }
        this.frames = n;
        if (n < 2) {
            throw new IllegalArgumentException("motion statistics: expected at least 2 frames, found " + n);
        }
        double median = median(allEyes);
        int count = 0;
        long closedFrames = 0;
        for (FaceParameters c : clips) {
            double[] e = c.get("eyeOpen");
            boolean closed = false;
            for (double v : e) {
                if (!closed && v < BLINK_CLOSE * median) {
                    closed = true;
                    count++;
                } else if (closed && v > BLINK_REOPEN * median) {
                    closed = false;
                }
                if (closed) {
                    closedFrames++;
                }
            }
        }
        this.blinks = count;
        this.meanBlinkFrames = count == 0 ? Double.NaN : (double) closedFrames / count;

        // mouth: mean, std, Welch spectrum within clips
        double sum = 0;
        double sq = 0;
        int half = SPECTRUM_WINDOW / 2;
        double[] power = new double[half + 1];
        int segments = 0;
        double[] hann = new double[SPECTRUM_WINDOW];
        for (int i = 0; i < SPECTRUM_WINDOW; i++) {
            hann[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / SPECTRUM_WINDOW);
        }
        for (FaceParameters c : clips) {
            double[] m = c.get("mouthOpen");
            for (double v : m) {
                sum += v;
                sq += v * v;
            }
            for (int start = 0; start + SPECTRUM_WINDOW <= m.length; start += half) {
                double mean = 0;
                for (int i = 0; i < SPECTRUM_WINDOW; i++) {
                    mean += m[start + i];
                }
                mean /= SPECTRUM_WINDOW;
                for (int k = 0; k <= half; k++) {
                    double re = 0;
                    double im = 0;
                    double step = 2 * Math.PI * k / SPECTRUM_WINDOW;
                    for (int i = 0; i < SPECTRUM_WINDOW; i++) {
                        double x = (m[start + i] - mean) * hann[i];
                        re += x * Math.cos(step * i);
                        im -= x * Math.sin(step * i);
                    }
                    power[k] += re * re + im * im;
                }
                segments++;
            }
        }
        this.mouthMean = sum / n;
        this.mouthStd = Math.sqrt(Math.max(0, sq / n - mouthMean * mouthMean));
        this.spectrumHz = new double[half + 1];
        this.spectrumPower = new double[half + 1];
        double best = Double.NaN;
        if (segments > 0) {
            int peak = -1;
            for (int k = 0; k <= half; k++) {
                spectrumHz[k] = k * fps / SPECTRUM_WINDOW;
                spectrumPower[k] = power[k] / segments;
                if (spectrumHz[k] >= MIN_RHYTHM_HZ && (peak < 0 || spectrumPower[k] > spectrumPower[peak])) {
                    peak = k;
                }
            }
            double total = 0;
            for (int k = 1; k <= half; k++) {
                total += spectrumPower[k];
            }
            if (!(total > 1e-12 * segments)) {
                peak = -1; // a still mouth has no rhythm
            }
            if (peak > 0 && peak < half) {
                // parabolic interpolation between bins
                double a = spectrumPower[peak - 1];
                double b = spectrumPower[peak];
                double c = spectrumPower[peak + 1];
                double d = a - 2 * b + c;
                double shift = d == 0 ? 0 : 0.5 * (a - c) / d;
                best = (peak + shift) * fps / SPECTRUM_WINDOW;
            } else if (peak >= 0) {
                best = spectrumHz[peak];
            }
        }
        this.mouthRhythmHz = best;

        // pose
        String[] pose = {"yaw", "pitch", "roll"};
        double var = 0;
        for (String name : pose) {
            double s = 0;
            double s2 = 0;
            for (FaceParameters c : clips) {
                for (double v : c.get(name)) {
                    s += v;
                    s2 += v * v;
                }
            }
            double m = s / n;
            var += Math.max(0, s2 / n - m * m);
        }
        this.poseVariance = var;
        double speed = 0;
        int steps = 0;
        for (FaceParameters c : clips) {
            double[][] p = {c.get("yaw"), c.get("pitch"), c.get("roll")};
            for (int t = 1; t < c.frames(); t++) {
                double d2 = 0;
                for (double[] q : p) {
                    d2 += (q[t] - q[t - 1]) * (q[t] - q[t - 1]);
                }
                speed += Math.sqrt(d2);
                steps++;
            }
        }
        this.poseSpeed = steps == 0 ? Double.NaN : speed / steps * fps;
    }

    /** Statistics of one sequence of parameters at its own frame rate. */
    public static MotionStatistics of(FaceParameters parameters) {
        return new MotionStatistics(List.of(parameters), parameters.fps());
    }

    /** Statistics of one sequence of parameters played at {@code fps}. */
    public static MotionStatistics of(FaceParameters parameters, double fps) {
        return new MotionStatistics(List.of(parameters), fps);
    }

    /** Statistics over several clips (blinks, spectra and speeds never cross a cut). */
    public static MotionStatistics of(List<FaceParameters> clips) {
        if (clips.isEmpty()) {
            throw new IllegalArgumentException("motion statistics: expected at least one clip, found none");
        }
        return new MotionStatistics(clips, clips.get(0).fps());
    }

    /** Statistics of a talking head's ground truth. */
    public static MotionStatistics of(TalkingHead head) {
        return of(head.groundTruth());
    }

    /** One row per statistic: real, generated and their ratio. */
    public static Table compare(MotionStatistics real, MotionStatistics generated) {
        StringColumn name = StringColumn.create("statistic");
        DoubleColumn r = DoubleColumn.create("real");
        DoubleColumn g = DoubleColumn.create("generated");
        DoubleColumn ratio = DoubleColumn.create("generated / real");
        String[] names = names();
        double[] a = real.values();
        double[] b = generated.values();
        for (int i = 0; i < names.length; i++) {
            name.append(names[i]);
            r.append(round(a[i]));
            g.append(round(b[i]));
            ratio.append(round(b[i] / a[i]));
        }
        return Table.create("motion statistics: real vs generated", name, r, g, ratio);
    }

    /** Compares the ground truth of {@code real} with the motion the toy face reads from {@code generated}. */
    public static Table compare(FaceParameters real, FaceParameters generated) {
        return compare(of(real), of(generated));
    }

    /** Blinks found per minute of footage. */
    public double blinksPerMinute() {
        return blinks / (frames / fps / 60.0);
    }

    /** Number of blinks found. */
    public int blinks() {
        return blinks;
    }

    /** Mean number of frames the eyes stay closed per blink (NaN without blinks). */
    public double meanBlinkFrames() {
        return meanBlinkFrames;
    }

    /** Mean blink duration in milliseconds. */
    public double meanBlinkMillis() {
        return meanBlinkFrames / fps * 1000;
    }

    /**
     * Peak of the mouth-opening spectrum above 1 Hz: the syllable rate (NaN for clips under 256
     * frames and for a mouth that does not move).
     */
    public double mouthRhythmHz() {
        return mouthRhythmHz;
    }

    /** Mean of the mouthOpen parameter over all frames, in the face model's units. */
    public double mouthOpenMean() {
        return mouthMean;
    }

    /** Standard deviation of mouthOpen over all frames (population, divided by n): how much the mouth moves. */
    public double mouthOpenStd() {
        return mouthStd;
    }

    /** Variance of yaw + pitch + roll (rad²). */
    public double poseVariance() {
        return poseVariance;
    }

    /** Mean head-pose speed (rad/s). */
    public double poseSpeed() {
        return poseSpeed;
    }

    /** Frames measured, over all clips. */
    public int frames() {
        return frames;
    }

    /** Frames per second of the measured motion. */
    public double fps() {
        return fps;
    }

    /** Frequencies (Hz) of the averaged mouth spectrum. */
    public double[] mouthSpectrumHz() {
        return spectrumHz.clone();
    }

    /** Averaged power of the mouth spectrum, per frequency of {@link #mouthSpectrumHz()}. */
    public double[] mouthSpectrumPower() {
        return spectrumPower.clone();
    }

    private static String[] names() {
        return new String[] {"blinks per minute", "mean blink duration (frames)", "mouth rhythm (Hz)",
            "mouth opening mean", "mouth opening std", "pose variance (rad²)", "pose speed (rad/s)"};
    }

    private double[] values() {
        return new double[] {blinksPerMinute(), meanBlinkFrames, mouthRhythmHz, mouthMean, mouthStd, poseVariance,
            poseSpeed};
    }

    /** One row per statistic. */
    public Table table() {
        StringColumn name = StringColumn.create("statistic");
        DoubleColumn v = DoubleColumn.create("value");
        String[] names = names();
        double[] a = values();
        for (int i = 0; i < names.length; i++) {
            name.append(names[i]);
            v.append(round(a[i]));
        }
        return Table.create("motion statistics (" + frames + " frames at " + String.format("%.3g", fps) + " fps)",
                name, v);
    }

    @Override
    public String toString() {
        return String.format("MotionStatistics: %.1f blinks/min (%.2f frames each), mouth rhythm %.2f Hz, "
                + "pose variance %.4f rad², pose speed %.3f rad/s over %d frames", blinksPerMinute(), meanBlinkFrames,
                mouthRhythmHz, poseVariance, poseSpeed, frames);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : 0.5 * (s[m - 1] + s[m]);
    }

    private static double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 1e4) / 1e4 : v;
    }
}

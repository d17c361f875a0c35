package org.latentmotion.toy;

import java.util.List;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * How a face moves, measured from its parameters: blink rate and duration, how open the eyes and
 * the mouth are, the rhythm of the mouth, head-pose variance and speed. Compares real
 * (ground-truth) motion with a model's samples in the units a person would check: blinks per
 * minute, fractions of frames, Hz, radians.
 *
 * <p>Eyes: they count as shut from the frame eyeOpen drops below {@value #EYES_SHUT} until it is
 * back above {@value #EYES_REOPEN} (the toy face's eyeOpen is the open fraction of the eye, 0 to
 * 1; a talking head's open eyes sit at 0.78–0.95, a blink goes down to 0.02). A blink is a shut
 * spell of at most {@value #MAX_BLINK_SECONDS} s that does not fill its whole clip; longer spells
 * are eyes kept shut, which the table shows as the fraction of frames with eyes shut and the
 * mean eye opening, never as blinks. The thresholds are absolute on purpose: relative ones (half
 * the median opening, as this class used before) follow the eyes down, so a face whose eyes
 * never open was still "blinking normally" whenever its nearly shut lids twitched.
 * Mouth: shut while mouthOpen is below {@value #MOUTH_SHUT} (a talking head rests at 0.03);
 * rhythm is the peak above 1 Hz of the Welch power spectrum of mouthOpen (Hann windows of 256
 * frames, half overlapping, within each clip). Pose: yaw, pitch and roll in radians; variance
 * summed over the three, speed as the mean norm of the per-frame change × fps. Sway: the same variance
 * within each {@value #SWAY_SECONDS}-second piece of a clip, averaged over the pieces: how far the head
 * moves while one watches, apart from where each clip's head happens to sit. Pose variance alone can
 * look right for samples whose heads each hold still at a different pose.
 */
public final class MotionStatistics {
    /** eyeOpen below this: the eyes count as shut (the toy face draws the eye less than half open). */
    public static final double EYES_SHUT = 0.45;
    /** eyeOpen above this after being shut: open again (the gap keeps a flicker from counting twice). */
    public static final double EYES_REOPEN = 0.55;
    /** A shut spell longer than this (seconds) is not a blink but eyes kept shut. */
    public static final double MAX_BLINK_SECONDS = 1.0;
    /**
     * A blink that starts within this (seconds) of the eyes reopening from the last one is a repeat:
     * a talking head never blinks twice in 0.4 s, a generator that has not learnt the pause does.
     */
    public static final double REPEAT_BLINK_SECONDS = 0.4;
    /** mouthOpen below this: the mouth counts as shut. */
    public static final double MOUTH_SHUT = 0.1;
    /** Length of the pieces {@link #poseSway()} is measured in: a talking head's slowest sway (8–20 s) fits. */
    public static final int SWAY_SECONDS = 20;
    static final int SPECTRUM_WINDOW = 256;
    static final double MIN_RHYTHM_HZ = 1.0;

    private final double fps;
    private final int frames;
    private final int blinks;
    private final int repeatedBlinks;
    private final double meanBlinkFrames;
    private final double eyeOpenMean;
    private final double eyesShutFraction;
    private final double mouthShutFraction;
    private final double mouthRhythmHz;
    private final double mouthMean;
    private final double mouthStd;
    private final double poseVariance;
    private final double poseSway;
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
        for (FaceParameters c : clips) {
            n += c.frames();
        }
        this.frames = n;
        if (n < 2) {
            throw new IllegalArgumentException("motion statistics: expected at least 2 frames, found " + n);
        }
        int maxBlinkFrames = (int) Math.floor(MAX_BLINK_SECONDS * fps);
        int count = 0;
        int repeats = 0;
        int repeatFrames = (int) Math.floor(REPEAT_BLINK_SECONDS * fps);
        long blinkFrames = 0;
        long shutFrames = 0;
        double eyeSum = 0;
        long mouthShut = 0;
        for (FaceParameters c : clips) {
            double[] e = c.get("eyeOpen");
            int spell = 0; // frames of the current shut spell; a spell ends at a reopening or at the cut
            int lastReopen = Integer.MIN_VALUE / 2; // frame the last blink in this clip ended (none yet)
            for (int t = 0; t <= e.length; t++) {
                boolean shut = t < e.length && (spell > 0 ? !(e[t] > EYES_REOPEN) : e[t] < EYES_SHUT);
                if (shut) {
                    spell++;
                    continue;
                }
                if (spell > 0 && spell <= maxBlinkFrames && spell < e.length) {
                    count++;
                    blinkFrames += spell;
                    repeats += t - spell - lastReopen <= repeatFrames ? 1 : 0;
                    lastReopen = t;
                }
                shutFrames += spell;
                spell = 0;
            }
            for (double v : e) {
                eyeSum += v;
            }
            for (double v : c.get("mouthOpen")) {
                mouthShut += v < MOUTH_SHUT ? 1 : 0;
            }
        }
        this.blinks = count;
        this.repeatedBlinks = repeats;
        this.meanBlinkFrames = count == 0 ? Double.NaN : (double) blinkFrames / count;
        this.eyeOpenMean = eyeSum / n;
        this.eyesShutFraction = (double) shutFrames / n;
        this.mouthShutFraction = (double) mouthShut / n;

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
        this.poseSway = sway(clips, (int) Math.round(SWAY_SECONDS * fps), pose);
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

    /**
     * Pose variance within consecutive pieces of {@code piece} frames from each clip's start (a shorter rest is left
     * out), averaged over the pieces; NaN when no clip is that long.
     */
    private static double sway(List<FaceParameters> clips, int piece, String[] pose) {
        double total = 0;
        int pieces = 0;
        for (FaceParameters c : clips) {
            double[][] axes = new double[pose.length][];
            for (int a = 0; a < pose.length; a++) {
                axes[a] = c.get(pose[a]);
            }
            for (int from = 0; from + piece <= c.frames(); from += piece) {
                for (double[] v : axes) {
                    double s = 0;
                    double s2 = 0;
                    for (int t = from; t < from + piece; t++) {
                        s += v[t];
                        s2 += v[t] * v[t];
                    }
                    double m = s / piece;
                    total += Math.max(0, s2 / piece - m * m);
                }
                pieces++;
            }
        }
        return pieces == 0 ? Double.NaN : total / pieces;
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

    /**
     * One row per statistic: real, generated and their ratio. The values are exact (the notebook
     * display rounds them to 6 significant digits); read the eye and mouth rows together with the
     * blink rate: a face with its eyes kept shut has no blinks and an eyes-shut fraction near 1.
     */
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
            r.append(a[i]);
            g.append(b[i]);
            ratio.append(b[i] / a[i]);
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

    /**
     * Fraction of blinks that start within {@value #REPEAT_BLINK_SECONDS} s of the eyes reopening from
     * the previous blink (NaN without blinks): 0 for the default world's actors; blink trains, twitchy
     * eyes in the video, show here while the blink rate alone reads only "too many blinks".
     */
    public double repeatedBlinkFraction() {
        return blinks == 0 ? Double.NaN : (double) repeatedBlinks / blinks;
    }

    /** Mean number of frames the eyes stay shut per blink (NaN without blinks). */
    public double meanBlinkFrames() {
        return meanBlinkFrames;
    }

    /** Mean of eyeOpen over all frames (0 shut, 1 wide open): a face with its eyes kept shut shows here. */
    public double eyeOpenMean() {
        return eyeOpenMean;
    }

    /** Fraction of frames with the eyes shut (in a blink or kept shut; see the class comment). */
    public double eyesShutFraction() {
        return eyesShutFraction;
    }

    /** Fraction of frames with mouthOpen below {@value #MOUTH_SHUT}: the pauses between syllables and phrases. */
    public double mouthShutFraction() {
        return mouthShutFraction;
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

    /**
     * Variance of yaw + pitch + roll within {@value #SWAY_SECONDS}-second pieces of the clips, averaged over the
     * pieces (rad²): the head's sway while one watches; NaN when no clip is {@value #SWAY_SECONDS} s long.
     */
    public double poseSway() {
        return poseSway;
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
        return new String[] {"blinks per minute", "mean blink duration (frames)", "eye opening mean",
            "eyes shut (fraction of frames)", "mouth rhythm (Hz)", "mouth opening mean", "mouth opening std",
            "mouth shut (fraction of frames)", "pose variance (rad²)", "pose sway within " + SWAY_SECONDS + " s (rad²)", "pose speed (rad/s)"};
    }

    private double[] values() {
        return new double[] {blinksPerMinute(), meanBlinkFrames, eyeOpenMean, eyesShutFraction, mouthRhythmHz,
            mouthMean, mouthStd, mouthShutFraction, poseVariance, poseSway, poseSpeed};
    }

    /** One row per statistic. */
    public Table table() {
        StringColumn name = StringColumn.create("statistic");
        DoubleColumn v = DoubleColumn.create("value");
        String[] names = names();
        double[] a = values();
        for (int i = 0; i < names.length; i++) {
            name.append(names[i]);
            v.append(a[i]);
        }
        return Table.create("motion statistics (" + frames + " frames at " + String.format("%.3g", fps) + " fps)",
                name, v);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "MotionStatistics: %.1f blinks/min (%.2f frames each), eyes shut"
                + " %.1f %% of frames (mean opening %.2f), mouth rhythm %.2f Hz, mouth shut %.1f %% of frames, pose"
                + " variance %.4f rad² (sway within %d s %.4f), pose speed %.3f rad/s over %d frames", blinksPerMinute(),
                meanBlinkFrames, 100 * eyesShutFraction, eyeOpenMean, mouthRhythmHz, 100 * mouthShutFraction, poseVariance,
                SWAY_SECONDS, poseSway, poseSpeed, frames);
    }
}

package org.latentmotion.metrics;

import java.util.Arrays;
import java.util.Objects;
import org.latentmotion.nn.Broadcasts;
import org.latentmotion.wplus.Trajectory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Does a long sample repeat itself? The recurrence of a trajectory's coordinates x_t (W+ codes,
 * or their projection on a PCA basis), measured by the lag correlation
 * <pre>  ρ(τ) = 1 − mean_t |x_t − x_{t+τ}|² / (2 V),   V = mean_t |x_t − x̄|²</pre>
 * ρ(τ) = 1 means the sample is exactly where it was τ frames earlier; an uncorrelated state gives
 * ρ ≈ 0. Summed over all coordinates, ρ does not depend on how the space is rotated.
 *
 * <p>The verdict, with the documented defaults:
 * <ol>
 * <li>the <b>decorrelation lag</b> τ₀ is the first lag at which ρ falls below
 * {@value #DEFAULT_DECORRELATION} (the sample has moved on from where it was);</li>
 * <li>the <b>score</b> is the strongest return that happens twice: max over τ₀ ≤ τ ≤ T/4 of
 * min(ρ(τ), ρ(2τ ± 1)) — a loop is back at its period and again at twice its period, a chance
 * near-return of quasi-periodic motion is not (lags beyond T/2 would compare too few frames, so
 * periods up to T/4 are found: 375 frames, 15 s at 25 fps, in a 1500-frame sample); the
 * <b>period</b> is the lag where it is reached;</li>
 * <li>the sample <b>loops</b> when the score is at least {@value #DEFAULT_THRESHOLD}: after
 * having moved away, it comes back to states that share at least half of its variance — a
 * repeated motion pattern dominates over everything new. A sample that never decorrelates
 * within T/2 (frozen or slowly drifting) gets the verdict {@link Verdict#NEVER_DECORRELATES},
 * not "looping".</li>
 * </ol>
 */
public final class LoopingScore {
    /** Default threshold on the score: a return to ≥ 50 % shared variance after decorrelating. */
    public static final double DEFAULT_THRESHOLD = 0.5;
    /** Default level ρ must fall below before a return counts. */
    public static final double DEFAULT_DECORRELATION = 0.25;

    /** The detector's verdict on one sample. */
    public enum Verdict { LOOPING, NOT_LOOPING, NEVER_DECORRELATES }

    private final double[] rho; // rho[τ] for τ = 0..maxLag
    private final int decorrelationLag;
    private final int period;
    private final double score;
    private final double threshold;
    private final double decorrelation;
    private final int frames;
    private final String label;

    private LoopingScore(double[] rho, int decorrelationLag, int period, double score, double threshold,
            double decorrelation, int frames, String label) {
        this.rho = rho;
        this.decorrelationLag = decorrelationLag;
        this.period = period;
        this.score = score;
        this.threshold = threshold;
        this.decorrelation = decorrelation;
        this.frames = frames;
        this.label = label;
    }

    /** Scores a W+ trajectory with the default detector (all L·D coordinates). */
    public static LoopingScore of(Trajectory sample) {
        return detector().score(sample);
    }

    /** Scores coordinates [T, k] (e.g. a PCA projection) with the default detector. */
    public static LoopingScore of(INDArray coordinates) {
        return detector().score(coordinates);
    }

    /** A detector with the documented defaults, to change with its fluent setters. */
    public static Detector detector() {
        return new Detector();
    }

    /** Settings of the looping detector (defaults as documented on {@link LoopingScore}). */
    public static final class Detector {
        private double threshold = DEFAULT_THRESHOLD;
        private double decorrelation = DEFAULT_DECORRELATION;
        private int skip = 0;
        private double maxLagFraction = 0.5;

        private Detector() {
        }

        /** Score at or above which a sample counts as looping (default 0.5). */
        public Detector threshold(double t) {
            if (!(t > 0 && t <= 1)) {
                throw new IllegalArgumentException("looping threshold: expected a value in (0, 1], found " + t);
            }
            threshold = t;
            return this;
        }

        /** Level ρ has to fall below before returns are looked for (default 0.25). */
        public Detector decorrelation(double level) {
            if (!(level >= 0 && level < 1)) {
                throw new IllegalArgumentException("decorrelation level: expected a value in [0, 1), found " + level);
            }
            decorrelation = level;
            return this;
        }

        /** Frames to ignore at the start of each sample (a generator's start-up transient). */
        public Detector skip(int frames) {
            if (frames < 0) {
                throw new IllegalArgumentException("skip: expected ≥ 0 frames, found " + frames);
            }
            skip = frames;
            return this;
        }

        /** Longest lag looked at, as a fraction of the analysed frames (default 0.5). */
        public Detector maxLagFraction(double f) {
            if (!(f > 0 && f < 1)) {
                throw new IllegalArgumentException("max lag fraction: expected a value in (0, 1), found " + f);
            }
            maxLagFraction = f;
            return this;
        }

        /**
         * Scores a W+ trajectory on all its L·D coordinates, labelled with its source; throws if it has fewer
         * than skip + 8 frames.
         */
        public LoopingScore score(Trajectory sample) {
            Objects.requireNonNull(sample, "sample");
            return score(sample.flatFrames(), sample.source());
        }

        /**
         * Scores coordinates [T, k] (e.g. a PCA projection); throws unless rank 2, finite and at least skip + 8 frames
         * long.
         */
        public LoopingScore score(INDArray coordinates) {
            return score(coordinates, "");
        }

        /** Scores the sample's trajectory in a PCA basis (e.g. the real motion's): fast, and blind to jitter outside it. */
        public LoopingScore score(Trajectory sample, org.latentmotion.pca.LatentPca basis) {
            Objects.requireNonNull(sample, "sample");
            Objects.requireNonNull(basis, "basis");
            return score(basis.project(sample), sample.source());
        }

        private LoopingScore score(INDArray coordinates, String label) {
            Objects.requireNonNull(coordinates, "coordinates");
            if (coordinates.rank() != 2) {
                throw new IllegalArgumentException("looping score: expected coordinates [T, k], found "
                        + Arrays.toString(coordinates.shape()));
            }
            int total = (int) coordinates.size(0);
            int t = total - skip;
            if (t < 8) {
                throw new IllegalArgumentException("looping score: expected at least " + (skip + 8) + " frames (skip "
                        + skip + " + 8), found " + total);
            }
            INDArray x = coordinates.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(skip, total),
                    org.nd4j.linalg.indexing.NDArrayIndex.all()).castTo(DataType.DOUBLE);
            if (x.isNaN().any() || x.isInfinite().any()) {
                throw new IllegalArgumentException("looping score: the coordinates hold NaN or infinite values");
            }
            x = Broadcasts.subRow(x, x.mean(0));
            double[] rho = lagCorrelation(x, t, Math.max(2, (int) Math.floor(t * maxLagFraction)));
            int maxLag = rho.length - 1;
            int tau0 = -1;
            for (int lag = 1; lag <= maxLag; lag++) {
                if (rho[lag] < decorrelation) {
                    tau0 = lag;
                    break;
                }
            }
            int period = -1;
            double best = Double.NaN;
            if (tau0 > 0 && 2 * tau0 <= maxLag) {
                best = Double.NEGATIVE_INFINITY;
                // A loop comes back twice: at its period and at twice its period (± 1 frame for
                // periods that are not whole frames). A single chance return does not count.
                for (int lag = tau0; 2 * lag <= maxLag; lag++) {
                    double twice = rho[2 * lag];
                    twice = Math.max(twice, rho[2 * lag - 1]);
                    if (2 * lag + 1 <= maxLag) {
                        twice = Math.max(twice, rho[2 * lag + 1]);
                    }
                    double both = Math.min(rho[lag], twice);
                    if (both > best) {
                        best = both;
                        period = lag;
                    }
                }
            } else if (tau0 > 0) {
                tau0 = -1; // decorrelates too late to see two returns: treated as never decorrelating
            }
            return new LoopingScore(rho, tau0, period, best, threshold, decorrelation, t, label);
        }
    }

    /** ρ(τ), τ = 0 … maxLag, of centred coordinates x [t, k] (float64). */
    static double[] lagCorrelation(INDArray x, int t, int maxLag) {
        int k = (int) x.size(1);
        double[] rho = new double[maxLag + 1];
        rho[0] = 1;
        double[] diff = new double[maxLag + 1];
        double v = 0;
        if (k <= 64) {
            // Few coordinates: differences directly, O(T · maxLag · k).
            double[] d = x.data().asDouble();
            for (int i = 0; i < t * k; i++) {
                v += d[i] * d[i];
            }
            for (int lag = 1; lag <= maxLag; lag++) {
                double s = 0;
                int n = (t - lag) * k;
                int off = lag * k;
                for (int i = 0; i < n; i++) {
                    double e = d[i] - d[i + off];
                    s += e * e;
                }
                diff[lag] = s;
            }
        } else {
            // Many coordinates (raw W+): the Gram matrix gives every |x_i − x_j|² from three entries.
            double[] g = x.mmul(x.transpose()).dup('c').data().asDouble();
            for (int i = 0; i < t; i++) {
                v += g[i * t + i];
            }
            for (int lag = 1; lag <= maxLag; lag++) {
                double s = 0;
                for (int i = 0; i + lag < t; i++) {
                    int j = i + lag;
                    s += g[i * t + i] + g[j * t + j] - 2 * g[i * t + j];
                }
                diff[lag] = s;
            }
        }
        v /= t;
        for (int lag = 1; lag <= maxLag; lag++) {
            rho[lag] = v > 0 ? 1 - diff[lag] / (t - lag) / (2 * v) : 1;
        }
        return rho;
    }

    /** min(ρ(τ), ρ(2τ)) at the strongest twice-repeated return after decorrelation (NaN when the sample never decorrelates within T/4). */
    public double score() {
        return score;
    }

    /** True when the verdict is {@link Verdict#LOOPING}. */
    public boolean looping() {
        return verdict() == Verdict.LOOPING;
    }

    /**
     * {@link Verdict#NEVER_DECORRELATES} if ρ never fell below the decorrelation level in time, else LOOPING when the
     * score reaches the threshold, NOT_LOOPING below it.
     */
    public Verdict verdict() {
        if (decorrelationLag < 0) {
            return Verdict.NEVER_DECORRELATES;
        }
        return score >= threshold ? Verdict.LOOPING : Verdict.NOT_LOOPING;
    }

    /** The lag (frames) of the strongest return, or -1. */
    public int period() {
        return period;
    }

    /** The first lag with ρ below the decorrelation level, or -1. */
    public int decorrelationLag() {
        return decorrelationLag;
    }

    /** ρ(τ) for τ = 0 … maxLag (a copy). */
    public double[] correlation() {
        return rho.clone();
    }

    /** The score at or above which the sample counted as looping. */
    public double threshold() {
        return threshold;
    }

    /** The level ρ had to fall below before returns counted. */
    public double decorrelationLevel() {
        return decorrelation;
    }

    /** Frames analysed (the sample's length minus the skipped start). */
    public int frames() {
        return frames;
    }

    /** The sample's source (empty when scored from bare coordinates). */
    public String label() {
        return label;
    }

    @Override
    public String toString() {
        return switch (verdict()) {
            case NEVER_DECORRELATES -> String.format("LoopingScore: never decorrelates within %d of %d frames "
                    + "(ρ stays ≥ %.2f: frozen or drifting), not counted as looping", (rho.length - 1) / 2, frames, decorrelation);
            default -> String.format("LoopingScore %.3f (threshold %.2f) → %s; strongest return after %d frames,"
                    + " decorrelated after %d, %d frames analysed", score, threshold, verdict(), period,
                    decorrelationLag, frames);
        };
    }
}

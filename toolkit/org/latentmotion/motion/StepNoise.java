package org.latentmotion.motion;

import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The generator's per-step noise s_1 … s_n of a batch of sequences, as one [rows, n·latent] array
 * (step k in columns k·latent … (k+1)·latent − 1): white, as in the paper, or partly smooth in
 * time ({@link StyleVideoGanConfig#noiseSmoothing()}).
 *
 * <p>Smooth noise: the first channels stay white (a quarter of them by default, none in
 * {@code laptop()}: {@link StyleVideoGanConfig#whiteNoise()}); each other channel is white noise
 * convolved with a Gaussian of width σ (spread log-uniformly from 1 frame to the configured widest
 * over the channels), scaled back to unit variance. Every channel is still N(0, 1) at each step, and
 * the sequence is stationary from its first step (the convolution reads a margin of noise before
 * and after), so the start of a sequence moves like its middle.
 *
 * <p>Why: with white noise only, a slow variable such as the head's pose must come from the GRU
 * integrating and then ignoring per-frame kicks, which a short CPU run does not learn: in issue
 * 13's measurements the head turned 4–7 times as fast per frame as the data. Smooth channels hand
 * the recurrence inputs that already change as slowly as the data may, and white ones keep sudden
 * events (blinks) possible. StyleGAN-V (seed 001) draws its motion codes from noise smoothed in
 * time for the same reason.
 *
 * <p>Slower channels set where a head rests, not how far it sways: in {@code laptop()} at 2500
 * steps, four of the 32 channels smoothed over 50–100 frames instead (the rest spread up to 25)
 * brought seed 1's pose variance from 0.84 to 1.00 of the data's, but its sway within 20 s fell
 * from 0.81 to 0.50 (0.39–0.68 over the four runs of the learns check, 0.39–0.81 without them):
 * noise that barely changes within a sample gives each sample its own pose, and the critic's one-second
 * windows cannot ask for more.
 */
final class StepNoise {
    private final int latent;
    /** Per channel, the Gaussian's taps (unit sum of squares) or null for a white channel. */
    private final double[][] kernels;
    private final double[] widths;

    StepNoise(int latent, double widest) {
        this(latent, widest, latent / 4);
    }

    /**
     * @param white with smoothing, how many channels (the first ones) stay white: a quarter of them
     *              by default, 0 for smooth channels only (an experiment of issue 13)
     */
    StepNoise(int latent, double widest, int white) {
        if (latent <= 0) {
            throw new IllegalArgumentException("latent must be > 0, found " + latent);
        }
        if (!(widest == 0 || widest >= 1) || Double.isInfinite(widest)) {
            throw new IllegalArgumentException("widest smoothing must be 0 (white) or ≥ 1 frame, found " + widest);
        }
        this.latent = latent;
        this.kernels = new double[latent][];
        this.widths = new double[latent];
        if (widest == 0) {
            return;
        }
        if (white < 0 || white >= latent) {
            throw new IllegalArgumentException("white channels must be in 0 … " + (latent - 1) + " (at least one smooth),"
                    + " found " + white);
        }
        int smooth = latent - white;
        for (int j = white; j < latent; j++) {
            double sigma = smooth == 1 ? widest : Math.pow(widest, (double) (j - white) / (smooth - 1));
            widths[j] = sigma;
            kernels[j] = gaussianTaps(sigma);
        }
    }

    private static double[] gaussianTaps(double sigma) {
        int radius = (int) Math.ceil(3 * sigma);
        double[] taps = new double[2 * radius + 1];
        double squares = 0;
        for (int m = -radius; m <= radius; m++) {
            double v = Math.exp(-0.5 * m * m / (sigma * sigma));
            taps[m + radius] = v;
            squares += v * v;
        }
        double norm = Math.sqrt(squares);
        for (int m = 0; m < taps.length; m++) {
            taps[m] /= norm;
        }
        return taps;
    }

    /** True when every channel is white (the paper's noise). */
    boolean white() {
        return widths[latent - 1] == 0;
    }

    /** Each channel's smoothing width in frames (0: white). */
    double[] widths() {
        return widths.clone();
    }

    /**
     * Noise for {@code rows} sequences of {@code steps} steps, [rows, steps·latent]. White noise is
     * drawn in the array's order (row, step, channel), exactly as a plain Gaussian array would be.
     */
    INDArray draw(Random random, long rows, int steps, DataType dtype) {
        if (rows < 0 || steps < 0) {
            throw new IllegalArgumentException("noise: expected rows and steps ≥ 0, found " + rows + " and " + steps);
        }
        double[] d = new double[Math.toIntExact(rows * steps * latent)];
        if (white()) {
            for (int k = 0; k < d.length; k++) {
                d[k] = random.nextGaussian();
            }
        } else {
            for (long r = 0; r < rows; r++) {
                int base = Math.toIntExact(r * steps * latent);
                for (int j = 0; j < latent; j++) {
                    fillChannel(random, kernels[j], d, base + j, steps);
                }
            }
        }
        return Nd4j.create(d, new long[] {rows, (long) steps * latent}, DataType.DOUBLE).castTo(dtype);
    }

    /** One channel of one sequence: white, or white with margins convolved with the taps. */
    private void fillChannel(Random random, double[] taps, double[] out, int offset, int steps) {
        if (taps == null) {
            for (int k = 0; k < steps; k++) {
                out[offset + k * latent] = random.nextGaussian();
            }
            return;
        }
        int radius = taps.length / 2;
        double[] white = new double[steps + 2 * radius];
        for (int k = 0; k < white.length; k++) {
            white[k] = random.nextGaussian();
        }
        for (int k = 0; k < steps; k++) {
            double v = 0;
            for (int m = 0; m < taps.length; m++) {
                v += taps[m] * white[k + m];
            }
            out[offset + k * latent] = v;
        }
    }
}

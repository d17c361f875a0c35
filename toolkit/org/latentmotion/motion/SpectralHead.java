package org.latentmotion.motion;

import org.latentmotion.nn.Init;
import org.latentmotion.nn.Linear;
import org.latentmotion.nn.Ops;
import org.latentmotion.nn.ParameterSet;
import org.latentmotion.nn.Var;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The critic's spectral head ({@link StyleVideoGanConfig#spectralCritic()}; our addition, not in
 * seed 002): the amplitude spectrum over time of each standardised motion component of a window,
 * read by a small MLP whose score is added to the temporal critic's. A syllable rhythm is a peak
 * at a few hertz; broadband jitter of the same power spreads over every bin. The temporal
 * convolutions can tell them apart only through learned filters, and in a short run they did not
 * (generated mouth spectra flat over 1–4 Hz, with a tenth to a half of the data's power at its
 * syllable peak); here the bins are inputs of their own.
 *
 * <p>Per window of t frames and component f: the component minus its window mean, times a
 * periodic Hann window w (so a slow head turn does not leak into every bin), then
 * A_k = √(Re_k² + Im_k² + ε) / √(Σ w²) for the bins k = 1 … ⌊t/2⌋ (k Hz · fps / t), which is about
 * 1 for white noise of unit variance. Everything up to the square root is one fixed linear map
 * (two [t·F, F·bins] matrices), so the gradient penalty's double backward runs through it like
 * through a layer. The amplitude, not the power, keeps the head as Lipschitz as the frames it
 * reads: twice the motion is twice the amplitude.
 *
 * <p>Measured (issue 13, {@code TrainerLearnsTest} at 2500 steps of {@code laptop()}): the head
 * alone, beside a quarter of white noise channels, left the mouth rhythm's prominence where it was
 * (0.15 and 0.14 of the data's for training seeds 1 and 2, 0.15 and 0.15 without it); with smooth
 * noise channels only it reached 1.21 (seed 1). Smooth channels without the head had over-peaked
 * in the session before (18 at step 1000, then 2.3–3.4) and lost the blinks; not rerun since.
 *
 * <p>Parameters (in the critic's set): {@code critic.spectral.fc0} [F·bins, W_C],
 * {@code critic.spectral.fc1} [W_C, W_C] (LeakyReLU after each), {@code critic.spectral.out}
 * [W_C, 1]; the spectrum's column f·bins + (k − 1) is component f at bin k.
 */
final class SpectralHead {
    /** Added under the square root: keeps the amplitude's gradient finite at a silent bin. */
    static final double AMPLITUDE_EPS = 1e-6;

    private final int frames;
    private final int features;
    private final int bins;
    private final double slope;
    /** [t·F, F·bins]: row s·F + f, column f·bins + k − 1 (the cosine and sine parts of the windowed DFT). */
    private final INDArray cosine;
    private final INDArray sine;
    private final Linear hidden0;
    private final Linear hidden1;
    private final Linear out;

    SpectralHead(StyleVideoGanConfig c, ParameterSet ps, Init init) {
        frames = c.windowLength();
        features = c.features();
        bins = frames / 2;
        slope = c.leakySlope();
        double[] w = new double[frames];
        double energy = 0;
        for (int s = 0; s < frames; s++) {
            w[s] = 0.5 - 0.5 * Math.cos(2 * Math.PI * s / frames);
            energy += w[s] * w[s];
        }
        double norm = 1 / Math.sqrt(energy);
        cosine = ps.constant(0, (long) frames * features, (long) features * bins);
        sine = ps.constant(0, (long) frames * features, (long) features * bins);
        for (int k = 1; k <= bins; k++) {
            // the window mean is removed first: coefficient of x_s is w_s·cos(·) − mean over s' of w_s'·cos(·)
            double meanCos = 0;
            double meanSin = 0;
            for (int s = 0; s < frames; s++) {
                meanCos += w[s] * Math.cos(2 * Math.PI * k * s / frames) / frames;
                meanSin += w[s] * Math.sin(2 * Math.PI * k * s / frames) / frames;
            }
            for (int s = 0; s < frames; s++) {
                double cs = (w[s] * Math.cos(2 * Math.PI * k * s / frames) - meanCos) * norm;
                double sn = (w[s] * Math.sin(2 * Math.PI * k * s / frames) - meanSin) * norm;
                for (int f = 0; f < features; f++) {
                    cosine.putScalar(new long[] {(long) s * features + f, (long) f * bins + k - 1}, cs);
                    sine.putScalar(new long[] {(long) s * features + f, (long) f * bins + k - 1}, sn);
                }
            }
        }
        int width = c.criticWidth();
        hidden0 = new Linear(ps, "critic.spectral.fc0", features * bins, width, init);
        hidden1 = new Linear(ps, "critic.spectral.fc1", width, width, init);
        out = new Linear(ps, "critic.spectral.out", width, 1, init);
    }

    /** Frequency bins per component: 1 … ⌊t/2⌋ cycles per window. */
    int bins() {
        return bins;
    }

    /** Standardised frames [B·t, F] (rows by window, then frame) → amplitudes [B, F·bins]. */
    Var amplitudes(Var x) {
        if (x.rank() != 2 || x.size(1) != features || x.size(0) % frames != 0) {
            throw new IllegalArgumentException("spectral head expects [B·" + frames + ", " + features + "], found "
                    + java.util.Arrays.toString(x.shape()));
        }
        long b = x.size(0) / frames;
        Var rows = Ops.reshape(x, b, (long) frames * features);
        Var re = Ops.matmul(rows, Var.constant(cosine.castTo(x.value().dataType())));
        Var im = Ops.matmul(rows, Var.constant(sine.castTo(x.value().dataType())));
        return Ops.sqrt(Ops.addScalar(Ops.add(Ops.square(re), Ops.square(im)), AMPLITUDE_EPS));
    }

    /** Standardised frames [B·t, F] → the head's score [B]. */
    Var score(Var x) {
        Var a = amplitudes(x);
        long b = a.size(0);
        Var h = Ops.leakyRelu(hidden0.forward(a), slope);
        h = Ops.leakyRelu(hidden1.forward(h), slope);
        return Ops.reshape(out.forward(h), b);
    }
}

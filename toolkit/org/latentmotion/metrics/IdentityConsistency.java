package org.latentmotion.metrics;

import java.util.List;
import java.util.Objects;
import org.latentmotion.wplus.Trajectory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Average Content Distance (ACD) as StyleVideoGAN uses it (Sec. 4): for each sample, the mean
 * L2 distance between the identity features of all pairs of its frames; then the mean over
 * samples. Lower is a steadier identity; 0 means every frame shows exactly the same person.
 */
public final class IdentityConsistency {
    private final double[] perSample;
    private final String features;

    private IdentityConsistency(double[] perSample, String features) {
        this.perSample = perSample;
        this.features = features;
    }

    /** ACD of {@code samples} with {@code features} (every frame; see {@link #of(List, IdentityFeatures, int)}). */
    public static IdentityConsistency of(List<Trajectory> samples, IdentityFeatures features) {
        return of(samples, features, 1);
    }

    /** ACD using every {@code stride}-th frame of each sample (pairs grow with frames²). */
    public static IdentityConsistency of(List<Trajectory> samples, IdentityFeatures features, int stride) {
        Objects.requireNonNull(samples, "samples");
        Objects.requireNonNull(features, "features");
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("identity consistency: expected at least one sample, found none");
        }
        if (stride < 1) {
            throw new IllegalArgumentException("stride: expected at least 1, found " + stride);
        }
        double[] acd = new double[samples.size()];
        for (int i = 0; i < samples.size(); i++) {
            Trajectory s = samples.get(i);
            if (s.frames() < 2 * stride) {
                throw new IllegalArgumentException("identity consistency: sample " + i + " has " + s.frames()
                        + " frames, expected at least " + 2 * stride);
            }
            acd[i] = meanPairwiseDistance(features.of(s), stride);
        }
        return new IdentityConsistency(acd, features.name());
    }

    /** Mean L2 distance over all pairs of rows (every {@code stride}-th row) of [T, F]. */
    static double meanPairwiseDistance(INDArray f, int stride) {
        int t = (int) f.size(0);
        int k = (int) f.size(1);
        double[] d = f.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double sum = 0;
        long pairs = 0;
        for (int i = 0; i < t; i += stride) {
            for (int j = i + stride; j < t; j += stride) {
                double s = 0;
                for (int c = 0; c < k; c++) {
                    double e = d[i * k + c] - d[j * k + c];
                    s += e * e;
                }
                sum += Math.sqrt(s);
                pairs++;
            }
        }
        if (!Double.isFinite(sum)) {
            throw new IllegalArgumentException("identity consistency: the identity features hold NaN or infinite values");
        }
        return sum / pairs;
    }

    /** Mean L2 distance of each row of [T, F] from {@code reference} [F]. */
    static double meanDistanceTo(INDArray f, INDArray reference) {
        int t = (int) f.size(0);
        int k = (int) f.size(1);
        double[] d = f.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] r = reference.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        if (r.length != k) {
            throw new IllegalArgumentException("identity distance: reference has " + r.length + " features, expected " + k);
        }
        double sum = 0;
        for (int i = 0; i < t; i++) {
            double s = 0;
            for (int c = 0; c < k; c++) {
                double e = d[i * k + c] - r[c];
                s += e * e;
            }
            sum += Math.sqrt(s);
        }
        return sum / t;
    }

    /** ACD: the mean over samples. */
    public double mean() {
        double s = 0;
        for (double v : perSample) {
            s += v;
        }
        return s / perSample.length;
    }

    /** Standard deviation over samples. */
    public double std() {
        double m = mean();
        double s = 0;
        for (double v : perSample) {
            s += (v - m) * (v - m);
        }
        return perSample.length > 1 ? Math.sqrt(s / (perSample.length - 1)) : 0;
    }

    /** The ACD of each sample, in the order given (a copy). */
    public double[] perSample() {
        return perSample.clone();
    }

    @Override
    public String toString() {
        return String.format("ACD %.4g ± %.2g over %d samples (identity features: %s)", mean(), std(), perSample.length,
                features);
    }
}

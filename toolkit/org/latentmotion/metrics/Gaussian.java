package org.latentmotion.metrics;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A Gaussian fit of feature vectors: the mean and the unbiased covariance (divided by N − 1,
 * as {@code numpy.cov} and pytorch-fid do), both in float64.
 */
public final class Gaussian {
    private final double[] mean;
    private final double[][] covariance;
    private final long samples;

    private Gaussian(double[] mean, double[][] covariance, long samples) {
        this.mean = mean;
        this.covariance = covariance;
        this.samples = samples;
    }

    /**
     * Fits features [N, F] (rows are samples); computed in float64 whatever the input type.
     *
     * @throws IllegalArgumentException if the array is not [N, F] with N ≥ 2, or holds NaN/∞
     */
    public static Gaussian fit(INDArray features) {
        Objects.requireNonNull(features, "features");
        if (features.rank() != 2) {
            throw new IllegalArgumentException("features: expected shape [N, F], found " + Arrays.toString(features.shape()));
        }
        return fit(features.castTo(DataType.DOUBLE).toDoubleMatrix());
    }

    /** Fits features given as rows (samples) × columns (features). */
    public static Gaussian fit(double[][] rows) {
        Objects.requireNonNull(rows, "features");
        if (rows.length < 2) {
            throw new IllegalArgumentException("features: a covariance needs at least 2 samples, found " + rows.length);
        }
        int f = rows[0].length;
        if (f < 1) {
            throw new IllegalArgumentException("features: expected at least 1 feature per sample, found 0");
        }
        int n = rows.length;
        double[] mean = new double[f];
        for (int i = 0; i < n; i++) {
            double[] r = rows[i];
            if (r.length != f) {
                throw new IllegalArgumentException("features: row " + i + " has " + r.length + " values, expected " + f);
            }
            for (int j = 0; j < f; j++) {
                if (!Double.isFinite(r[j])) {
                    throw new IllegalArgumentException("features: row " + i + ", feature " + j
                            + " is " + r[j] + ", expected a finite number");
                }
                mean[j] += r[j];
            }
        }
        for (int j = 0; j < f; j++) {
            mean[j] /= n;
        }
        // Two-pass (centre first): no cancellation when the spread is small against the mean.
        double[][] cov = new double[f][f];
        double[] c = new double[f];
        for (double[] r : rows) {
            for (int j = 0; j < f; j++) {
                c[j] = r[j] - mean[j];
            }
            for (int j = 0; j < f; j++) {
                double cj = c[j];
                double[] row = cov[j];
                for (int k = j; k < f; k++) {
                    row[k] += cj * c[k];
                }
            }
        }
        for (int j = 0; j < f; j++) {
            for (int k = j; k < f; k++) {
                cov[j][k] /= (n - 1);
                cov[k][j] = cov[j][k];
            }
        }
        return new Gaussian(mean, cov, n);
    }

    /** A Gaussian from a given mean [F] and symmetric covariance [F, F] (copied). */
    public static Gaussian of(double[] mean, double[][] covariance) {
        int f = mean.length;
        if (covariance.length != f) {
            throw new IllegalArgumentException("covariance: expected [" + f + ", " + f + "] for a mean of " + f
                    + " values, found " + covariance.length + " rows");
        }
        double[][] cov = new double[f][];
        for (int j = 0; j < f; j++) {
            if (covariance[j].length != f) {
                throw new IllegalArgumentException("covariance: row " + j + " has " + covariance[j].length
                        + " values, expected " + f);
            }
            cov[j] = covariance[j].clone();
        }
        for (int j = 0; j < f; j++) {
            if (!Double.isFinite(mean[j])) {
                throw new IllegalArgumentException("mean: value " + j + " is " + mean[j] + ", expected a finite number");
            }
            for (int k = 0; k < f; k++) {
                if (!Double.isFinite(cov[j][k])) {
                    throw new IllegalArgumentException("covariance: [" + j + ", " + k + "] is " + cov[j][k]
                            + ", expected a finite number");
                }
                double tol = 1e-9 * (Math.abs(cov[j][k]) + Math.abs(cov[k][j]) + 1e-300);
                if (Math.abs(cov[j][k] - cov[k][j]) > tol) {
                    throw new IllegalArgumentException("covariance: expected a symmetric matrix, found [" + j + ", " + k
                            + "] = " + cov[j][k] + " but [" + k + ", " + j + "] = " + cov[k][j]);
                }
            }
        }
        return new Gaussian(mean.clone(), cov, 0);
    }

    /** Length of the feature vectors (the mean's length). */
    public int dimension() {
        return mean.length;
    }

    /** Number of samples fitted (0 when built from given moments). */
    public long samples() {
        return samples;
    }

    /** The mean (a copy). */
    public double[] mean() {
        return mean.clone();
    }

    /** The covariance (a copy). */
    public double[][] covariance() {
        double[][] out = new double[covariance.length][];
        for (int i = 0; i < out.length; i++) {
            out[i] = covariance[i].clone();
        }
        return out;
    }

    double[] meanView() {
        return mean;
    }

    double[][] covarianceView() {
        return covariance;
    }

    /** Trace of the covariance: the total variance over all dimensions. */
    public double trace() {
        double t = 0;
        for (int j = 0; j < covariance.length; j++) {
            t += covariance[j][j];
        }
        return t;
    }

    /** The Fréchet distance to {@code other}; see {@link FrechetDistance}. */
    public double frechetDistance(Gaussian other) {
        return FrechetDistance.between(this, other);
    }

    @Override
    public String toString() {
        return "Gaussian[" + dimension() + " features" + (samples > 0 ? ", fitted on " + samples + " samples" : "")
                + String.format(", trace %.6g]", trace());
    }
}

package org.latentmotion.spark;

import java.io.Serializable;
import org.latentmotion.metrics.Gaussian;

/**
 * The first two moments of a set of feature vectors in float64 — the count n, the sum Σx and the
 * sum of products Σxxᵀ — kept in the form that merges without cancellation: n, the mean and the
 * centred scatter Σ(x − μ)(x − μ)ᵀ. Each partition sums its own rows (two passes within the
 * block, as {@link Gaussian#fit(double[][])} does), the driver merges partitions pairwise (Chan,
 * Golub and LeVeque's update), and {@link #gaussian()} gives the same mean and unbiased covariance
 * a fit on all rows at once gives, to round-off. What crosses the network is O(F²) per
 * partition, whatever the number of rows.
 */
public final class FeatureMoments implements Serializable {
    private static final long serialVersionUID = 1L;
    private final int dimension;
    private long count;
    private double[] mean;
    private double[][] scatter; // upper triangle used while summing; mirrored in gaussian()

    private FeatureMoments(int dimension) {
        if (dimension < 1) {
            throw new IllegalArgumentException("feature moments: expected at least 1 feature, found " + dimension);
        }
        this.dimension = dimension;
        this.mean = new double[dimension];
        this.scatter = new double[dimension][dimension];
    }

    /** No rows yet, for vectors of {@code dimension} features. */
    public static FeatureMoments empty(int dimension) {
        return new FeatureMoments(dimension);
    }

    /** The moments of {@code rows} (samples × features). */
    public static FeatureMoments of(double[][] rows) {
        if (rows.length == 0) {
            throw new IllegalArgumentException("feature moments: expected at least one row, found none");
        }
        FeatureMoments m = new FeatureMoments(rows[0].length);
        m.add(rows);
        return m;
    }

    /** Adds a block of rows (samples × features); returns this. */
    public FeatureMoments add(double[][] rows) {
        if (rows.length == 0) {
            return this;
        }
        int f = dimension;
        double[] mu = new double[f];
        for (int i = 0; i < rows.length; i++) {
            double[] r = rows[i];
            if (r.length != f) {
                throw new IllegalArgumentException("feature moments: row " + i + " has " + r.length + " values, expected " + f);
            }
            for (int j = 0; j < f; j++) {
                if (!Double.isFinite(r[j])) {
                    throw new IllegalArgumentException("feature moments: row " + i + ", feature " + j + " is " + r[j]
                            + ", expected a finite number");
                }
                mu[j] += r[j];
            }
        }
        for (int j = 0; j < f; j++) {
            mu[j] /= rows.length;
        }
        double[][] s = new double[f][f];
        double[] c = new double[f];
        for (double[] r : rows) {
            for (int j = 0; j < f; j++) {
                c[j] = r[j] - mu[j];
            }
            for (int j = 0; j < f; j++) {
                double cj = c[j];
                double[] row = s[j];
                for (int k = j; k < f; k++) {
                    row[k] += cj * c[k];
                }
            }
        }
        return merge(rows.length, mu, s);
    }

    /** Adds {@code other}'s rows to these (both must have the same dimension); returns this. */
    public FeatureMoments merge(FeatureMoments other) {
        if (other.dimension != dimension) {
            throw new IllegalArgumentException("feature moments: cannot merge " + other.dimension + " features into "
                    + dimension);
        }
        return merge(other.count, other.mean, other.scatter);
    }

    private FeatureMoments merge(long nb, double[] mb, double[][] sb) {
        if (nb == 0) {
            return this;
        }
        if (count == 0) {
            count = nb;
            mean = mb.clone();
            scatter = new double[dimension][];
            for (int j = 0; j < dimension; j++) {
                scatter[j] = sb[j].clone();
            }
            return this;
        }
        long n = count + nb;
        double[] delta = new double[dimension];
        for (int j = 0; j < dimension; j++) {
            delta[j] = mb[j] - mean[j];
        }
        double w = (double) count * nb / n;
        for (int j = 0; j < dimension; j++) {
            for (int k = j; k < dimension; k++) {
                scatter[j][k] += sb[j][k] + w * delta[j] * delta[k];
            }
        }
        for (int j = 0; j < dimension; j++) {
            mean[j] += delta[j] * nb / n;
        }
        count = n;
        return this;
    }

    /** Number of rows summed. */
    public long count() {
        return count;
    }

    /** Features per row. */
    public int dimension() {
        return dimension;
    }

    /** Σx, the sum of the rows. */
    public double[] sum() {
        double[] s = new double[dimension];
        for (int j = 0; j < dimension; j++) {
            s[j] = mean[j] * count;
        }
        return s;
    }

    /** The mean and unbiased covariance (divided by n − 1), as {@link Gaussian#fit(double[][])} gives. */
    public Gaussian gaussian() {
        if (count < 2) {
            throw new IllegalArgumentException("feature moments: a covariance needs at least 2 samples, found " + count);
        }
        double[][] cov = new double[dimension][dimension];
        for (int j = 0; j < dimension; j++) {
            for (int k = j; k < dimension; k++) {
                cov[j][k] = scatter[j][k] / (count - 1);
                cov[k][j] = cov[j][k];
            }
        }
        return Gaussian.of(mean, cov);
    }

    @Override
    public String toString() {
        return "FeatureMoments[" + count + " rows × " + dimension + " features]";
    }
}

package org.latentmotion.pca;

import java.util.Random;

/**
 * Orthonormalisation of a few long vectors in float64: modified Gram–Schmidt done twice
 * ("twice is enough"), with a seeded random replacement for vectors that are (numerically)
 * in the span of the earlier ones, so the result always has full rank.
 */
final class Orthonormal {
    private Orthonormal() {
    }

    /** Orthonormalises the rows of {@code v} in place, in order. */
    static void rows(double[][] v, long seed) {
        if (v.length > 0 && v.length > v[0].length) {
            throw new IllegalArgumentException(v.length + " orthonormal vectors do not fit in " + v[0].length + " dimensions");
        }
        Random random = null;
        for (int i = 0; i < v.length; i++) {
            double before = norm(v[i]);
            for (int pass = 0; pass < 2; pass++) {
                for (int j = 0; j < i; j++) {
                    double d = dot(v[i], v[j]);
                    axpy(-d, v[j], v[i]);
                }
            }
            double after = norm(v[i]);
            if (!(after > 1e-10 * before) || after == 0) {
                // dependent on earlier rows: any unit vector orthogonal to them will do
                if (random == null) {
                    random = new Random(seed);
                }
                for (int t = 0; t < v[i].length; t++) {
                    v[i][t] = random.nextGaussian();
                }
                i--; // redo this row with the random vector
                continue;
            }
            scale(1.0 / after, v[i]);
        }
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    static void axpy(double alpha, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) {
            y[i] += alpha * x[i];
        }
    }

    static void scale(double alpha, double[] x) {
        for (int i = 0; i < x.length; i++) {
            x[i] *= alpha;
        }
    }
}

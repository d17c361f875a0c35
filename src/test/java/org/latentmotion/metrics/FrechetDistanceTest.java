package org.latentmotion.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/** Checks against fixtures written by src/test/resources/metrics/make_frechet_fixtures.py. */
class FrechetDistanceTest {

    static double[][] readMatrix(String resource) throws IOException {
        try (InputStream in = FrechetDistanceTest.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("missing test resource " + resource);
            }
            List<double[]> rows = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                String[] parts = line.trim().split("\\s+");
                double[] r = new double[parts.length];
                for (int i = 0; i < parts.length; i++) {
                    r[i] = Double.parseDouble(parts[i]);
                }
                rows.add(r);
            }
            return rows.toArray(new double[0][]);
        }
    }

    static List<String[]> expected() throws IOException {
        try (InputStream in = FrechetDistanceTest.class.getResourceAsStream("/metrics/frechet/expected.tsv")) {
            List<String[]> out = new ArrayList<>();
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            for (int i = 1; i < lines.length; i++) {
                if (!lines[i].isBlank()) {
                    out.add(lines[i].split("\t"));
                }
            }
            return out;
        }
    }

    @Test
    void agreesWithFiftyDigitReferenceIncludingSingularCovariances() throws IOException {
        List<String[]> cases = expected();
        assertEquals(6, cases.size());
        for (String[] c : cases) {
            double[][] a = readMatrix("/metrics/frechet/" + c[0] + "_a.txt");
            double[][] b = readMatrix("/metrics/frechet/" + c[0] + "_b.txt");
            double truth = Double.parseDouble(c[1]);
            double pytorchFid = Double.parseDouble(c[2]);
            double d = FrechetDistance.between(a, b);
            Gaussian ga = Gaussian.fit(a);
            double scale = ga.trace() + Gaussian.fit(b).trace();
            if (Math.abs(truth) < 1e-30) {
                assertEquals(0.0, d, 1e-12 * scale, c[0] + ": identical sets");
            } else {
                assertEquals(truth, d, 1e-6 * Math.abs(truth), c[0] + " vs mpmath");
                assertEquals(pytorchFid, d, 1e-6 * Math.abs(truth), c[0] + " vs pytorch-fid's algorithm");
            }
            // Through INDArray float64 input: same value.
            assertEquals(d, FrechetDistance.between(Nd4j.createFromArray(a), Nd4j.createFromArray(b)), 1e-9 * (1 + d));
        }
    }

    @Test
    void isSymmetricAndGrowsWithTheMeanShift() {
        Random rnd = new Random(3);
        double[][] a = new double[300][6];
        double[][] b = new double[250][6];
        for (double[] r : a) {
            for (int j = 0; j < 6; j++) {
                r[j] = rnd.nextGaussian() * (1 + j);
            }
        }
        for (double[] r : b) {
            for (int j = 0; j < 6; j++) {
                r[j] = rnd.nextGaussian() * 2 + 0.3;
            }
        }
        double ab = FrechetDistance.between(a, b);
        assertEquals(ab, FrechetDistance.between(b, a), 1e-9 * ab);
        // Shifting b by a constant vector c adds |c|² plus the cross term 2 c·(μb − μa), exactly.
        double[][] shifted = new double[b.length][6];
        double[] c = {1, -2, 0.5, 0, 3, -1};
        for (int i = 0; i < b.length; i++) {
            for (int j = 0; j < 6; j++) {
                shifted[i][j] = b[i][j] + c[j];
            }
        }
        double[] mua = Gaussian.fit(a).mean();
        double[] mub = Gaussian.fit(b).mean();
        double extra = 0;
        for (int j = 0; j < 6; j++) {
            extra += c[j] * c[j] + 2 * c[j] * (mub[j] - mua[j]);
        }
        assertEquals(ab + extra, FrechetDistance.between(a, shifted), 1e-9 * (ab + extra));
    }

    @Test
    void knownClosedFormForDiagonalGaussians() {
        // Σ1 = diag(s1²), Σ2 = diag(s2²): d² = |Δμ|² + Σ (s1 − s2)².
        double[] m1 = {0, 1, 2};
        double[] m2 = {1, 1, 0};
        double[] s1 = {1, 2, 3};
        double[] s2 = {2, 2, 0}; // singular: one zero variance
        double[][] c1 = new double[3][3];
        double[][] c2 = new double[3][3];
        double expected = 0;
        for (int j = 0; j < 3; j++) {
            c1[j][j] = s1[j] * s1[j];
            c2[j][j] = s2[j] * s2[j];
            expected += (m1[j] - m2[j]) * (m1[j] - m2[j]) + (s1[j] - s2[j]) * (s1[j] - s2[j]);
        }
        assertEquals(expected, FrechetDistance.between(Gaussian.of(m1, c1), Gaussian.of(m2, c2)), 1e-12 * expected);
    }

    @Test
    void rejectsBadInputBeforeWork() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> FrechetDistance.between(Nd4j.rand(10, 4), Nd4j.rand(10, 5)));
        assertTrue(e.getMessage().contains("[10, 4]") && e.getMessage().contains("[10, 5]"), e.getMessage());
        double[][] nan = {{1, 2}, {Double.NaN, 0}, {3, 3}};
        e = assertThrows(IllegalArgumentException.class, () -> Gaussian.fit(nan));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Gaussian.fit(new double[][] {{1, 2}}));
        assertTrue(e.getMessage().contains("at least 2 samples"), e.getMessage());
    }
}

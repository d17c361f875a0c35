package org.latentmotion.pca;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import org.latentmotion.nn.Broadcasts;
import org.latentmotion.wplus.NpyFormatException;
import org.latentmotion.wplus.Npz;
import org.latentmotion.wplus.Trajectory;
import org.latentmotion.wplus.TrajectorySet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * Principal components of W+ codes, each frame flattened to F = L·D values (9216 for 18 × 512).
 * The paper keeps k = 32 components: its motion model works in this basis, and the offset
 * trick moves motion between identities through it.
 *
 * <pre>{@code
 * LatentPca pca = LatentPca.fit(data, 32);      // shows a scree plot (display.PcaCharts.scree)
 * INDArray z = pca.project(clip);               // [T, 32]
 * Trajectory back = pca.reconstruct(clip);      // the clip seen through 32 components
 * pca.save(Path.of("pca.npz"));
 * }</pre>
 *
 * <p>Fitting is exact (float64 eigendecomposition of the smaller of the Gram and covariance
 * matrices) when min(N, F) ≤ {@value #EXACT_LIMIT}, and otherwise a seeded randomized SVD with
 * subspace iteration (Halko, Martinsson &amp; Tropp 2011) whose cost is a few passes of
 * [N, F] × [F, k + 16] products — seconds at 10 000 × 9216.
 */
public final class LatentPca {
    /** Components the paper keeps. */
    public static final int DEFAULT_K = 32;
    /** Largest min(N, F) for which the exact eigendecomposition is used. */
    public static final int EXACT_LIMIT = 512;
    static final int OVERSAMPLING = 16;
    static final int POWER_ITERATIONS = 4;
    private static final long DEFAULT_SEED = 42;

    private final INDArray mean;        // [F] float32
    private final INDArray components;  // [k, F] float32, orthonormal rows
    private final double[] variance;    // [k], variance along each component (N - 1 denominator)
    private final double totalVariance;
    private final int layers;
    private final int width;
    private final long samples;
    private final String method;
    private final String source;

    private LatentPca(INDArray mean, INDArray components, double[] variance, double totalVariance, int layers,
            int width, long samples, String method, String source) {
        this.mean = mean;
        this.components = components;
        this.variance = variance;
        this.totalVariance = totalVariance;
        this.layers = layers;
        this.width = width;
        this.samples = samples;
        this.method = method;
        this.source = source;
    }

    /** Fits on every frame of every clip. */
    public static LatentPca fit(TrajectorySet set, int k) {
        Trajectory all = set.allFrames();
        return fit(all.flatFrames(), k, DEFAULT_SEED, all.layers(), all.width(), set.name());
    }

    /** Fits on every frame of a trajectory. */
    public static LatentPca fit(Trajectory trajectory, int k) {
        return fit(trajectory.flatFrames(), k, DEFAULT_SEED, trajectory.layers(), trajectory.width(),
                trajectory.source());
    }

    /** Fits on rows of {@code frames} [N, F]; {@code seed} drives the randomized method. */
    public static LatentPca fit(INDArray frames, int k, long seed) {
        return fit(frames, k, seed, 1, frames.rank() == 2 ? (int) frames.size(1) : 0, "");
    }

    /**
     * Fits on frames [N, L·D] that are W+ codes of {@code layers} × {@code width} (so that
     * reconstructions can be trajectories again).
     */
    public static LatentPca fit(INDArray frames, int k, long seed, int layers, int width, String source) {
        INDArray x = checkFrames(frames, k);
        long n = x.size(0);
        long f = x.size(1);
        if ((long) layers * width != f) {
            throw new IllegalArgumentException("PCA: frames have " + f + " values, expected layers × width = "
                    + layers + " × " + width);
        }
        double[] meanD = new double[(int) f];
        double total = meanAndTotal(x, meanD)[0];
        INDArray mu = Nd4j.createFromArray(meanD).castTo(DataType.FLOAT);
        double[][] rows;
        double[] eig;
        String method;
        if (Math.min(n, f) <= EXACT_LIMIT) {
            Basis b = exact(x, mu, k, seed);
            rows = b.rows;
            eig = b.eigen;
            method = n <= f ? "exact (Gram " + n + "×" + n + ")" : "exact (covariance " + f + "×" + f + ")";
        } else {
            Basis b = randomized(x, mu, k, seed, POWER_ITERATIONS);
            rows = b.rows;
            eig = b.eigen;
            method = "randomized SVD (" + POWER_ITERATIONS + " power iterations, seed " + seed + ")";
        }
        double[] var = new double[k];
        for (int i = 0; i < k; i++) {
            var[i] = Math.max(0, eig[i]) / (n - 1);
        }
        INDArray comps = Nd4j.createFromArray(rows).castTo(DataType.FLOAT);
        return new LatentPca(mu.castTo(DataType.FLOAT), comps, var, total, layers, width, n, method,
                source == null ? "" : source);
    }

    /** The exact method, always (for checks and small data): float64 eigendecomposition. */
    public static LatentPca fitExact(INDArray frames, int k) {
        INDArray x = checkFrames(frames, k);
        double[] meanD = new double[(int) x.size(1)];
        double total = meanAndTotal(x, meanD)[0];
        INDArray mu = Nd4j.createFromArray(meanD).castTo(DataType.FLOAT);
        Basis b = exact(x, mu, k, DEFAULT_SEED);
        double[] var = new double[k];
        for (int i = 0; i < k; i++) {
            var[i] = Math.max(0, b.eigen[i]) / (x.size(0) - 1);
        }
        return new LatentPca(mu.castTo(DataType.FLOAT), Nd4j.createFromArray(b.rows).castTo(DataType.FLOAT), var,
                total, 1, (int) x.size(1), x.size(0), "exact", "");
    }

    /**
     * The randomized method, always, with {@code powerIterations} subspace iterations (more:
     * slower, closer to exact when the spectrum decays slowly).
     */
    public static LatentPca fitRandomized(INDArray frames, int k, long seed, int powerIterations) {
        INDArray x = checkFrames(frames, k);
        if (powerIterations < 0) {
            throw new IllegalArgumentException("power iterations: expected ≥ 0, found " + powerIterations);
        }
        double[] meanD = new double[(int) x.size(1)];
        double total = meanAndTotal(x, meanD)[0];
        INDArray mu = Nd4j.createFromArray(meanD).castTo(DataType.FLOAT);
        Basis b = randomized(x, mu, k, seed, powerIterations);
        double[] var = new double[k];
        for (int i = 0; i < k; i++) {
            var[i] = Math.max(0, b.eigen[i]) / (x.size(0) - 1);
        }
        return new LatentPca(mu.castTo(DataType.FLOAT), Nd4j.createFromArray(b.rows).castTo(DataType.FLOAT), var,
                total, 1, (int) x.size(1), x.size(0),
                "randomized SVD (" + powerIterations + " power iterations, seed " + seed + ")", "");
    }

    private static INDArray checkFrames(INDArray frames, int k) {
        Objects.requireNonNull(frames, "frames");
        if (frames.rank() != 2) {
            throw new IllegalArgumentException("PCA: expected frames [N, F], found shape " + Arrays.toString(frames.shape()));
        }
        long n = frames.size(0);
        long f = frames.size(1);
        if (n < 2) {
            throw new IllegalArgumentException("PCA: expected at least 2 frames, found " + n);
        }
        if (k < 1 || k > Math.min(n - 1, f)) {
            throw new IllegalArgumentException("PCA: k must be in [1, min(N - 1, F)] = [1, " + Math.min(n - 1, f)
                    + "] for " + n + " frames of " + f + " values, found " + k);
        }
        if (!Double.isFinite(frames.sumNumber().doubleValue())) {
            throw new IllegalArgumentException("PCA: frames contain NaN or infinite values");
        }
        INDArray x = frames.dataType() == DataType.FLOAT ? frames : frames.castTo(DataType.FLOAT);
        return x.ordering() == 'c' && !x.isView() ? x : x.dup('c');
    }

    /**
     * Column means and the total variance (sum of squared deviations / (N − 1)), both accumulated
     * in float64 over blocks of rows — ND4J's float32 reductions lose digits at millions of values.
     */
    static double[] meanAndTotal(INDArray x, double[] meanOut) {
        long n = x.size(0);
        int f = (int) x.size(1);
        long block = Math.max(1, (1 << 22) / f);
        double[] sum = new double[f];
        for (long r = 0; r < n; r += block) {
            float[] b = rows(x, r, Math.min(n, r + block));
            for (int base = 0; base < b.length; base += f) {
                for (int j = 0; j < f; j++) {
                    sum[j] += b[base + j];
                }
            }
        }
        for (int j = 0; j < f; j++) {
            meanOut[j] = sum[j] / n;
        }
        double total = 0;
        for (long r = 0; r < n; r += block) {
            float[] b = rows(x, r, Math.min(n, r + block));
            for (int base = 0; base < b.length; base += f) {
                double t = 0;
                for (int j = 0; j < f; j++) {
                    double d = b[base + j] - meanOut[j];
                    t += d * d;
                }
                total += t;
            }
        }
        return new double[] {total / (n - 1)};
    }

    private static float[] rows(INDArray x, long from, long to) {
        return x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to), org.nd4j.linalg.indexing.NDArrayIndex.all())
                .dup('c').data().asFloat();
    }

    private record Basis(double[][] rows, double[] eigen) {
    }

    /** Top-k eigenpairs of a symmetric float64 matrix, descending: {values, vectors as rows}. */
    private static double[][][] topEigen(INDArray sym, int k) {
        INDArray a = sym.dup('c');
        INDArray w = Eigen.symmetricGeneralizedEigenvalues(a, true); // ascending; vectors in columns
        int m = (int) w.length();
        double[][] vectors = new double[k][];
        double[] values = new double[k];
        for (int i = 0; i < k; i++) {
            values[i] = w.getDouble(m - 1 - i);
            vectors[i] = a.getColumn(m - 1 - i).dup().toDoubleVector();
        }
        return new double[][][] {{values}, vectors};
    }

    private static Basis exact(INDArray x, INDArray mu, int k, long seed) {
        long n = x.size(0);
        long f = x.size(1);
        INDArray xc = Broadcasts.subiRow(x.castTo(DataType.DOUBLE), mu.castTo(DataType.DOUBLE).reshape(1, f));
        if (n <= f) {
            double[][][] e = topEigen(xc.mmul(xc.transpose()), k);
            double[] values = e[0][0];
            double[][] rows = new double[k][];
            for (int i = 0; i < k; i++) {
                rows[i] = Nd4j.createFromArray(e[1][i]).reshape(1, n).mmul(xc).toDoubleVector();
            }
            Orthonormal.rows(rows, seed); // u_i^T Xc / sqrt(λ_i), with care where λ_i ≈ 0
            return new Basis(rows, values);
        }
        double[][][] e = topEigen(xc.transpose().mmul(xc), k);
        return new Basis(e[1], e[0][0]);
    }

    private static Basis randomized(INDArray x, INDArray mu, int k, long seed, int iterations) {
        long n = x.size(0);
        long f = x.size(1);
        int l = (int) Math.min(k + OVERSAMPLING, Math.min(n, f));
        INDArray muRow = mu.reshape(1, f);
        // a private generator: fitting never disturbs ND4J's global random state
        java.util.Random random = new java.util.Random(seed);
        float[] gaussian = new float[(int) (f * l)];
        for (int i = 0; i < gaussian.length; i++) {
            gaussian[i] = (float) random.nextGaussian();
        }
        INDArray omega = Nd4j.create(gaussian, new long[] {f, l}, 'c');
        INDArray q = orthonormalColumns(centredTimes(x, muRow, omega), seed);       // [N, l]
        for (int it = 0; it < iterations; it++) {
            if (Thread.currentThread().isInterrupted()) {
                throw new CancellationException("PCA fit interrupted after " + it + " power iterations");
            }
            INDArray z = orthonormalColumns(centredTransposeTimes(x, muRow, q), seed + it + 1); // [F, l]
            q = orthonormalColumns(centredTimes(x, muRow, z), seed + it + 101);                  // [N, l]
        }
        INDArray b = centredTransposeTimes(x, muRow, q).transpose().castTo(DataType.DOUBLE);  // [l, F] = Q^T Xc
        double[][][] e = topEigen(b.mmul(b.transpose()), k);
        double[][] rows = new double[k][];
        for (int i = 0; i < k; i++) {
            rows[i] = Nd4j.createFromArray(e[1][i]).reshape(1, l).mmul(b).toDoubleVector();
        }
        Orthonormal.rows(rows, seed);
        return new Basis(rows, e[0][0]);
    }

    /** (X − 1μ)·M without forming the centred matrix. */
    private static INDArray centredTimes(INDArray x, INDArray muRow, INDArray m) {
        INDArray out = x.mmul(m);
        return Broadcasts.subiRow(out, muRow.mmul(m));
    }

    /** (X − 1μ)ᵀ·Q without forming the centred matrix. */
    private static INDArray centredTransposeTimes(INDArray x, INDArray muRow, INDArray q) {
        INDArray out = x.transpose().mmul(q);
        INDArray colSums = q.sum(0).reshape(1, q.size(1));
        return out.subi(muRow.transpose().mmul(colSums));
    }

    private static INDArray orthonormalColumns(INDArray y, long seed) {
        int rows = (int) y.size(0);
        int cols = (int) y.size(1);
        double[] flat = y.castTo(DataType.DOUBLE).dup('f').data().asDouble(); // column after column
        double[][] c = new double[cols][];
        for (int j = 0; j < cols; j++) {
            c[j] = Arrays.copyOfRange(flat, j * rows, (j + 1) * rows);
        }
        Orthonormal.rows(c, seed);
        for (int j = 0; j < cols; j++) {
            System.arraycopy(c[j], 0, flat, j * rows, rows);
        }
        return Nd4j.create(flat, new long[] {rows, cols}, 'f').castTo(DataType.FLOAT).dup('c');
    }

    // ---- accessors ----------------------------------------------------------------------

    /** Number of components kept. */
    public int k() {
        return variance.length;
    }

    /** The mean frame, [F] (do not modify). */
    public INDArray mean() {
        return mean;
    }

    /** The components as orthonormal rows, [k, F] (do not modify). */
    public INDArray components() {
        return components;
    }

    /** Component {@code c} as a W+ direction [L, D] (a copy). */
    public INDArray direction(int c) {
        checkComponent(c);
        return components.getRow(c).dup().reshape('c', layers, width);
    }

    /** The mean frame as a W+ code [L, D] (a copy). */
    public INDArray meanCode() {
        return mean.dup().reshape('c', layers, width);
    }

    /** Variance of the data along each component, largest first. */
    public double[] explainedVariance() {
        return variance.clone();
    }

    /** Standard deviation along component {@code c}. */
    public double sigma(int c) {
        checkComponent(c);
        return Math.sqrt(variance[c]);
    }

    /** Each component's share of the total variance. */
    public double[] explainedVarianceRatio() {
        double[] r = new double[variance.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = totalVariance > 0 ? variance[i] / totalVariance : 0;
        }
        return r;
    }

    /** Total variance of the data (sum over all F dimensions). */
    public double totalVariance() {
        return totalVariance;
    }

    /** Variance the k components do not capture. */
    public double discardedVariance() {
        double s = 0;
        for (double v : variance) {
            s += v;
        }
        return Math.max(0, totalVariance - s);
    }

    /** W+ layers L of the codes fitted (a frame has L·D = F numbers). */
    public int layers() {
        return layers;
    }

    /** W+ width D of the codes fitted (512 for StyleGAN). */
    public int width() {
        return width;
    }

    /** Number of frames fitted on. */
    public long samples() {
        return samples;
    }

    /** How the components were computed. */
    public String method() {
        return method;
    }

    private void checkComponent(int c) {
        if (c < 0 || c >= k()) {
            throw new IndexOutOfBoundsException("component " + c + " of a PCA with " + k() + " components");
        }
    }

    // ---- projection -------------------------------------------------------------------

    /** Coordinates of frames [N, F] in the component basis, [N, k]. */
    public INDArray project(INDArray frames) {
        if (frames.rank() != 2 || frames.size(1) != mean.length()) {
            throw new IllegalArgumentException("PCA project: expected frames [N, " + mean.length() + "], found "
                    + Arrays.toString(frames.shape()));
        }
        INDArray x = Broadcasts.subRow(frames.castTo(DataType.FLOAT), mean.reshape(1, mean.length()));
        return x.mmul(components.transpose());
    }

    /** Coordinates of each frame of {@code trajectory}, [T, k]. */
    public INDArray project(Trajectory trajectory) {
        checkTrajectory(trajectory);
        return project(trajectory.flatFrames());
    }

    /** Frames [N, F] from coordinates [N, k]. */
    public INDArray reconstruct(INDArray coordinates) {
        if (coordinates.rank() != 2 || coordinates.size(1) != k()) {
            throw new IllegalArgumentException("PCA reconstruct: expected coordinates [N, " + k() + "], found "
                    + Arrays.toString(coordinates.shape()));
        }
        return Broadcasts.addiRow(coordinates.castTo(DataType.FLOAT).mmul(components), mean.reshape(1, mean.length()));
    }

    /** The trajectory seen through the k components: reconstruct(project(t)). */
    public Trajectory reconstruct(Trajectory trajectory) {
        INDArray flat = reconstruct(project(trajectory));
        return Trajectory.of(flat.reshape('c', trajectory.frames(), layers, width), trajectory.fps(),
                trajectory.source() + " (PCA " + k() + ")");
    }

    private void checkTrajectory(Trajectory t) {
        if (t.layers() != layers || t.width() != width) {
            throw new IllegalArgumentException("PCA of [" + layers + ", " + width + "] codes cannot take a trajectory of ["
                    + t.layers() + ", " + t.width() + "] codes");
        }
    }

    // ---- files --------------------------------------------------------------------------

    /** Saves to an NPZ archive (mean, components, variances, shape), atomically. */
    public void save(Path path) {
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put("mean", mean);
        m.put("components", components);
        m.put("explained_variance", Nd4j.createFromArray(variance));
        m.put("total_variance", Nd4j.createFromArray(new double[] {totalVariance}));
        m.put("shape", Nd4j.createFromArray(new long[] {layers, width, samples}));
        Npz.write(path, m);
    }

    /** Loads what {@link #save} wrote (or an equivalent archive written with numpy). */
    public static LatentPca load(Path path) {
        Map<String, INDArray> m = Npz.read(path);
        for (String key : new String[] {"mean", "components", "explained_variance", "total_variance", "shape"}) {
            if (!m.containsKey(key)) {
                throw new NpyFormatException(path.toString(), "PCA archive has no '" + key + "' array (found "
                        + m.keySet() + ")");
            }
        }
        INDArray mu = m.get("mean").castTo(DataType.FLOAT);
        INDArray comps = m.get("components").castTo(DataType.FLOAT);
        double[] var = m.get("explained_variance").castTo(DataType.DOUBLE).toDoubleVector();
        long[] shape = m.get("shape").castTo(DataType.LONG).toLongVector();
        if (shape.length != 3 || comps.rank() != 2 || mu.length() != comps.size(1) || comps.size(0) != var.length
                || shape[0] * shape[1] != mu.length()) {
            throw new NpyFormatException(path.toString(), "PCA archive arrays do not fit together: mean "
                    + Arrays.toString(mu.shape()) + ", components " + Arrays.toString(comps.shape())
                    + ", explained_variance [" + var.length + "], shape " + Arrays.toString(shape));
        }
        return new LatentPca(mu.reshape(mu.length()), comps.dup('c'), var,
                m.get("total_variance").getDouble(0), (int) shape[0], (int) shape[1], shape[2], "loaded from "
                        + path.getFileName(), path.getFileName().toString());
    }

    // ---- tables -------------------------------------------------------------------------

    /** The top {@code n} components' variance, share and cumulative share. */
    public Table componentTable(int n) {
        int m = Math.min(n, k());
        IntColumn idx = IntColumn.create("component");
        DoubleColumn var = DoubleColumn.create("variance");
        DoubleColumn sd = DoubleColumn.create("σ");
        DoubleColumn share = DoubleColumn.create("share %");
        DoubleColumn cum = DoubleColumn.create("cumulative %");
        double[] ratio = explainedVarianceRatio();
        double c = 0;
        for (int i = 0; i < m; i++) {
            c += ratio[i];
            idx.append(i);
            var.append(round(variance[i]));
            sd.append(round(Math.sqrt(variance[i])));
            share.append(round(100 * ratio[i]));
            cum.append(round(100 * c));
        }
        return Table.create("top " + m + " components", idx, var, sd, share, cum);
    }

    private static double round(double v) {
        return v == 0 || Math.abs(v) >= 0.01 ? Math.round(v * 1e4) / 1e4 : Double.parseDouble(String.format("%.4g", v));
    }

    @Override
    public String toString() {
        double kept = totalVariance > 0 ? 100 * (1 - discardedVariance() / totalVariance) : 100;
        return String.format("LatentPca k=%d of %d dims (%d × %d) from %d frames%s: %.1f%% of variance kept; %s",
                k(), mean.length(), layers, width, samples, source.isEmpty() ? "" : " of " + source, kept, method);
    }
}

package org.latentmotion.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.latentmotion.pca.LatentPca;
import org.latentmotion.wplus.Trajectory;
import org.latentmotion.wplus.TrajectorySet;
import org.nd4j.linalg.api.ndarray.INDArray;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Fréchet distances measured in W+ itself, with no feature extractor: the paper's "W+" reference
 * rows of Table 1, computed on codes instead of rendered pixels.
 * <ul>
 * <li>{@link #frames} — FID's analogue: random frames of each set, projected on the first k
 * principal components of the real frames;</li>
 * <li>{@link #clips} — FVD's analogue: random windows of t consecutive frames, each frame
 * projected on the first {@code clipComponents} components, flattened to t·c numbers.</li>
 * </ul>
 * The PCA basis is fitted on the real set once; generated codes are measured in that basis, so
 * anything a model puts outside the real motion subspace is invisible to these distances (the
 * identity metrics see it).
 *
 * <p>A distance alone does not say whether it is small: {@link #realVsRealFrames()} and
 * {@link #realVsRealClips()} give the same distance between two disjoint halves of the real set
 * ({@link RealHalves}), the noise floor, and {@link #table} puts it as the first row.
 */
public final class LatentFrechet {
    private final TrajectorySet real;
    private final LatentPca pca;
    private final List<INDArray> realCoordinates = new ArrayList<>(); // per clip [T, k]
    private int window = 25;
    private int clipComponents = 8;
    private int samples = 2048;
    private long seed = 0;
    private boolean whitened = false;

    private LatentFrechet(TrajectorySet real, LatentPca pca) {
        this.real = real;
        this.pca = pca;
        if (pca.layers() != real.layers() || pca.width() != real.width()) {
            throw new IllegalArgumentException("latent Fréchet: the PCA is for W+ [" + pca.layers() + ", " + pca.width()
                    + "] but the real set has [" + real.layers() + ", " + real.width() + "]");
        }
        for (Trajectory clip : real) {
            realCoordinates.add(pca.project(clip));
        }
    }

    /** Distances against {@code real}, in the basis of its first {@code k} principal components. */
    public static LatentFrechet of(TrajectorySet real, int k) {
        Objects.requireNonNull(real, "real");
        return new LatentFrechet(real, LatentPca.fit(real, k));
    }

    /** Distances against {@code real} in a given PCA basis (e.g. the one the offset trick uses). */
    public static LatentFrechet of(TrajectorySet real, LatentPca pca) {
        return new LatentFrechet(Objects.requireNonNull(real, "real"), Objects.requireNonNull(pca, "pca"));
    }

    /** Frames per clip for {@link #clips} (default 25, StyleVideoGAN's window). */
    public LatentFrechet window(int frames) {
        if (frames < 2) {
            throw new IllegalArgumentException("window: expected at least 2 frames, found " + frames);
        }
        window = frames;
        return this;
    }

    /** Components per frame in a clip code (default 8; a clip code has window × this many numbers). */
    public LatentFrechet clipComponents(int c) {
        if (c < 1 || c > pca.k()) {
            throw new IllegalArgumentException("clip components: expected 1…" + pca.k() + ", found " + c);
        }
        clipComponents = c;
        return this;
    }

    /** Frames or clips drawn from each side (default 2048, as the paper's FVD). */
    public LatentFrechet samples(int n) {
        if (n < 2) {
            throw new IllegalArgumentException("samples: expected at least 2, found " + n);
        }
        samples = n;
        return this;
    }

    /** Seed of the random draws (default 0; the real side draws with it, the generated side with seed + 1). */
    public LatentFrechet seed(long s) {
        seed = s;
        return this;
    }

    /**
     * Divides each principal coordinate by its standard deviation over the real frames, so that every
     * direction of motion weighs the same (default off: raw coordinates, where the head's pose, the
     * largest direction, outweighs a blink's few frames). Applies to both distances.
     *
     * @throws IllegalArgumentException if a principal direction has no spread in the real frames (below 10⁻⁶ of the
     *                                  first's, e.g. fewer distinct frames than components): no scale to divide by
     */
    public LatentFrechet whitened(boolean on) {
        for (int j = 0; on && j < pca.k(); j++) {
            if (!(pca.sigma(j) > 1e-6 * pca.sigma(0))) { // float32 leaves rounding noise where there is no spread
                throw new IllegalArgumentException("whitened: principal direction " + j + " of the real frames has no"
                        + " spread (σ = " + pca.sigma(j) + " against " + pca.sigma(0) + " for the first); fit the basis"
                        + " with fewer components");
            }
        }
        whitened = on;
        return this;
    }

    /** The PCA basis distances are measured in. */
    public LatentPca pca() {
        return pca;
    }

    /** Frames per clip for {@link #clips}. */
    public int window() {
        return window;
    }

    /** Fréchet distance between random frames of the real set and of {@code generated}. */
    public double frames(List<Trajectory> generated) {
        List<INDArray> gen = project(generated, 1);
        return FrechetDistance.between(draw(realCoordinates, 1, pca.k(), seed), draw(gen, 1, pca.k(), seed + 1));
    }

    /** Fréchet distance between random windows (clips) of the real set and of {@code generated}. */
    public double clips(List<Trajectory> generated) {
        List<INDArray> gen = project(generated, window);
        return FrechetDistance.between(draw(realCoordinates, window, clipComponents, seed),
                draw(gen, window, clipComponents, seed + 1));
    }

    /**
     * The noise floor of {@link #frames}: the same distance (this basis, draws and seed) between
     * the first halves of the real clips, as the reference, and their second halves, as if generated.
     */
    public double realVsRealFrames() {
        RealHalves halves = RealHalves.of(real);
        return onHalf(halves).frames(halves.second().clips());
    }

    /**
     * The noise floor of {@link #clips}: as {@link #realVsRealFrames()} on windows; throws if a
     * half of the longest clip is shorter than the window.
     */
    public double realVsRealClips() {
        RealHalves halves = RealHalves.of(real);
        if (halves.longestHalf() < window) {
            throw new IllegalArgumentException("latent Fréchet: the real-vs-real clip distance needs a clip half of "
                    + window + " frames (a real clip of " + 2 * window + "), the longest half is " + halves.longestHalf());
        }
        return onHalf(halves).clips(halves.second().clips());
    }

    /** This measurement with the first halves as the real side (same basis, window, components, draws and seed). */
    private LatentFrechet onHalf(RealHalves halves) {
        return new LatentFrechet(halves.first(), pca).window(window).clipComponents(clipComponents).samples(samples)
                .seed(seed).whitened(whitened);
    }

    /**
     * A table of both distances to the real set for each named set of generated trajectories,
     * the real-vs-real row first ({@link RealHalves#LABEL}; a clip distance the real halves are
     * too short for is NaN).
     */
    public Table table(Map<String, ? extends List<Trajectory>> generated) {
        Objects.requireNonNull(generated, "generated");
        StringColumn name = StringColumn.create("generated");
        DoubleColumn frameColumn = DoubleColumn.create("frames (FD in W+)");
        DoubleColumn clipColumn = DoubleColumn.create(window + "-frame clips (FVD in W+)");
        name.append(RealHalves.LABEL);
        frameColumn.append(realVsRealFrames());
        clipColumn.append(RealHalves.of(real).longestHalf() >= window ? realVsRealClips() : Double.NaN);
        for (Map.Entry<String, ? extends List<Trajectory>> e : generated.entrySet()) {
            name.append(e.getKey());
            frameColumn.append(frames(e.getValue()));
            clipColumn.append(clips(e.getValue()));
        }
        return Table.create("W+ Fréchet distances to '" + real.name() + "' (" + pca.k() + " PCA components, " + samples
                + " draws per side)", name, frameColumn, clipColumn);
    }

    private List<INDArray> project(List<Trajectory> generated, int minFrames) {
        Objects.requireNonNull(generated, "generated");
        if (generated.isEmpty()) {
            throw new IllegalArgumentException("latent Fréchet: expected generated trajectories, found none");
        }
        List<INDArray> out = new ArrayList<>();
        for (int i = 0; i < generated.size(); i++) {
            Trajectory t = generated.get(i);
            if (t.layers() != pca.layers() || t.width() != pca.width()) {
                throw new IllegalArgumentException("latent Fréchet: generated trajectory " + i + " is W+ [" + t.layers()
                        + ", " + t.width() + "], expected [" + pca.layers() + ", " + pca.width() + "]");
            }
            if (t.frames() < minFrames) {
                throw new IllegalArgumentException("latent Fréchet: generated trajectory " + i + " has " + t.frames()
                        + " frames, a clip needs " + minFrames);
            }
            if (t.codes().isNaN().any() || t.codes().isInfinite().any()) {
                throw new IllegalArgumentException("latent Fréchet: generated trajectory " + i + " holds NaN or infinite codes");
            }
            out.add(pca.project(t));
        }
        return out;
    }

    /** {@code samples} random windows of {@code length} frames (first {@code c} coordinates), as rows [N, length·c]. */
    private double[][] draw(List<INDArray> coords, int length, int c, long s) {
        long[] cumulative = new long[coords.size()];
        long total = 0;
        for (int i = 0; i < coords.size(); i++) {
            total += Math.max(0, coords.get(i).size(0) - length + 1);
            cumulative[i] = total;
        }
        if (total == 0) {
            throw new IllegalArgumentException("latent Fréchet: no trajectory has " + length + " frames");
        }
        double[] sigma = new double[c];
        for (int j = 0; j < c; j++) {
            sigma[j] = pca.sigma(j);
        }
        SplittableRandom r = new SplittableRandom(s);
        double[][] rows = new double[samples][length * c];
        List<double[]> cache = new ArrayList<>();
        for (INDArray a : coords) {
            cache.add(null);
        }
        for (int n = 0; n < samples; n++) {
            long pick = r.nextLong(total);
            int clip = 0;
            while (cumulative[clip] <= pick) {
                clip++;
            }
            long start = pick - (clip == 0 ? 0 : cumulative[clip - 1]);
            double[] m = cache.get(clip);
            if (m == null) {
                m = coords.get(clip).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).dup('c').data().asDouble();
                cache.set(clip, m);
            }
            int k = (int) coords.get(clip).size(1);
            for (int f = 0; f < length; f++) {
                System.arraycopy(m, (int) ((start + f) * k), rows[n], f * c, c);
                for (int j = 0; whitened && j < c; j++) {
                    rows[n][f * c + j] /= sigma[j];
                }
            }
        }
        return rows;
    }

    @Override
    public String toString() {
        return String.format("LatentFrechet against '%s' (%d clips): frames in %d PCA components, clips of %d frames × %d"
                + " components, %d samples per side, seed %d", real.name(), real.size(), pca.k(), window, clipComponents,
                samples, seed);
    }
}

package org.latentmotion.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.spark.api.java.JavaRDD;
import org.latentmotion.pca.LatentPca;
import scala.Tuple2;

/**
 * Fréchet distances in W+ between a real and a generated set of NPY trajectory files, computed
 * on Spark: each partition projects its files' frames on a PCA basis and sums them
 * ({@link FeatureMoments}: n, Σx, Σxxᵀ in float64); the driver merges the sums and measures with
 * the single-machine {@link org.latentmotion.metrics.FrechetDistance}. Every frame and every
 * window of {@link #window} frames (every {@link #stride}-th start) counts, not a random draw,
 * so the numbers equal a fit on all rows at once on one machine.
 *
 * <pre>{@code
 * LatentDistances d = jobs.evaluate(pca).window(25).clipComponents(8).between(realFiles, generatedFiles);
 * d.frames(); d.clips();
 * }</pre>
 */
public final class LatentEvaluationJob {
    private final SparkJobs jobs;
    private final LatentPca pca;
    private int window = 25;
    private int clipComponents = 8;
    private int stride = 1;
    private int partitions;

    LatentEvaluationJob(SparkJobs jobs, LatentPca pca) {
        this.jobs = jobs;
        this.pca = Objects.requireNonNull(pca, "pca");
        this.clipComponents = Math.min(clipComponents, pca.k());
    }

    /** Frames per clip for the clip distance (default 25, StyleVideoGAN's window). */
    public LatentEvaluationJob window(int frames) {
        if (frames < 1) {
            throw new IllegalArgumentException("window: expected at least 1 frame, found " + frames);
        }
        window = frames;
        return this;
    }

    /** PCA components per frame in a clip's feature vector (default 8, at most the basis' k). */
    public LatentEvaluationJob clipComponents(int c) {
        if (c < 1 || c > pca.k()) {
            throw new IllegalArgumentException("clip components: expected 1…" + pca.k() + ", found " + c);
        }
        clipComponents = c;
        return this;
    }

    /** Frames between the starts of consecutive clips (default 1: every window). */
    public LatentEvaluationJob stride(int frames) {
        if (frames < 1) {
            throw new IllegalArgumentException("stride: expected at least 1 frame, found " + frames);
        }
        stride = frames;
        return this;
    }

    /** Number of Spark partitions (default: the context's default parallelism, at most one per file). */
    public LatentEvaluationJob partitions(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("partitions: expected at least 1, found " + n);
        }
        partitions = n;
        return this;
    }

    /**
     * The frame and clip distances between the trajectories in {@code realFiles} and in
     * {@code generatedFiles} (Hadoop paths of .npy files, [T, L, D] or [N, T, L, D] each).
     *
     * @throws IllegalArgumentException if a side has no files, or too few frames or clips for a covariance;
     *         a bad file fails the job with an error naming it
     */
    public LatentDistances between(List<String> realFiles, List<String> generatedFiles) {
        requireFiles("real", realFiles);
        requireFiles("generated", generatedFiles);
        List<Tuple2<Boolean, String>> items = new ArrayList<>();
        realFiles.forEach(f -> items.add(new Tuple2<>(true, f)));
        generatedFiles.forEach(f -> items.add(new Tuple2<>(false, f)));
        int tasks = jobs.tasksFor(partitions, items.size());
        LatentMomentsPartition partition = new LatentMomentsPartition(TrajectoryFiles.bytesOf(pca), pca.k(), window,
                clipComponents, stride, jobs.hadoopConfiguration());
        LatentMoments sums = jobs.run("evaluate " + items.size() + " files", tasks, "clips", () -> {
            JavaRDD<Tuple2<Boolean, String>> rdd = jobs.context().parallelize(items, tasks);
            return rdd.mapPartitions(partition).reduce(new LatentMomentsPartition.Merge());
        }, s -> s.clips(true).count() + s.clips(false).count());
        return new LatentDistances(sums, pca.k(), window, clipComponents, stride);
    }

    private static void requireFiles(String side, List<String> files) {
        Objects.requireNonNull(files, side + " files");
        if (files.isEmpty()) {
            throw new IllegalArgumentException("evaluate: expected " + side + " .npy files, found none");
        }
    }

    /**
     * The clip feature vectors of one trajectory's PCA coordinates [T, k]: every window of
     * {@code window} frames starting at a multiple of {@code stride}, each frame's first
     * {@code c} coordinates in order, flattened to window·c numbers.
     */
    public static double[][] clipRows(double[][] coords, int window, int c, int stride) {
        int starts = coords.length < window ? 0 : (coords.length - window) / stride + 1;
        double[][] rows = new double[starts][window * c];
        for (int s = 0; s < starts; s++) {
            for (int f = 0; f < window; f++) {
                System.arraycopy(coords[s * stride + f], 0, rows[s], f * c, c);
            }
        }
        return rows;
    }
}

package org.latentmotion.spark;

import java.util.List;
import java.util.Objects;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.latentmotion.pca.LatentPca;

/**
 * Where a notebook starts a Spark job: on a context it has ({@link #on}) or on a local one made
 * here ({@link #local}). Each method returns a job's settings; the job runs when its last call
 * ({@code between}, {@code into}) is made.
 *
 * <pre>{@code
 * try (SparkJobs jobs = SparkJobs.local(2)) {
 *     LatentDistances d = jobs.evaluate(pca).between(realFiles, generatedFiles);
 *     Table videos = jobs.render(trajectoryFiles).with(RenderModel.toyFace()).into("file:///tmp/videos");
 * }
 * }</pre>
 */
public final class SparkJobs implements AutoCloseable {
    private final JavaSparkContext context;
    private final boolean owned;

    private SparkJobs(JavaSparkContext context, boolean owned) {
        this.context = context;
        this.owned = owned;
    }

    /** Jobs on an existing context (a cluster's, or a local one the caller made); {@link #close} leaves it running. */
    public static SparkJobs on(JavaSparkContext context) {
        return new SparkJobs(Objects.requireNonNull(context, "context"), false);
    }

    /**
     * Jobs on a new local context with {@code threads} task slots in this JVM (the web UI off);
     * {@link #close} stops it.
     */
    public static SparkJobs local(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("local Spark: expected at least 1 thread, found " + threads);
        }
        SparkConf conf = new SparkConf().setMaster("local[" + threads + "]").setAppName("latentmotion")
                .set("spark.ui.enabled", "false")
                .set("spark.ui.showConsoleProgress", "false");
        return new SparkJobs(new JavaSparkContext(conf), true);
    }

    /** The Spark context the jobs run on. */
    public JavaSparkContext context() {
        return context;
    }

    HadoopConfiguration hadoopConfiguration() {
        return new HadoopConfiguration(context.hadoopConfiguration());
    }

    /** Fréchet distances in W+ between sets of NPY trajectory files, measured in {@code pca}'s basis. */
    public LatentEvaluationJob evaluate(LatentPca pca) {
        return new LatentEvaluationJob(this, pca);
    }

    /** MP4 videos of the trajectories in {@code npyFiles} (Hadoop paths), one per trajectory. */
    public RenderJob render(List<String> npyFiles) {
        return new RenderJob(this, npyFiles);
    }

    /**
     * A sweep training every preset (an untrained model of a registered type, by label) once per
     * seed, one Spark task per run.
     */
    public TrainManyJob trainMany(java.util.Map<String, ? extends org.latentmotion.motion.TrainableMotionModel> presets) {
        return new TrainManyJob(this, presets);
    }

    /** Stops the context if {@link #local} made it. */
    @Override
    public void close() {
        if (owned) {
            context.stop();
        }
    }

    @Override
    public String toString() {
        return "SparkJobs on " + context.master() + " (" + context.defaultParallelism() + " task slots)";
    }
}

package org.latentmotion.spark;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;
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
 *     Table codes = jobs.encode(frameFolders).with(EncoderModel.testPsp()).into("file:///tmp/wplus");
 *     jobs.lastProgress();   // tasks done, throughput, retries, executors lost
 * }
 * }</pre>
 */
public final class SparkJobs implements AutoCloseable {
    private final JavaSparkContext context;
    private final boolean owned;
    private volatile boolean showProgress = true;
    private volatile JobProgress last;

    static {
        // without this, the first use fails with NoClassDefFoundError naming one Spark class, and no hint
        if (SparkJobs.class.getClassLoader().getResource("org/apache/spark/SparkContext.class") == null) {
            throw new NoClassDefFoundError("Apache Spark is not on the class path: latentmotion's Spark jobs need Spark's"
                    + " jars beside theirs. In a notebook: %jars ../target/spark-lib (made by mvn -B -Pspark"
                    + " -Dmaven.test.skip=true package); see spark/README.md");
        }
    }

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

    /**
     * Whether jobs move a progress bar while they run (default true: a redrawn bar in a
     * notebook, nothing elsewhere). Returns this.
     */
    public SparkJobs showProgress(boolean show) {
        showProgress = show;
        return this;
    }

    /** The progress of the latest job started here (running or ended), or null before the first. */
    public JobProgress lastProgress() {
        return last;
    }

    /**
     * Runs {@code job} as one Spark job group watched by a {@link JobProgress} of {@code tasks}
     * tasks: the progress bar moves as tasks end, the result's {@code units} count gives the
     * throughput, and a task's {@link BadInputException} becomes the job's error, naming the file,
     * in place of Spark's stage-failure report.
     */
    <T> T run(String label, int tasks, String unit, Supplier<T> job, ToLongFunction<T> units) {
        String group = "latentmotion-" + UUID.randomUUID();
        JobProgress progress = new JobProgress(label, group, tasks, unit, showProgress);
        last = progress;
        String[] keys = {"spark.jobGroup.id", "spark.job.description", "spark.job.interruptOnCancel"};
        String[] before = new String[keys.length];
        for (int i = 0; i < keys.length; i++) {
            before[i] = context.getLocalProperty(keys[i]);
        }
        progress.attach(context);
        context.setJobGroup(group, label, false);
        try {
            T result = job.get();
            progress.awaitJobEnd(5000);
            progress.end(units.applyAsLong(result), null);
            return result;
        } catch (Exception e) { // Spark's own SparkException is checked, though Scala code throws it undeclared
            BadInputException bad = badInput(e);
            String why = bad != null ? bad.getMessage() : String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            progress.awaitJobEnd(5000);
            progress.end(-1, why);
            if (bad != null) {
                throw bad;
            }
            throw SparkJobs.<RuntimeException>rethrow(e);
        } finally {
            for (int i = 0; i < keys.length; i++) {
                context.setLocalProperty(keys[i], before[i]);
            }
            progress.detach(context);
        }
    }

    /**
     * A task's bad-input error if one caused {@code e} (Spark wraps it in its stage-failure
     * report, kept as the cause), else null.
     */
    static BadInputException badInput(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BadInputException bad) {
                return t == e ? bad : new BadInputException(bad.file(), bad.getMessage(), e);
            }
        }
        return null;
    }

    /** Rethrows {@code e} unchanged (a checked SparkException too) without declaring it. */
    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E rethrow(Throwable e) throws E {
        throw (E) e;
    }

    /**
     * {@code inputs}, checked to be some and to have distinct output names ({@code stem}): two inputs
     * named alike would overwrite each other's {@code outputs} in one folder.
     */
    static List<String> distinctInputs(String job, List<String> inputs, String expected, Function<String, String> stem,
            String outputs) {
        Objects.requireNonNull(inputs, "inputs");
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException(job + ": expected " + expected + ", found none");
        }
        Set<String> stems = new HashSet<>();
        for (String f : inputs) {
            if (!stems.add(stem.apply(f))) {
                throw new IllegalArgumentException(job + ": two inputs are named " + stem.apply(f) + "; their " + outputs
                        + " would overwrite each other in one output folder");
            }
        }
        return List.copyOf(inputs);
    }

    /**
     * Ends a job whose tasks reported some inputs bad, after the good ones are written: one
     * {@link BadInputException} naming the first bad input (by name), {@code summary} and every bad
     * input's error, also shown on the job's progress line. Does nothing if {@code bad} is empty.
     */
    <T> void failIfAnyBad(List<T> bad, Function<T, String> input, Function<T, String> error, String summary) {
        if (bad.isEmpty()) {
            return;
        }
        List<T> sorted = new ArrayList<>(bad);
        sorted.sort(Comparator.comparing(input));
        BadInputException e = new BadInputException(input.apply(sorted.get(0)), summary + ":\n"
                + sorted.stream().map(error).collect(Collectors.joining("\n")), null);
        if (last != null) {
            last.fail(e.getMessage());
        }
        throw e;
    }

    /** Spark tasks for {@code inputs} files: {@code partitions} if set (> 0), else the default parallelism, at most one per file. */
    int tasksFor(int partitions, int inputs) {
        return Math.max(1, partitions > 0 ? partitions : Math.min(inputs, context.defaultParallelism()));
    }

    HadoopConfiguration hadoopConfiguration() {
        return new HadoopConfiguration(context.hadoopConfiguration());
    }

    /** Fréchet distances in W+ between sets of NPY trajectory files, measured in {@code pca}'s basis. */
    public LatentEvaluationJob evaluate(LatentPca pca) {
        return new LatentEvaluationJob(this, pca);
    }

    /**
     * W+ trajectories of footage, one NPY per input: {@code inputs} are Hadoop paths of folders
     * of frames or video files.
     */
    public EncodeJob encode(List<String> inputs) {
        return new EncodeJob(this, inputs);
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

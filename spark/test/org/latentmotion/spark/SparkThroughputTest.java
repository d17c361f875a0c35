package org.latentmotion.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.latentmotion.display.Figures;
import org.latentmotion.pca.LatentPca;
import org.latentmotion.render.OnnxOptions;
import org.latentmotion.render.Synthesizer;
import org.latentmotion.render.Synthesizers;
import org.latentmotion.toy.ToyWorld;
import org.latentmotion.wplus.Npy;
import org.latentmotion.wplus.Trajectory;
import org.latentmotion.wplus.TrajectorySet;

/**
 * Throughput of {@code render} (frames/s) and {@code evaluate} (clips/s) on the standalone cluster
 * with 1 and with 2 single-core executors, against the same work in this JVM without Spark (the
 * baseline, run the same way in the same run), and the driver's heap after {@code evaluate} of 1×,
 * 4× and 16× the clips. Off unless asked; writes {@code figures/spark-throughput.md}:
 * <pre>
 * OMP_NUM_THREADS=1 mvn -B -o -Pspark test -Dtest=SparkThroughputTest -Dlm.spark.bench=true [-Dlm.spark.bench.files=8]
 * </pre>
 */
@EnabledIfSystemProperty(named = "lm.spark.bench", matches = "true")
class SparkThroughputTest {
    @TempDir
    static Path dir;

    /** One measured job: its work and wall time. */
    private record Timed(String what, int executors, double units, double seconds) {
        double perSecond() {
            return units / seconds;
        }
    }

    @Test
    void renderAndEvaluateOnOneAndTwoExecutors() throws Exception {
        int files = Integer.getInteger("lm.spark.bench.files", 16);
        int framesPerFile = 250;
        TrajectorySet renderSet = ToyWorld.talkingHead().actor(4).seconds(files * framesPerFile / 25.0).cuts(files - 1)
                .generate();
        assertEquals(files, renderSet.size());
        List<String> renderInputs = SparkJobsTest.writeNpy(renderSet, dir, "render");
        long renderFrames = framesPerFile * (long) files;

        TrajectorySet real = ToyWorld.talkingHead().actor(3).seconds(files * 15.0).cuts(files - 1).generate();
        TrajectorySet generated = ToyWorld.talkingHead().actor(3).seed(77).seconds(files * 15.0).cuts(files - 1).generate();
        List<String> realFiles = SparkJobsTest.writeNpy(real, dir, "real");
        List<String> generatedFiles = SparkJobsTest.writeNpy(generated, dir, "generated");
        LatentPca pca = LatentPca.fit(real, 10);
        int window = 25;
        int stride = 1;
        int repeat = 4; // the evaluate job reads every file this many times: seconds of work, not Spark's start-up
        long clips = repeat * (clipCount(real, window, stride) + clipCount(generated, window, stride));
        List<String> realRepeated = repeated(realFiles, repeat);
        List<String> generatedRepeated = repeated(generatedFiles, repeat);

        List<Timed> runs = new ArrayList<>();
        runs.add(renderInThisJvm(renderInputs, renderFrames));
        double[] frechet = new double[2];
        try (StandaloneCluster cluster = StandaloneCluster.start(dir.resolve("cluster"), 2, "2g")) {
            for (int executors = 1; executors <= 2; executors++) {
                JavaSparkContext context = new JavaSparkContext(cluster.appConf("throughput-" + executors, "768m")
                        .set("spark.executor.cores", "1").set("spark.cores.max", String.valueOf(executors)));
                try {
                    SparkJobs jobs = SparkJobs.on(context).showProgress(false);
                    // warm-up: executors started, the model opened in each, classes loaded and JIT-compiled
                    jobs.render(renderInputs.subList(0, executors)).with(RenderModel.toyFace()).partitions(executors)
                            .into(dir.resolve("warm-" + executors).toUri().toString());
                    assertEquals(executors, cluster.executors().size(), "executors running");
                    long t0 = System.nanoTime();
                    jobs.render(renderInputs).with(RenderModel.toyFace()).partitions(files)
                            .into(dir.resolve("videos-" + executors).toUri().toString());
                    runs.add(new Timed("render (frames/s)", executors, renderFrames, (System.nanoTime() - t0) / 1e9));
                    t0 = System.nanoTime();
                    LatentDistances d = jobs.evaluate(pca).window(window).clipComponents(10).stride(stride)
                            .partitions(2 * files).between(realRepeated, generatedRepeated);
                    runs.add(new Timed("evaluate (clips/s)", executors, clips, (System.nanoTime() - t0) / 1e9));
                    assertEquals(clips, d.realClipCount() + d.generatedClipCount());
                    frechet[executors - 1] = d.clips();
                } finally {
                    context.stop();
                }
                waitForNoExecutors(cluster);
            }
            SparkJobsTest.assertRelative(frechet[0], frechet[1], 1e-9, "clip FD, 1 vs 2 executors");
            String memory = driverMemory(cluster, realFiles, generatedFiles, pca, window);
            String md = report(runs, files, framesPerFile, clips, memory);
            System.out.println(md);
            Figures.writeAtomically(Figures.path("spark-throughput.md"), md.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static List<String> repeated(List<String> files, int times) {
        List<String> out = new ArrayList<>();
        for (int k = 0; k < times; k++) {
            out.addAll(files);
        }
        return out;
    }

    private static long clipCount(TrajectorySet set, int window, int stride) {
        long n = 0;
        for (int i = 0; i < set.size(); i++) {
            n += Math.max(0, (set.clip(i).frames() - window) / stride + 1);
        }
        return n;
    }

    /** The baseline: the same files read and rendered in this JVM by one single-thread session, frames encoded. */
    private static Timed renderInThisJvm(List<String> inputs, long frames) throws Exception {
        try (Synthesizer face = Synthesizers.toyFace(OnnxOptions.builder().threads(1).build())) {
            face.frames(read(inputs.get(0))).count(); // warm-up
            long t0 = System.nanoTime();
            int k = 0;
            for (String f : inputs) {
                face.render(read(f)).save(dir.resolve("local-" + k++ + ".mp4"));
            }
            return new Timed("render (frames/s)", 0, frames, (System.nanoTime() - t0) / 1e9);
        }
    }

    private static Trajectory read(String uri) {
        return Trajectory.of(Npy.read(Path.of(URI.create(uri))), 25, uri);
    }

    private static void waitForNoExecutors(StandaloneCluster cluster) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!cluster.executors().isEmpty() && System.nanoTime() < end) {
            Thread.sleep(100);
        }
    }

    /** The driver's heap after a full collection, following evaluate jobs over 1×, 4× and 16× the files. */
    private static String driverMemory(StandaloneCluster cluster, List<String> realFiles, List<String> generatedFiles,
            LatentPca pca, int window) {
        StringBuilder md = new StringBuilder("| evaluated clips | driver heap after the job (MB, after a full GC) |\n"
                + "|---:|---:|\n");
        JavaSparkContext context = new JavaSparkContext(cluster.appConf("throughput-memory", "768m")
                .set("spark.executor.cores", "1").set("spark.cores.max", "2"));
        try {
            SparkJobs jobs = SparkJobs.on(context).showProgress(false);
            for (int times : new int[] {1, 4, 16}) {
                List<String> r = repeated(realFiles, times); // the same files again: more clips, no more disk
                List<String> g = repeated(generatedFiles, times);
                LatentDistances d = jobs.evaluate(pca).window(window).clipComponents(10).stride(1).partitions(2 * times)
                        .between(r, g);
                System.gc();
                long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                md.append(String.format(Locale.ROOT, "| %d | %.0f |%n", d.realClipCount() + d.generatedClipCount(),
                        used / 1048576.0));
                assertTrue(Double.isFinite(d.clips()));
            }
        } finally {
            context.stop();
        }
        return md.toString();
    }

    private static String report(List<Timed> runs, int files, int framesPerFile, long clips, String memory) {
        double baseline = runs.get(0).perSecond();
        StringBuilder md = new StringBuilder("# Spark: throughput on 1 and 2 executors\n\n");
        md.append(String.format(Locale.ROOT, "A standalone master and one worker on this machine (%d cores), started by the"
                + " tests' `StandaloneCluster`; each application asks for single-core executors (`spark.executor.cores=1`,"
                + " `spark.cores.max` = 1 or 2; ONNX Runtime and BLAS on one thread each). The driver (this JVM) shares the"
                + " machine. Render: %d trajectory files × %d frames of the toy face to MP4 (pure-Java encoder), %d tasks."
                + " Evaluate: latent frame and clip Fréchet distances (25-frame clips, stride 1, 10 components) over %d"
                + " clips: %d + %d files of 15 s, each read 4 times, %d tasks. Timed after a warm-up job on the same"
                + " executors.%n%n", Runtime.getRuntime().availableProcessors(), files, framesPerFile, files, clips, files,
                files, 2 * files));
        md.append("| job | where | per second | against 1 executor | against this JVM without Spark |\n"
                + "|---|---|---:|---:|---:|\n");
        for (Timed t : runs) {
            Timed one = runs.stream().filter(x -> x.what().equals(t.what()) && x.executors() == 1).findFirst().orElse(t);
            String where = t.executors() == 0 ? "this JVM, no Spark (baseline)" : t.executors() + " executor"
                    + (t.executors() == 1 ? "" : "s");
            String vsJvm = t.what().startsWith("render") ? String.format(Locale.ROOT, "%.2f×", t.perSecond() / baseline) : "";
            md.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %.2f× | %s |%n", t.what(), where, t.perSecond(),
                    t.perSecond() / one.perSecond(), vsJvm));
        }
        md.append("\nThe driver's memory in the number of clips (`evaluate` reduces per-partition float64 sums, n, Σx and"
                + " Σxxᵀ, on the driver; the clips themselves never reach it):\n\n");
        md.append(memory);
        md.append(String.format(Locale.ROOT, "%nReproduce: `OMP_NUM_THREADS=1 mvn -B -o -Pspark test -Dtest=SparkThroughputTest"
                + " -Dlm.spark.bench=true -Dlm.spark.bench.files=%d`%n", files));
        return md.toString();
    }
}

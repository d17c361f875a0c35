package org.latentmotion.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorAdded;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.latentmotion.metrics.FrechetDistance;
import org.latentmotion.metrics.Gaussian;
import org.latentmotion.pca.LatentPca;
import org.latentmotion.toy.ToyWorld;
import org.latentmotion.wplus.Npy;
import org.latentmotion.wplus.TrajectorySet;
import org.latentmotion.render.Encoder;
import org.latentmotion.render.OnnxOptions;
import org.latentmotion.render.Synthesizer;
import org.latentmotion.render.Synthesizers;
import org.latentmotion.video.Footage;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tech.tablesaw.api.Table;

/**
 * The jobs on a real Spark standalone cluster on this machine: a master and one worker (2 cores)
 * started as separate JVMs from the test class path ({@link StandaloneCluster}), the driver in
 * this JVM. The distributed Fréchet numbers equal the single-machine ones; when the worker's
 * executor is killed in the middle of a render job, the worker starts a new one and the job
 * still ends with exactly one complete video per trajectory; and the executor that replaced it
 * encodes frames as the single-machine encoder does.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandaloneClusterTest {
    private static StandaloneCluster cluster;
    private static JavaSparkContext context;
    private static SparkJobs jobs;
    private static final ExecutorEvents EVENTS = new ExecutorEvents();

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        cluster = StandaloneCluster.start(dir.resolve("cluster"), 2, "1g");
        context = new JavaSparkContext(cluster.appConf("StandaloneClusterTest", "768m"));
        context.sc().addSparkListener(EVENTS);
        jobs = SparkJobs.on(context);
    }

    @AfterAll
    static void stop() {
        try {
            if (context != null) {
                context.stop();
            }
        } finally {
            if (cluster != null) {
                cluster.close();
                assertEquals(List.of(), cluster.alive(), "every process the cluster started has ended");
            }
        }
    }

    private static List<String> write(TrajectorySet set, String prefix) throws IOException {
        return SparkJobsTest.writeNpy(set, dir, prefix);
    }

    @Test
    @Order(1)
    void evaluateOnTheClusterEqualsTheSingleMachineFrechetDistances() throws IOException {
        TrajectorySet real = ToyWorld.talkingHead().actor(3).seconds(12).cuts(3).generate();
        TrajectorySet generated = ToyWorld.talkingHead().actor(3).seed(77).jitter(0.4).seconds(10).cuts(2).generate();
        List<String> realFiles = write(real, "real");
        List<String> genFiles = write(generated, "gen");
        LatentPca pca = LatentPca.fit(real, 6);
        int window = 8;
        int c = 3;
        int stride = 2;
        double[][][] r = SparkJobsTest.singleMachineRows(realFiles, pca, window, c, stride);
        double[][][] g = SparkJobsTest.singleMachineRows(genFiles, pca, window, c, stride);
        double frames = FrechetDistance.between(Gaussian.fit(r[0]), Gaussian.fit(g[0]));
        double clips = FrechetDistance.between(Gaussian.fit(r[1]), Gaussian.fit(g[1]));

        LatentDistances d = jobs.evaluate(pca).window(window).clipComponents(c).stride(stride).partitions(4)
                .between(realFiles, genFiles);
        System.out.printf(java.util.Locale.ROOT, "standalone cluster: frame FD %.12g (single machine %.12g), clip FD %.12g"
                + " (single machine %.12g)%n", d.frames(), frames, d.clips(), clips);
        assertEquals(r[0].length, d.realFrameCount());
        assertEquals(g[1].length, d.generatedClipCount());
        // 1e-7, not SparkJobsTest's 1e-9: the executor is another JVM whose BLAS may split the float32
        // projections over another number of threads (CI: OMP_NUM_THREADS unset; measured 1.0e-8 there, 0 with
        // one thread on both sides); in one JVM the same arithmetic gives the same numbers to 1e-9 (SparkJobsTest)
        SparkJobsTest.assertRelative(frames, d.frames(), 1e-7, "frame FD on the cluster");
        SparkJobsTest.assertRelative(clips, d.clips(), 1e-7, "clip FD on the cluster");
        assertTrue(EVENTS.added.get() >= 1, "the job ran on the worker's executor");
    }

    @Test
    @Order(2)
    void aRenderJobSurvivesItsExecutorBeingKilled() throws Exception {
        int files = 6;
        TrajectorySet set = ToyWorld.talkingHead().actor(4).seconds(2 * files).cuts(files - 1).generate();
        assertEquals(files, set.size());
        List<String> inputs = write(set, "kill");
        Path out = dir.resolve("kill-videos");
        ProcessHandle first = cluster.awaitExecutor(Duration.ofSeconds(90));
        int removedBefore = EVENTS.removed.get();
        int addedBefore = EVENTS.added.get();
        int doneBefore = EVENTS.succeeded.get();

        CompletableFuture<Table> job = CompletableFuture.supplyAsync(
                () -> jobs.render(inputs).with(RenderModel.toyFace()).fps(25).partitions(files).into(out.toUri().toString()));
        // kill the executor as soon as its first video is complete: other tasks are then running or waiting
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
        while (videos(out).isEmpty() && !job.isDone() && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        int doneAtKill = EVENTS.succeeded.get() - doneBefore;
        int videosAtKill = videos(out).size();
        assertTrue(videosAtKill >= 1 && !job.isDone(), "the job is under way when the executor is killed: " + videosAtKill
                + " videos, job done " + job.isDone());
        assertTrue(first.destroyForcibly(), "killing executor pid " + first.pid());
        assertTrue(first.onExit().get(30, TimeUnit.SECONDS) != null);
        System.out.printf("killed executor pid %d after %d of %d videos (%d tasks done)%n", first.pid(), videosAtKill, files,
                doneAtKill);
        assertTrue(doneAtKill < files, "tasks were still to run when the executor died (" + doneAtKill + " done)");

        Table t = job.get(240, TimeUnit.SECONDS);
        assertEquals(files, t.rowCount(), t.print());
        assertEquals(files, t.stringColumn("output").asList().stream().distinct().count(), "one row per video");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < files; i++) {
            expected.add("kill-" + i + ".mp4");
        }
        assertEquals(expected, listingAll(out), "exactly one complete file per trajectory, no temporaries");
        for (int i = 0; i < files; i++) {
            assertEquals(set.clip(i).frames(), SparkJobsTest.ffprobeFrames(out.resolve(expected.get(i))), expected.get(i));
        }
        assertTrue(EVENTS.removed.get() > removedBefore, "the driver saw the executor go");
        assertTrue(EVENTS.added.get() > addedBefore, "the worker started a new executor");
        JobProgress progress = jobs.lastProgress();
        System.out.println("progress: " + progress.line());
        assertEquals(files, progress.done(), progress.line());
        assertTrue(progress.executorsLost() >= 1 && progress.line().contains("lost"), progress.line());
        assertEquals(t.intColumn("frames").sum(), (double) progress.units(), progress.line());
        ProcessHandle second = cluster.awaitExecutor(Duration.ofSeconds(30));
        assertNotEquals(first.pid(), second.pid(), "a new executor JVM");
        System.out.printf("executor loss: %d failed task attempts retried; new executor pid %d%n", EVENTS.failed.get(),
                second.pid());
    }

    @Test
    @Order(3)
    void encodeOnTheClusterEqualsTheSingleMachineEncoder() throws Exception {
        List<String> inputs = new ArrayList<>();
        List<Path> folders = new ArrayList<>();
        try (Synthesizer g = Synthesizers.testStyleGan2()) {
            for (int k = 0; k < 3; k++) {
                Path folder = Files.createDirectories(dir.resolve("frames").resolve("clip-" + k));
                Nd4j.getRandom().setSeed(10 + k);
                BufferedImage[] images = g.renderFrames(Nd4j.rand(DataType.FLOAT, 4 + k, 10, 512).subi(0.5).muli(2));
                for (int i = 0; i < images.length; i++) {
                    ImageIO.write(images[i], "png", folder.resolve(String.format("%03d.png", i)).toFile());
                }
                folders.add(folder);
                inputs.add(folder.toUri().toString());
            }
        }
        Path out = dir.resolve("cluster-wplus");
        Table t = jobs.encode(inputs).with(EncoderModel.testPsp()).fps(25).partitions(3).into(out.toUri().toString());
        assertEquals(3, t.rowCount(), t.print());
        try (Encoder single = Encoder.open("psp.onnx (random weights)",
                EncodeJobTest.class.getClassLoader().getResourceAsStream(Synthesizers.TEST_PSP).readAllBytes(),
                OnnxOptions.builder().threads(1).build())) {
            for (int k = 0; k < 3; k++) {
                INDArray expected = single.encode(Footage.fromFolder(folders.get(k), 25)).codes();
                INDArray actual = Npy.read(out.resolve("clip-" + k + ".npy"));
                assertArrayEquals(expected.shape(), actual.shape());
                double diff = expected.sub(actual).amaxNumber().doubleValue();
                System.out.printf("encode on the cluster, clip-%d: max |executor - single machine| = %.3g%n", k, diff);
                assertTrue(diff <= 1e-6, "clip-" + k + ": max |difference| " + diff);
            }
        }
        System.out.println("progress: " + jobs.lastProgress().line());
    }

    private static List<String> videos(Path folder) throws IOException {
        return Files.isDirectory(folder) ? listingAll(folder).stream().filter(n -> n.endsWith(".mp4")).toList() : List.of();
    }

    private static List<String> listingAll(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    /** Counts executors coming and going and task attempts ending, as the driver sees them. */
    static final class ExecutorEvents extends SparkListener {
        final AtomicInteger added = new AtomicInteger();
        final AtomicInteger removed = new AtomicInteger();
        final AtomicInteger succeeded = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();

        @Override
        public void onExecutorAdded(SparkListenerExecutorAdded e) {
            added.incrementAndGet();
        }

        @Override
        public void onExecutorRemoved(SparkListenerExecutorRemoved e) {
            removed.incrementAndGet();
        }

        @Override
        public void onTaskEnd(SparkListenerTaskEnd e) {
            (e.taskInfo().successful() ? succeeded : failed).incrementAndGet();
        }
    }
}

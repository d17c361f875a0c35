package org.latentmotion.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentmotion.metrics.FrechetDistance;
import org.latentmotion.metrics.Gaussian;
import org.latentmotion.pca.LatentPca;
import org.latentmotion.toy.ToyWorld;
import org.latentmotion.video.VideoFormat;
import org.latentmotion.wplus.Npy;
import org.latentmotion.wplus.Trajectory;
import org.latentmotion.wplus.TrajectorySet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import tech.tablesaw.api.Table;

/**
 * The Spark jobs on {@code local[2]} (two task slots in this JVM, up to 3 attempts per task):
 * the distributed Fréchet numbers equal the single-machine ones, and rendering leaves exactly
 * one complete, playable MP4 per trajectory however often it runs or is retried.
 */
class SparkJobsTest {
    private static SparkJobs jobs;
    private static TrajectorySet real;
    private static TrajectorySet generated;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        // local[2, 3]: two threads, and a failed task is retried (up to 3 attempts), as on a cluster
        SparkConf conf = new SparkConf().setMaster("local[2,3]").setAppName("SparkJobsTest")
                .set("spark.ui.enabled", "false").set("spark.ui.showConsoleProgress", "false");
        jobs = SparkJobs.on(new JavaSparkContext(conf));
        real = ToyWorld.talkingHead().actor(3).seconds(16).cuts(3).generate();
        generated = ToyWorld.talkingHead().actor(3).seed(77).jitter(0.4).seconds(12).cuts(2).generate();
    }

    @AfterAll
    static void stop() {
        if (jobs != null) {
            jobs.context().stop();
        }
    }

    private static List<String> write(TrajectorySet set, String prefix) throws IOException {
        return writeNpy(set, dir, prefix);
    }

    /** Each trajectory of {@code set} as {@code <under>/<prefix>/<prefix>-i.npy}; their file URIs, in order. */
    static List<String> writeNpy(TrajectorySet set, Path under, String prefix) throws IOException {
        Path folder = Files.createDirectories(under.resolve(prefix));
        List<String> files = new ArrayList<>();
        for (int i = 0; i < set.size(); i++) {
            Path p = folder.resolve(prefix + "-" + i + ".npy");
            Npy.write(p, set.clip(i));
            files.add(p.toUri().toString());
        }
        return files;
    }

    /** Single machine: every frame's coordinates, and every clip row, of the files as Npy reads them. */
    static double[][][] singleMachineRows(List<String> files, LatentPca pca, int window, int c, int stride) {
        List<double[]> frames = new ArrayList<>();
        List<double[]> clips = new ArrayList<>();
        for (String f : files) {
            Trajectory t = Npy.readTrajectory(Path.of(java.net.URI.create(f)), 25);
            double[][] coords = pca.project(t).castTo(DataType.DOUBLE).toDoubleMatrix();
            frames.addAll(List.of(coords));
            clips.addAll(List.of(LatentEvaluationJob.clipRows(coords, window, c, stride)));
        }
        return new double[][][] {frames.toArray(double[][]::new), clips.toArray(double[][]::new)};
    }

    static void assertRelative(double expected, double actual, double tolerance, String what) {
        double rel = Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-300);
        assertTrue(rel <= tolerance, what + ": single machine " + expected + ", Spark " + actual + " (relative difference "
                + rel + ")");
    }

    @Test
    void evaluateEqualsTheSingleMachineFrechetDistances() throws IOException {
        List<String> realFiles = write(real, "real");
        List<String> genFiles = write(generated, "gen");
        LatentPca pca = LatentPca.fit(real, 8);
        int window = 10;
        int c = 4;
        int stride = 3;
        double[][][] r = singleMachineRows(realFiles, pca, window, c, stride);
        double[][][] g = singleMachineRows(genFiles, pca, window, c, stride);
        double frames = FrechetDistance.between(Gaussian.fit(r[0]), Gaussian.fit(g[0]));
        double clips = FrechetDistance.between(Gaussian.fit(r[1]), Gaussian.fit(g[1]));
        assertTrue(frames > 1e-3 && clips > 1e-3, "the two sets differ: frames " + frames + ", clips " + clips);

        for (int partitions : new int[] {1, 3, 7}) {
            LatentDistances d = jobs.evaluate(pca).window(window).clipComponents(c).stride(stride).partitions(partitions)
                    .between(realFiles, genFiles);
            assertEquals(r[0].length, d.realFrameCount());
            assertEquals(g[0].length, d.generatedFrameCount());
            assertEquals(r[1].length, d.realClipCount());
            assertEquals(g[1].length, d.generatedClipCount());
            System.out.printf(java.util.Locale.ROOT, "evaluate, %d partitions: frame FD %.12g (single machine %.12g),"
                    + " clip FD %.12g (single machine %.12g)%n", partitions, d.frames(), frames, d.clips(), clips);
            assertRelative(frames, d.frames(), 1e-9, "frame FD, " + partitions + " partitions");
            assertRelative(clips, d.clips(), 1e-9, "clip FD, " + partitions + " partitions");
            double[] mean = Gaussian.fit(r[0]).mean();
            double[] sparkMean = d.realFrames().mean();
            for (int j = 0; j < mean.length; j++) {
                assertEquals(mean[j], sparkMean[j], 1e-12 * (1 + Math.abs(mean[j])), "real frame mean " + j);
            }
            assertEquals(2, d.table().rowCount());
        }
    }

    @Test
    void featureMomentsMergedInAnyOrderEqualOneFit() {
        var random = Nd4j.getRandom();
        random.setSeed(5);
        double[][] rows = Nd4j.randn(DataType.DOUBLE, 301, 6).addi(1000).toDoubleMatrix(); // large mean, small spread
        Gaussian whole = Gaussian.fit(rows);
        FeatureMoments merged = FeatureMoments.empty(6);
        int[] cuts = {0, 1, 40, 41, 200, 301};
        for (int i = cuts.length - 1; i > 0; i--) {
            double[][] block = java.util.Arrays.copyOfRange(rows, cuts[i - 1], cuts[i]);
            merged.merge(FeatureMoments.empty(6).add(block));
        }
        assertEquals(301, merged.count());
        double[][] a = whole.covariance();
        double[][] b = merged.gaussian().covariance();
        for (int j = 0; j < 6; j++) {
            for (int k = 0; k < 6; k++) {
                assertEquals(a[j][k], b[j][k], 1e-11 * Math.abs(a[j][j]), "covariance " + j + "," + k);
            }
        }
        assertEquals(whole.frechetDistance(merged.gaussian()), 0.0, 1e-9);
        assertEquals(1000 * 301, merged.sum()[0], 301 * 0.5);
    }

    @Test
    void aBadInputFileFailsTheJobNamingIt() throws IOException {
        List<String> realFiles = write(real, "real-bad");
        Path bad = dir.resolve("broken-clip.npy");
        Files.writeString(bad, "this is not an NPY file", StandardCharsets.UTF_8);
        LatentPca pca = LatentPca.fit(real, 4);
        BadInputException e = assertThrows(BadInputException.class,
                () -> jobs.evaluate(pca).window(5).clipComponents(2).between(realFiles, List.of(bad.toUri().toString())));
        // the task's own error, not Spark's stage-failure report with the executor's stack trace
        assertTrue(e.getMessage().startsWith("evaluate: bad input file " + bad.toUri()), "message names the file: "
                + e.getMessage());
        assertEquals(bad.toUri().toString(), e.file());
        assertTrue(e.getCause().getMessage().contains("failed 3 times"), "Spark's report stays as the cause: "
                + e.getCause().getMessage());
        JobProgress p = jobs.lastProgress();
        assertTrue(p.ended() && p.error().contains("broken-clip.npy") && p.failedAttempts() == 3, p.line());
    }

    @Test
    void renderWritesOneCompletePlayableVideoPerTrajectoryAndRerunsIdempotently() throws Exception {
        TrajectorySet small = ToyWorld.talkingHead().actor(5).seconds(2.4).cuts(2).generate(); // 60 frames in 3 clips
        List<String> files = write(small, "to-render");
        // one file holding two trajectories [2, T, L, D]
        Trajectory a = small.clip(0).slice(0, 8);
        Trajectory b = small.clip(1).slice(0, 8);
        Path pair = dir.resolve("to-render").resolve("pair.npy");
        Npy.write(pair, Nd4j.stack(0, a.codes(), b.codes()));
        files.add(pair.toUri().toString());
        Path out = dir.resolve("videos");
        Files.createDirectories(out);
        // what a task killed mid-write leaves: a half-written hidden temporary file beside the output
        Path leftover = out.resolve(".to-render-0.mp4-0a1b2c3d.tmp");
        Files.write(leftover, new byte[] {0, 0, 0, 24, 'f', 't', 'y', 'p'});

        int sessionsBefore = ExecutorSessions.opened();
        Table t = jobs.render(files).with(RenderModel.toyFace()).fps(25).partitions(4).into(out.toUri().toString());
        assertTrue(ExecutorSessions.opened() - sessionsBefore <= 1,
                "one session per executor JVM, reused by its 4 partitions; opened " + (ExecutorSessions.opened() - sessionsBefore));
        assertEquals(5, t.rowCount(), t.print());
        JobProgress progress = jobs.lastProgress();
        assertTrue(progress.line().startsWith("render 4 files: 4/4 tasks,"), progress.line());
        assertEquals(4, progress.done());
        assertEquals(t.intColumn("frames").sum(), (double) progress.units(), progress.line());
        assertTrue(progress.unitsPerSecond() > 0 && progress.line().contains(" frames ("), progress.line());
        List<String> expected = List.of("pair-0000.mp4", "pair-0001.mp4", "to-render-0.mp4", "to-render-1.mp4",
                "to-render-2.mp4");
        assertEquals(expected, listing(out));
        int[] frames = {8, 8, small.clip(0).frames(), small.clip(1).frames(), small.clip(2).frames()};
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(frames[i], ffprobeFrames(out.resolve(expected.get(i))), expected.get(i));
        }
        long firstSize = Files.size(out.resolve("to-render-1.mp4"));

        // the same job again: the same five complete files, nothing beside them, no new session
        int sessionsAfterFirst = ExecutorSessions.opened();
        jobs.render(files).with(RenderModel.toyFace()).fps(25).partitions(2).into(out.toUri().toString());
        assertEquals(expected, listing(out));
        assertEquals(sessionsAfterFirst, ExecutorSessions.opened());
        // the same frames again (the MP4 header's creation time differs, so not the same bytes)
        assertEquals(firstSize, Files.size(out.resolve("to-render-1.mp4")));
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(frames[i], ffprobeFrames(out.resolve(expected.get(i))), expected.get(i) + " after the rerun");
        }
    }

    @Test
    void aBadFileAmongGoodOnesFailsTheRenderNamingItAfterTheGoodVideosAreWritten() throws Exception {
        TrajectorySet small = ToyWorld.talkingHead().actor(4).seconds(1.2).cuts(1).generate(); // 30 frames in 2 clips
        List<String> files = write(small, "some-bad");
        Path corrupt = dir.resolve("some-bad").resolve("corrupt.npy");
        Files.writeString(corrupt, "not an NPY file either", StandardCharsets.UTF_8);
        files.add(1, corrupt.toUri().toString());
        Path out = dir.resolve("some-bad-videos");
        // one partition: the bad file is read between the two good ones, in the same task
        BadInputException e = assertThrows(BadInputException.class,
                () -> jobs.render(files).with(RenderModel.toyFace()).partitions(1).into(out.toUri().toString()));
        assertEquals(corrupt.toUri().toString(), e.file());
        assertTrue(e.getMessage().startsWith("render: 1 of 3 input files could not be rendered (the other 2 videos are"
                + " written in ") && e.getMessage().contains("render: bad input file " + corrupt.toUri()), e.getMessage());
        assertEquals(List.of("some-bad-0.mp4", "some-bad-1.mp4"), listing(out));
        for (int i = 0; i < 2; i++) {
            assertEquals(small.clip(i).frames(), ffprobeFrames(out.resolve("some-bad-" + i + ".mp4")));
        }
        JobProgress p = jobs.lastProgress();
        assertTrue(p.ended() && p.error().contains("corrupt.npy") && p.failedAttempts() == 0, p.line());
    }

    @Test
    void aRetriedRenderTaskLeavesOneCompleteVideoPerTrajectoryAndNoDuplicateRows() throws Exception {
        TrajectorySet small = ToyWorld.talkingHead().actor(6).seconds(1.2).cuts(1).generate(); // 30 frames in 2 clips
        List<String> files = write(small, "retried");
        Path out = dir.resolve("retried-videos");
        RenderPartition render = new RenderPartition(RenderModel.toyFace(), out.toUri().toString(), 25, VideoFormat.MP4,
                jobs.hadoopConfiguration());
        FailingFirstAttempt failing = new FailingFirstAttempt(render, out.toUri().toString());
        List<RenderedFile> rows = jobs.context().parallelize(files, 2).mapPartitions(failing).collect();
        assertEquals(2, rows.size(), "one row per trajectory from the successful attempts: " + rows);
        assertEquals(2, rows.stream().map(RenderedFile::output).distinct().count());
        for (RenderedFile r : rows) {
            HadoopFiles.deleteTemporaries(r.output(), new Configuration());
        }
        assertEquals(List.of("retried-0.mp4", "retried-1.mp4"), listing(out));
        for (int i = 0; i < 2; i++) {
            assertEquals(small.clip(i).frames(), ffprobeFrames(out.resolve("retried-" + i + ".mp4")));
        }
    }

    /**
     * A task whose first attempt renders its files, then leaves a half-written temporary file
     * (as a writer killed mid-file does) and fails; Spark runs it again.
     */
    static final class FailingFirstAttempt implements FlatMapFunction<Iterator<String>, RenderedFile> {
        private static final long serialVersionUID = 1L;
        private final RenderPartition delegate;
        private final String out;

        FailingFirstAttempt(RenderPartition delegate, String out) {
            this.delegate = delegate;
            this.out = out;
        }

        @Override
        public Iterator<RenderedFile> call(Iterator<String> inputs) throws Exception {
            List<RenderedFile> rows = new ArrayList<>();
            delegate.call(inputs).forEachRemaining(rows::add);
            if (TaskContext.get().attemptNumber() == 0) {
                for (RenderedFile r : rows) {
                    Path target = Path.of(java.net.URI.create(r.output()));
                    Files.write(target.resolveSibling("." + target.getFileName() + "-killed.tmp"), new byte[100]);
                }
                throw new IllegalStateException("simulated executor failure after writing " + rows.size() + " videos to " + out);
            }
            return rows.iterator();
        }
    }

    @Test
    void aWriteThatFailsHalfwayLeavesNeitherTheTargetNorATemporaryFile() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("atomic"));
        String target = folder.resolve("clip.mp4").toUri().toString();
        Configuration conf = new Configuration();
        Exception e = assertThrows(Exception.class, () -> HadoopFiles.write(target, o -> {
            o.write(new byte[1000]);
            throw new IOException("disk full (simulated)");
        }, conf));
        assertTrue(e.getMessage().contains("clip.mp4") && e.getMessage().contains("disk full"), e.getMessage());
        assertEquals(List.of(), listingAll(folder));
        HadoopFiles.write(target, "complete".getBytes(StandardCharsets.UTF_8), conf);
        HadoopFiles.write(target, "complete again".getBytes(StandardCharsets.UTF_8), conf);
        assertEquals(List.of("clip.mp4"), listingAll(folder));
        assertEquals("complete again", Files.readString(folder.resolve("clip.mp4")));
    }

    private static List<String> listing(Path folder) throws IOException {
        return listingAll(folder);
    }

    /** Every file in the folder, hidden ones included (temporary files, .crc checksums). */
    private static List<String> listingAll(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    static int ffprobeFrames(Path mp4) throws Exception {
        Process p = new ProcessBuilder("ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0",
                "-show_entries", "stream=codec_name,nb_read_frames", "-of", "csv=p=0", mp4.toString())
                .redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.waitFor(), "ffprobe " + mp4 + ": " + text);
        String[] parts = text.split(",");
        assertEquals("h264", parts[0], "codec of " + mp4 + ": " + text);
        return Integer.parseInt(parts[1].trim());
    }
}

package org.latentmotion.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentmotion.render.Encoder;
import org.latentmotion.render.OnnxOptions;
import org.latentmotion.render.Synthesizer;
import org.latentmotion.render.Synthesizers;
import org.latentmotion.video.Footage;
import org.latentmotion.wplus.Npy;
import org.latentmotion.wplus.Trajectory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tech.tablesaw.api.Table;

/**
 * {@code encode} on {@code local[2]}: folders of PNG frames and an MP4 file become W+ NPY
 * trajectories equal to the single-machine encoder's on the same frames; bad inputs fail the
 * job naming each one while the good inputs' trajectories are written; the job's progress
 * counts its tasks and frames.
 */
class EncodeJobTest {
    private static SparkJobs jobs;
    private static Synthesizer stylegan;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("EncodeJobTest")
                .set("spark.ui.enabled", "false").set("spark.ui.showConsoleProgress", "false");
        jobs = SparkJobs.on(new JavaSparkContext(conf));
        stylegan = Synthesizers.testStyleGan2();
    }

    @AfterAll
    static void stop() {
        if (jobs != null) {
            jobs.context().stop();
        }
        if (stylegan != null) {
            stylegan.close();
        }
    }

    /** A folder of {@code n} 64×64 PNG frames of the test StyleGAN2 (names 8.png, 9.png, 10.png … sort as numbers). */
    private static Path frames(String name, int n, long seed) throws IOException {
        Path folder = Files.createDirectories(dir.resolve("footage").resolve(name));
        Nd4j.getRandom().setSeed(seed);
        BufferedImage[] images = stylegan.renderFrames(Nd4j.rand(DataType.FLOAT, n, 10, 512).subi(0.5).muli(2));
        for (int i = 0; i < n; i++) {
            ImageIO.write(images[i], "png", folder.resolve((i + 8) + ".png").toFile());
        }
        return folder;
    }

    /** The single-machine encoder with the executors' settings (one ONNX Runtime thread). */
    private static Encoder singleMachine() throws IOException {
        byte[] onnx;
        try (var in = EncodeJobTest.class.getClassLoader().getResourceAsStream(Synthesizers.TEST_PSP)) {
            onnx = in.readAllBytes();
        }
        return Encoder.open("psp.onnx (random weights)", onnx, OnnxOptions.builder().threads(1).build());
    }

    private static void assertSameCodes(Trajectory expected, Path npy, String what) {
        INDArray actual = Npy.read(npy);
        assertArrayEquals(expected.codes().shape(), actual.shape(), what + ": shape");
        double diff = expected.codes().castTo(DataType.FLOAT).sub(actual.castTo(DataType.FLOAT)).amaxNumber().doubleValue();
        System.out.printf("encode %s: max |Spark - single machine| = %.3g%n", what, diff);
        // the same frames, the same encoder and ONNX Runtime settings, the same batches: the same numbers
        assertEquals(0.0, diff, what + ": max |difference|");
    }

    @Test
    void foldersAndAVideoFileEncodeAsOnOneMachine() throws Exception {
        Path a = frames("clip-a", 5, 1);
        Path b = frames("clip-b", 12, 2);
        // an MP4 of 7 frames, written by the toolkit, decoded by ffmpeg on the executor
        Nd4j.getRandom().setSeed(3);
        Trajectory t = Trajectory.of(Nd4j.rand(DataType.FLOAT, 7, 10, 512).subi(0.5).muli(2), 10, "random");
        Path mp4 = dir.resolve("footage").resolve("talk.mp4");
        stylegan.render(t).save(mp4);
        Path out = dir.resolve("wplus");

        int sessionsBefore = ExecutorSessions.opened();
        Table table = jobs.encode(List.of(a.toUri().toString(), b.toUri().toString(), mp4.toUri().toString()))
                .with(EncoderModel.testPsp()).fps(12).partitions(2).into(out.toUri().toString());
        assertEquals(1, ExecutorSessions.opened() - sessionsBefore, "one encoder session in this JVM, shared by both tasks");
        assertEquals(3, table.rowCount(), table.print());
        assertEquals(List.of("clip-a.npy", "clip-b.npy", "talk.npy"), listing(out));
        assertEquals(List.of(5, 12, 7), table.intColumn("frames").asList());

        try (Encoder e = singleMachine()) {
            assertSameCodes(e.encode(Footage.fromFolder(a, 12)), out.resolve("clip-a.npy"), "clip-a/ (5 PNG frames)");
            assertSameCodes(e.encode(Footage.fromFolder(b, 12)), out.resolve("clip-b.npy"), "clip-b/ (12 PNG frames)");
            assertSameCodes(e.encode(Footage.fromVideoFile(mp4)), out.resolve("talk.npy"), "talk.mp4 (7 frames)");
        }

        JobProgress p = jobs.lastProgress();
        assertEquals(2, p.total());
        assertEquals(2, p.done(), p.line());
        assertEquals(24, p.units(), p.line());
        assertTrue(p.ended() && p.error() == null, p.line());
        assertTrue(p.line().startsWith("encode 3 inputs: 2/2 tasks") && p.line().contains("24 frames"), p.line());
        var bundle = new org.latentmotion.display.MimeBundle("text/plain", "text/html");
        p.renderTo(bundle);
        assertTrue(bundle.get("text/html").contains("width:100.0%"), bundle.get("text/html"));
    }

    @Test
    void badInputsFailTheJobNamingEachWhileTheOthersAreWritten() throws Exception {
        Path good = frames("good", 4, 4);
        Path broken = frames("broken", 3, 5);
        Files.writeString(broken.resolve("9.png"), "not a picture", StandardCharsets.UTF_8);
        Path empty = Files.createDirectories(dir.resolve("footage").resolve("empty"));
        Path out = dir.resolve("wplus-bad");
        List<String> inputs = List.of(good.toUri().toString(), broken.toUri().toString(), empty.toUri().toString());

        BadInputException e = assertThrows(BadInputException.class,
                () -> jobs.encode(inputs).partitions(1).into(out.toUri().toString()));
        System.out.println(e.getMessage());
        assertTrue(e.getMessage().startsWith("encode: 2 of 3 inputs could not be encoded (the other 1 trajectories are"
                + " written in "), e.getMessage());
        String brokenFrame = broken.toUri().toString() + "9.png"; // the input's own path, not the executor's copy
        assertTrue(e.getMessage().contains(brokenFrame), "names the broken frame " + brokenFrame + ": " + e.getMessage());
        assertTrue(e.getMessage().contains("empty") && e.getMessage().contains("found none (the folder is empty)"),
                e.getMessage());
        assertEquals(List.of("good.npy"), listing(out), "the good input's trajectory is kept, nothing else");
        try (Encoder single = singleMachine()) {
            assertSameCodes(single.encode(Footage.fromFolder(good, 25)), out.resolve("good.npy"), "good/ beside bad inputs");
        }
        assertTrue(jobs.lastProgress().line().contains("failed: encode: 2 of 3 inputs"), jobs.lastProgress().line());
    }

    @Test
    void twoInputsWithOneNameAreRefusedBeforeTheJob() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> jobs.encode(List.of("file:///x/a/clip", "file:///y/clip.mp4")));
        assertTrue(e.getMessage().contains("two inputs are named clip"), e.getMessage());
    }

    private static List<String> listing(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }
}

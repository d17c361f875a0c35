package org.latentmotion.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentmotion.display.MimeBundle;
import org.latentmotion.display.Notebook;
import org.latentmotion.video.Video;
import org.latentmotion.wplus.Npy;
import org.latentmotion.wplus.Trajectory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The exported StyleGAN2 graph against PyTorch, and every way opening or rendering can go wrong. */
class SynthesizerTest {
    static final Path MODELS = Path.of(System.getProperty("latentmotion.root", ".")).resolve("datasets/models");
    static Synthesizer g;

    @BeforeAll
    static void open() {
        g = Synthesizers.testStyleGan2(OnnxOptions.builder().batch(2).threads(2).build());
    }

    @AfterAll
    static void close() {
        g.close();
    }

    @Test
    void readsTheInterface() {
        assertEquals(10, g.layers());
        assertEquals(512, g.width());
        assertEquals(64, g.imageWidth());
        assertEquals(64, g.imageHeight());
        assertEquals(ValueRange.MINUS_ONE_TO_ONE, g.range());
    }

    @Test
    void matchesPyTorchOnTheReferenceCodes() {
        INDArray w = Npy.read(MODELS.resolve("stylegan2/reference_w.npy"));
        INDArray expected = Npy.read(MODELS.resolve("stylegan2/reference_image.npy"));
        // 3 codes with batch 2: one full (pinned output) and one partial batch
        INDArray actual = g.synthesize(w);
        assertArrayEquals(expected.shape(), actual.shape());
        double maxDiff = actual.sub(expected).amaxNumber().doubleValue();
        double scale = expected.amaxNumber().doubleValue();
        System.out.printf("stylegan2 ONNX vs PyTorch: max |diff| = %.2e (max |value| %.2f)%n", maxDiff, scale);
        assertTrue(maxDiff < 1e-4, "max |diff| " + maxDiff);
    }

    @Test
    void imagesAreTheOutputMappedFromMinusOneOneToBytes() {
        INDArray w = Npy.read(MODELS.resolve("stylegan2/reference_w.npy"));
        INDArray expected = Npy.read(MODELS.resolve("stylegan2/reference_image.npy"));
        BufferedImage[] images = g.renderFrames(w);
        assertEquals(3, images.length);
        for (int[] p : new int[][] {{0, 0}, {10, 37}, {63, 63}, {31, 5}}) {
            int rgb = images[1].getRGB(p[0], p[1]);
            for (int c = 0; c < 3; c++) {
                double v = expected.getDouble(1, c, p[1], p[0]);
                int want = (int) Math.max(0, Math.min(255, Math.round((v + 1) * 127.5)));
                int got = (rgb >> (16 - 8 * c)) & 255;
                assertTrue(Math.abs(want - got) <= 1, "pixel " + p[0] + "," + p[1] + " channel " + c + ": " + got + " vs " + want);
            }
        }
        BufferedImage one = g.image(w.get(org.nd4j.linalg.indexing.NDArrayIndex.point(1)));
        assertEquals(images[1].getRGB(20, 20), one.getRGB(20, 20));
    }

    @Test
    void streamAndVideoAgreeWithRenderFrames() {
        Trajectory t = Trajectory.of(Nd4j.rand(DataType.FLOAT, 5, 10, 512).subi(0.5), 25, "random");
        BufferedImage[] direct = g.renderFrames(t.codes());
        List<BufferedImage> streamed = g.frames(t).collect(Collectors.toList());
        assertEquals(5, streamed.size());
        for (int i = 0; i < 5; i++) {
            assertEquals(direct[i].getRGB(32, 32), streamed.get(i).getRGB(32, 32));
        }
        Video v = g.render(t);
        assertEquals(5, v.frames());
        assertEquals(64, v.width());
        assertEquals(25.0, v.fps());
    }

    @Test
    void aViewIntoLargerCodesRendersAsItsCopy() {
        // frames 3..8 of 10, in batches of 2: ND4J returns an empty array for a view of this view (see runBatches)
        INDArray all = Nd4j.rand(DataType.FLOAT, 10, 10, 512).subi(0.5);
        INDArray view = all.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(3, 8));
        INDArray fromView = g.synthesize(view);
        INDArray fromCopy = g.synthesize(view.dup('c'));
        assertEquals(0.0, fromView.sub(fromCopy).amaxNumber().doubleValue());
        assertEquals(5, g.renderFrames(view).length);
    }

    @Test
    void wrongLayerCountIsNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> g.renderFrames(Nd4j.zeros(DataType.FLOAT, 2, 18, 512)));
        assertTrue(e.getMessage().contains("expected codes [N, 10, 512], found [2, 18, 512]"), e.getMessage());
        Trajectory t18 = Trajectory.of(Nd4j.zeros(DataType.FLOAT, 3, 18, 512), 25, "x");
        var e2 = assertThrows(IllegalArgumentException.class, () -> g.render(t18));
        assertTrue(e2.getMessage().contains("[T, 10, 512]") && e2.getMessage().contains("[3, 18, 512]"), e2.getMessage());
    }

    @Test
    void nanCodesAreRefusedBeforeRunning() {
        INDArray codes = Nd4j.zeros(DataType.FLOAT, 4, 10, 512);
        codes.putScalar(new long[] {2, 3, 7}, Float.NaN);
        var e = assertThrows(IllegalArgumentException.class, () -> g.renderFrames(codes));
        assertTrue(e.getMessage().contains("NaN at frame 2, layer 3, channel 7"), e.getMessage());
        codes.putScalar(new long[] {2, 3, 7}, Float.POSITIVE_INFINITY);
        var e2 = assertThrows(IllegalArgumentException.class,
                () -> g.render(Trajectory.of(codes, 25, "inf")));
        assertTrue(e2.getMessage().contains("Infinity at frame 2"), e2.getMessage());
    }

    @Test
    void missingFileIsNamed(@TempDir Path dir) {
        Path nothing = dir.resolve("nope.onnx");
        var e = assertThrows(IllegalArgumentException.class, () -> Synthesizer.open(nothing));
        assertTrue(e.getMessage().contains("nope.onnx") && e.getMessage().contains("no such file"), e.getMessage());
    }

    @Test
    void notAnOnnxFileIsNamed(@TempDir Path dir) throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.onnx"), "not a model");
        var e = assertThrows(IllegalArgumentException.class, () -> Synthesizer.open(junk));
        assertTrue(e.getMessage().contains("junk.onnx") && e.getMessage().contains("could not load"), e.getMessage());
    }

    @Test
    void anEncoderIsNotASynthesisNetwork() {
        byte[] psp = Synthesizers.resource(Synthesizers.TEST_PSP);
        var e = assertThrows(IllegalArgumentException.class,
                () -> Synthesizer.open("psp.onnx", psp, OnnxOptions.builder().device(Device.CPU).build()));
        assertTrue(e.getMessage().contains("expected input 'image' of shape [N, L, 512]")
                && e.getMessage().contains("found [N, 3, 64, 64]"), e.getMessage());
        byte[] sg = Synthesizers.resource(Synthesizers.TEST_STYLEGAN2);
        var e2 = assertThrows(IllegalArgumentException.class,
                () -> Encoder.open("stylegan2.onnx", sg, OnnxOptions.builder().device(Device.CPU).build()));
        assertTrue(e2.getMessage().contains("expected input 'w' of shape [N, 3, S, S]"), e2.getMessage());
    }

    static String refusal(String fixture) {
        Path file = MODELS.resolve("stylegan2/fixtures/" + fixture + ".onnx");
        var e = assertThrows(IllegalArgumentException.class,
                () -> Synthesizer.open(file, OnnxOptions.builder().threads(1).build()));
        return e.getMessage();
    }

    @Test
    void wrongInterfacesAreRefusedWithExpectedAndFound() {
        String noRange = refusal("no_range");
        assertTrue(noRange.contains("pixel value range is not stated") && noRange.contains("latentmotion.range"), noRange);
        String nhwc = refusal("channels_last");
        assertTrue(nhwc.contains("expected output 'image' of shape [N, 3, H, W]") && nhwc.contains("found [N, 8, 8, 3]"), nhwc);
        String two = refusal("two_inputs");
        assertTrue(two.contains("expected one input and one output, found 2 inputs"), two);
        String z = refusal("z_input");
        assertTrue(z.contains("expected input 'z' of shape [N, L, 512]") && z.contains("found [N, 512]"), z);
        // the range-less model is fine once the caller states the range
        try (Synthesizer s = Synthesizer.open(MODELS.resolve("stylegan2/fixtures/no_range.onnx"),
                OnnxOptions.builder().threads(1).range(ValueRange.ZERO_TO_ONE).build())) {
            INDArray w = Nd4j.zeros(DataType.FLOAT, 2, 4, 512).addi(0.5);
            BufferedImage[] img = s.renderFrames(w);
            assertEquals(8, img[1].getWidth());
            assertEquals(128, img[1].getRGB(3, 3) & 255); // mean 0.5 in [0, 1] → 127.5 → 128
        }
    }

    @Test
    void cudaRequestedWithoutCudaFallsBackAndSaysWhy() {
        List<String> said = new ArrayList<>();
        var before = DeviceChoice.announcer;
        DeviceChoice.announcer = said::add;
        try (Synthesizer s = Synthesizers.testStyleGan2(OnnxOptions.builder().device(Device.CUDA).threads(1).build())) {
            assertEquals(Device.CPU, s.device().device());
            assertTrue(s.device().reason().contains("CUDA provider not in this onnxruntime build; use -Pcuda"), s.device().reason());
            assertEquals(List.of("latentmotion: rendering on CPU (CUDA provider not in this onnxruntime build; use -Pcuda)"), said);
            // and it still renders
            assertEquals(1, s.renderFrames(Nd4j.zeros(DataType.FLOAT, 1, 10, 512)).length);
        } finally {
            DeviceChoice.announcer = before;
        }
    }

    @Test
    void aClosedSynthesizerSaysSo() {
        Synthesizer s = Synthesizers.testStyleGan2(OnnxOptions.builder().threads(1).build());
        s.close();
        var e = assertThrows(IllegalStateException.class, () -> s.renderFrames(Nd4j.zeros(DataType.FLOAT, 1, 10, 512)));
        assertTrue(e.getMessage().contains("is closed"), e.getMessage());
        s.close(); // idempotent
    }

    @Test
    void rangeGivenByTheCallerOverridesMetadata() {
        try (Synthesizer s = Synthesizers.testStyleGan2(OnnxOptions.builder().threads(1).range(ValueRange.ZERO_TO_ONE).build())) {
            assertEquals(ValueRange.ZERO_TO_ONE, s.range());
            INDArray w = Npy.read(MODELS.resolve("stylegan2/reference_w.npy"));
            INDArray expected = Npy.read(MODELS.resolve("stylegan2/reference_image.npy"));
            int got = (s.renderFrames(w)[0].getRGB(5, 9) >> 8) & 255;
            int want = (int) Math.max(0, Math.min(255, Math.round(expected.getDouble(0, 1, 9, 5) * 255)));
            assertTrue(Math.abs(got - want) <= 1, got + " vs " + want);
        }
        assertEquals(ValueRange.ZERO_TO_255, ValueRange.parse("[0.0, 255.0]"));
        var e = assertThrows(IllegalArgumentException.class, () -> ValueRange.parse("0,2"));
        assertTrue(e.getMessage().contains("expected \"-1,1\", \"0,1\" or \"0,255\", found \"0,2\""), e.getMessage());
    }

    static final Path TEST_MODELS = MappingTest.TEST_MODELS;
    static final OnnxOptions ONE_THREAD = MappingTest.ONE_THREAD;

    /** The numpy reference of the tiny L = 14 network (make_test_models.py) rendered by {@code s}. */
    static double maxDiffToNumpy(Synthesizer s) {
        INDArray w = Npy.read(TEST_MODELS.resolve("l14/reference_wplus.npy"));
        INDArray expected = Npy.read(TEST_MODELS.resolve("l14/reference_image.npy"));
        return s.synthesize(w).sub(expected).amaxNumber().doubleValue();
    }

    @Test
    void aModelWithExternalDataOpensByPath() throws Exception {
        Path model = TEST_MODELS.resolve("external/synthesis.onnx");
        assertTrue(Files.size(model) < 2000 && Files.size(TEST_MODELS.resolve("external/synthesis.onnx.data")) > 50_000,
                "the fixture keeps its weights in the external file");
        // the same model with every constant external: ORT refuses it, and the message says what to change
        var t0 = assertThrows(IllegalArgumentException.class,
                () -> Synthesizer.open(TEST_MODELS.resolve("odd/external_threshold_0/synthesis.onnx"), ONE_THREAD));
        assertTrue(t0.getMessage().contains("size_threshold=1024, not 0"), t0.getMessage());
        try (Synthesizer s = Synthesizer.open(model, ONE_THREAD)) {
            assertEquals(14, s.layers());
            double d = maxDiffToNumpy(s);
            assertTrue(d < 1e-5, "max |diff| " + d);
        }
        // the same file given as bytes has no folder to find its weights in: why models open by path
        var e = assertThrows(IllegalArgumentException.class,
                () -> Synthesizer.open("synthesis.onnx", Files.readAllBytes(model), ONE_THREAD));
        assertTrue(e.getMessage().contains("could not load") && e.getMessage().contains("opened by path"), e.getMessage());
    }

    @Test
    void aModelInZeroTo255RendersTheSamePictures() {
        try (Synthesizer byteRange = Synthesizer.open(TEST_MODELS.resolve("range255/synthesis.onnx"), ONE_THREAD);
             Synthesizer unit = Synthesizer.open(TEST_MODELS.resolve("l14/synthesis.onnx"), ONE_THREAD)) {
            assertEquals(ValueRange.ZERO_TO_255, byteRange.range());
            INDArray w = Npy.read(TEST_MODELS.resolve("l14/reference_wplus.npy"));
            BufferedImage a = byteRange.renderFrames(w)[1];
            BufferedImage b = unit.renderFrames(w)[1];
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 8; x++) {
                    for (int c = 0; c < 24; c += 8) {
                        int d = Math.abs(((a.getRGB(x, y) >> c) & 255) - ((b.getRGB(x, y) >> c) & 255));
                        assertTrue(d <= 1, "pixel " + x + "," + y + ": " + d);
                    }
                }
            }
        }
    }

    @Test
    void anUnknownRangeIsRefusedNamingTheModelAndTheKey() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Synthesizer.open(TEST_MODELS.resolve("odd/range_0_2.onnx"), ONE_THREAD));
        assertTrue(e.getMessage().contains("range_0_2.onnx") && e.getMessage().contains("metadata latentmotion.range")
                && e.getMessage().contains("found \"0,2\""), e.getMessage());
    }

    @Test
    void channelsLastIsCaughtAtOpenEvenWhenTheShapeIsDynamic() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Synthesizer.open(TEST_MODELS.resolve("odd/channels_last_dynamic.onnx"), ONE_THREAD));
        assertTrue(e.getMessage().contains("found [1, 8, 8, 3] when rendering one zero code")
                && e.getMessage().contains("channels last"), e.getMessage());
        // a static channels-last shape is refused without running anything
        String nhwc = refusal("channels_last");
        assertTrue(nhwc.contains("found [N, 8, 8, 3] (channels last"), nhwc);
    }

    @Test
    void namesAreFree() {
        try (Synthesizer s = Synthesizer.open(TEST_MODELS.resolve("odd/other_names.onnx"), ONE_THREAD)) {
            assertTrue(s.toString().contains("latents [N, 14, 512] → rgb [N, 3, 8, 8]"), s.toString());
            assertTrue(maxDiffToNumpy(s) < 1e-5);
        }
    }

    @Test
    void theDefaultBatchSuitsTheImageSize() {
        OnnxOptions auto = OnnxOptions.defaults();
        assertTrue(auto.batchIsAutomatic());
        assertEquals(8, auto.batchFor(64, 64));
        assertEquals(4, auto.batchFor(128, 128));
        assertEquals(1, auto.batchFor(256, 256));
        assertEquals(1, auto.batchFor(1024, 1024));
        assertEquals(1, auto.batchFor(-1, -1));
        assertEquals(3, OnnxOptions.builder().batch(3).build().batchFor(1024, 1024));
        try (Synthesizer s = Synthesizers.testStyleGan2(OnnxOptions.builder().threads(1).build())) {
            String html = Notebook.render(s).get(MimeBundle.HTML);
            assertTrue(html.contains("1 intra-op / 8 (automatic for 64×64)"), html);
        }
    }

    @Test
    void theShippedToyFaceHasStyleGansInterface() {
        try (Synthesizer face = Synthesizers.toyFace(OnnxOptions.builder().threads(1).build())) {
            assertEquals(18, face.layers());
            assertEquals(ValueRange.MINUS_ONE_TO_ONE, face.range());
            BufferedImage img = face.image(Nd4j.zeros(DataType.FLOAT, 18, 512));
            assertEquals(face.imageWidth(), img.getWidth());
        }
    }

    @Test
    void showsItsInterfaceAsATable() {
        MimeBundle b = Notebook.render(g);
        String html = b.get(MimeBundle.HTML);
        assertTrue(html.contains("W+ layers L") && html.contains("[N, 10, 512]") && html.contains("[N, 3, 64, 64]"), html);
        assertTrue(b.get(MimeBundle.TEXT).startsWith("Synthesizer["), b.get(MimeBundle.TEXT));
    }
}

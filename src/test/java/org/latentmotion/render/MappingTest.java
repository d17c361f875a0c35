package org.latentmotion.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentmotion.display.ImageGrid;
import org.latentmotion.display.MimeBundle;
import org.latentmotion.display.Notebook;
import org.latentmotion.wplus.Npy;
import org.latentmotion.wplus.Trajectory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The mapping network z → w against numpy (src/test/resources/render/make_test_models.py computes
 * the same network in numpy), the shipped StyleGAN2's mapping against PyTorch's, truncation, W+
 * broadcasting, style mixing, and every refusal. The tiny model has L = 14, not the shipped
 * network's 10: the notebook's calls work on either.
 */
class MappingTest {
    static final Path TEST_MODELS = Path.of(System.getProperty("latentmotion.root", "."))
            .resolve("src/test/resources/render");
    static final Path L14 = TEST_MODELS.resolve("l14");
    static final OnnxOptions ONE_THREAD = OnnxOptions.builder().threads(1).device(Device.CPU).build();
    static Synthesizer g;

    @BeforeAll
    static void open() {
        g = Synthesizer.open(L14.resolve("synthesis.onnx"), ONE_THREAD);
    }

    @AfterAll
    static void close() {
        g.close();
    }

    static double maxDiff(INDArray a, INDArray b) {
        assertArrayEquals(b.shape(), a.shape());
        return a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
    }

    @Test
    void seedsDrawNumpysZ() {
        INDArray numpy = Npy.read(L14.resolve("numpy_randn_seed42.npy"), DataType.DOUBLE);
        NumpyRandom r = new NumpyRandom(42);
        double d = 0;
        for (int i = 0; i < 3 * 32; i++) {
            d = Math.max(d, Math.abs(r.nextGaussian() - numpy.getDouble(i / 32, i % 32)));
        }
        System.out.printf("RandomState(42).randn(3, 32): max |Java − numpy| = %.2e (float64)%n", d);
        assertTrue(d < 1e-15, "max |diff| " + d);
        assertTrue(maxDiff(Nd4j.create(NumpyRandom.randn(42, 3, 32), new long[] {3, 32}, 'c'), numpy) < 1e-7);
        assertThrows(IllegalArgumentException.class, () -> new NumpyRandom(-1));
    }

    @Test
    void mapsLikeNumpy() {
        try (Mapping m = Mapping.open(L14.resolve("mapping.onnx"), ONE_THREAD)) {
            assertEquals(32, m.zDim());
            assertEquals(512, m.wDim());
            assertEquals(14, m.layers());
            INDArray z = Npy.read(L14.resolve("reference_z.npy"));
            double d = maxDiff(m.map(z).codes(), Npy.read(L14.resolve("reference_mapped_w.npy")));
            double a = maxDiff(m.wAvg(), Npy.read(L14.resolve("w_avg.npy")));
            System.out.printf("tiny mapping ONNX vs numpy: max |diff| w %.2e, w_avg %.2e%n", d, a);
            assertTrue(d < 1e-5 && a == 0, d + " " + a);
        }
    }

    @Test
    void theShippedStyleGan2sMappingMatchesPyTorch() {
        Path models = SynthesizerTest.MODELS.resolve("stylegan2");
        try (Synthesizer sg = Synthesizers.testStyleGan2(ONE_THREAD)) {
            Mapping m = sg.mapping();
            assertEquals(sg.layers(), m.layers());
            INDArray z = Npy.read(models.resolve("reference_z.npy"));
            double d = maxDiff(m.map(z).codes(), Npy.read(models.resolve("reference_mapped_w.npy")));
            System.out.printf("stylegan2 mapping ONNX vs PyTorch: max |diff| = %.2e%n", d);
            assertTrue(d < 1e-5, "max |diff| " + d);
            assertEquals(sg.layers(), m.sample(2, 1, 0.7).wPlus().size(1));
        }
    }

    @Test
    void truncationPullsTowardsTheAverage() {
        Mapping m = g.mapping();
        INDArray z = Npy.read(L14.resolve("reference_z.npy"));
        INDArray w = m.map(z).codes();
        INDArray avg = m.wAvg();
        INDArray half = m.map(z, 0.5).codes();
        INDArray expected = w.subRowVector(avg).muli(0.5).addRowVector(avg);
        assertTrue(maxDiff(half, expected) < 1e-6);
        INDArray zero = m.map(z, 0).codes();
        for (int i = 0; i < 5; i++) {
            assertTrue(maxDiff(zero.getRow(i), avg) < 1e-7);
        }
        assertEquals(0.5, m.map(z, 0.5).truncation());
    }

    @Test
    void sampleIsSeededAndUsesNumpysZ() {
        Mapping m = g.mapping();
        WCodes a = m.sample(3, 42, 0.7);
        WCodes b = m.sample(3, 42, 0.7);
        assertEquals(0.0, maxDiff(a.codes(), b.codes()));
        INDArray z = Npy.read(L14.resolve("numpy_randn_seed42.npy"));
        assertTrue(maxDiff(a.codes(), m.map(z, 0.7).codes()) < 1e-6);
        assertTrue(maxDiff(m.sample(3, 43, 0.7).codes(), a.codes()) > 0.01);
        assertTrue(a.source().contains("seed 42") && a.source().contains("ψ = 0.7"), a.source());
    }

    @Test
    void wPlusRepeatsEachCodeOnTheSynthesizersLayers() {
        WCodes w = g.mapping().sample(2, 5, 1.0);
        assertEquals(g.layers(), w.layers());
        INDArray plus = w.wPlus();
        assertArrayEquals(new long[] {2, 14, 512}, plus.shape());
        for (int l = 0; l < 14; l++) {
            assertEquals(0.0, maxDiff(plus.get(NDArrayIndex.point(1), NDArrayIndex.point(l), NDArrayIndex.all()),
                    w.codes().getRow(1)));
        }
        assertEquals(2, g.renderFrames(plus).length);
        assertArrayEquals(new long[] {2, 18, 512}, w.wPlus(18).shape());
    }

    @Test
    void styleMixingTakesLayersFromTheCutOnFromTheSecondCode() {
        WCodes coarse = g.mapping().sample(2, 1, 0.7);
        WCodes fine = g.mapping().sample(2, 2, 0.7);
        INDArray mixed = coarse.mix(fine, 6);
        assertArrayEquals(new long[] {2, 14, 512}, mixed.shape());
        for (int i = 0; i < 2; i++) {
            for (int l = 0; l < 14; l++) {
                INDArray want = (l < 6 ? coarse : fine).codes().getRow(i);
                assertEquals(0.0, maxDiff(mixed.get(NDArrayIndex.point(i), NDArrayIndex.point(l), NDArrayIndex.all()), want));
            }
        }
        INDArray grid = coarse.mixGrid(fine.slice(0, 2), 6);
        assertArrayEquals(new long[] {4, 14, 512}, grid.shape());
        // row 1, column 0: code 1's coarse layers, fine code 0's fine layers
        assertEquals(0.0, maxDiff(grid.get(NDArrayIndex.point(2), NDArrayIndex.point(0), NDArrayIndex.all()), coarse.codes().getRow(1)));
        assertEquals(0.0, maxDiff(grid.get(NDArrayIndex.point(2), NDArrayIndex.point(13), NDArrayIndex.all()), fine.codes().getRow(0)));
        // mixed pictures differ from both parents (every layer matters in this network)
        BufferedImage[] pics = g.renderFrames(Nd4j.concat(0, coarse.wPlus(), mixed));
        assertTrue(pics[0].getRGB(3, 3) != pics[2].getRGB(3, 3) || pics[0].getRGB(5, 1) != pics[2].getRGB(5, 1));
        var e = assertThrows(IllegalArgumentException.class, () -> coarse.mix(fine, 15));
        assertTrue(e.getMessage().contains("expected a first fine layer in 0…14, found 15"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> coarse.mix(g.mapping().sample(3, 1), 4));
    }

    @Test
    void aLoopVisitsEveryCodeAndCloses() {
        WCodes keys = g.mapping().sample(4, 9, 0.7);
        Trajectory loop = keys.loop(40, 25);
        assertEquals(40, loop.frames());
        assertEquals(14, loop.layers());
        assertEquals(25.0, loop.fps());
        for (int k = 0; k < 4; k++) {
            assertTrue(maxDiff(loop.frame(10 * k).get(NDArrayIndex.point(3), NDArrayIndex.all()), keys.codes().getRow(k)) < 1e-6);
        }
        // seamless: the last step leads back towards code 0, as short as any other step
        double last = loop.frame(39).sub(loop.frame(0)).norm2Number().doubleValue();
        double first = loop.frame(1).sub(loop.frame(0)).norm2Number().doubleValue();
        assertTrue(last < 3 * first + 1e-6, last + " vs " + first);
    }

    @Test
    void badInputsAreRefusedBeforeRunning() {
        Mapping m = g.mapping();
        INDArray z = Nd4j.zeros(DataType.FLOAT, 2, 32);
        z.putScalar(1, 7, Float.NaN);
        var e = assertThrows(IllegalArgumentException.class, () -> m.map(z));
        assertTrue(e.getMessage().contains("NaN at row 1, column 7"), e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> m.map(Nd4j.zeros(DataType.FLOAT, 2, 512)));
        assertTrue(e2.getMessage().contains("expected z [N, 32], found [2, 512]"), e2.getMessage());
        var e3 = assertThrows(IllegalArgumentException.class, () -> m.sample(2, 1, Double.NaN));
        assertTrue(e3.getMessage().contains("truncation"), e3.getMessage());
        assertThrows(IllegalArgumentException.class, () -> m.sample(0, 1, 0.5));
    }

    /** A folder holding the l14 synthesis network and {@code mapping} as its mapping.onnx. */
    static Path pair(Path dir, String mapping) throws Exception {
        Files.copy(L14.resolve("synthesis.onnx"), dir.resolve("synthesis.onnx"));
        if (mapping != null) {
            Files.copy(TEST_MODELS.resolve(mapping), dir.resolve("mapping.onnx"));
        }
        return dir.resolve("synthesis.onnx");
    }

    static String refusal(Path synthesis) {
        try (Synthesizer s = Synthesizer.open(synthesis, ONE_THREAD)) {
            return assertThrows(IllegalArgumentException.class, s::mapping).getMessage();
        }
    }

    @Test
    void aMissingMappingNetworkIsNamed(@TempDir Path dir) throws Exception {
        String e = refusal(pair(dir, null));
        assertTrue(e.contains(dir.resolve("mapping.onnx").toString()) && e.contains("no such file"), e);
        try (Synthesizer face = Synthesizers.toyFace(ONE_THREAD)) {
            var e2 = assertThrows(IllegalArgumentException.class, face::mapping);
            assertTrue(e2.getMessage().contains("models/toyface/mapping.onnx"), e2.getMessage());
        }
        try (Synthesizer mem = Synthesizer.open("bytes.onnx", Files.readAllBytes(L14.resolve("synthesis.onnx")), ONE_THREAD)) {
            var e3 = assertThrows(IllegalArgumentException.class, mem::mapping);
            assertTrue(e3.getMessage().contains("Mapping.open(path)"), e3.getMessage());
        }
    }

    @Test
    void aMappingForAnotherLayerCountIsRefused(@TempDir Path dir) throws Exception {
        String e = refusal(pair(dir, "odd/mapping_num_ws_10.onnx"));
        assertTrue(e.contains("expected metadata latentmotion.num_ws = 14") && e.contains("found 10"), e);
    }

    @Test
    void aMappingThatDoesNotStateItsLayersTakesTheSynthesizers(@TempDir Path dir) throws Exception {
        try (Mapping alone = Mapping.open(TEST_MODELS.resolve("odd/mapping_no_num_ws.onnx"), ONE_THREAD)) {
            assertEquals(-1, alone.layers());
            WCodes w = alone.sample(1, 3, 0.5);
            var e = assertThrows(IllegalStateException.class, w::wPlus);
            assertTrue(e.getMessage().contains("latentmotion.num_ws") && e.getMessage().contains("wPlus(layers)"), e.getMessage());
            assertArrayEquals(new long[] {1, 14, 512}, w.wPlus(14).shape());
        }
        try (Synthesizer s = Synthesizer.open(pair(dir, "odd/mapping_no_num_ws.onnx"), ONE_THREAD)) {
            assertEquals(14, s.mapping().sample(1, 3).wPlus().size(1));
        }
    }

    @Test
    void wrongMappingNetworksAreRefusedWithExpectedAndFound() {
        var kind = assertThrows(IllegalArgumentException.class,
                () -> Mapping.open(TEST_MODELS.resolve("odd/mapping_kind_synthesis.onnx"), ONE_THREAD));
        assertTrue(kind.getMessage().contains("expected metadata latentmotion.kind = \"mapping\", found \"synthesis\""),
                kind.getMessage());
        var three = assertThrows(IllegalArgumentException.class,
                () -> Mapping.open(TEST_MODELS.resolve("odd/mapping_three_outputs.onnx"), ONE_THREAD));
        assertTrue(three.getMessage().contains("expected two outputs, w [N, w_dim] and w_avg [w_dim]"), three.getMessage());
        var nan = assertThrows(IllegalArgumentException.class,
                () -> Mapping.open(TEST_MODELS.resolve("odd/mapping_nan_w_avg.onnx"), ONE_THREAD));
        assertTrue(nan.getMessage().contains("expected a finite w_avg, found NaN at channel 3"), nan.getMessage());
        var synth = assertThrows(IllegalArgumentException.class, () -> Mapping.open(L14.resolve("synthesis.onnx"), ONE_THREAD));
        assertTrue(synth.getMessage().contains("expected input 'w' of shape [N, z_dim]"), synth.getMessage());
    }

    @Test
    void showsItselfAndClosesWithTheSynthesizer() throws Exception {
        Synthesizer s = Synthesizer.open(L14.resolve("synthesis.onnx"), ONE_THREAD);
        Mapping m = s.mapping();
        MimeBundle b = Notebook.render(m);
        assertTrue(b.get(MimeBundle.HTML).contains("W+ layers L") && b.get(MimeBundle.HTML).contains("latentmotion.w_avg_source"),
                b.get(MimeBundle.HTML));
        assertTrue(Notebook.render(m.sample(2, 1, 0.7)).get(MimeBundle.TEXT).startsWith("WCodes[2 × 512, for L = 14"));
        s.close();
        assertThrows(IllegalStateException.class, () -> m.sample(1, 1));
    }

    @Test
    void anImageGridShowsRowsAndColumns() {
        BufferedImage[] pics = g.renderFrames(g.mapping().sample(6, 1, 0.7).wPlus());
        ImageGrid grid = ImageGrid.of(pics, 3).rowLabels("a", "b").columnLabels("1", "2", "3").scale(4);
        BufferedImage img = grid.image();
        assertTrue(img.getWidth() > 3 * 32 && img.getHeight() > 2 * 32, img.getWidth() + "×" + img.getHeight());
        assertTrue(Notebook.render(grid).has(MimeBundle.PNG));
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.of(pics, 3).rowLabels("only one"));
    }
}

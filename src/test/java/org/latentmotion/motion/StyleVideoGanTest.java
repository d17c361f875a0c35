package org.latentmotion.motion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentmotion.display.MimeBundle;
import org.latentmotion.display.Renderers;
import org.latentmotion.wplus.Trajectory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.factory.Nd4j;

/** Behaviour of the model: shapes, determinism, sampling lengths, save/load, copies, bad input. */
class StyleVideoGanTest {
    /** Small enough to run in a blink, with every part of the architecture present. */
    static StyleVideoGanConfig tiny() {
        return StyleVideoGanConfig.small().toBuilder().batch(4).windowLength(6).layers(3).width(8).latentDim(4)
                .hallucinatorWidth(6).mapperWidth(8).criticWidth(8).criticFeatures(4).criticChannels(3).build();
    }

    /** Windows with a mean, per-layer scales and a smooth motion. */
    static INDArray windows(StyleVideoGanConfig c, int b, long seed) {
        Random r = new Random(seed);
        INDArray x = Nd4j.create(DataType.FLOAT, b, c.windowLength(), c.layers(), c.width());
        for (int i = 0; i < b; i++) {
            double phase = r.nextDouble() * 6;
            for (int t = 0; t < c.windowLength(); t++) {
                for (int l = 0; l < c.layers(); l++) {
                    for (int d = 0; d < c.width(); d++) {
                        x.putScalar(new int[] {i, t, l, d}, 0.5 * d + (l + 1) * Math.sin(phase + 0.3 * t + d) + 0.01 * r.nextGaussian());
                    }
                }
            }
        }
        return x;
    }

    @Test
    void stepsReportFiguresAndCount() {
        StyleVideoGan gan = StyleVideoGan.create(tiny());
        StepStats c = gan.criticStep(windows(tiny(), 4, 1), 1);
        assertTrue(c.isFinite(true), c.toString());
        assertTrue(Double.isNaN(c.generatorLoss()));
        assertTrue(c.gradientPenalty() >= 0);
        StepStats g = gan.generatorStep(2);
        assertTrue(g.isFinite(false), g.toString());
        assertTrue(g.angle() > 0 && g.angle() < Math.PI / 2, g.toString());
        assertTrue(Double.isNaN(g.criticLoss()));
        assertEquals(2, gan.steps());
        assertTrue(gan.normalizationFitted());
    }

    @Test
    void weightGroupsAreTheFilesGeneratorAndEmaEntriesWithoutStatistics() {
        StyleVideoGan gan = StyleVideoGan.create(tiny().toBuilder().emaDecay(0.5).build());
        gan.criticStep(windows(tiny(), 4, 1), 1);
        gan.generatorStep(2);
        var raw = gan.generatorWeights();
        var avg = gan.emaWeights();
        var file = gan.parameters();
        assertEquals(raw.keySet(), avg.keySet());
        assertTrue(raw.keySet().stream().noneMatch(k -> k.contains("running_")), raw.keySet().toString());
        assertEquals(file.keySet().stream().filter(k -> k.startsWith("generator.") && !k.contains("running_")).count(), raw.size());
        double lag = 0;
        for (var e : raw.entrySet()) {
            assertEquals(file.get("generator." + e.getKey()), e.getValue(), e.getKey());
            assertEquals(file.get("ema." + e.getKey()), avg.get(e.getKey()), e.getKey());
            lag += e.getValue().sub(avg.get(e.getKey())).norm2Number().doubleValue();
        }
        assertTrue(lag > 0, "after a step with decay 0.5 the average trails the weights");
        raw.values().iterator().next().addi(1); // copies: the model is not changed through them
        assertEquals(file, gan.parameters());
    }

    /**
     * Training steps run in reused memory (nn.Scope.reusing): anything that outlives a step
     * (optimizer state and scratch, batch-norm and GAP statistics, EMA weights) must not be made
     * inside it. ND4J's SCOPE_PANIC mode fails any op that reads an array from a workspace that has
     * since been closed or reused, so later steps, sampling and saving would throw here.
     */
    @Test
    void nothingAStepLeavesBehindLivesInItsReusedMemory(@TempDir Path dir) {
        OpExecutioner.ProfilingMode before = Nd4j.getExecutioner().getProfilingMode();
        Nd4j.getExecutioner().setProfilingMode(OpExecutioner.ProfilingMode.SCOPE_PANIC);
        try {
            StyleVideoGan gan = StyleVideoGan.create(tiny());
            for (int k = 0; k < 3; k++) {
                gan.criticStep(windows(tiny(), 4, k), k);
                gan.generatorStep(10 + k);
            }
            gan.sample(8, 1);
            gan.save(dir.resolve("m.npz"));
            StyleVideoGan.load(dir.resolve("m.npz")).generatorStep(20);
        } finally {
            Nd4j.getExecutioner().setProfilingMode(before);
        }
    }

    @Test
    void sameSeedSameSampleAndAnyLength() {
        StyleVideoGan gan = StyleVideoGan.create(tiny());
        gan.criticStep(windows(tiny(), 4, 1), 1);
        gan.generatorStep(2);
        Trajectory a = gan.sample(25, 7);
        Trajectory b = gan.sample(25, 7);
        assertEquals(25, a.frames());
        assertEquals(3, a.layers());
        assertEquals(8, a.width());
        assertEquals(a.codes(), b.codes());
        assertNotEquals(a.codes(), gan.sample(25, 8).codes());
        Trajectory longOne = gan.sample(1500, 7);
        assertEquals(1500, longOne.frames());
        // a recurrent generator: the first 25 frames of a long sample are the short sample
        assertTrue(longOne.slice(0, 25).codes().equalsWithEps(a.codes(), 1e-5));
        assertTrue(Double.isFinite(longOne.codes().sumNumber().doubleValue()));
        assertEquals(1, gan.sample(1, 3).frames());
        assertEquals(25.0, a.fps());
    }

    @Test
    void samplesUseStatisticsEstimatedForTheAveragedWeights(@TempDir Path dir) {
        StyleVideoGan gan = StyleVideoGan.create(tiny());
        for (int k = 0; k < 3; k++) {
            gan.criticStep(windows(tiny(), 4, k), k);
            gan.generatorStep(10 + k);
        }
        // running statistics far from what the EMA weights produce (as averaging them with the
        // initial ones used to leave them): sampling must not divide its motion by them
        Map<String, INDArray> state = gan.state();
        state.get("ema.mapper.heads_bn.running_var").muli(1e4);
        Path file = dir.resolve("stale.npz");
        org.latentmotion.wplus.Npz.write(file, state);
        StyleVideoGan stale = StyleVideoGan.load(file);
        double fresh = spread(gan);
        double reloaded = spread(stale);
        assertTrue(fresh > 0.2, "standardised samples should spread like the batch-normalised heads (≈ 1), found " + fresh);
        assertEquals(fresh, reloaded, 1e-4 * fresh, "the stale running statistics were used for sampling");
    }

    /** Mean per-feature standard deviation of standardised frames of four samples. */
    private static double spread(StyleVideoGan gan) {
        int f = gan.layers() * gan.width();
        INDArray all = Nd4j.concat(0, gan.sample(40, 1).codes().reshape(40, f), gan.sample(40, 2).codes().reshape(40, f),
                gan.sample(40, 3).codes().reshape(40, f), gan.sample(40, 4).codes().reshape(40, f));
        return gan.standardize(all).std(0).meanNumber().doubleValue();
    }

    @Test
    void samplingMapsFramesInChunksWithoutChangingThem() {
        StyleVideoGan gan = StyleVideoGan.create(tiny());
        gan.criticStep(windows(tiny(), 4, 1), 1);
        gan.generatorStep(2);
        INDArray code = windows(tiny(), 1, 5).get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                org.nd4j.linalg.indexing.NDArrayIndex.point(0)).dup();
        for (INDArray first : new INDArray[] {null, code}) {
            Trajectory whole = gan.sample(100, 3, first, 1000);
            Trajectory chunked = gan.sample(100, 3, first, 7); // 14 chunks and a remainder of 2
            // float32 products of 7 or 100 rows may round differently (GEMM kernels block by rows): relative 1e-5
            double scale = whole.codes().amaxNumber().doubleValue();
            double diff = whole.codes().sub(chunked.codes()).amaxNumber().doubleValue();
            assertTrue(diff <= 1e-5 * scale, (first == null ? "unconditioned" : "conditioned") + ": max |difference| " + diff
                    + " for codes up to " + scale);
        }
    }

    @Test
    void firstCodeConditioningStartsThere() {
        StyleVideoGan gan = StyleVideoGan.create(tiny());
        gan.criticStep(windows(tiny(), 4, 1), 1);
        INDArray code = windows(tiny(), 1, 5).get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                org.nd4j.linalg.indexing.NDArrayIndex.point(0)).dup();
        Trajectory t = gan.sample(30, 4, code);
        assertTrue(t.frame(0).equalsWithEps(code, 1e-4), "first frame equals the code");
        assertEquals(30, t.frames());
        assertThrows(IllegalArgumentException.class, () -> gan.sample(30, 4, Nd4j.zeros(DataType.FLOAT, 2, 8)));
    }

    /** The tiny model working on the first 5 principal components of its 24-number frames. */
    static StyleVideoGanConfig tinyMotionSpace() {
        return tiny().toBuilder().motionComponents(5).build();
    }

    @Test
    void motionSpaceIsTheWhitenedPrincipalSubspaceOfTheTrainingFrames() {
        StyleVideoGanConfig c = tinyMotionSpace();
        StyleVideoGan gan = StyleVideoGan.create(c);
        INDArray real = windows(c, 16, 1);
        long n = real.size(0) * real.size(1);
        int f = c.layers() * c.width();
        gan.fitNormalization(real);
        INDArray frames = real.reshape('c', n, f).castTo(DataType.DOUBLE);
        INDArray std = gan.standardize(frames);
        assertArrayEquals(new long[] {n, 5}, std.shape());
        // independent truth: the exact eigendecomposition of the frames' covariance, in float64
        var exact = org.latentmotion.pca.LatentPca.fitExact(frames.castTo(DataType.FLOAT), 5);
        double floor = exact.sigma(0) * Standardization.WHITENING_FLOOR;
        for (int k = 0; k < 5; k++) {
            double spread = std.getColumn(k).std(true).getDouble(0);
            assertEquals(exact.sigma(k) / Math.max(exact.sigma(k), floor), spread, 1e-3, "component " + k + " spread");
        }
        // mapping back gives the frames' projection on the subspace (exact to float32 rounding)
        INDArray back = gan.destandardize(std.castTo(DataType.FLOAT)).castTo(DataType.DOUBLE);
        INDArray centred = frames.subRowVector(frames.mean(0));
        INDArray comps = exact.components().castTo(DataType.DOUBLE);
        INDArray projection = centred.mmul(comps.transpose()).mmul(comps).addRowVector(frames.mean(0));
        assertEquals(0, back.sub(projection).norm2Number().doubleValue() / projection.norm2Number().doubleValue(), 1e-4);
        // the networks read and write 5 numbers per frame
        assertArrayEquals(new long[] {c.mapperWidth(), 5}, gan.parameters().get("generator.mapper.heads.weight").shape());
        assertArrayEquals(new long[] {5, c.criticWidth()}, gan.parameters().get("critic.fc0.weight").shape());
        assertEquals(5, c.features());
    }

    @Test
    void motionSpaceModelsTrainSampleAndRoundTrip(@TempDir Path dir) {
        StyleVideoGanConfig c = tinyMotionSpace();
        StyleVideoGan gan = StyleVideoGan.create(c);
        INDArray real = windows(c, 8, 1);
        assertTrue(gan.criticStep(real, 1).isFinite(true));
        assertTrue(gan.generatorStep(2).isFinite(false));
        Trajectory t = gan.sample(40, 3);
        assertArrayEquals(new long[] {40, c.layers(), c.width()}, t.codes().shape());
        // a first code outside the subspace (another identity) is still where the sample starts
        INDArray code = windows(c, 1, 5).get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                org.nd4j.linalg.indexing.NDArrayIndex.point(0)).dup().addi(3.0);
        assertTrue(gan.sample(30, 4, code).frame(0).equalsWithEps(code, 1e-4), "first frame equals the code");
        Path file = dir.resolve("motion-space.npz");
        gan.save(file);
        StyleVideoGan loaded = StyleVideoGan.load(file);
        assertEquals(c, loaded.config());
        assertStatesEqual(gan.state(), loaded.state());
        assertEquals(gan.sample(40, 3).codes(), loaded.sample(40, 3).codes());
        var e = assertThrows(IllegalArgumentException.class,
                () -> StyleVideoGan.create(tiny().toBuilder().motionComponents(25).build()));
        assertTrue(e.getMessage().contains("motionComponents"), e.getMessage());
    }

    @Test
    void saveLoadRoundTripIsExactIncludingOptimizerState(@TempDir Path dir) {
        StyleVideoGan gan = StyleVideoGan.create(tiny());
        INDArray real = windows(tiny(), 4, 1);
        gan.criticStep(real, 1);
        gan.generatorStep(2);
        gan.dataSource("test windows");
        Path file = dir.resolve("gan.npz");
        gan.save(file);
        StyleVideoGan loaded = StyleVideoGan.load(file);
        assertEquals(gan.config(), loaded.config());
        assertEquals(gan.steps(), loaded.steps());
        assertEquals("test windows", loaded.dataSource());
        assertStatesEqual(gan.state(), loaded.state());
        // one more step on both: identical results (Adam moments and counters restored)
        StepStats a = gan.criticStep(real, 3);
        StepStats b = loaded.criticStep(real, 3);
        assertEquals(a, b);
        assertEquals(gan.generatorStep(4), loaded.generatorStep(4));
        assertStatesEqual(gan.state(), loaded.state());
        assertEquals(gan.sample(40, 1).codes(), loaded.sample(40, 1).codes());
    }

    @Test
    void copyIsDeep() {
        StyleVideoGan gan = StyleVideoGan.create(tiny());
        gan.criticStep(windows(tiny(), 4, 1), 1);
        StyleVideoGan copy = gan.copy();
        assertStatesEqual(gan.state(), copy.state());
        gan.generatorStep(5);
        assertNotEquals(gan.parameters().get("generator.mapper.heads.weight"), copy.parameters().get("generator.mapper.heads.weight"));
        assertEquals(1, copy.steps());
    }

    static void assertStatesEqual(Map<String, INDArray> a, Map<String, INDArray> b) {
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k).shape(), b.get(k).shape(), k);
            assertEquals(a.get(k), b.get(k), k);
        }
    }

    @Test
    void badInputIsRejectedBeforeWork(@TempDir Path dir) throws Exception {
        StyleVideoGan gan = StyleVideoGan.create(tiny());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> gan.criticStep(Nd4j.zeros(DataType.FLOAT, 4, 5, 3, 8), 1));
        assertTrue(e.getMessage().contains("[B ≥ 2, 6, 3, 8]") && e.getMessage().contains("[4, 5, 3, 8]"), e.getMessage());
        INDArray nan = windows(tiny(), 4, 1);
        nan.putScalar(3, Double.NaN);
        assertThrows(IllegalArgumentException.class, () -> gan.criticStep(nan, 1));
        assertEquals(0, gan.steps());
        assertThrows(IllegalArgumentException.class, () -> gan.sample(0, 1));
        Path other = dir.resolve("other.npz");
        org.latentmotion.wplus.Npz.write(other, Map.of("x", Nd4j.zeros(DataType.FLOAT, 2)));
        e = assertThrows(IllegalArgumentException.class, () -> StyleVideoGan.load(other));
        assertTrue(e.getMessage().contains("meta.config"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StyleVideoGanConfig.parse("latentDim=4\nhidden=5"));
        assertThrows(IllegalArgumentException.class, () -> tiny().toBuilder().batch(1).build());
        e = assertThrows(IllegalArgumentException.class, () -> tiny().toBuilder().trainingHorizon(3).build());
        assertTrue(e.getMessage().contains("trainingHorizon") && e.getMessage().contains("6"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> tiny().toBuilder().criticDifferences(true).build());
        assertTrue(e.getMessage().contains("motionComponents"), e.getMessage());
    }

    @Test
    void laterSettingsRoundTripAndOldFilesReadAsThePaper() {
        StyleVideoGanConfig c = StyleVideoGanConfig.laptop().toBuilder().mapperPixelNorm(false).build();
        assertEquals(c, StyleVideoGanConfig.parse(c.toProperties()));
        assertEquals(500, c.trainingHorizon());
        String before = StyleVideoGanConfig.small().toProperties().lines()
                .filter(l -> !l.startsWith("trainingHorizon=") && !l.startsWith("mapperPixelNorm=")
                        && !l.startsWith("noiseSmoothing="))
                .collect(java.util.stream.Collectors.joining("\n"));
        assertEquals(StyleVideoGanConfig.small(), StyleVideoGanConfig.parse(before), "a file from before these settings");
    }

    /** Windows from later in a sequence (training horizon): training runs, and a saved model resumes exactly. */
    @Test
    void aTrainingHorizonTrainsAndResumesExactly(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        horizonTrainsAndResumesExactly(tinyMotionSpace().toBuilder().criticDifferences(true).trainingHorizon(20).build(), dir);
    }

    /** The same with smooth step noise, whose windows continue the noise before them. */
    @Test
    void smoothNoiseTrainsAndResumesExactly(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        StyleVideoGanConfig c = tinyMotionSpace().toBuilder().criticDifferences(true).trainingHorizon(20).noiseSmoothing(8).build();
        assertEquals(c, StyleVideoGanConfig.parse(c.toProperties()));
        horizonTrainsAndResumesExactly(c, dir);
    }

    /**
     * Saved and loaded mid-run, a model continues as the one that kept running. In float64, so the
     * only difference left is the order in which ND4J's threads sum (a float32 run differed by 6e-4
     * once in a loaded CI run); a lost piece of state (noise position, Adam moments, whitening)
     * changes the losses in their leading digits, far above the 1e-9 allowed here.
     */
    private static void horizonTrainsAndResumesExactly(StyleVideoGanConfig config, java.nio.file.Path dir) {
        StyleVideoGanConfig c = config.toBuilder().float64(true).build();
        StyleVideoGan a = StyleVideoGan.create(c);
        INDArray real = windows(c, 4, 1);
        for (int k = 0; k < 6; k++) {
            a.criticStep(real, 10 + k);
            a.generatorStep(20 + k);
        }
        a.save(dir.resolve("a.npz"));
        StyleVideoGan b = StyleVideoGan.load(dir.resolve("a.npz"));
        for (int k = 6; k < 10; k++) {
            double critic = a.criticStep(real, 10 + k).criticLoss();
            assertEquals(critic, b.criticStep(real, 10 + k).criticLoss(), 1e-9 * Math.abs(critic));
            double generator = a.generatorStep(20 + k).generatorLoss();
            assertEquals(generator, b.generatorStep(20 + k).generatorLoss(), 1e-9 * Math.abs(generator));
        }
        assertTrue(a.changeWhiteningFitted());
        INDArray sample = a.sample(60, 3).codes();
        assertTrue(Double.isFinite(sample.sumNumber().doubleValue()));
        assertEquals(0, sample.sub(b.sample(60, 3).codes()).amaxNumber().doubleValue(), 1e-9 * sample.amaxNumber().doubleValue());
    }

    @Test
    void configRoundTripsThroughText() {
        StyleVideoGanConfig c = StyleVideoGanConfig.paper().toBuilder().seed(99).lambdaGap(3).build();
        assertEquals(c, StyleVideoGanConfig.parse(c.toProperties()));
        assertEquals(128, StyleVideoGanConfig.paper().batch());
        assertEquals(0.005, StyleVideoGanConfig.paper().lrGenerator());
        assertEquals(0.995, StyleVideoGanConfig.paper().emaDecay());
        assertEquals(350, StyleVideoGanConfig.paper().epochs());
        assertTrue(c.toString().contains("λ_GAP 3"), c.toString());
        assertThrows(IllegalArgumentException.class, () -> StyleVideoGanConfig.parse("bogus=1"));
        // a truncated file does not quietly become paper(): the missing settings are named
        String truncated = c.toProperties().lines().filter(l -> !l.startsWith("batch=") && !l.startsWith("seed="))
                .collect(java.util.stream.Collectors.joining("\n"));
        var e = assertThrows(IllegalArgumentException.class, () -> StyleVideoGanConfig.parse(truncated));
        assertTrue(e.getMessage().contains("missing [batch, seed]"), e.getMessage());
        // a file written before the later settings existed loads as what it was trained with
        String old = c.toProperties().lines().filter(l -> !l.startsWith("motionComponents=") && !l.startsWith("criticDifferences=")
                && !l.startsWith("kaimingInit=") && !l.startsWith("gruTimescale=")).collect(java.util.stream.Collectors.joining("\n"));
        assertEquals(c, StyleVideoGanConfig.parse(old));
    }

    @Test
    void workThatCannotFitInMemoryIsRefusedBeforeItStarts() {
        StyleVideoGan gan = StyleVideoGan.create(StyleVideoGanConfig.small());
        for (int frames : new int[] {20_000_000, Integer.MAX_VALUE}) {
            var e = assertThrows(IllegalArgumentException.class, () -> gan.sample(frames, 1));
            assertTrue(e.getMessage().startsWith("sample(" + frames + ") needs about") && e.getMessage().contains("shorter clips"),
                    e.getMessage());
        }
        StyleVideoGan huge = StyleVideoGan.create(StyleVideoGanConfig.small().toBuilder().batch(100_000).build());
        var windows = org.latentmotion.toy.ToyWorld.talkingHead().actor(1).minutes(0.1).generate().windows(25);
        var e = assertThrows(IllegalArgumentException.class, () -> Trainer.of(huge, windows).maxSteps(1).live(false).fit());
        assertTrue(e.getMessage().contains("batch 100000") && e.getMessage().contains("smaller batch"), e.getMessage());
        assertEquals(0, huge.steps(), "nothing was trained");
    }

    @Test
    void nonFiniteSettingsAreRefusedBeforeTraining() {
        var b = StyleVideoGanConfig.small().toBuilder();
        for (Runnable bad : List.<Runnable>of(() -> b.learningRate(Double.POSITIVE_INFINITY).build(),
                () -> b.learningRate(0.005).lrCritic(Double.NaN).build(),
                () -> b.learningRate(0.005).lambdaGp(Double.POSITIVE_INFINITY).build(),
                () -> b.lambdaGp(50).fps(Double.POSITIVE_INFINITY).build())) {
            var e = assertThrows(IllegalArgumentException.class, bad::run);
            assertTrue(e.getMessage().contains("finite"), e.getMessage());
        }
    }

    @Test
    void displaysItself() {
        StyleVideoGan gan = StyleVideoGan.create(tiny());
        MimeBundle b = Renderers.render(gan, MimeBundle.TEXT, MimeBundle.HTML);
        assertTrue(b.get(MimeBundle.TEXT).startsWith("StyleVideoGan["), b.get(MimeBundle.TEXT));
        assertTrue(b.get(MimeBundle.HTML).contains("critic"));
        // the parameter counts the display shows are the ones toString() gives
        String[] counts = gan.toString().replaceAll("^StyleVideoGan\\[(\\S+) params G, (\\S+) params C.*$", "$1 $2").split(" ");
        assertTrue(b.get(MimeBundle.HTML).contains("<td>generator (H, P, T)</td><td>" + counts[0] + "</td>"), b.get(MimeBundle.HTML));
        assertTrue(b.get(MimeBundle.HTML).contains("<td>critic (E + temporal conv)</td><td>" + counts[1] + "</td>"), b.get(MimeBundle.HTML));
    }

    @Test
    void paperArchitectureHasTheTablesSizes() {
        StyleVideoGan gan = StyleVideoGan.create(StyleVideoGanConfig.paper());
        Map<String, INDArray> p = gan.parameters();
        assertArrayEquals(new long[] {32, 96}, p.get("generator.hallucinator.fc0.weight").shape());
        assertArrayEquals(new long[] {96, 96}, p.get("generator.hallucinator.fc3.weight").shape());
        assertArrayEquals(new long[] {32, 96}, p.get("generator.producer.gru3.weight_hh").shape());
        assertArrayEquals(new long[] {32, 512}, p.get("generator.mapper.affine_in.weight").shape());
        assertArrayEquals(new long[] {512, 18 * 512}, p.get("generator.mapper.heads.weight").shape());
        assertArrayEquals(new long[] {18 * 512, 512}, p.get("critic.fc0.weight").shape());
        assertArrayEquals(new long[] {64, 32}, p.get("critic.fc5.weight").shape());
        // temporal critic: 25 → 12 → 6 → 3 → 1
        assertArrayEquals(new long[] {4 * 32, 64}, p.get("critic.conv0.weight").shape());
        assertArrayEquals(new long[] {4 * 128, 256}, p.get("critic.conv2.weight").shape());
        assertArrayEquals(new long[] {3 * 256, 1}, p.get("critic.conv3.weight").shape());
        assertTrue(Files.exists(Path.of(".")));
    }
}

package org.latentmotion.motion.styleganv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentmotion.motion.ModelTypes;
import org.latentmotion.wplus.Trajectory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** StyleGanV's API: config text, files, sampling at any length and frame rate, and the errors bad input gets. */
class StyleGanVTest {

    static StyleGanVConfig tiny() {
        return StyleGanVConfig.laptop().toBuilder().batch(4).windowLength(8).layers(3).width(8).components(4)
                .motionDim(5).motionKernel(3).codeDistance(4).embeddingFeatures(3).maxPeriod(64).maxTimeOffset(100)
                .generatorHidden(6).criticHidden(5).gapEmbedding(3).maxGap(7).contentBank(3).seed(5).build();
    }

    static INDArray windows(StyleGanVConfig c, int b, long seed) {
        Random r = new Random(seed);
        INDArray a = Nd4j.create(DataType.FLOAT, b, c.windowLength(), c.layers(), c.width());
        for (long k = 0; k < a.length(); k++) {
            a.putScalar(k, (float) r.nextGaussian());
        }
        return a;
    }

    static StyleGanV trainedTiny() {
        StyleGanVConfig c = tiny();
        StyleGanV model = StyleGanV.create(c);
        INDArray real = windows(c, 4, 1);
        model.criticStep(real, 1);
        model.generatorStep(real, 2);
        return model;
    }

    private static double[] values(INDArray a) {
        return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    @Test
    void configTextRoundTripsAndPresetsSayWhatTheyAre() {
        for (StyleGanVConfig c : new StyleGanVConfig[] {StyleGanVConfig.paper(), StyleGanVConfig.laptop(), tiny()}) {
            assertEquals(c, StyleGanVConfig.parse(c.toProperties()));
        }
        StyleGanVConfig p = StyleGanVConfig.paper();
        assertEquals(16, p.codeDistance());
        assertEquals(11, p.motionKernel());
        assertEquals(256, p.embeddingFeatures());
        assertEquals(3, p.framesPerClip());
        assertEquals(32, p.maxGap());
        assertEquals(0.0025, p.lrGenerator());
        assertEquals(20, p.extraCodes());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> StyleGanVConfig.parse(p.toProperties() + "bogus=1\n"));
        assertTrue(unknown.getMessage().contains("bogus"), unknown.getMessage());
        IllegalArgumentException frames = assertThrows(IllegalArgumentException.class,
                () -> p.toBuilder().framesPerClip(1).build());
        assertTrue(frames.getMessage().contains("framesPerClip") && frames.getMessage().contains("1"), frames.getMessage());
        IllegalArgumentException gap = assertThrows(IllegalArgumentException.class,
                () -> p.toBuilder().framesPerClip(3).maxGap(1).build());
        assertTrue(gap.getMessage().contains("maxGap") && gap.getMessage().contains("2"), gap.getMessage());
        IllegalArgumentException fps = assertThrows(IllegalArgumentException.class, () -> p.toBuilder().fps(0).build());
        assertTrue(fps.getMessage().contains("fps"), fps.getMessage());
    }

    @Test
    void samplesAnyLengthStartingAtTheContentCode() {
        StyleGanV model = trainedTiny();
        StyleGanVConfig c = model.config();
        Trajectory t = model.sample(1500, 9);
        assertEquals(1500, t.frames());
        assertEquals(c.fps(), t.fps());
        double[] v = values(t.codes());
        for (double x : v) {
            assertTrue(Double.isFinite(x));
        }
        INDArray code = windows(c, 1, 3).get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                org.nd4j.linalg.indexing.NDArrayIndex.point(0)).dup();
        Trajectory a = model.animate(code, 2.0, 25, 4);
        assertEquals(50, a.frames());
        assertArrayEquals(values(code), java.util.Arrays.copyOf(values(a.codes()), c.layers() * c.width()), 1e-5,
                "frame 0 is the content code");
        double moved = 0;
        double[] av = values(a.codes());
        int f = c.layers() * c.width();
        for (int k = 0; k < f; k++) {
            moved += Math.abs(av[49 * f + k] - av[k]);
        }
        assertTrue(moved > 1e-4, "the motion moves the code: " + moved);
        // the same seed: a longer sample begins with the shorter one
        double[] shortOne = values(model.sample(40, 9).codes());
        assertArrayEquals(shortOne, java.util.Arrays.copyOf(v, shortOne.length), 1e-6);
    }

    @Test
    void theSameSeedAtFiveTimesTheFrameRateIsSlowMotionOfTheSameSample() {
        StyleGanV model = trainedTiny();
        int f = model.config().layers() * model.config().width();
        Trajectory normal = model.sample(4.0, 25, 11);
        Trajectory slow = model.sample(4.0, 125, 11);
        assertEquals(100, normal.frames());
        assertEquals(500, slow.frames());
        assertEquals(125, slow.fps());
        double[] n = values(normal.codes());
        double[] s = values(slow.codes());
        double between = 0;
        for (int j = 0; j < 100; j++) {
            for (int k = 0; k < f; k++) {
                assertEquals(n[j * f + k], s[5 * j * f + k], 1e-5, "frame " + j + " at 25 fps vs frame " + 5 * j
                        + " at 125 fps, number " + k);
            }
            if (j < 99) {
                for (int k = 0; k < f; k++) { // frames between are in between, not copies
                    between += Math.abs(s[(5 * j + 2) * f + k] - s[5 * j * f + k]);
                }
            }
        }
        assertTrue(between > 1e-4, "the frames between move: " + between);
    }

    @Test
    void saveLoadAndTypeRoundTripTheSamples(@TempDir Path dir) {
        StyleGanV model = trainedTiny();
        Path file = dir.resolve("sgv.npz");
        model.save(file);
        StyleGanV loaded = StyleGanV.load(file);
        assertEquals(model.config(), loaded.config());
        assertEquals(1, loaded.criticSteps());
        assertEquals(1, loaded.generatorSteps());
        assertArrayEquals(values(model.sample(60, 3).codes()), values(loaded.sample(60, 3).codes()), 0);
        assertEquals("StyleGanV", ModelTypes.named("StyleGanV").name());
        StyleGanV viaType = (StyleGanV) ModelTypes.named("StyleGanV").load(file);
        assertArrayEquals(values(model.sample(20, 4).codes()), values(viaType.sample(20, 4).codes()), 0);
        StyleGanV copy = model.copy();
        model.criticStep(windows(model.config(), 4, 8), 3);
        copy.restore(model);
        assertEquals(2, copy.criticSteps());
    }

    @Test
    void badInputGetsErrorsThatSayWhatWasExpected() {
        StyleGanVConfig c = tiny();
        StyleGanV fresh = StyleGanV.create(c);
        IllegalStateException unprepared = assertThrows(IllegalStateException.class, () -> fresh.sample(10, 1));
        assertTrue(unprepared.getMessage().contains("prepare"), unprepared.getMessage());
        INDArray wrongLayers = Nd4j.zeros(DataType.FLOAT, 2, c.windowLength(), c.layers() + 1, c.width());
        IllegalArgumentException layers = assertThrows(IllegalArgumentException.class,
                () -> fresh.criticStep(wrongLayers, 1));
        assertTrue(layers.getMessage().contains("[B, 8, 3, 8]") && layers.getMessage().contains("[2, 8, 4, 8]"),
                layers.getMessage());
        StyleGanV model = trainedTiny();
        for (double fps : new double[] {0, -25, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.sample(2.0, fps, 1));
            assertTrue(e.getMessage().contains("frame rate") && e.getMessage().contains(String.valueOf(fps)),
                    e.getMessage());
        }
        for (double seconds : new double[] {0, -1, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.sample(seconds, 25, 1));
            assertTrue(e.getMessage().contains("seconds") && e.getMessage().contains(String.valueOf(seconds)),
                    e.getMessage());
        }
        IllegalArgumentException length = assertThrows(IllegalArgumentException.class, () -> model.sample(0, 1));
        assertTrue(length.getMessage().contains("at least 1 frame"), length.getMessage());
        IllegalArgumentException code = assertThrows(IllegalArgumentException.class,
                () -> model.animate(Nd4j.zeros(DataType.FLOAT, c.layers() + 1, c.width()), 1.0, 25, 1));
        assertTrue(code.getMessage().contains("[3, 8]") && code.getMessage().contains("[4, 8]"), code.getMessage());
        IllegalArgumentException restore = assertThrows(IllegalArgumentException.class,
                () -> model.restore(StyleGanV.create(c.toBuilder().seed(6).build())));
        assertTrue(restore.getMessage().contains("config"), restore.getMessage());
    }
}

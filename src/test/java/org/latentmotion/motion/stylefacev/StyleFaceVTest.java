package org.latentmotion.motion.stylefacev;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentmotion.motion.ModelTypes;
import org.latentmotion.motion.Trainer;
import org.latentmotion.wplus.Trajectory;
import org.latentmotion.wplus.TrajectorySet;
import org.latentmotion.wplus.Windows;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** StyleFaceV's API: config text, presets, files, copies, sampling any length, driving an identity, and the errors bad input gets. */
class StyleFaceVTest {
    @TempDir
    Path dir;

    private static StyleFaceV trained() {
        StyleFaceVConfig c = StyleFaceVTrainerTest.config();
        StyleFaceV model = StyleFaceV.create(c, new FirstNumbersKeypoints(0));
        Trainer.of(model, StyleFaceVTrainerTest.data(c)).seed(2).maxSteps(7).live(false).fit();
        return model;
    }

    @Test
    void configTextRoundTripsAndPresetsSayWhatTheyAre() {
        for (StyleFaceVConfig c : new StyleFaceVConfig[] {StyleFaceVConfig.paper(), StyleFaceVConfig.laptop(),
                StyleFaceVTrainerTest.config()}) {
            assertEquals(c, StyleFaceVConfig.parse(c.toProperties()));
        }
        StyleFaceVConfig p = StyleFaceVConfig.paper();
        assertEquals(30, p.windowLength());
        assertEquals(0.2, p.alpha());
        assertEquals(10, p.lambdaGp());
        assertEquals(64, p.poseDim());
        assertEquals(1, p.stageOf(p.pretrainSteps() - 1));
        assertEquals(2, p.stageOf(p.pretrainSteps()));
        assertEquals(3, p.stageOf((long) p.pretrainSteps() + p.decompositionSteps()));
        assertThrows(IllegalArgumentException.class, () -> p.toBuilder().pairGap(30).build());
        assertThrows(IllegalArgumentException.class, () -> p.toBuilder().batch(1).build());
        assertTrue(ModelTypes.names().contains(StyleFaceV.TYPE_NAME), "registered through META-INF/services");
    }

    @Test
    void samplesAnyLengthKeepTheIdentityAndSaveLoadAndCopyExactly() {
        StyleFaceV model = trained();
        for (int n : new int[] {1, 2, 60}) {
            Trajectory t = model.sample(n, 3);
            assertEquals(n, t.frames());
            assertTrue(Double.isFinite(t.codes().sumNumber().doubleValue()));
        }
        // animate: frame 0 is the given code, later frames move only along the principal directions
        INDArray code = StyleFaceVTrainerTest.data(model.config()).source().clip(1).codes()
                .get(NDArrayIndex.point(4), NDArrayIndex.all(), NDArrayIndex.all()).dup();
        Trajectory a = model.animate(code, 40, 9);
        INDArray first = a.codes().get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.all());
        assertEquals(0, first.sub(code).amaxNumber().doubleValue(), 1e-6);
        INDArray moved = a.codes().get(NDArrayIndex.point(39), NDArrayIndex.all(), NDArrayIndex.all()).sub(code)
                .reshape(1, code.length()).castTo(DataType.DOUBLE);
        assertTrue(moved.norm2Number().doubleValue() > 0, "the sample moves");
        INDArray basis = model.basis().whiten(code.reshape(1, code.length())); // exercises the shared basis
        assertEquals(model.config().components(), basis.size(1));
        // reenact: as many frames as the driving clip
        Trajectory driving = StyleFaceVTrainerTest.data(model.config()).source().clip(0);
        assertEquals(driving.frames(), model.reenact(code, driving).frames());

        Path file = dir.resolve("facev.npz");
        model.save(file);
        StyleFaceV loaded = (StyleFaceV) ModelTypes.named(StyleFaceV.TYPE_NAME).load(file);
        assertArrayEquals(model.sample(25, 4).codes().dup('c').data().asFloat(), loaded.sample(25, 4).codes().dup('c').data().asFloat());
        assertArrayEquals(model.stageUpdates(), loaded.stageUpdates());
        assertEquals(model.keypoints(), loaded.keypoints());
        StyleFaceV copy = model.copy();
        assertArrayEquals(model.animate(code, 25, 5).codes().dup('c').data().asFloat(), copy.animate(code, 25, 5).codes().dup('c').data().asFloat());
        assertTrue(model.toString().contains("K=2"), model.toString());
    }

    /** A batch's key points are those of its windows' frames (Batch.windowIndices → Windows.position → clip rows). */
    @Test
    void keyPointsOfABatchAreThoseOfItsWindowsFrames() {
        StyleFaceVConfig c = StyleFaceVTrainerTest.config();
        Windows w = StyleFaceVTrainerTest.data(c);
        StyleFaceV model = StyleFaceV.create(c, new FirstNumbersKeypoints(0));
        model.prepare(w, "test");
        int[] picks = {w.size() - 1, 0, 13};
        for (int i : picks) {
            int[] pos = w.position(i);
            INDArray expected = w.source().clip(pos[0]).codes().get(NDArrayIndex.interval(pos[1], pos[1] + c.windowLength()),
                    NDArrayIndex.all(), NDArrayIndex.all());
            assertEquals(0, w.get(i).codes().sub(expected).amaxNumber().doubleValue(), 0.0, "window " + i);
        }
        INDArray all = w.source().allFrames().codes().get(NDArrayIndex.all(), NDArrayIndex.point(0),
                NDArrayIndex.interval(0, 4)).castTo(DataType.DOUBLE);
        INDArray mean = all.mean(0);
        INDArray std = all.std(false, 0);
        INDArray raw = w.batch(picks).get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(0),
                NDArrayIndex.interval(0, 4)).castTo(DataType.DOUBLE).reshape('c', (long) picks.length * c.windowLength(), 4);
        INDArray expected = raw.subRowVector(mean).divRowVector(std);
        INDArray got = model.labelsOf(picks);
        assertEquals(0, got.sub(expected).amaxNumber().doubleValue(), 1e-5);
        assertThrows(IndexOutOfBoundsException.class, () -> w.position(w.size()));
    }

    @Test
    void badInputGetsClearErrors() {
        StyleFaceVConfig c = StyleFaceVTrainerTest.config();
        Windows w = StyleFaceVTrainerTest.data(c);
        // wrong layer count
        StyleFaceVConfig otherLayers = c.toBuilder().layers(3).build();
        var e1 = assertThrows(IllegalArgumentException.class,
                () -> StyleFaceV.create(otherLayers, new FirstNumbersKeypoints(0)).prepare(w, "test"));
        assertTrue(e1.getMessage().contains("3 × 4") && e1.getMessage().contains("2 × 4"), e1.getMessage());
        // a reader that returns the wrong frame count
        var e2 = assertThrows(IllegalArgumentException.class,
                () -> StyleFaceV.create(c, new FirstNumbersKeypoints(1)).prepare(w, "test"));
        assertTrue(e2.getMessage().contains("[30, 2, 2]") && e2.getMessage().contains("[29, 2, 2]"), e2.getMessage());
        // a loaded model without a reader, on other data
        StyleFaceV model = StyleFaceV.create(c, new FirstNumbersKeypoints(0));
        model.prepare(w, "test");
        Path file = dir.resolve("m.npz");
        model.save(file);
        StyleFaceV loaded = StyleFaceV.load(file);
        loaded.prepare(w, "same data: no reader needed");
        Windows other = TrajectorySet.of("other", w.source().clip(0)).windows(c.windowLength());
        var e3 = assertThrows(IllegalStateException.class, () -> loaded.prepare(other, "other data"));
        assertTrue(e3.getMessage().contains("without a key-point reader"), e3.getMessage());
        // sampling
        assertThrows(IllegalStateException.class,
                () -> StyleFaceV.create(c, new FirstNumbersKeypoints(0)).sample(10, 1));
        var e4 = assertThrows(IllegalArgumentException.class, () -> model.animate(
                org.nd4j.linalg.factory.Nd4j.zeros(DataType.FLOAT, 3, 4), 10, 1));
        assertTrue(e4.getMessage().contains("[2, 4]"), e4.getMessage());
        assertThrows(IllegalArgumentException.class, () -> model.sample(0, 1));
        assertThrows(java.io.UncheckedIOException.class, () -> StyleFaceV.load(dir.resolve("missing.npz")));
    }
}

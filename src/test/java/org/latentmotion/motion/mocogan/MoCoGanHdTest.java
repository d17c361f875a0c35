package org.latentmotion.motion.mocogan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentmotion.wplus.Npz;
import org.latentmotion.wplus.Trajectory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** MoCoGanHd's API: config text, files, copies, sampling any length, and the errors bad input gets. */
class MoCoGanHdTest {

    static MoCoGanHdConfig tiny() {
        return MoCoGanHdConfig.laptop().toBuilder().batch(4).windowLength(8).layers(3).width(8).components(4).noiseDim(5)
                .hidden(6).criticChannels(3).contentBank(3).seed(5).build();
    }

    /** Random windows [b, t, L, D] with a slow drift per window, so the basis has directions that move. */
    static INDArray windows(MoCoGanHdConfig c, int b, long seed) {
        Random r = new Random(seed);
        INDArray a = Nd4j.create(DataType.FLOAT, b, c.windowLength(), c.layers(), c.width());
        for (long k = 0; k < a.length(); k++) {
            a.putScalar(k, (float) r.nextGaussian());
        }
        return a;
    }

    static MoCoGanHd trainedTiny() {
        MoCoGanHdConfig c = tiny();
        MoCoGanHd model = MoCoGanHd.create(c);
        INDArray real = windows(c, 4, 1);
        model.criticStep(real, 1);
        model.generatorStep(real, 2);
        return model;
    }

    @Test
    void configTextRoundTripsAndPresetsSayWhatTheyAre() {
        for (MoCoGanHdConfig c : new MoCoGanHdConfig[] {MoCoGanHdConfig.paper(), MoCoGanHdConfig.laptop(), tiny()}) {
            assertEquals(c, MoCoGanHdConfig.parse(c.toProperties()));
        }
        MoCoGanHdConfig p = MoCoGanHdConfig.paper();
        assertEquals(384, p.hidden());
        assertEquals(384, p.components());
        assertEquals(0.2, p.alpha());
        assertEquals(1e-4, p.lrGenerator());
        assertEquals(5, p.generatorSteps());
        assertEquals(64, p.criticChannelsAt(0));
        assertEquals(512, p.criticChannelsAt(3));
        assertTrue(p.toString().contains("384 components"), p.toString());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> MoCoGanHdConfig.parse(p.toProperties() + "bogus=1\n"));
        assertTrue(unknown.getMessage().contains("bogus"), unknown.getMessage());
        IllegalArgumentException alpha = assertThrows(IllegalArgumentException.class, () -> p.toBuilder().alpha(0).build());
        assertTrue(alpha.getMessage().contains("alpha") && alpha.getMessage().contains("0.0"), alpha.getMessage());
        IllegalArgumentException comps = assertThrows(IllegalArgumentException.class,
                () -> p.toBuilder().layers(1).width(8).components(9).build());
        assertTrue(comps.getMessage().contains("1 … 8") && comps.getMessage().contains("9"), comps.getMessage());
    }

    @Test
    void saveAndLoadRoundTripEveryArrayAndTheSamples(@TempDir Path dir) {
        MoCoGanHd model = trainedTiny().dataSource("unit test");
        Path file = dir.resolve("mocogan.npz");
        model.save(file);
        MoCoGanHd loaded = MoCoGanHd.load(file);
        assertEquals(model.config(), loaded.config());
        assertEquals(1, loaded.criticSteps());
        assertEquals(1, loaded.generatorSteps());
        assertEquals("unit test", loaded.dataSource());
        Map<String, INDArray> a = model.state();
        Map<String, INDArray> b = loaded.state();
        assertEquals(a.keySet(), b.keySet());
        a.forEach((k, v) -> assertEquals(v, b.get(k), k));
        Trajectory s1 = model.sample(30, 9);
        Trajectory s2 = loaded.sample(30, 9);
        assertEquals(s1.codes(), s2.codes());
        // training goes on identically from both
        INDArray real = windows(model.config(), 4, 3);
        assertEquals(model.criticStep(real, 4), loaded.criticStep(real, 4));
        assertEquals(model.generatorStep(real, 5), loaded.generatorStep(real, 5));
        assertEquals(model.sample(12, 1).codes(), loaded.sample(12, 1).codes());
    }

    @Test
    void copyIsDeepAndRestoreUndoesLaterSteps() {
        MoCoGanHd model = trainedTiny();
        MoCoGanHd copy = model.copy();
        INDArray before = model.sample(20, 3).codes();
        INDArray real = windows(model.config(), 4, 8);
        model.criticStep(real, 10);
        model.generatorStep(real, 11);
        assertNotEquals(before, model.sample(20, 3).codes(), "a generator step changes samples");
        assertEquals(before, copy.sample(20, 3).codes(), "the copy did not move");
        model.restore(copy);
        assertEquals(before, model.sample(20, 3).codes());
        assertEquals(copy.generatorSteps(), model.generatorSteps());
        MoCoGanHd other = MoCoGanHd.create(tiny().toBuilder().hidden(7).build());
        assertThrows(IllegalArgumentException.class, () -> model.restore(other));
    }

    @Test
    void samplesAnyLengthFromTheContentCodeTheyAreGiven() {
        MoCoGanHd model = trainedTiny();
        MoCoGanHdConfig c = model.config();
        INDArray code = windows(c, 1, 42).get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                org.nd4j.linalg.indexing.NDArrayIndex.point(0)).dup();
        for (int length : new int[] {1, 2, 37, 301}) {
            Trajectory t = model.sample(length, 7, code);
            assertEquals(length, t.frames());
            assertEquals(c.layers(), t.layers());
            assertEquals(0, t.frame(0).sub(code).amaxNumber().doubleValue(), 1e-5, "frame 0 is the content code");
            assertTrue(Double.isFinite(t.codes().sumNumber().doubleValue()));
        }
        assertEquals(model.sample(50, 7, code).codes(), model.sample(50, 7, code).codes(), "same seed, same sample");
        assertNotEquals(model.sample(50, 7, code).codes(), model.sample(50, 8, code).codes());
        // a flat [L·D] code works too, and the unconditioned sample starts at a bank frame
        assertEquals(model.sample(10, 7, code).codes(), model.sample(10, 7, code.reshape(code.length())).codes());
        Trajectory free = model.sample(10, 3);
        assertEquals(10, free.frames());
        // moving frames differ from the first only inside the principal directions: the residual lies in the basis
        INDArray move = model.sample(40, 1, code).codes().reshape(40, (long) c.layers() * c.width());
        INDArray delta = move.getRow(39).sub(move.getRow(0)).castTo(DataType.DOUBLE);
        INDArray basis = model.parameters().get("stats.basis").castTo(DataType.DOUBLE);
        INDArray inside = delta.reshape(1, delta.length()).mmul(basis.transpose()).mmul(basis);
        assertEquals(0, inside.reshape(delta.length()).sub(delta).amaxNumber().doubleValue(), 1e-4);
    }

    @Test
    void badInputIsRefusedWithWhatWasExpectedAndFound(@TempDir Path dir) throws Exception {
        MoCoGanHdConfig c = tiny();
        MoCoGanHd fresh = MoCoGanHd.create(c);
        IllegalStateException unprepared = assertThrows(IllegalStateException.class, () -> fresh.sample(10, 1));
        assertTrue(unprepared.getMessage().contains("prepare"), unprepared.getMessage());
        assertThrows(IllegalStateException.class, () -> fresh.generatorStep(windows(c, 4, 1), 1));
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> fresh.criticStep(Nd4j.zeros(DataType.FLOAT, 4, 7, c.layers(), c.width()), 1));
        assertTrue(shape.getMessage().contains("[B ≥ 2, 8, 3, 8]") && shape.getMessage().contains("[4, 7, 3, 8]"),
                shape.getMessage());
        assertThrows(IllegalArgumentException.class, () -> fresh.criticStep(windows(c, 1, 1), 1), "one window is no batch");
        INDArray nan = windows(c, 4, 1);
        nan.putScalar(5, Float.NaN);
        IllegalArgumentException finite = assertThrows(IllegalArgumentException.class, () -> fresh.criticStep(nan, 1));
        assertTrue(finite.getMessage().contains("NaN"), finite.getMessage());
        assertTrue(!fresh.prepared(), "nothing was fitted from the refused input");

        MoCoGanHd model = trainedTiny();
        IllegalArgumentException code = assertThrows(IllegalArgumentException.class,
                () -> model.sample(10, 1, Nd4j.zeros(DataType.FLOAT, 2, 8)));
        assertTrue(code.getMessage().contains("[3, 8]") && code.getMessage().contains("[2, 8]"), code.getMessage());
        IllegalArgumentException length = assertThrows(IllegalArgumentException.class, () -> model.sample(0, 1));
        assertTrue(length.getMessage().contains("found 0"), length.getMessage());

        Path foreign = dir.resolve("foreign.npz");
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        arrays.put("x", Nd4j.zeros(2));
        Npz.write(foreign, arrays);
        IllegalArgumentException notOurs = assertThrows(IllegalArgumentException.class, () -> MoCoGanHd.load(foreign));
        assertTrue(notOurs.getMessage().contains("not a MoCoGanHd file"), notOurs.getMessage());
        Path truncated = dir.resolve("truncated.npz");
        Map<String, INDArray> state = new LinkedHashMap<>(model.state());
        state.remove("generator.w");
        Npz.write(truncated, state);
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> MoCoGanHd.load(truncated));
        assertTrue(missing.getMessage().contains("generator.w"), missing.getMessage());
        assertTrue(Files.exists(truncated));
    }
}

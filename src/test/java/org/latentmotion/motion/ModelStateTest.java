package org.latentmotion.motion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentmotion.motion.mocogan.MoCoGanHd;
import org.latentmotion.motion.mocogan.MoCoGanHdConfig;
import org.latentmotion.nn.Adam;
import org.latentmotion.nn.ParameterSet;
import org.latentmotion.wplus.Npz;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** One declared layout serves a model's parameters, files, copies and restores, and refuses what does not fit it. */
class ModelStateTest {
    @TempDir
    Path dir;

    /** A two-part model: weights with an optimiser, and a statistics buffer. */
    private static final class Parts {
        final ParameterSet weights;
        final ParameterSet stats = new ParameterSet(DataType.DOUBLE, 0);
        final Adam adam;
        final ModelState state;

        Parts(long seed) {
            weights = new ParameterSet(DataType.DOUBLE, seed);
            weights.parameter("w", weights.uniform(1, 3, 2));
            stats.buffer("mean", stats.constant(0.5, 4));
            adam = new Adam(weights, 0.01, 0.9, 0.999, 1e-8);
            state = ModelState.of(MoCoGanHdConfig.laptop(), 2).parameters("net.", weights).parameters("stats.", stats)
                    .optimizer("adam.", adam);
        }
    }

    @Test
    void parametersListTheParametersAndFilesAddOptimisersConfigCountersAndSource() {
        Parts p = new Parts(1);
        assertEquals(java.util.List.of("net.w", "stats.mean"), java.util.List.copyOf(p.state.parameters().keySet()));
        Map<String, INDArray> file = p.state.write(new long[] {7, 3}, "actor 7");
        assertTrue(file.keySet().containsAll(java.util.List.of("net.w", "stats.mean", "adam.step", "adam.m.w", "adam.v.w",
                ModelFiles.CONFIG, ModelState.STEPS, ModelState.SOURCE)), file.keySet().toString());
        assertEquals(MoCoGanHdConfig.laptop(), MoCoGanHdConfig.parse(Npz.text(file.get(ModelFiles.CONFIG))));

        Parts q = new Parts(2);
        assertFalse(q.weights.parameters().get("w").value().equals(p.weights.parameters().get("w").value()));
        ModelState.Saved saved = q.state.read(file, "copy");
        assertArrayEquals(new long[] {7, 3}, saved.steps());
        assertEquals("actor 7", saved.source());
        assertEquals(p.weights.parameters().get("w").value(), q.weights.parameters().get("w").value());
    }

    @Test
    void aFileWithTheWrongCountersOrAMissingPartChangesNothingItCannotRead() {
        Parts p = new Parts(1);
        Map<String, INDArray> file = new java.util.LinkedHashMap<>(p.state.write(new long[] {1, 2}, ""));
        Parts q = new Parts(2);
        INDArray before = q.weights.parameters().get("w").value().dup();

        file.put(ModelState.STEPS, Nd4j.createFromArray(1L, 2L, 3L));
        var counters = assertThrows(IllegalArgumentException.class, () -> q.state.read(file, "a.npz"));
        assertEquals("a.npz: meta.steps must hold 2 step counters, found [3]", counters.getMessage());
        assertEquals(before, q.weights.parameters().get("w").value());

        file.put(ModelState.STEPS, Nd4j.createFromArray(1L, 2L));
        file.remove("net.w");
        var missing = assertThrows(IllegalArgumentException.class, () -> q.state.read(file, "b.npz"));
        assertTrue(missing.getMessage().startsWith("b.npz: ") && missing.getMessage().contains("net.w"), missing.getMessage());
        assertEquals(before, q.weights.parameters().get("w").value());
    }

    @Test
    void twoPartsCannotShareAPrefixAndCountersMustMatch() {
        Parts p = new Parts(1);
        assertThrows(IllegalArgumentException.class, () -> p.state.optimizer("net.", p.adam));
        assertThrows(IllegalArgumentException.class, () -> p.state.write(new long[] {1}, ""));
        assertThrows(IllegalArgumentException.class, () -> ModelState.of(MoCoGanHdConfig.laptop(), 0));
    }

    @Test
    void aModelsFileRoundTripsThroughItsLayout() {
        MoCoGanHd model = MoCoGanHd.create(MoCoGanHdConfig.laptop());
        Path file = dir.resolve("m.npz");
        model.save(file);
        MoCoGanHd back = MoCoGanHd.load(file);
        assertEquals(model.parameters().keySet(), back.parameters().keySet());
        model.parameters().forEach((k, v) -> assertEquals(v, back.parameters().get(k), k));
        assertEquals(model.state().keySet(), back.state().keySet());
    }
}

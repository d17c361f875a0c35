package org.latentmotion.motion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentmotion.wplus.Windows;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Checkpoints written before the training contract (format 1, {@code src/test/resources/motion/legacy},
 * see its README) still load and resume exactly, and StyleVideoGan trained through the contract
 * gives the numbers the old trainer gave. float64, compared to 1e-9 relative: what is left is
 * the order in which ND4J sums, while a changed seed, batch or lost piece of state changes the
 * losses in their leading digits.
 */
class LegacyCheckpointTest {
    private static final double REL = 1e-9;

    @TempDir
    Path dir;

    private static StyleVideoGanConfig config() {
        return TrainerTest.tiny().toBuilder().float64(true).build();
    }

    private Path resource(String name) throws IOException {
        Path out = dir.resolve(name);
        try (InputStream in = LegacyCheckpointTest.class.getResourceAsStream("/motion/legacy/" + name)) {
            assertTrue(in != null, "test resource motion/legacy/" + name);
            Files.copy(in, out);
        }
        return out;
    }

    /** The old trainer's history: column name → values over the 6 steps. */
    private Map<String, double[]> oldHistory() throws IOException {
        List<String> lines = Files.readAllLines(resource("full-history.csv"), StandardCharsets.UTF_8);
        String[] header = lines.get(0).split(",");
        Map<String, double[]> out = new java.util.LinkedHashMap<>();
        for (int c = 0; c < header.length; c++) {
            double[] v = new double[lines.size() - 1];
            for (int r = 1; r < lines.size(); r++) {
                v[r - 1] = Double.parseDouble(lines.get(r).split(",")[c]);
            }
            out.put(header[c], v);
        }
        return out;
    }

    private static void assertSameFigures(Map<String, double[]> expected, TrainingHistory h, String what) {
        assertSameFigures(expected, h, what, 0);
    }

    /** As above; {@code partialStep} (from 1; 0: none) averaged its critic figures over the critic steps after the resume only. */
    private static void assertSameFigures(Map<String, double[]> expected, TrainingHistory h, String what, int partialStep) {
        assertEquals(List.copyOf(expected.keySet()), h.columns(), what + ": columns");
        for (var e : expected.entrySet()) {
            if (e.getKey().equals("seconds")) {
                continue;
            }
            double[] found = h.column(e.getKey());
            assertEquals(e.getValue().length, found.length, what + ": rows");
            for (int i = 0; i < found.length; i++) {
                if (i + 1 == partialStep && List.of("critic", "wasserstein", "gp").contains(e.getKey())) {
                    continue;
                }
                double x = e.getValue()[i];
                assertEquals(x, found[i], REL * Math.abs(x), what + ": " + e.getKey() + " of step " + (i + 1));
            }
        }
    }

    /**
     * The checkpoints' first three steps were computed by the toolkit of bbef84c; since then the
     * GRU loops compute tanh from exp and the training window's backward in one fused node, equal
     * at rounding level, which Adam's normalised updates carry into the parameters' ninth digit
     * (7.5e-9 measured, on a bias of 0.018). A lost piece of state (moments, counters, noise position) moves
     * them in their leading digits.
     */
    private static final double PARAMETERS_REL = 1e-7;

    private static void assertCloseParameters(StyleVideoGan a, StyleVideoGan b) {
        Map<String, INDArray> pa = a.parameters();
        Map<String, INDArray> pb = b.parameters();
        assertEquals(pa.keySet(), pb.keySet());
        for (String k : pa.keySet()) {
            double[] x = pa.get(k).castTo(DataType.DOUBLE).data().asDouble();
            double[] y = pb.get(k).castTo(DataType.DOUBLE).data().asDouble();
            for (int i = 0; i < x.length; i++) {
                assertEquals(x[i], y[i], PARAMETERS_REL * Math.max(1, Math.abs(x[i])), "parameter " + k + "[" + i + "]");
            }
        }
    }

    @Test
    void theContractTrainsStyleVideoGanToTheOldTrainersNumbers() throws IOException {
        StyleVideoGan gan = StyleVideoGan.create(config());
        TrainingHistory h = Trainer.of(gan, TrainerTest.data()).seed(3).maxSteps(6).live(false).fit();
        assertSameFigures(oldHistory(), h, "uninterrupted run");
    }

    @Test
    void aFormatOneCheckpointAtAStepBoundaryResumesExactly() throws IOException {
        resumesExactly("step3.ckpt", 6);
    }

    @Test
    void aFormatOneCheckpointWrittenBetweenCriticStepsResumesExactly() throws IOException {
        resumesExactly("step3-critic7.ckpt", 7);
    }

    /**
     * Resumes {@code name} to 6 steps. After a mid-step checkpoint, step 4's critic figures are the
     * mean of the one critic step it still owed (as the old trainer's were); everything else,
     * and the model, must be what the uninterrupted run gives.
     */
    private void resumesExactly(String name, long batchesDone) throws IOException {
        Windows w = TrainerTest.data();
        Path ckpt = resource(name);
        Checkpoint c = Checkpoint.read(ckpt);
        assertEquals("StyleVideoGan", c.modelType());
        assertEquals(3, c.steps());
        assertEquals(batchesDone, c.state().batchesDone());
        assertEquals(3, c.history().size());

        Trainer<StyleVideoGan> resumed = Trainer.resume(ckpt, w, StyleVideoGan.class);
        assertEquals(3, resumed.stepsDone());
        TrainingHistory h = resumed.live(false).fit();
        assertEquals(TrainingHistory.Outcome.COMPLETED, h.outcome(), h.message());
        assertSameFigures(oldHistory(), h, name + " resumed", batchesDone == 6 ? 0 : 4);

        StyleVideoGan straight = StyleVideoGan.create(config());
        Trainer.of(straight, w).seed(3).maxSteps(6).live(false).fit();
        assertCloseParameters(straight, resumed.model());
        assertEquals(straight.criticSteps(), resumed.model().criticSteps());
        // what it wrote at the end is format 2, and reads back as the same run
        Checkpoint again = Checkpoint.read(ckpt);
        assertEquals(6, again.steps());
        assertEquals(12, again.state().batchesDone());
        assertEquals(h.columns(), again.history().columns());
    }
}

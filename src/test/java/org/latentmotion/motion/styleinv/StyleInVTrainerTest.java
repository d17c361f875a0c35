package org.latentmotion.motion.styleinv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentmotion.motion.Checkpoint;
import org.latentmotion.motion.Trainer;
import org.latentmotion.motion.TrainingHistory;
import org.latentmotion.motion.TrainingListener;
import org.latentmotion.wplus.Windows;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * StyleInV behind the shared training contract: the same Trainer, checkpoints and exact resume
 * (float64, 1e-9) as the other models, interrupted twice and resumed from the checkpoint alone
 * (found through META-INF/services).
 */
class StyleInVTrainerTest {
    static final List<String> FIGURES = List.of("critic", "generator", "r1", "latent", "scoreGap");

    @TempDir
    Path dir;

    private static double[] values(org.nd4j.linalg.api.ndarray.INDArray a) {
        return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    @Test
    void trainsThroughTheSharedTrainerAndResumesExactly() {
        StyleInVConfig c = StyleInVGradientTest.tiny64();
        Windows w = StyleInVTest.waves(c);
        StyleInV straight = StyleInV.create(c);
        TrainingHistory full = Trainer.of(straight, w).seed(3).maxSteps(6).live(false).fit();
        assertEquals(6, full.size());
        assertTrue(full.columns().containsAll(FIGURES), full.columns().toString());
        assertEquals(6, straight.criticSteps());
        assertEquals(6, straight.generatorSteps());
        for (int i = 0; i < 6; i++) {
            for (String name : FIGURES) {
                assertTrue(Double.isFinite(full.row(i).value(name)), full.row(i).toString());
            }
        }
        for (int stopAt : new int[] {2, 4}) {
            Path ckpt = dir.resolve("inv-" + stopAt + ".ckpt");
            StyleInV first = StyleInV.create(c);
            TrainingListener stop = (step, history) -> {
                if (step.step() == stopAt) {
                    Thread.currentThread().interrupt();
                }
            };
            TrainingHistory part = Trainer.of(first, w).seed(3).maxSteps(6).live(false).checkpointTo(ckpt)
                    .checkpointEvery(1).listener(stop).fit();
            assertEquals(TrainingHistory.Outcome.INTERRUPTED, part.outcome());
            assertEquals("StyleInV", Checkpoint.read(ckpt).modelType(), "found through META-INF/services");
            Trainer<StyleInV> resumed = Trainer.resume(ckpt, w, StyleInV.class);
            assertEquals(stopAt, resumed.stepsDone());
            TrainingHistory rest = resumed.live(false).fit();
            assertEquals(6, rest.size());
            for (int i = 0; i < 6; i++) {
                for (String name : FIGURES) {
                    double a = full.row(i).value(name);
                    double b = rest.row(i).value(name);
                    assertEquals(a, b, 1e-9 * Math.abs(a), name + " of step " + (i + 1) + " after resuming at " + stopAt);
                }
            }
            double[] expected = values(straight.sample(30, 7).codes());
            double[] got = values(resumed.model().sample(30, 7).codes());
            for (int k = 0; k < expected.length; k++) {
                assertEquals(expected[k], got[k], 1e-9 * (1 + Math.abs(expected[k])), "sample value " + k);
            }
            assertEquals(straight.generatorSteps(), resumed.model().generatorSteps());
        }
    }
}

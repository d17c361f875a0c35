package org.latentmotion.motion.stylefacev;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentmotion.motion.Checkpoint;
import org.latentmotion.motion.Trainer;
import org.latentmotion.motion.TrainingHistory;
import org.latentmotion.motion.TrainingListener;
import org.latentmotion.wplus.Trajectory;
import org.latentmotion.wplus.TrajectorySet;
import org.latentmotion.wplus.Windows;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * StyleFaceV behind the shared training contract: the same Trainer, checkpoints and exact resume
 * (float64, 1e-9) as the other models, interrupted inside each stage and at each stage boundary,
 * and resumed from the checkpoint alone (the key points travel with it, no reader needed).
 */
class StyleFaceVTrainerTest {
    static final List<String> FIGURES = List.of("loss", "keypoint", "reconstruction", "critic2d", "critic3d",
            "generator", "gp", "diversity", "stage");

    @TempDir
    Path dir;

    static StyleFaceVConfig config() {
        return StyleFaceVGradientTest.tiny64().toBuilder().batch(3).pretrainSteps(2).decompositionSteps(3).build();
    }

    /** Two clips of slow waves plus noise, windows of the config's length. */
    static Windows data(StyleFaceVConfig c) {
        Random r = new Random(4);
        int f = c.layers() * c.width();
        Trajectory[] clips = new Trajectory[2];
        for (int k = 0; k < 2; k++) {
            int frames = 30 + 7 * k;
            float[] v = new float[frames * f];
            for (int t = 0; t < frames; t++) {
                for (int j = 0; j < f; j++) {
                    v[t * f + j] = (float) (Math.sin(0.3 * t + j) + 0.05 * r.nextGaussian());
                }
            }
            clips[k] = Trajectory.of(v, frames, c.layers(), c.width(), 25, "waves " + k);
        }
        return TrajectorySet.of("stylefacev waves", clips).windows(c.windowLength());
    }

    private static double[] values(org.nd4j.linalg.api.ndarray.INDArray a) {
        return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    @Test
    void trainsEveryStageThroughTheSharedTrainerAndResumesExactlyAtEachBoundary() {
        StyleFaceVConfig c = config();
        Windows w = data(c);
        StyleFaceV straight = StyleFaceV.create(c, new FirstNumbersKeypoints(0));
        TrainingHistory full = Trainer.of(straight, w).seed(3).maxSteps(8).live(false).fit();
        assertEquals(8, full.size());
        assertEquals("step", full.columns().get(0));
        assertTrue(full.columns().containsAll(FIGURES), full.columns().toString());
        assertArrayEquals(new long[] {2, 3, 3}, straight.stageUpdates(), "every step of every stage updated");
        for (int i = 0; i < 8; i++) {
            int stage = c.stageOf(i);
            assertEquals(stage, full.row(i).value("stage"));
            assertTrue(Double.isFinite(full.row(i).value("loss")), full.row(i).toString());
            assertEquals(stage < 3, Double.isFinite(full.row(i).value("keypoint")), full.row(i).toString());
            assertEquals(stage == 2, Double.isFinite(full.row(i).value("reconstruction")), full.row(i).toString());
            assertEquals(stage == 3, Double.isFinite(full.row(i).value("gp")), full.row(i).toString());
        }
        // interrupted after steps 2 (end of stage 1), 5 (end of stage 2) and 6 (inside stage 3)
        for (int stopAt : new int[] {2, 5, 6}) {
            Path ckpt = dir.resolve("facev-" + stopAt + ".ckpt");
            StyleFaceV first = StyleFaceV.create(c, new FirstNumbersKeypoints(0));
            TrainingListener stop = (step, history) -> {
                if (step.step() == stopAt) {
                    Thread.currentThread().interrupt();
                }
            };
            TrainingHistory part = Trainer.of(first, w).seed(3).maxSteps(8).live(false).checkpointTo(ckpt)
                    .checkpointEvery(1).listener(stop).fit();
            assertEquals(TrainingHistory.Outcome.INTERRUPTED, part.outcome());
            assertEquals("StyleFaceV", Checkpoint.read(ckpt).modelType(), "found through META-INF/services");

            Trainer<StyleFaceV> resumed = Trainer.resume(ckpt, w, StyleFaceV.class);
            assertEquals(stopAt, resumed.stepsDone());
            TrainingHistory rest = resumed.live(false).fit();
            assertEquals(8, rest.size());
            for (int i = 0; i < 8; i++) {
                for (String name : FIGURES) {
                    double a = full.row(i).value(name);
                    double b = rest.row(i).value(name);
                    if (Double.isNaN(a)) {
                        assertTrue(Double.isNaN(b), name + " of step " + (i + 1) + " after resuming at " + stopAt);
                    } else {
                        assertEquals(a, b, 1e-9 * Math.abs(a), name + " of step " + (i + 1) + " after resuming at "
                                + stopAt);
                    }
                }
            }
            double[] expected = values(straight.sample(30, 7).codes());
            double[] got = values(resumed.model().sample(30, 7).codes());
            for (int k = 0; k < expected.length; k++) {
                assertEquals(expected[k], got[k], 1e-9 * (1 + Math.abs(expected[k])), "sample value " + k);
            }
            assertArrayEquals(straight.stageUpdates(), resumed.model().stageUpdates());
            assertEquals("first numbers (test)", resumed.model().keypointSource());
        }
    }
}

package org.latentmotion.motion.styleganv;

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

/** StyleGAN-V behind the shared training contract: the same Trainer, checkpoints and exact resume as the other models. */
class StyleGanVTrainerTest {
    @TempDir
    Path dir;

    private static StyleGanVConfig config() {
        return StyleGanVTest.tiny().toBuilder().float64(true).build();
    }

    /** Two clips of slow waves in [L, D] codes, windows of the config's length. */
    private static Windows data(StyleGanVConfig c) {
        Random r = new Random(4);
        int f = c.layers() * c.width();
        Trajectory[] clips = new Trajectory[2];
        for (int k = 0; k < 2; k++) {
            int frames = 40 + 7 * k;
            float[] v = new float[frames * f];
            for (int t = 0; t < frames; t++) {
                for (int j = 0; j < f; j++) {
                    v[t * f + j] = (float) (Math.sin(0.3 * t + j) + 0.05 * r.nextGaussian());
                }
            }
            clips[k] = Trajectory.of(v, frames, c.layers(), c.width(), 25, "waves " + k);
        }
        return TrajectorySet.of("styleganv waves", clips).windows(c.windowLength());
    }

    private static double[] values(org.nd4j.linalg.api.ndarray.INDArray a) {
        return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    @Test
    void trainsThroughTheSharedTrainerAndResumesExactly() {
        StyleGanVConfig c = config();
        Windows w = data(c);
        StyleGanV straight = StyleGanV.create(c);
        TrainingHistory full = Trainer.of(straight, w).seed(3).maxSteps(6).live(false).fit();
        assertEquals(6, full.size());
        assertEquals(List.of("step", "epoch", "critic", "generator", "r1", "scoreGap", "seconds"), full.columns());
        assertEquals(6, straight.criticSteps());
        assertEquals(6, straight.generatorSteps());
        for (int i = 0; i < 6; i++) {
            assertTrue(Double.isFinite(full.row(i).value("critic")) && Double.isFinite(full.row(i).value("generator")),
                    full.row(i).toString());
        }

        Path ckpt = dir.resolve("styleganv.ckpt");
        StyleGanV first = StyleGanV.create(c);
        TrainingListener stopAt3 = (step, history) -> {
            if (step.step() == 3) {
                Thread.currentThread().interrupt();
            }
        };
        TrainingHistory part = Trainer.of(first, w).seed(3).maxSteps(6).live(false).checkpointTo(ckpt).checkpointEvery(2)
                .listener(stopAt3).fit();
        assertEquals(TrainingHistory.Outcome.INTERRUPTED, part.outcome());
        assertEquals("StyleGanV", Checkpoint.read(ckpt).modelType(), "found through META-INF/services");

        Trainer<StyleGanV> resumed = Trainer.resume(ckpt, w, StyleGanV.class);
        assertEquals(3, resumed.stepsDone());
        TrainingHistory rest = resumed.live(false).fit();
        assertEquals(6, rest.size());
        for (int i = 0; i < 6; i++) {
            for (String name : List.of("critic", "generator", "r1", "scoreGap")) {
                double a = full.row(i).value(name);
                assertEquals(a, rest.row(i).value(name), 1e-9 * Math.abs(a), name + " of step " + (i + 1));
            }
        }
        double[] expected = values(straight.sample(30, 7).codes());
        double[] got = values(resumed.model().sample(30, 7).codes());
        for (int k = 0; k < expected.length; k++) {
            assertEquals(expected[k], got[k], 1e-9 * (1 + Math.abs(expected[k])), "sample value " + k);
        }
        assertArrayEquals(new long[] {straight.criticSteps(), straight.generatorSteps()},
                new long[] {resumed.model().criticSteps(), resumed.model().generatorSteps()});
    }
}

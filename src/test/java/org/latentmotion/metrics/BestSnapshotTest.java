package org.latentmotion.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.latentmotion.motion.StyleVideoGan;
import org.latentmotion.motion.StyleVideoGanConfig;
import org.latentmotion.motion.Trainer;
import org.latentmotion.motion.TrainingHistory;
import org.latentmotion.motion.TrainingListener;
import org.latentmotion.toy.TalkingHead;
import org.latentmotion.toy.ToyWorld;
import org.latentmotion.wplus.Trajectory;
import org.latentmotion.wplus.TrajectorySet;
import org.latentmotion.wplus.Windows;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The best-snapshot listener keeps a copy of the model exactly as it was at its best-scoring step (the same
 * weights as a second run stopped there), leaves the trained model at its last step, scores the end of a run
 * that ran out, not of one that was interrupted, and rejects what it cannot score before training starts.
 */
class BestSnapshotTest {
    static final int LAYERS = 3;
    static final int WIDTH = 8;

    static StyleVideoGanConfig tiny() {
        return StyleVideoGanConfig.small().toBuilder().batch(4).windowLength(6).layers(LAYERS).width(WIDTH).latentDim(4)
                .hallucinatorWidth(6).mapperWidth(8).criticWidth(8).criticFeatures(4).criticChannels(3).seed(3).build();
    }

    /** Two clips of a smooth random motion in a [3, 8] W+. */
    static TrajectorySet data() {
        Random r = new Random(7);
        List<Trajectory> clips = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            int frames = 60;
            float[] v = new float[frames * LAYERS * WIDTH];
            double[] phase = new double[LAYERS * WIDTH];
            for (int j = 0; j < phase.length; j++) {
                phase[j] = r.nextDouble() * 6.28;
            }
            for (int t = 0; t < frames; t++) {
                for (int j = 0; j < LAYERS * WIDTH; j++) {
                    v[t * LAYERS * WIDTH + j] = (float) (0.5 * Math.sin(0.2 * t + phase[j]) + 0.05 * r.nextGaussian());
                }
            }
            clips.add(Trajectory.of(v, frames, LAYERS, WIDTH, 25, "clip" + c));
        }
        return TrajectorySet.of("smooth", clips);
    }

    static Map<String, INDArray> weights(StyleVideoGan gan) {
        return gan.state();
    }

    @Test
    void keepsTheBestScoringStateAndLeavesTheModelAtItsLastStep() {
        Windows windows = data().windows(6);
        StyleVideoGan gan = StyleVideoGan.create(tiny());
        // lowest at generator step 6: scores at 2, 4, 6, 8, 10
        BestSnapshot<StyleVideoGan> best = BestSnapshot.by(gan, m -> Math.abs(m.generatorSteps() - 6.0)).from(2).every(2);
        Trainer.of(gan, windows).maxSteps(10).seed(4).live(false).listener(best).fit();

        assertEquals(List.of(2L, 4L, 6L, 8L, 10L), best.scores().stream().map(BestSnapshot.Score::step).toList());
        assertEquals(6, best.best().step());
        assertEquals(10, gan.generatorSteps(), "the trained model stays at its last step");
        StyleVideoGan kept = best.model();
        assertNotSame(gan, kept);
        assertEquals(6, kept.generatorSteps());

        // a second run stopped at step 6 has the kept copy's weights, optimiser state and statistics exactly
        StyleVideoGan again = StyleVideoGan.create(tiny());
        Trainer.of(again, windows).maxSteps(6).seed(4).live(false).fit();
        Map<String, INDArray> expected = weights(again);
        Map<String, INDArray> actual = weights(kept);
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((k, v) -> assertArrayEquals(v.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).dup('c').data()
                .asDouble(), actual.get(k).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).dup('c').data().asDouble(), 0.0, k));
        assertEquals(5, best.table().rowCount());
        assertTrue(best.table().booleanColumn("kept").get(2), best.table().print());
    }

    @Test
    void scoresTheEndOfARunThatRanOutButNotOfAnInterruptedOne() {
        Windows windows = data().windows(6);
        StyleVideoGan gan = StyleVideoGan.create(tiny());
        BestSnapshot<StyleVideoGan> best = BestSnapshot.by(gan, m -> -m.generatorSteps()).from(4).every(4);
        Trainer.of(gan, windows).maxSteps(9).seed(4).live(false).listener(best).fit();
        assertEquals(List.of(4L, 8L, 9L), best.scores().stream().map(BestSnapshot.Score::step).toList());
        assertEquals(9, best.best().step());

        StyleVideoGan stopped = StyleVideoGan.create(tiny());
        BestSnapshot<StyleVideoGan> partial = BestSnapshot.by(stopped, m -> -m.generatorSteps()).from(2).every(2);
        TrainingListener stopAt5 = (step, history) -> {
            if (step.step() == 5) {
                Thread.currentThread().interrupt();
            }
        };
        TrainingHistory h = Trainer.of(stopped, windows).maxSteps(9).seed(4).live(false).listener(partial)
                .listener(stopAt5).fit();
        assertEquals(TrainingHistory.Outcome.INTERRUPTED, h.outcome());
        assertEquals(List.of(2L, 4L), partial.scores().stream().map(BestSnapshot.Score::step).toList());

        // a run that throws is not scored at its end: the failure propagates as it was
        StyleVideoGan failing = StyleVideoGan.create(tiny());
        BestSnapshot<StyleVideoGan> untilFailure = BestSnapshot.by(failing, m -> -m.generatorSteps()).from(2).every(2);
        TrainingListener failAt5 = (step, history) -> {
            if (step.step() == 5) {
                throw new IllegalStateException("listener failed at step 5");
            }
        };
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> Trainer.of(failing, windows)
                .maxSteps(9).seed(4).live(false).listener(untilFailure).listener(failAt5).fit());
        assertEquals("listener failed at step 5", thrown.getMessage());
        assertEquals(List.of(2L, 4L), untilFailure.scores().stream().map(BestSnapshot.Score::step).toList());
    }

    @Test
    void aNanScoreIsNeverKeptAndNothingKeptSaysWhy() {
        StyleVideoGan gan = StyleVideoGan.create(tiny());
        BestSnapshot<StyleVideoGan> best = BestSnapshot.by(gan, m -> Double.NaN).every(3);
        IllegalStateException before = assertThrows(IllegalStateException.class, best::model);
        assertTrue(before.getMessage().contains("no snapshot scored yet") && before.getMessage().contains("step 3"),
                before.getMessage());
        Trainer.of(gan, data().windows(6)).maxSteps(3).seed(4).live(false).listener(best).fit();
        assertEquals(1, best.scores().size());
        IllegalStateException after = assertThrows(IllegalStateException.class, best::model);
        assertTrue(after.getMessage().contains("finite score"), after.getMessage());
    }

    @Test
    void rejectsWhatItCannotScoreBeforeTraining() {
        StyleVideoGan gan = StyleVideoGan.create(tiny());
        TalkingHead face = ToyWorld.talkingHead().actor(7).minutes(1).cuts(1).generate();
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> BestSnapshot.byClipFrechet(gan, face));
        assertTrue(shape.getMessage().contains("[3, 8]") && shape.getMessage().contains("[18, 512]"), shape.getMessage());
        IllegalArgumentException shortSamples = assertThrows(IllegalArgumentException.class,
                () -> BestSnapshot.byClipFrechet(gan, data(), 4, 10));
        assertTrue(shortSamples.getMessage().contains("10 frames") && shortSamples.getMessage().contains("25 frames"),
                shortSamples.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BestSnapshot.byClipFrechet(gan, data(), 0, 100));
        assertThrows(IllegalArgumentException.class, () -> BestSnapshot.by(gan, m -> 0).every(0));
        assertThrows(IllegalArgumentException.class, () -> BestSnapshot.by(gan, m -> 0).from(0));
    }

    @Test
    void theClipDistanceItKeepsIsTheKeptModelsOwn() {
        TrajectorySet real = data();
        StyleVideoGan gan = StyleVideoGan.create(tiny());
        BestSnapshot<StyleVideoGan> best = BestSnapshot.byClipFrechet(gan, real, 3, 40).from(2).every(2);
        Trainer.of(gan, real.windows(6)).maxSteps(6).seed(4).live(false).listener(best).fit();
        assertEquals(3, best.scores().size());
        double min = best.scores().stream().mapToDouble(BestSnapshot.Score::value).min().orElseThrow();
        assertEquals(min, best.best().value());
        // measured again, independently, on the copy: the same samples, so the same distance
        double again = LatentFrechet.of(real, 16).seed(5).clips(LearnsCheck.trajectories(best.model(), 3, 40));
        assertEquals(best.best().value(), again, 1e-9 * Math.max(1, again));
    }
}

package org.latentmotion.motion;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.latentmotion.display.Figures;
import org.latentmotion.toy.FaceParameters;
import org.latentmotion.toy.MotionStatistics;
import org.latentmotion.toy.TalkingHead;
import org.latentmotion.toy.ToyFace;
import org.latentmotion.toy.ToyWorld;
import org.latentmotion.wplus.Trajectory;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Does {@code small()} training learn the default world's motion? Trains on a 5-minute toy
 * talking head for a few minutes and compares blink rate and mouth rhythm of generated samples
 * (read back by the toy face's ground-truth decoder) with the ground truth, before and after.
 *
 * <p>Minutes of CPU, so not in the fast suite:
 * <pre>
 * mvn -o -Dlm.build=target-x test -Dtest=TrainerLearnsTest -Dlm.learns=true [-Dlm.learns.minutes=6]
 *     [-Dlm.learns.data=5 (minutes of toy video)] [-Dlm.learns.batch=small()'s]
 * </pre>
 * Prints the figures and writes them to {@code figures/learns-check.md}.
 */
class TrainerLearnsTest {

    static MotionStatistics samples(StyleVideoGan gan, int count, int frames) {
        List<FaceParameters> clips = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            Trajectory t = gan.sample(frames, 1000 + k);
            clips.add(ToyFace.decode(t));
        }
        return MotionStatistics.of(clips);
    }

    @Test
    @EnabledIfSystemProperty(named = "lm.learns", matches = "true")
    void smallTrainingMovesBlinkRateAndMouthRhythmTowardsTheTruth() throws Exception {
        double minutes = Double.parseDouble(System.getProperty("lm.learns.minutes", "6"));
        double dataMinutes = Double.parseDouble(System.getProperty("lm.learns.data", "5"));
        TalkingHead data = ToyWorld.talkingHead().actor(7).minutes(dataMinutes).generate();
        MotionStatistics truth = MotionStatistics.of(data);

        int batch = Integer.parseInt(System.getProperty("lm.learns.batch",
                Integer.toString(StyleVideoGanConfig.small().batch())));
        StyleVideoGanConfig config = StyleVideoGanConfig.small().toBuilder().batch(batch).build();
        StyleVideoGan gan = StyleVideoGan.create(config);
        // the same W+ standardisation the Trainer fits, so "untrained" differs only in the weights
        Trajectory all = data.allFrames();
        int keep = Math.min(all.frames(), 2048);
        long[] picks = new long[keep];
        for (int k = 0; k < keep; k++) {
            picks[k] = (long) k * all.frames() / keep;
        }
        gan.fitNormalization(all.codes().get(NDArrayIndex.indices(picks), NDArrayIndex.all(), NDArrayIndex.all()).dup('c'));
        int count = 8;
        int frames = 500; // 20 s each at 25 fps
        MotionStatistics before = samples(gan, count, frames);

        long deadline = System.nanoTime() + (long) (minutes * 60e9);
        TrainingHistory h = Trainer.of(gan, data.windows(25)).seed(1).listener((step, history) -> {
            if (step.step() % 10 == 0) {
                System.out.println(step);
            }
            if (System.nanoTime() > deadline) {
                Thread.currentThread().interrupt(); // the time budget ends the run at a step boundary
            }
        }).fit();
        MotionStatistics after = samples(gan, count, frames);

        double blinkBefore = Math.abs(before.blinksPerMinute() - truth.blinksPerMinute());
        double blinkAfter = Math.abs(after.blinksPerMinute() - truth.blinksPerMinute());
        double mouthBefore = Math.abs(before.mouthRhythmHz() - truth.mouthRhythmHz());
        double mouthAfter = Math.abs(after.mouthRhythmHz() - truth.mouthRhythmHz());
        String report = String.format(Locale.ROOT, String.join("\n",
                "# Does small() training learn the default world's motion?",
                "",
                "Data: %s. Config: small() with batch %d. Training: %s",
                "",
                "Samples: %d × %d frames from the EMA generator (seeds 1000…), read back with ToyFace.decode.",
                "",
                "| statistic | ground truth | untrained | trained | |untrained − truth| | |trained − truth| |",
                "|---|---|---|---|---|---|",
                "| blinks per minute | %.2f | %.2f | %.2f | %.2f | %.2f |",
                "| mouth rhythm (Hz) | %.3f | %.3f | %.3f | %.3f | %.3f |",
                "| mean blink (frames) | %.2f | %.2f | %.2f | | |",
                "| pose variance | %.4g | %.4g | %.4g | | |",
                "| pose speed | %.4g | %.4g | %.4g | | |",
                "",
                "Reproduce: `mvn -o -Dlm.build=target-x test -Dtest=TrainerLearnsTest -Dlm.learns=true -Dlm.learns.minutes=%s -Dlm.learns.data=%s -Dlm.learns.batch=%d`",
                ""),
                data, batch, h.headline(), count, frames,
                truth.blinksPerMinute(), before.blinksPerMinute(), after.blinksPerMinute(), blinkBefore, blinkAfter,
                truth.mouthRhythmHz(), before.mouthRhythmHz(), after.mouthRhythmHz(), mouthBefore, mouthAfter,
                truth.meanBlinkFrames(), before.meanBlinkFrames(), after.meanBlinkFrames(),
                truth.poseVariance(), before.poseVariance(), after.poseVariance(),
                truth.poseSpeed(), before.poseSpeed(), after.poseSpeed(), System.getProperty("lm.learns.minutes", "6"),
                System.getProperty("lm.learns.data", "5"), batch);
        System.out.println(report);
        Figures.writeAtomically(Figures.path("learns-check.md"), report.getBytes(StandardCharsets.UTF_8));
        assertTrue(blinkAfter < blinkBefore, "blink rate: trained " + blinkAfter + " vs untrained " + blinkBefore + " away from the truth");
        assertTrue(mouthAfter < mouthBefore, "mouth rhythm: trained " + mouthAfter + " vs untrained " + mouthBefore + " away from the truth");
    }
}

package org.latentmotion.motion;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.latentmotion.metrics.LearnsCheck;
import org.latentmotion.toy.MotionStatistics;
import org.latentmotion.toy.TalkingHead;
import org.latentmotion.toy.ToyWorld;

/**
 * The regression guard of issue 13 in every build: {@link StyleVideoGanConfig#laptop()}, trained
 * on the quickstart's data for a CI budget (1000 steps, two fifths of the quickstart's), must already
 * move like the actor on a scaled bar: the head no faster than twice the data's pose speed and not
 * frozen (a tenth of it), pose variance at least a tenth of the data's, blinks present, and the
 * mouth's opening spread within a factor of two. A change that brings back the shaking head (pose
 * speed 3–18 times the data's before the fix) or freezes the face fails here; the full ±25 % bar
 * lives in {@link TrainerLearnsTest}, which writes {@code figures/learns-check.md}.
 */
class LearnsMotionGuardTest {
    static final int STEPS = 1000;

    @Test
    void aCiBudgetOfLaptopAlreadyMovesLikeTheActorOnAScaledBar() {
        TalkingHead data = ToyWorld.talkingHead().actor(7).minutes(5).cuts(4).generate();
        StyleVideoGan gan = TrainerLearnsTest.train(data, 1, STEPS, Duration.ofMinutes(20));
        MotionStatistics real = data.statistics();
        MotionStatistics generated = LearnsCheck.samples(gan, 6, LearnsCheck.FRAMES);
        List<String> failures = new ArrayList<>();
        check(failures, "pose speed", generated.poseSpeed() / real.poseSpeed(), 0.1, 2.0);
        check(failures, "pose variance", generated.poseVariance() / real.poseVariance(), 0.1, 5.0);
        check(failures, "blinks per minute", generated.blinksPerMinute() / real.blinksPerMinute(), 0.2, 5.0);
        check(failures, "mouth opening std", generated.mouthOpenStd() / real.mouthOpenStd(), 0.5, 2.0);
        System.out.printf(Locale.ROOT, "laptop() after %d steps: pose speed %.2f, pose variance %.2f, blinks %.2f,"
                        + " mouth std %.2f of the data's%n", gan.generatorSteps(), generated.poseSpeed() / real.poseSpeed(),
                generated.poseVariance() / real.poseVariance(), generated.blinksPerMinute() / real.blinksPerMinute(),
                generated.mouthOpenStd() / real.mouthOpenStd());
        assertTrue(failures.isEmpty(), "after " + gan.generatorSteps() + " steps of laptop(): " + failures);
    }

    private static void check(List<String> failures, String name, double ratio, double low, double high) {
        if (!(ratio >= low && ratio <= high)) {
            failures.add(String.format(Locale.ROOT, "%s %.3f of the data's, expected %.2f–%.2f", name, ratio, low, high));
        }
    }
}

package org.latentmotion.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.latentmotion.motion.StyleVideoGanConfig;
import org.latentmotion.pca.LatentPca;
import org.latentmotion.toy.MotionStatistics;
import org.latentmotion.toy.TalkingHead;
import org.latentmotion.toy.ToyWorld;
import org.latentmotion.wplus.Trajectory;

/**
 * The ceiling of issue 13's learns check: the quickstart's data, projected onto {@code laptop()}'s motion
 * space (its first principal components) and read back, must keep every statistic of the check. Then a
 * generator that misses one has not learned it; the motion space did not take it away. Fewer components
 * do take some away (the head's pose), which shows the check can tell.
 */
class MotionSpaceCeilingTest {
    private static TalkingHead data;
    private static List<Trajectory> clips;
    private static MotionStatistics truth;

    @BeforeAll
    static void quickstartData() {
        data = ToyWorld.talkingHead().actor(7).minutes(5).cuts(4).generate();
        clips = new ArrayList<>();
        for (int c = 0; c < data.size(); c++) {
            clips.add(data.clip(c));
        }
        truth = data.statistics();
    }

    /** Every statistic of the projected data / the ground truth's. */
    private static double[] ratiosThrough(int components) {
        LatentPca pca = LatentPca.fit(data, components);
        List<Trajectory> projected = new ArrayList<>();
        for (Trajectory t : clips) {
            projected.add(pca.reconstruct(t));
        }
        MotionStatistics kept = LearnsCheck.statistics(projected);
        double[] ratios = new double[LearnsCheck.STATISTICS.size()];
        for (int s = 0; s < ratios.length; s++) {
            LearnsCheck.Statistic st = LearnsCheck.STATISTICS.get(s);
            ratios[s] = st.of(kept) / st.of(truth);
        }
        return ratios;
    }

    @Test
    void laptopMotionSpaceKeepsEveryStatistic() {
        int k = StyleVideoGanConfig.laptop().motionComponents();
        double[] ratios = ratiosThrough(k);
        for (int s = 0; s < ratios.length; s++) {
            String name = LearnsCheck.STATISTICS.get(s).name();
            assertTrue(Math.abs(ratios[s] - 1) <= 0.02, String.format(Locale.ROOT,
                    "%s through %d components: expected within 2 %% of the data's, found %.3f of it", name, k, ratios[s]));
        }
    }

    @Test
    void sixComponentsLoseSomeOfThePose() {
        double[] ratios = ratiosThrough(6);
        int pose = indexOf("pose variance (rad²)");
        assertTrue(ratios[pose] < 0.85, "pose variance through 6 components: expected < 0.85 of the data's, found " + ratios[pose]);
    }

    private static int indexOf(String name) {
        for (int s = 0; s < LearnsCheck.STATISTICS.size(); s++) {
            if (LearnsCheck.STATISTICS.get(s).name().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("no statistic " + name);
    }
}

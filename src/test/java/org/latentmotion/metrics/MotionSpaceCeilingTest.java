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
    private static MotionStatistics truth;

    @BeforeAll
    static void quickstartData() {
        data = ToyWorld.talkingHead().actor(7).minutes(5).cuts(4).generate();
        truth = data.statistics();
    }

    /** The statistics of the data's clips projected onto its first {@code components} principal components, decoded. */
    private static MotionStatistics through(int components) {
        LatentPca pca = LatentPca.fit(data, components);
        List<Trajectory> projected = new ArrayList<>();
        for (Trajectory t : data.clips()) {
            projected.add(pca.reconstruct(t));
        }
        return LearnsCheck.statistics(projected);
    }

    @Test
    void laptopMotionSpaceKeepsEveryStatistic() {
        int k = StyleVideoGanConfig.laptop().motionComponents();
        MotionStatistics kept = through(k);
        for (LearnsCheck.Statistic st : LearnsCheck.STATISTICS) {
            double ratio = st.of(kept) / st.of(truth);
            assertTrue(Math.abs(ratio - 1) <= 0.02, String.format(Locale.ROOT,
                    "%s through %d components: expected within 2 %% of the data's, found %.3f of it", st.name(), k, ratio));
        }
    }

    @Test
    void sixComponentsLoseSomeOfThePose() {
        double ratio = through(6).poseVariance() / truth.poseVariance();
        assertTrue(ratio < 0.85, "pose variance through 6 components: expected < 0.85 of the data's, found " + ratio);
    }
}

package org.latentmotion.toy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.latentmotion.display.MimeBundle;
import org.latentmotion.display.Renderers;
import org.latentmotion.wplus.Trajectory;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Talking-head trajectories: determinism, ground truth, and statistics of the generated motion
 * within the ranges the generator is designed for (human blink rate ~15-20/min at 100-150 ms,
 * syllables at 4-5 Hz, slow head sway).
 */
class ToyWorldTest {
    static TalkingHead head;

    @BeforeAll
    static void generate() {
        head = ToyWorld.talkingHead().actor(7).minutes(3).cuts(2).generate();
    }

    @Test
    void sameSeedGivesByteIdenticalTrajectoriesAndOtherSeedsDoNot() {
        TalkingHead a = ToyWorld.talkingHead().actor(11).seconds(12).cuts(1).generate();
        TalkingHead b = ToyWorld.talkingHead().actor(11).seconds(12).cuts(1).generate();
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.clip(i).codes().data().asFloat(), b.clip(i).codes().data().asFloat(), 0f);
        }
        TalkingHead c = ToyWorld.talkingHead().actor(11).seed(12).seconds(12).cuts(1).generate();
        assertFalse(java.util.Arrays.equals(a.clip(0).codes().data().asFloat(), c.clip(0).codes().data().asFloat()));
        assertArrayEquals(ToyWorld.randomActor(5).data().asFloat(), ToyWorld.randomActor(5).data().asFloat(), 0f);
        assertNotEquals(ToyWorld.randomActor(5).getDouble(0, 0), ToyWorld.randomActor(6).getDouble(0, 0));
    }

    @Test
    void shapeClipsAndGroundTruthBesideTheCodes() {
        assertEquals(3, head.size());
        assertEquals(3 * 60 * 25, head.totalFrames());
        assertEquals(18, head.layers());
        assertEquals(512, head.width());
        for (int i = 0; i < head.size(); i++) {
            Trajectory clip = head.clip(i);
            FaceParameters truth = head.groundTruth(i);
            assertEquals(clip.frames(), truth.frames());
            // the ground truth is what the model reads from these codes
            FaceParameters decoded = FaceCodec.decode(clip);
            assertArrayEquals(decoded.get("mouthOpen"), truth.get("mouthOpen"), 0);
        }
        // identity stays the actor's in every frame
        FaceParameters rest = FaceCodec.decode(head.identity(), 25);
        FaceParameters all = head.allGroundTruth();
        for (String n : FaceCodec.spec().names(FaceCodec.Kind.IDENTITY)) {
            for (double v : all.get(n)) {
                assertEquals(rest.get(n, 0), v, 1e-4, n);
            }
        }
    }

    @Test
    void jitterLivesOutsideTheParameterDirectionsAndIsSmall() {
        TalkingHead still = ToyWorld.talkingHead().actor(7).seconds(4).jitter(0).generate();
        TalkingHead noisy = ToyWorld.talkingHead().actor(7).seconds(4).generate();
        INDArray diff = noisy.clip(0).codes().sub(still.clip(0).codes());
        double rms = Math.sqrt(diff.mul(diff).meanNumber().doubleValue());
        assertEquals(0.03, rms, 0.003, "per-dimension jitter std");
        assertArrayEquals(FaceCodec.decode(still.clip(0)).get("eyeOpen"), FaceCodec.decode(noisy.clip(0)).get("eyeOpen"),
                1e-4);
    }

    @Test
    void blinkRateAndDurationAreHuman() {
        MotionStatistics s = head.statistics();
        // designed: 1.2 s refractory + exponential(2.3 s) => ~17 / min; 100-150 ms => 2-4 frames at 25 fps
        assertTrue(s.blinksPerMinute() > 12 && s.blinksPerMinute() < 23, s.toString());
        assertTrue(s.meanBlinkFrames() >= 1.5 && s.meanBlinkFrames() <= 4.0, s.toString());
    }

    @Test
    void mouthRhythmPeaksAtSyllableRate() {
        MotionStatistics s = head.statistics();
        assertTrue(s.mouthRhythmHz() > 3.8 && s.mouthRhythmHz() < 5.2, s.toString());
        assertTrue(s.mouthOpenStd() > 0.08, s.toString());
    }

    @Test
    void headSwaysSlowly() {
        MotionStatistics s = head.statistics();
        // yaw ~0.15 rad amplitude, pitch and roll smaller: variance ~0.01-0.05 rad², speed ~0.05-0.3 rad/s
        assertTrue(s.poseVariance() > 0.005 && s.poseVariance() < 0.08, s.toString());
        assertTrue(s.poseSpeed() > 0.03 && s.poseSpeed() < 0.4, s.toString());
    }

    @Test
    void statisticsSeeTheDifferenceOfAFrozenFace() {
        FaceParameters truth = head.groundTruth(0);
        FaceParameters frozen = FaceCodec.decode(head.clip(0).slice(0, 1).codes().repeat(0, 500), 25);
        MotionStatistics still = MotionStatistics.of(frozen);
        assertEquals(0, still.blinks());
        assertEquals(0, still.poseSpeed(), 1e-6);
        assertEquals(0, still.poseSway(), 1e-9);
        assertTrue(MotionStatistics.of(truth).poseSway() > 1e-3, "the actor's head sways");
        assertTrue(Double.isNaN(still.mouthRhythmHz()), "a still mouth has no rhythm");
        assertTrue(Double.isNaN(still.meanBlinkFrames()), "no blinks, no duration");
        var table = MotionStatistics.compare(MotionStatistics.of(truth), still);
        assertEquals(11, table.rowCount());
    }

    @Test
    void builderRejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> ToyWorld.talkingHead().seconds(-1));
        assertThrows(IllegalArgumentException.class, () -> ToyWorld.talkingHead().cuts(-1));
        assertThrows(IllegalArgumentException.class, () -> ToyWorld.talkingHead().fps(0));
        assertThrows(IllegalArgumentException.class, () -> ToyWorld.talkingHead().seconds(0.1).cuts(3).generate());
    }

    @Test
    void displaysItself() {
        MimeBundle b = Renderers.render(head, MimeBundle.TEXT, MimeBundle.HTML);
        assertTrue(b.get(MimeBundle.TEXT).contains("3 clips"), b.get(MimeBundle.TEXT));
        assertTrue(b.get(MimeBundle.HTML).contains("<img") && b.get(MimeBundle.HTML).contains("blinks per minute"));
    }
}

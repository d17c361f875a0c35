package org.latentmotion.toy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.latentmotion.wplus.Trajectory;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tech.tablesaw.api.Table;

/** MotionStatistics on signals whose answers are known by construction. */
class MotionStatisticsTest {
    static FaceParameters synthetic(int frames, double fps, double mouthHz, int[] blinkStarts, int blinkFrames,
            double yawAmp, double yawHz) {
        List<String> names = FaceCodec.spec().names();
        double[][] v = new double[names.size()][frames];
        for (int i = 0; i < names.size(); i++) {
            java.util.Arrays.fill(v[i], FaceCodec.spec().parameters().get(i).neutral());
        }
        double[] mouth = v[names.indexOf("mouthOpen")];
        double[] eye = v[names.indexOf("eyeOpen")];
        double[] yaw = v[names.indexOf("yaw")];
        for (int t = 0; t < frames; t++) {
            mouth[t] = 0.3 + 0.25 * Math.sin(2 * Math.PI * mouthHz * t / fps);
            eye[t] = 0.85;
            yaw[t] = yawAmp * Math.sin(2 * Math.PI * yawHz * t / fps);
        }
        for (int s : blinkStarts) {
            for (int k = 0; k < blinkFrames; k++) {
                eye[s + k] = 0.05;
            }
        }
        return new FaceParameters(names, v, fps);
    }

    static FaceParameters withYaw(FaceParameters p, double[] yaw) {
        List<String> names = p.names();
        double[][] v = new double[names.size()][];
        for (int i = 0; i < names.size(); i++) {
            v[i] = names.get(i).equals("yaw") ? yaw : p.get(names.get(i));
        }
        return new FaceParameters(names, v, p.fps());
    }

    @Test
    void knownRhythmBlinksAndSway() {
        int frames = 60 * 25; // one minute
        int[] blinks = new int[15];
        for (int i = 0; i < blinks.length; i++) {
            blinks[i] = 40 + i * 95;
        }
        FaceParameters p = synthetic(frames, 25, 4.3, blinks, 3, 0.2, 0.1);
        MotionStatistics s = MotionStatistics.of(p);
        assertEquals(15, s.blinks());
        assertEquals(15.0, s.blinksPerMinute(), 1e-9);
        assertEquals(3.0, s.meanBlinkFrames(), 1e-9);
        assertEquals(120.0, s.meanBlinkMillis(), 1e-9);
        assertEquals(4.3, s.mouthRhythmHz(), 0.05);
        // variance of A sin = A²/2 (whole periods: 6 of 10 s in 60 s); roll and pitch constant
        assertEquals(0.02, s.poseVariance(), 2e-4);
        // mean |d/dt A sin(ωt)| = A ω · 2/π
        assertEquals(0.2 * 2 * Math.PI * 0.1 * 2 / Math.PI, s.poseSpeed(), 2e-3);
        assertEquals(0.25 / Math.sqrt(2), s.mouthOpenStd(), 2e-3);
        // three 20-second pieces, each two whole periods: the same A²/2 within each
        assertEquals(0.02, s.poseSway(), 1e-9);
    }

    /** Heads that each hold still at their own pose: the pose varies across clips, but none sways. */
    @Test
    void headsHeldStillAtDifferentPosesHaveVarianceButNoSway() {
        List<FaceParameters> clips = new java.util.ArrayList<>();
        for (double yaw : new double[] {-0.2, -0.1, 0.1, 0.2}) {
            double[] still = new double[500];
            java.util.Arrays.fill(still, yaw);
            clips.add(withYaw(synthetic(500, 25, 4.3, new int[0], 3, 0, 0.1), still));
        }
        MotionStatistics s = MotionStatistics.of(clips);
        assertEquals(0.025, s.poseVariance(), 1e-12); // mean of yaw² over the four: (0.04 + 0.01) / 2
        assertEquals(0, s.poseSway(), 1e-12);

        // a 30-second clip: one 20-second piece (still), the moving rest is left out; a 10-second clip has none
        double[] yaw = new double[750];
        for (int t = 500; t < 750; t++) {
            yaw[t] = 0.3 * Math.sin(2 * Math.PI * 0.5 * t / 25);
        }
        FaceParameters longer = withYaw(synthetic(750, 25, 4.3, new int[0], 3, 0, 0.1), yaw);
        assertEquals(0, MotionStatistics.of(longer).poseSway(), 1e-12);
        assertTrue(MotionStatistics.of(longer).poseVariance() > 0.01);
        assertTrue(Double.isNaN(MotionStatistics.of(synthetic(250, 25, 4.3, new int[0], 3, 0.2, 0.1)).poseSway()));
    }

    @Test
    void blinksNeverCrossACutAndHysteresisDoesNotDoubleCount() {
        FaceParameters a = synthetic(300, 25, 4, new int[] {297}, 3, 0, 0.1);
        FaceParameters b = synthetic(300, 25, 4, new int[] {0}, 3, 0, 0.1);
        // a flicker inside one blink: 0.05, 0.47, 0.05 — above the shut threshold (0.45) but below
        // the reopening one (0.55), so still one blink
        FaceParameters c = synthetic(300, 25, 4, new int[] {100}, 3, 0, 0.1);
        double[][] raw = new double[c.names().size()][];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = c.get(c.names().get(i));
        }
        raw[c.names().indexOf("eyeOpen")][101] = 0.47;
        MotionStatistics flicker = MotionStatistics.of(new FaceParameters(c.names(), raw, 25));
        assertEquals(1, flicker.blinks());
        assertEquals(2, MotionStatistics.of(List.of(a, b)).blinks());
        // a blink at the start of one clip does not repeat one at the end of the clip before
        assertEquals(0.0, MotionStatistics.of(List.of(a, b)).repeatedBlinkFraction());
    }

    @Test
    void blinksSoonAfterTheLastReopeningAreRepeats() {
        // 3-frame blinks; the eyes reopen at 103 and 403: 110 starts 7 frames (0.28 s) later, 411 starts 8
        // later; 300 and 400 are far from any blink; 513 starts 10 frames (0.4 s) after 503, the limit
        MotionStatistics s = MotionStatistics.of(synthetic(750, 25, 4, new int[] {100, 110, 300, 400, 411, 500, 513},
                3, 0, 0.1));
        assertEquals(7, s.blinks());
        assertEquals(3.0 / 7, s.repeatedBlinkFraction(), 1e-12);
        MotionStatistics later = MotionStatistics.of(synthetic(750, 25, 4, new int[] {500, 514}, 3, 0, 0.1));
        assertEquals(0.0, later.repeatedBlinkFraction(), "11 frames after the reopening is not a repeat");
        assertTrue(Double.isNaN(MotionStatistics.of(synthetic(750, 25, 4, new int[0], 3, 0, 0.1))
                .repeatedBlinkFraction()), "no blinks: no fraction");
    }

    @Test
    void compareTableHasRealGeneratedAndRatio() {
        FaceParameters real = synthetic(1500, 25, 4.5, new int[] {100, 400, 900}, 3, 0.2, 0.1);
        FaceParameters gen = synthetic(1500, 25, 3.0, new int[] {100}, 5, 0.1, 0.1);
        Table t = MotionStatistics.compare(real, gen);
        assertEquals(11, t.rowCount());
        assertEquals(3.0, t.doubleColumn("real").get(0), 1e-9); // 3 blinks in one minute
        assertEquals(1.0 / 3.0, t.doubleColumn("generated / real").get(0), 1e-12);
        assertEquals(5.0, t.doubleColumn("generated").get(1), 1e-9);
        assertEquals(9.0 / 1500, t.doubleColumn("real").get(t.stringColumn("statistic")
                .indexOf("eyes shut (fraction of frames)")), 1e-12);
        // sways of 0.1 and 0.2 rad with whole periods in each 20 s: (0.1² / 2) / (0.2² / 2)
        assertEquals(0.25, t.doubleColumn("generated / real").get(t.stringColumn("statistic")
                .indexOf("pose sway within 20 s (rad²)")), 1e-9);
    }

    /**
     * Issue 17's teaching trap, made from the toy world: a talking head whose eyeOpen is pushed 5
     * down in the model's latent coordinate on every frame (what a naive offset to a shut-eyed
     * identity does). The eyes never open, but its lids still dip at every blink, so a detector
     * relative to the median opening counted the real blink rate. The statistics must say
     * "eyes shut", not "blinking normally".
     */
    @Test
    void aShutEyedClipDoesNotBlinkNormally() {
        TalkingHead head = ToyWorld.talkingHead().actor(7).seconds(60).generate();
        Trajectory real = head.clip(0);
        FaceCodec.Parameter eye = FaceCodec.spec().parameter("eyeOpen");
        double[] open = FaceCodec.decode(real).get("eyeOpen");
        INDArray[] frames = new INDArray[real.frames()];
        for (int t = 0; t < frames.length; t++) {
            double shut = eye.valueOf(eye.latentOf(open[t]) - 5);
            frames[t] = FaceCodec.set(real.frame(t), "eyeOpen", shut).reshape(1, real.layers(), real.width());
        }
        FaceParameters shutEyed = FaceCodec.decode(Trajectory.of(Nd4j.concat(0, frames), real.fps(), "shut-eyed"));
        MotionStatistics truth = MotionStatistics.of(FaceCodec.decode(real));
        MotionStatistics s = MotionStatistics.of(shutEyed);

        // the trap is real: relative to its own median, the shut-eyed clip dips as often as the real one blinks
        double[] e = shutEyed.get("eyeOpen");
        double median = java.util.Arrays.stream(e).sorted().toArray()[e.length / 2];
        assertTrue(median < 0.1, "eyes shut throughout, median opening " + median);
        int relativeDips = 0;
        boolean down = false;
        for (double v : e) {
            if (!down && v < 0.5 * median) {
                relativeDips++;
                down = true;
            } else if (down && v > 0.6 * median) {
                down = false;
            }
        }
        assertTrue(truth.blinks() > 8 && Math.abs(relativeDips - truth.blinks()) <= 2,
                "relative dips " + relativeDips + " vs real blinks " + truth.blinks());

        assertEquals(0, s.blinks(), s.toString());
        assertEquals(1.0, s.eyesShutFraction(), 1e-12);
        assertTrue(s.eyeOpenMean() < 0.1, s.toString());
        assertTrue(truth.eyesShutFraction() < 0.08 && truth.eyeOpenMean() > 0.75, truth.toString());
        Table t = MotionStatistics.compare(truth, s);
        int row = t.stringColumn("statistic").indexOf("eyes shut (fraction of frames)");
        assertEquals(1.0, t.doubleColumn("generated").get(row), 1e-12);
        assertEquals(0.0, t.doubleColumn("generated").get(t.stringColumn("statistic").indexOf("blinks per minute")));
        // the mouth was left alone: its rows agree
        assertEquals(truth.mouthShutFraction(), s.mouthShutFraction(), 1e-3);
    }

    @Test
    void longShutSpellsAreNotBlinksAndMouthPausesAreCounted() {
        // one 2-second closure and one 3-frame blink in a minute at 25 fps
        FaceParameters p = synthetic(1500, 25, 4, new int[] {100, 700}, 3, 0, 0.1);
        double[][] raw = new double[p.names().size()][];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = p.get(p.names().get(i));
        }
        double[] eye = raw[p.names().indexOf("eyeOpen")];
        java.util.Arrays.fill(eye, 700, 750, 0.05);
        double[] mouth = raw[p.names().indexOf("mouthOpen")];
        java.util.Arrays.fill(mouth, 0, 300, 0.03);
        MotionStatistics s = MotionStatistics.of(new FaceParameters(p.names(), raw, 25));
        assertEquals(1, s.blinks());
        assertEquals(3.0, s.meanBlinkFrames(), 1e-12);
        assertEquals(53.0 / 1500, s.eyesShutFraction(), 1e-12);
        // the sine 0.3 + 0.25 sin is below 0.1 for asin(-0.8)..: 0.2048 of a period; plus the 300 still frames
        double sineShut = 0.5 - Math.asin(0.8) / Math.PI;
        assertEquals((300 + sineShut * 1200) / 1500, s.mouthShutFraction(), 0.01);
    }

    @Test
    void tooShortInputsAreExplained() {
        assertThrows(IllegalArgumentException.class, () -> MotionStatistics.of(List.of()));
        FaceParameters one = synthetic(1, 25, 4, new int[0], 0, 0, 0.1);
        assertThrows(IllegalArgumentException.class, () -> MotionStatistics.of(one));
        FaceParameters shortClip = synthetic(100, 25, 4, new int[0], 0, 0, 0.1);
        assertTrue(Double.isNaN(MotionStatistics.of(shortClip).mouthRhythmHz()), "under one 256-frame window: NaN");
        assertThrows(IllegalArgumentException.class, () -> MotionStatistics.of(shortClip, 0));
    }
}

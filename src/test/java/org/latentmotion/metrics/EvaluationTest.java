package org.latentmotion.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentmotion.display.MimeBundle;
import org.latentmotion.display.Renderers;
import org.latentmotion.display.ReportFiles;
import org.latentmotion.motion.MotionModel;
import org.latentmotion.toy.TalkingHead;
import org.latentmotion.toy.ToyWorld;
import org.latentmotion.wplus.Trajectory;
import org.nd4j.linalg.factory.Nd4j;

/** The report on two stand-in models with known behaviour: one replays real motion, one loops. */
class EvaluationTest {

    /** Random stretches of another recording of the same actor: realistic motion that never repeats. */
    record Replay(TalkingHead source) implements MotionModel {
        public Trajectory sample(int length, long seed) {
            Trajectory clip = source.clip(0);
            int start = new SplittableRandom(seed).nextInt(clip.frames() - length + 1);
            return clip.slice(start, start + length);
        }

        public int layers() {
            return 18;
        }

        public int width() {
            return 512;
        }

        public double fps() {
            return 25;
        }
    }

    /** One second of real motion, played over and over. */
    record Looper(TalkingHead source) implements MotionModel {
        public Trajectory sample(int length, long seed) {
            Trajectory clip = source.clip(0);
            int start = new SplittableRandom(seed).nextInt(clip.frames() - 40);
            Trajectory piece = clip.slice(start, start + 40);
            int reps = (length + 39) / 40;
            return Trajectory.of(Nd4j.tile(piece.codes(), reps, 1, 1), 25, "loop").slice(0, length);
        }

        public int layers() {
            return 18;
        }

        public int width() {
            return 512;
        }

        public double fps() {
            return 25;
        }
    }

    @Test
    void reportSeparatesAReplayingAndALoopingModelAndSavesFigures(@TempDir Path dir) throws Exception {
        TalkingHead real = ToyWorld.talkingHead().actor(7).seed(1).seconds(36).generate();
        TalkingHead other = ToyWorld.talkingHead().actor(7).seed(2).seconds(36).generate();
        Map<String, List<MotionModel>> groups = new LinkedHashMap<>();
        groups.put("replay", List.of(new Replay(other)));
        groups.put("looper", List.of(new Looper(other)));
        EvaluationReport r = Evaluation.against(real).shortSamples(32).longSamples(2, 400).frechetSamples(200)
                .seeds(1, 2).identityStride(20).run(groups);
        System.out.println(r.summary().print());
        assertEquals(List.of("replay", "looper"), r.groups());
        assertEquals(2, r.values("replay", EvaluationReport.FD_SHORT).length);
        assertEquals(0, r.loopingRuns("replay")[0]);
        assertEquals(2, r.loopingRuns("looper")[0]);
        assertEquals(100.0, r.mean("looper", EvaluationReport.LOOPING), 1e-9);
        assertTrue(r.mean("looper", EvaluationReport.FVD_LONG) > r.mean("replay", EvaluationReport.FVD_LONG));
        assertTrue(r.mean("replay", EvaluationReport.ACD) < 1e-3, "one actor: identity constant");
        assertTrue(Double.isFinite(r.mean("replay", EvaluationReport.MOTION)));
        // the noise floor: first row of the summary, computed from the two halves of the real clips
        assertEquals(RealHalves.LABEL, r.summary().stringColumn("model").get(0));
        List<Trajectory> first = List.of(real.clip(0).slice(0, real.clip(0).frames() / 2));
        List<Trajectory> second = List.of(real.clip(0).slice(real.clip(0).frames() / 2, real.clip(0).frames()));
        LatentFrechet direct = LatentFrechet.of(org.latentmotion.wplus.TrajectorySet.of("first", first),
                org.latentmotion.pca.LatentPca.fit(real, 16)).window(25).clipComponents(8).samples(200);
        double[] floorFd = r.noiseFloorValues(EvaluationReport.FD_SHORT);
        assertEquals(2, floorFd.length);
        assertEquals(direct.seed(1).frames(second), floorFd[0], 1e-9 * floorFd[0]);
        assertEquals(direct.seed(2).frames(second), floorFd[1], 1e-9 * floorFd[1]);
        assertEquals(direct.seed(1).clips(second), r.noiseFloorValues(EvaluationReport.FVD_LONG)[0], 1e-9 * floorFd[0]);
        assertTrue(r.noiseFloor(EvaluationReport.FVD_LONG) < r.mean("looper", EvaluationReport.FVD_LONG),
                "two halves of the real data are closer than a looping model");
        // 36 s: halves of 450 frames hold two 256-frame segments, so the motion floor exists
        assertTrue(Double.isFinite(r.noiseFloor(EvaluationReport.MOTION)));
        assertTrue(Double.isNaN(r.noiseFloor(EvaluationReport.LOOPING)), "looping is not a distance");
        MimeBundle b = Renderers.render(r);
        assertTrue(b.get(MimeBundle.HTML).contains("looping runs") && b.has(MimeBundle.PNG));

        String old = System.getProperty("latentmotion.figures");
        System.setProperty("latentmotion.figures", dir.toString());
        try {
            Path md = ReportFiles.save(r, "evaluation-test");
            assertTrue(Files.readString(md).contains("| replay | 2 |"), Files.readString(md));
            assertTrue(Files.size(dir.resolve("evaluation-test-looping.png")) > 1000);
            assertEquals(7, Files.readAllLines(dir.resolve("evaluation-test-runs.csv")).size()); // 2 floor + 4 runs
            assertTrue(Files.readString(md).contains("| " + RealHalves.LABEL + " | 2 |"), Files.readString(md));
        } finally {
            if (old == null) {
                System.clearProperty("latentmotion.figures");
            } else {
                System.setProperty("latentmotion.figures", old);
            }
        }
    }

    @Test
    void rejectsModelsOfAnotherShape() {
        TalkingHead real = ToyWorld.talkingHead().actor(7).seed(1).seconds(4).generate();
        MotionModel wrong = new MotionModel() {
            public Trajectory sample(int length, long seed) {
                return Trajectory.of(Nd4j.zeros(length, 14, 512), 25, "x");
            }

            public int layers() {
                return 14;
            }

            public int width() {
                return 512;
            }

            public double fps() {
                return 25;
            }
        };
        var e = assertThrows(IllegalArgumentException.class, () -> Evaluation.against(real).run("wrong", wrong));
        assertTrue(e.getMessage().contains("[14, 512]") && e.getMessage().contains("[18, 512]"), e.getMessage());
    }
}

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
        MimeBundle b = Renderers.render(r);
        assertTrue(b.get(MimeBundle.HTML).contains("looping runs") && b.has(MimeBundle.PNG));

        String old = System.getProperty("latentmotion.figures");
        System.setProperty("latentmotion.figures", dir.toString());
        try {
            Path md = ReportFiles.save(r, "evaluation-test");
            assertTrue(Files.readString(md).contains("| replay | 2 |"), Files.readString(md));
            assertTrue(Files.size(dir.resolve("evaluation-test-looping.png")) > 1000);
            assertEquals(5, Files.readAllLines(dir.resolve("evaluation-test-runs.csv")).size());
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

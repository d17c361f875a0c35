package org.latentmotion.motion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.latentmotion.display.Figures;
import org.latentmotion.metrics.LoopingScore;
import org.latentmotion.motion.mocogan.MoCoGanHd;
import org.latentmotion.motion.mocogan.MoCoGanHdConfig;
import org.latentmotion.motion.stylefacev.StyleFaceV;
import org.latentmotion.motion.stylefacev.StyleFaceVConfig;
import org.latentmotion.motion.styleganv.StyleGanV;
import org.latentmotion.motion.styleganv.StyleGanVConfig;
import org.latentmotion.motion.styleinv.StyleInV;
import org.latentmotion.motion.styleinv.StyleInVConfig;
import org.latentmotion.pca.LatentPca;
import org.latentmotion.render.KeypointModels;
import org.latentmotion.render.Synthesizers;
import org.latentmotion.toy.MotionStatistics;
import org.latentmotion.toy.TalkingHead;
import org.latentmotion.toy.ToyWorld;

/**
 * The learns check of every trainable model of the zoo in one table, from one command: each
 * model's CPU preset trained by the shared {@link Trainer} on the quickstart's data (actor 7,
 * 5 minutes, 4 shots) for its step budget — the steps its preset reaches in about 12 minutes on one
 * core of this machine (StyleVideoGAN: the quickstart's cap), a count rather than a clock so that
 * the figures do not depend on what else the machine runs — then {@link LearnsCheck}'s
 * statistics of 10 samples × 500 frames against the ground truth, and the looping verdicts of
 * 1500-frame samples (motion that repeats, or never decorrelates because it drifts or freezes).
 * Writes {@code figures/learns-check-zoo.md}:
 * <pre>
 * OMP_NUM_THREADS=1 mvn -o test -Dtest=ZooLearnsCheckTest -Dlm.zoo=true [-Dlm.zoo.seed=1]
 *     [-Dlm.zoo.parallel=2] [-Dlm.zoo.models=StyleVideoGan,MoCoGanHd,StyleFaceV,StyleGanV,StyleInV]
 * </pre>
 */
class ZooLearnsCheckTest {
    static final int LONG_SAMPLES = 5;
    static final int LONG = 1500;

    /** A zoo model: how its CPU preset is made for a training seed, and its step budget. */
    record Entry(Function<Long, ? extends TrainableMotionModel> factory, long steps) {
    }

    /** Every zoo model by name. */
    static Map<String, Entry> models() {
        Map<String, Entry> m = new LinkedHashMap<>();
        m.put("StyleVideoGan", new Entry(s -> StyleVideoGan.create(StyleVideoGanConfig.laptop().toBuilder().seed(s).build()), 2500));
        m.put("MoCoGanHd", new Entry(s -> MoCoGanHd.create(MoCoGanHdConfig.laptop().toBuilder().seed(s).build()), 3100));
        // the default world's pose reader: the shipped key-point detector on frames the toy face renders
        m.put("StyleFaceV", new Entry(s -> StyleFaceV.create(StyleFaceVConfig.laptop().toBuilder().seed(s).build(),
                KeypointModels.toyFace().on(Synthesizers.toyFace())), 3000));
        // sparse models: a step generates 2–4 frames per clip, so 12 minutes on one core hold ~11 600 steps
        m.put("StyleGanV", new Entry(s -> StyleGanV.create(StyleGanVConfig.laptop().toBuilder().seed(s).build()), 11_000));
        m.put("StyleInV", new Entry(s -> StyleInV.create(StyleInVConfig.laptop().toBuilder().seed(s).build()), 11_000));
        return m;
    }

    @Test
    @EnabledIfSystemProperty(named = "lm.zoo", matches = "true")
    void everyModelOnTheSameDataAndBudget() {
        double minutes = Double.parseDouble(System.getProperty("lm.zoo.minutes", "60")); // a safety limit only
        long seed = Long.getLong("lm.zoo.seed", 1);
        int parallel = Integer.getInteger("lm.zoo.parallel", 2);
        Map<String, Entry> all = models();
        List<String> names = new ArrayList<>(all.keySet());
        String only = System.getProperty("lm.zoo.models", "");
        if (!only.isBlank()) {
            names = List.of(only.split(","));
        }
        TalkingHead data = ToyWorld.talkingHead().actor(7).minutes(5).cuts(4).generate();
        Duration limit = Duration.ofMillis((long) (minutes * 60_000));
        List<Callable<LearnsCheck.Run>> jobs = new ArrayList<>();
        for (String name : names) {
            Entry entry = all.get(name.strip());
            if (entry == null) {
                throw new IllegalArgumentException("lm.zoo.models: expected some of " + all.keySet() + ", found " + name);
            }
            jobs.add(() -> LearnsCheck.run(entry.factory(), data, seed, entry.steps(), limit, name.strip(), name.strip()));
        }
        List<LearnsCheck.Run> runs = LearnsCheck.runAll(jobs, parallel);

        MotionStatistics truth = data.statistics();
        LearnsCheck.Table table = LearnsCheck.table(runs, truth, LearnsCheck.halves(data), 0.25);
        LatentPca basis = LatentPca.fit(data, 10);
        StringBuilder md = new StringBuilder("# The motion model zoo on the default world\n\n");
        md.append(String.format(Locale.ROOT, "Data: %s. Each model's CPU preset (`laptop()`), training seed %d, trained by"
                + " the shared Trainer for its step budget (what the preset reaches in about 12 minutes on one core;"
                + " StyleVideoGAN: the quickstart's cap), %d runs at a time with `OMP_NUM_THREADS=1` on this machine's %d"
                + " cores, so the times below include waiting for a core.%n%n", data, seed, parallel,
                Runtime.getRuntime().availableProcessors()));
        runs.forEach(r -> md.append("- ").append(r.line()).append(", ").append(r.model().parameterCount())
                .append(" parameters\n"));
        md.append(String.format(Locale.ROOT, "%nMotion: %d samples × %d frames of each model, read back with"
                + " FaceCodec.decode; generated / real, ✓ within ±25 %%. \"real vs real\": the second half of the actor's"
                + " data / the first half.%n%n", LearnsCheck.SAMPLES, LearnsCheck.FRAMES));
        md.append(table.markdown());
        md.append(String.format(Locale.ROOT, "%n%d of %d within ±25 %%.%n%n", table.within(), table.total()));
        md.append(String.format(Locale.ROOT, "Long samples: %d × %d frames of each model, the looping verdict in the"
                + " data's 10 principal directions (the real data: %s).%n%n", LONG_SAMPLES, LONG,
                LoopingScore.detector().score(data.clip(0).slice(0, LONG), basis).verdict()));
        md.append("| model | looping | not looping | never decorrelates (drift or freeze) |\n|---|---:|---:|---:|\n");
        for (LearnsCheck.Run r : runs) {
            Map<LoopingScore.Verdict, Integer> counts = new EnumMap<>(LoopingScore.Verdict.class);
            for (int k = 0; k < LONG_SAMPLES; k++) {
                LoopingScore s = LoopingScore.detector().score(r.model().sample(LONG, 2000 + k), basis);
                counts.merge(s.verdict(), 1, Integer::sum);
            }
            md.append(String.format(Locale.ROOT, "| %s | %d | %d | %d |%n", r.column(),
                    counts.getOrDefault(LoopingScore.Verdict.LOOPING, 0), counts.getOrDefault(LoopingScore.Verdict.NOT_LOOPING, 0),
                    counts.getOrDefault(LoopingScore.Verdict.NEVER_DECORRELATES, 0)));
        }
        md.append(String.format(Locale.ROOT, "%nReproduce: `OMP_NUM_THREADS=1 mvn -o test -Dtest=ZooLearnsCheckTest -Dlm.zoo=true"
                + " -Dlm.zoo.seed=%d -Dlm.zoo.parallel=%d -Dlm.zoo.models=%s`%n", seed, parallel, String.join(",", names)));
        System.out.println(md);
        Figures.writeAtomically(Figures.path("learns-check-zoo.md"), md.toString().getBytes(StandardCharsets.UTF_8));
        assertEquals(names.size(), runs.size());
        for (LearnsCheck.Run r : runs) {
            // a measurement, not the bar: but every model must have trained and must move
            assertTrue(r.model().parameterCount() > 0 && r.generated().poseSpeed() > 0 && r.generated().mouthOpenStd() > 0,
                    r.column() + " does not move: " + r.line());
        }
    }
}

package org.latentmotion.motion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
import org.latentmotion.metrics.LearnsCheck;
import org.latentmotion.display.Figures;
import org.latentmotion.metrics.Evaluation;
import org.latentmotion.metrics.EvaluationReport;
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
 * statistics of {@value LearnsCheck#SAMPLES} samples × 500 frames against the ground truth, and the looping verdicts of
 * 1500-frame samples (motion that repeats, or never decorrelates because it drifts or freezes).
 * Writes {@code figures/learns-check-zoo.md}; and, with every model trained, the comparison of notebook 09 at
 * full budget — one {@link Evaluation} against held-out clips of the same actor (another motion seed) with its
 * real-vs-real row, next to training steps, time and parameters — to {@code figures/motion-models.md}:
 * <pre>
 * OMP_NUM_THREADS=1 mvn -o test -Dtest=ZooLearnsCheckTest -Dlm.zoo=true [-Dlm.zoo.seed=1]
 *     [-Dlm.zoo.parallel=2] [-Dlm.zoo.models=StyleVideoGan,StyleVideoGanNoGap,MoCoGanHd,StyleFaceV,StyleGanV,StyleInV]
 *     [-Dlm.zoo.steps=N (every model: a quick try of the command)]
 *     [-Dlm.zoo.reuse=true (read the models a previous run kept in target/zoo-models instead of training them)]
 * </pre>
 */
class ZooLearnsCheckTest {
    static final int LONG_SAMPLES = 5;
    static final int LONG = 1500;
    /** Where each trained model is kept, so {@code -Dlm.zoo.reuse=true} rewrites the reports without training again. */
    static final Path KEPT = Path.of("target", "zoo-models");

    /** A zoo model: how its CPU preset is made for a training seed, and its step budget. */
    record Entry(Function<Long, ? extends TrainableMotionModel> factory, long steps) {
    }

    /** Every zoo model by name. */
    static Map<String, Entry> models() {
        Map<String, Entry> m = new LinkedHashMap<>();
        m.put("StyleVideoGan", new Entry(s -> StyleVideoGan.create(StyleVideoGanConfig.laptop().toBuilder().seed(s).build()), 2500));
        // the paper's ablation: the same recipe without the gradient angle penalty
        m.put("StyleVideoGanNoGap", new Entry(s -> StyleVideoGan.create(StyleVideoGanConfig.laptop().toBuilder().lambdaGap(0).seed(s)
                .build()), 2500));
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
        boolean reuse = Boolean.getBoolean("lm.zoo.reuse");
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
            long steps = Long.getLong("lm.zoo.steps", entry.steps()); // a smaller count only to try the command quickly
            Path keep = KEPT.resolve(String.format(Locale.ROOT, "%s-seed%d.ckpt", name.strip(), seed));
            jobs.add(() -> LearnsCheck.run(entry.factory(), data, seed, steps, limit, name.strip(), name.strip(), keep,
                    reuse));
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
                + " -Dlm.zoo.seed=%d -Dlm.zoo.parallel=%d -Dlm.zoo.models=%s`%n", seed, parallel, String.join(",", names) + stepsOverride()));
        System.out.println(md);
        Figures.writeAtomically(Figures.path("learns-check-zoo.md"), md.toString().getBytes(StandardCharsets.UTF_8));
        String comparison = comparison(runs, data, seed, parallel, names);
        System.out.println(comparison);
        Figures.writeAtomically(Figures.path("motion-models.md"), comparison.getBytes(StandardCharsets.UTF_8));
        assertEquals(names.size(), runs.size());
        for (LearnsCheck.Run r : runs) {
            // a measurement, not the bar: but every model must have trained and must move
            assertTrue(r.model().parameterCount() > 0 && r.generated().poseSpeed() > 0 && r.generated().mouthOpenStd() > 0,
                    r.column() + " does not move: " + r.line());
        }
    }

    /** The {@code -Dlm.zoo.steps} of this run, for the reproduce line, if it was given. */
    static String stepsOverride() {
        String steps = System.getProperty("lm.zoo.steps");
        return steps == null ? "" : " -Dlm.zoo.steps=" + steps;
    }

    /**
     * Notebook 09's comparison at full budget: what each model cost, then one {@link Evaluation} of every trained
     * model against held-out clips of the actor — 5 minutes of another motion seed, which no model saw — whose first
     * row is the noise floor (the held-out set's two halves against each other).
     */
    static String comparison(List<LearnsCheck.Run> runs, TalkingHead data, long seed, int parallel, List<String> names) {
        TalkingHead heldOut = ToyWorld.talkingHead().actor(7).seed(77).minutes(5).cuts(4).generate();
        Map<String, List<MotionModel>> arms = new LinkedHashMap<>();
        runs.forEach(r -> arms.put(r.column(), List.of(r.model())));
        long t0 = System.nanoTime();
        EvaluationReport report = Evaluation.against(heldOut).shortSamples(256).longSamples(4, LONG).frechetSamples(1024)
                .seeds(seed).run(arms);
        double evaluationSeconds = (System.nanoTime() - t0) / 1e9;
        StringBuilder md = new StringBuilder("# The motion models compared on the default world\n\n");
        md.append(String.format(Locale.ROOT, "Notebook 09's comparison at full budget. Training data: %s. Each model's CPU"
                + " preset (`laptop()`; StyleVideoGAN also without its gradient angle penalty, λ_GAP = 0), training seed %d,"
                + " trained from scratch by the shared Trainer for its step budget (about 12 minutes of one core each;"
                + " StyleVideoGAN: the quickstart's cap), %d at a time with `OMP_NUM_THREADS=1` on this machine's %d cores."
                + " A step is not the same work across models: the sparse ones (StyleGAN-V, StyleInV) generate 2–4 frames"
                + " per clip, the recurrent ones 25.%n%n", data, seed, parallel, Runtime.getRuntime().availableProcessors()));
        md.append("| model | training steps | training minutes | parameters |\n|---|---:|---:|---:|\n");
        for (LearnsCheck.Run r : runs) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %d |%n", r.column(), r.steps(), r.seconds() / 60,
                    r.model().parameterCount()));
        }
        md.append(String.format(Locale.ROOT, "%n## One evaluation against held-out clips%n%nHeld out: %s. Evaluated in %.0f s."
                + " Lower is better everywhere; the first row is the noise floor. Columns as in `EvaluationReport`: Fréchet"
                + " distances in W+ of frames and of 25-frame clips, for short (25-frame) and long (%d-frame) samples; ACD"
                + " (identity drift) read by the toy face's ground truth; the share of long samples that loop; the motion"
                + " statistics' mean Wasserstein distance in units of the real spread. ACD is 0 for every model here, and"
                + " rightly: each generates inside the principal directions of its training frames, and one actor's"
                + " identity does not vary along them; it tells models apart on a StyleGAN where motion leaks into"
                + " identity.%n%n", heldOut, evaluationSeconds, LONG));
        md.append(report.markdown());
        md.append("\nThe motion statistics one by one (" + LearnsCheck.SAMPLES + " samples × 500 frames, generated / training data's ground truth) are in"
                + " `figures/learns-check-zoo.md`, written by the same run.\n");
        md.append(String.format(Locale.ROOT, "%nReproduce (about %d minutes here): `OMP_NUM_THREADS=1 mvn -o test"
                + " -Dtest=ZooLearnsCheckTest -Dlm.zoo=true -Dlm.zoo.seed=%d -Dlm.zoo.parallel=%d -Dlm.zoo.models=%s`%n",
                Math.round((runs.stream().mapToDouble(LearnsCheck.Run::seconds).sum() / parallel + evaluationSeconds) / 60),
                seed, parallel, String.join(",", names) + stepsOverride()));
        return md.toString();
    }
}

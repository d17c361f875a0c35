package org.latentmotion.motion;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.latentmotion.metrics.LearnsCheck;
import org.latentmotion.display.Figures;
import org.latentmotion.toy.MotionStatistics;
import org.latentmotion.toy.TalkingHead;
import org.latentmotion.toy.ToyWorld;

/**
 * Does {@code laptop()} learn the default world's motion in the quickstart's budget? Trains on the
 * quickstart's data (actor 7, 5 minutes, 4 shots) for each training seed, within the quickstart's
 * budget (its step cap or 12 minutes, whichever first), samples {@value LearnsCheck#SAMPLES} clips of 500 frames from
 * the EMA generator and compares every statistic of the quickstart's table with the ground truth,
 * next to a "real vs real" row (the first and second half of the actor's own data: the noise
 * floor). A second actor with another motion seed checks that the recipe is not tuned to one
 * recording. Each run's model is the snapshot the quickstart keeps: the lowest W+ clip Fréchet distance to
 * the training data among steps 1000, 1250, … 2500 ({@link LearnsCheck#runKeepingBest}; with
 * {@code -Dlm.learns.best=false} the last step). Writes {@code figures/learns-check.md}:
 * <pre>
 * mvn -o test -Dtest=TrainerLearnsTest -Dlm.learns=true [-Dlm.learns.seeds=1,2,3] [-Dlm.learns.steps=2500]
 *     [-Dlm.learns.minutes=12] [-Dlm.learns.other=true] [-Dlm.learns.parallel=1] [-Dlm.learns.spectral=true] [-Dlm.learns.decay=2500] [-Dlm.learns.white=0] [-Dlm.learns.gap=100]
 *     [-Dlm.learns.smoothing=25] [-Dlm.learns.criticChannels=32] [-Dlm.learns.criticSteps=2] [-Dlm.learns.best=true]
 *     [-Dlm.learns.span=250] [-Dlm.learns.spanPoints=6] [-Dlm.learns.spanBackprop=25] [-Dlm.learns.gruTimescale=250]
 *     [-Dlm.learns.batch=32] [-Dlm.learns.window=25] [-Dlm.learns.gp=50]
 * </pre>
 * The guard that runs in every build is {@link CriticSeesMotionTest}: the mechanism behind the fix,
 * in seconds.
 */
class TrainerLearnsTest {
    static final int SAMPLES = LearnsCheck.SAMPLES;
    static final int FRAMES = LearnsCheck.FRAMES;
    static final List<LearnsCheck.Statistic> STATISTICS = LearnsCheck.STATISTICS;

    /**
     * The recipe under test: {@code laptop()} with the {@link RecipeFlags} given on the command line as
     * {@code -Dlm.learns.<name>=value}.
     */
    static StyleVideoGanConfig recipe() {
        StyleVideoGanConfig.Builder b = StyleVideoGanConfig.laptop().toBuilder();
        for (String name : RecipeFlags.names()) {
            String value = System.getProperty("lm.learns." + name);
            if (value != null) {
                RecipeFlags.apply(b, name, value);
            }
        }
        return b.build();
    }

    /** The properties that changed {@link #recipe()}, as they are given on the command line (so a figure says how to remake it). */
    static String recipeFlags() {
        StringBuilder flags = new StringBuilder();
        for (String name : RecipeFlags.names()) {
            String value = System.getProperty("lm.learns." + name);
            if (value != null) {
                flags.append(" -Dlm.learns.").append(name).append('=').append(value);
            }
        }
        return flags.toString();
    }

    /** One training run of the quickstart's recipe; returns the model. */
    static StyleVideoGan train(TalkingHead data, long seed, long steps, Duration limit) {
        StyleVideoGan gan = StyleVideoGan.create(recipe().toBuilder().seed(seed).build());
        Trainer.of(gan, data.windows(25)).epochs(100_000).maxSteps(steps).timeLimit(limit).seed(seed).live(false).fit();
        return gan;
    }

    static LearnsCheck.Run run(TalkingHead data, long seed, long steps, Duration limit, String column, String label) {
        java.util.function.Function<Long, StyleVideoGan> factory = s -> StyleVideoGan.create(recipe().toBuilder().seed(s).build());
        LearnsCheck.Run r = keepBest() ? LearnsCheck.runKeepingBest(factory, data, seed, steps, limit, column, label)
                : LearnsCheck.run(factory, data, seed, steps, limit, column, label);
        // printed as each run ends: a check of several runs that dies later (a crash, a kill) still leaves these
        System.out.println("[learns check] " + r.line() + "\n"
                + LearnsCheck.table(List.of(r), r.reference(), LearnsCheck.halves(data), 0.25).markdown());
        return r;
    }

    /** Measure the snapshot the quickstart keeps (default), or with {@code -Dlm.learns.best=false} the last step. */
    static boolean keepBest() {
        return Boolean.parseBoolean(System.getProperty("lm.learns.best", "true"));
    }

    @Test
    @EnabledIfSystemProperty(named = "lm.learns", matches = "true")
    void quickstartBudgetLearnsEveryStatisticWithin25Percent() {
        long steps = Long.getLong("lm.learns.steps", 2500);
        double minutes = Double.parseDouble(System.getProperty("lm.learns.minutes", "12"));
        Duration limit = Duration.ofMillis((long) (minutes * 60_000));
        List<Long> seeds = new ArrayList<>();
        for (String s : System.getProperty("lm.learns.seeds", "1,2,3").split(",")) {
            seeds.add(Long.parseLong(s.trim()));
        }
        TalkingHead data = ToyWorld.talkingHead().actor(7).minutes(5).cuts(4).generate();
        MotionStatistics truth = data.statistics();
        MotionStatistics[] half = LearnsCheck.halves(data);
        boolean otherActor = Boolean.parseBoolean(System.getProperty("lm.learns.other", "true"));
        TalkingHead other = otherActor ? ToyWorld.talkingHead().actor(3).seed(11).minutes(5).cuts(4).generate() : null;
        // one job per run: each seed on the quickstart's data, then the first seed on the second actor
        List<Callable<LearnsCheck.Run>> jobs = new ArrayList<>();
        for (long seed : seeds) {
            jobs.add(() -> run(data, seed, steps, limit, "seed " + seed, "seed " + seed));
        }
        if (otherActor) {
            long seed = seeds.get(0);
            jobs.add(() -> run(other, seed, steps, limit, "actor 3 / motion 11",
                    "actor 3, motion seed 11 (training seed " + seed + ")"));
        }
        int parallel = Integer.getInteger("lm.learns.parallel", 1);
        List<LearnsCheck.Run> results = LearnsCheck.runAll(jobs, parallel);
        List<String> runs = new ArrayList<>();
        results.forEach(r -> runs.add(r.line()));
        if (parallel > 1) {
            runs.add(parallel + " runs at a time, one core each: the step cap (what the quickstart reaches alone in its 12"
                    + " minutes on 2 cores), not the time limit, is the budget here");
        }

        StringBuilder md = new StringBuilder("# Does laptop() learn the default world's motion in the quickstart's budget?\n\n");
        md.append(String.format(Locale.ROOT, "Data: %s. Recipe: laptop() = `%s`. Budget: %d generator steps or %.0f minutes,"
                + " whichever first, on this machine (%d cores).%n%n", data, recipe(), steps, minutes,
                Runtime.getRuntime().availableProcessors()));
        runs.forEach(r -> md.append("- ").append(r).append('\n'));
        md.append(String.format(Locale.ROOT, "%nEach column: %d samples × %d frames from the EMA generator (seeds 1000…) of %s,"
                + " read back with FaceCodec.decode; generated / real, ✓ within ±25 %%. \"real vs real\": the second half of"
                + " the actor's data / the first half.%n%n", SAMPLES, FRAMES, keepBest()
                ? "the snapshot kept by the W+ clip Fréchet distance to the training data (BestSnapshot, as the quickstart)"
                : "the last step"));
        LearnsCheck.Table table = LearnsCheck.table(results, truth, half, 0.25);
        md.append(table.markdown());
        int within = table.within();
        int total = table.total();
        md.append(String.format(Locale.ROOT, "%n%d of %d within ±25 %%.%n%nReproduce: `mvn -o test -Dtest=TrainerLearnsTest"
                + " -Dlm.learns=true -Dlm.learns.seeds=%s -Dlm.learns.steps=%d -Dlm.learns.minutes=%s -Dlm.learns.other=%s"
                + " -Dlm.learns.parallel=%d%s%s`%s%n", within, total, System.getProperty("lm.learns.seeds", "1,2,3"), steps,
                System.getProperty("lm.learns.minutes", "12"), System.getProperty("lm.learns.other", "true"), parallel,
                keepBest() ? "" : " -Dlm.learns.best=false", recipeFlags(), parallel > 1 ? " (with `OMP_NUM_THREADS=1`, one core per run)" : ""));
        System.out.println(md);
        Figures.writeAtomically(Figures.path("learns-check.md"), md.toString().getBytes(StandardCharsets.UTF_8));
        assertTrue(within == total, within + " of " + total + " statistics within ±25 %; see figures/learns-check.md");
    }

    /**
     * The longer budget: one run of {@code laptop()} for {@code lm.learns.long.minutes} (60), or
     * {@code lm.learns.long.steps} generator steps if given (what 60 minutes on 2 cores hold at the
     * quickstart's rate: 13 500 — a count rather than a clock, so that the figure does not depend on
     * what else the machine runs); every statistic against ±10 %, and Fréchet distances in W+
     * (frames, and 25-frame clips) against held-out clips of the same actor (another motion seed),
     * next to the same distances of the training data itself (real vs real). Writes
     * {@code figures/learns-check-long.md}:
     * <pre>
     * mvn -o test -Dtest=TrainerLearnsTest#longBudget -Dlm.learns.long=true [-Dlm.learns.long.minutes=60]
     *     [-Dlm.learns.long.steps=13500] [-Dlm.learns.seeds=1]
     * </pre>
     */
    @Test
    @EnabledIfSystemProperty(named = "lm.learns.long", matches = "true")
    void longBudget() {
        String stepCap = System.getProperty("lm.learns.long.steps");
        // with a step cap the clock is only a safety net
        double minutes = Double.parseDouble(System.getProperty("lm.learns.long.minutes", stepCap == null ? "60" : "600"));
        long steps = stepCap == null ? Long.MAX_VALUE : Long.parseLong(stepCap);
        long seed = Long.parseLong(System.getProperty("lm.learns.seeds", "1").split(",")[0].trim());
        TalkingHead data = ToyWorld.talkingHead().actor(7).minutes(5).cuts(4).generate();
        TalkingHead heldOut = ToyWorld.talkingHead().actor(7).seed(77).minutes(5).cuts(4).generate();
        long t0 = System.nanoTime();
        StyleVideoGan gan = train(data, seed, steps, Duration.ofMillis((long) (minutes * 60_000)));
        double seconds = (System.nanoTime() - t0) / 1e9;
        List<org.latentmotion.wplus.Trajectory> clips = LearnsCheck.trajectories(gan, 2 * SAMPLES, FRAMES);
        MotionStatistics generated = LearnsCheck.statistics(clips);
        MotionStatistics truth = data.statistics();
        MotionStatistics[] half = LearnsCheck.halves(data);
        var fd = org.latentmotion.metrics.LatentFrechet.of(heldOut, 16).seed(5);
        List<org.latentmotion.wplus.Trajectory> trainingClips = data.clips();
        double fdFramesReal = fd.frames(trainingClips);
        double fdClipsReal = fd.clips(trainingClips);
        double fdFrames = fd.frames(clips);
        double fdClips = fd.clips(clips);

        StringBuilder md = new StringBuilder("# laptop() with a longer budget\n\n");
        String budget = stepCap == null
                ? String.format(Locale.ROOT, "%.4g minutes on this machine (%d cores)", minutes, Runtime.getRuntime().availableProcessors())
                : String.format(Locale.ROOT, "%s generator steps (what 60 minutes on this machine's 2 cores hold at the"
                        + " quickstart's rate; a count rather than a clock, so the figure does not depend on what else ran;"
                        + " threads: %s)", stepCap, System.getenv().getOrDefault("OMP_NUM_THREADS", "all cores"));
        md.append(String.format(Locale.ROOT, "Data: %s. Held out: %s. Recipe: laptop() = `%s`, training seed %d. Budget:"
                + " %s: %d generator steps in %.0f s.%n%n", data, heldOut,
                recipe(), seed, budget, gan.generatorSteps(), seconds));
        md.append(String.format(Locale.ROOT, "%d samples × %d frames from the EMA generator (seeds 1000…), read back with"
                + " FaceCodec.decode; generated / real, ✓ within ±10 %%.%n%n", 2 * SAMPLES, FRAMES));
        md.append("| statistic | real | real vs real | generated / real |\n|---|---:|---:|---:|\n");
        int within = 0;
        for (LearnsCheck.Statistic st : STATISTICS) {
            double real = st.of(truth);
            double ratio = st.of(generated) / real;
            boolean ok = LearnsCheck.within(ratio, 0.10);
            within += ok ? 1 : 0;
            md.append(String.format(Locale.ROOT, "| %s | %.4g | %.2f | %.2f %s |%n", st.name(), real,
                    st.of(half[1]) / st.of(half[0]), ratio, ok ? "✓" : "✗"));
        }
        md.append(String.format(Locale.ROOT, "%n%d of %d within ±10 %%.%n%n", within, STATISTICS.size()));
        md.append("Fréchet distances in W+ against the held-out clips (16 principal components of the held-out frames;"
                + " clips: 25 frames × 8 components; 2048 draws), the training data itself as the real-vs-real floor:\n\n");
        md.append("| distance | real (training data) vs held out | generated vs held out | ratio |\n|---|---:|---:|---:|\n");
        md.append(String.format(Locale.ROOT, "| frames (FD) | %.3f | %.3f | %.2f %s |%n", fdFramesReal, fdFrames,
                fdFrames / fdFramesReal, fdFrames <= 2 * fdFramesReal ? "✓" : "✗"));
        md.append(String.format(Locale.ROOT, "| clips (FVD-like) | %.3f | %.3f | %.2f %s |%n", fdClipsReal, fdClips,
                fdClips / fdClipsReal, fdClips <= 2 * fdClipsReal ? "✓" : "✗"));
        md.append(String.format(Locale.ROOT, "%n✓: within 2× the real-vs-real value.%n%nReproduce: `mvn -o test"
                + " -Dtest=TrainerLearnsTest#longBudget -Dlm.learns.long=true %s -Dlm.learns.seeds=%d%s`%n",
                stepCap == null ? "-Dlm.learns.long.minutes=" + System.getProperty("lm.learns.long.minutes", "60")
                        : "-Dlm.learns.long.steps=" + stepCap, seed, recipeFlags()));
        System.out.println(md);
        Figures.writeAtomically(Figures.path("learns-check-long.md"), md.toString().getBytes(StandardCharsets.UTF_8));
        assertTrue(within == STATISTICS.size() && fdFrames <= 2 * fdFramesReal && fdClips <= 2 * fdClipsReal,
                "see figures/learns-check-long.md");
    }

    /**
     * Issue 13's snapshot experiment: does a measure a user has (the W+ Fréchet distance of EMA samples to
     * the training clips) pick, among the last snapshots of a run, the one that moves most like the actor
     * (the ground truth's statistics, which a user does not have)? Trains {@code laptop()} for each seed in
     * {@code lm.learns.seeds} and, from {@code lm.learns.snapshots.from} (1500) every {@code lm.learns.snapshots.every}
     * (250) steps to {@code lm.learns.steps} (2500), prints both per snapshot:
     * <pre>
     * mvn -o test -Dtest=TrainerLearnsTest#snapshots -Dlm.learns.snapshots=true -Dlm.learns.seeds=1
     * </pre>
     */
    @Test
    @EnabledIfSystemProperty(named = "lm.learns.snapshots", matches = "true")
    void snapshots() {
        long last = Long.getLong("lm.learns.steps", 2500);
        long from = Long.getLong("lm.learns.snapshots.from", 1500);
        long every = Long.getLong("lm.learns.snapshots.every", 250);
        TalkingHead data = ToyWorld.talkingHead().actor(7).minutes(5).cuts(4).generate();
        MotionStatistics truth = data.statistics();
        var fd = org.latentmotion.metrics.LatentFrechet.of(data, 16).seed(5);
        // the motion space's 10 directions, each weighing the same: does it rank snapshots better than raw coordinates?
        var whiteFd = org.latentmotion.metrics.LatentFrechet.of(data, 16).clipComponents(10).whitened(true).seed(5);
        StringBuilder out = new StringBuilder();
        for (String s : System.getProperty("lm.learns.seeds", "1").split(",")) {
            long seed = Long.parseLong(s.trim());
            StyleVideoGan gan = StyleVideoGan.create(recipe().toBuilder().seed(seed).build());
            Trainer<StyleVideoGan> trainer = Trainer.of(gan, data.windows(25)).epochs(100_000).seed(seed).live(false);
            out.append(String.format(Locale.ROOT, "%nseed %d%n| steps | FD frames | FD clips | FD whitened clips | within ±25 %% |", seed));
            for (LearnsCheck.Statistic st : STATISTICS) {
                out.append(' ').append(st.name()).append(" |");
            }
            out.append(" repeated blinks |\n");
            for (long steps = from; steps <= last; steps += every) {
                trainer.maxSteps(steps).fit();
                List<org.latentmotion.wplus.Trajectory> clips = LearnsCheck.trajectories(gan, SAMPLES, FRAMES);
                MotionStatistics generated = LearnsCheck.statistics(clips);
                StringBuilder row = new StringBuilder();
                int within = 0;
                for (LearnsCheck.Statistic st : STATISTICS) {
                    double ratio = st.of(generated) / st.of(truth);
                    within += LearnsCheck.within(ratio, 0.25) ? 1 : 0;
                    row.append(String.format(Locale.ROOT, " %.2f |", ratio));
                }
                String line = String.format(Locale.ROOT, "| %d | %.3f | %.3f | %.3f | %d |%s %.2f |%n", steps, fd.frames(clips),
                        fd.clips(clips), whiteFd.clips(clips), within, row, generated.repeatedBlinkFraction());
                System.out.print(line); // progress: a row per snapshot, the whole table at the end
                out.append(line);
            }
        }
        System.out.println(out);
    }
}

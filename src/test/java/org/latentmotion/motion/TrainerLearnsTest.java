package org.latentmotion.motion;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.latentmotion.display.Figures;
import org.latentmotion.toy.FaceParameters;
import org.latentmotion.toy.MotionStatistics;
import org.latentmotion.toy.TalkingHead;
import org.latentmotion.toy.ToyFace;
import org.latentmotion.toy.ToyWorld;

/**
 * Does {@code laptop()} learn the default world's motion in the quickstart's budget? Trains on the
 * quickstart's data (actor 7, 5 minutes, 4 shots) for each training seed, within the quickstart's
 * budget (its step cap or 12 minutes, whichever first), samples ≥ 10 clips of 500 frames from
 * the EMA generator and compares every statistic of the quickstart's table with the ground truth,
 * next to a "real vs real" row (the first and second half of the actor's own data: the noise
 * floor). A second actor with another motion seed checks that the recipe is not tuned to one
 * recording. Writes {@code figures/learns-check.md}:
 * <pre>
 * mvn -o test -Dtest=TrainerLearnsTest -Dlm.learns=true [-Dlm.learns.seeds=1,2,3] [-Dlm.learns.steps=3000]
 *     [-Dlm.learns.minutes=12] [-Dlm.learns.other=true]
 * </pre>
 * The guard that runs in every build is {@link CriticSeesMotionTest}: the mechanism behind the fix,
 * in seconds.
 */
class TrainerLearnsTest {
    static final int SAMPLES = 10;
    static final int FRAMES = 500;

    /** The statistics of the quickstart's table: name, reader. */
    record Statistic(String name, ToDoubleFunction<MotionStatistics> read) {
    }

    static final List<Statistic> STATISTICS = List.of(
            new Statistic("blinks per minute", MotionStatistics::blinksPerMinute),
            new Statistic("mean blink duration (frames)", MotionStatistics::meanBlinkFrames),
            new Statistic("mouth rhythm (Hz)", MotionStatistics::mouthRhythmHz),
            new Statistic("mouth opening mean", MotionStatistics::mouthOpenMean),
            new Statistic("mouth opening std", MotionStatistics::mouthOpenStd),
            new Statistic("pose variance (rad²)", MotionStatistics::poseVariance),
            new Statistic("pose speed (rad/s)", MotionStatistics::poseSpeed));

    static MotionStatistics samples(StyleVideoGan gan, int count, int frames) {
        List<FaceParameters> clips = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            clips.add(ToyFace.decode(gan.sample(frames, 1000 + k)));
        }
        return MotionStatistics.of(clips);
    }

    /** The statistics of the first and the second half of every clip of the ground truth. */
    static MotionStatistics[] halves(TalkingHead data) {
        List<FaceParameters> first = new ArrayList<>();
        List<FaceParameters> second = new ArrayList<>();
        for (FaceParameters clip : data.groundTruth()) {
            int mid = clip.frames() / 2;
            first.add(clip.slice(0, mid));
            second.add(clip.slice(mid, clip.frames()));
        }
        return new MotionStatistics[] {MotionStatistics.of(first), MotionStatistics.of(second)};
    }

    /** One training run of the quickstart's recipe; returns the model. */
    static StyleVideoGan train(TalkingHead data, long seed, long steps, Duration limit) {
        StyleVideoGan gan = StyleVideoGan.create(StyleVideoGanConfig.laptop().toBuilder().seed(seed).build());
        Trainer.of(gan, data.windows(25)).epochs(1000).steps(steps).timeLimit(limit).seed(seed).live(false).fit();
        return gan;
    }

    static boolean within(double ratio, double tolerance) {
        return Double.isFinite(ratio) && ratio >= 1 - tolerance && ratio <= 1 / (1 - tolerance);
    }

    @Test
    @EnabledIfSystemProperty(named = "lm.learns", matches = "true")
    void quickstartBudgetLearnsEveryStatisticWithin25Percent() {
        long steps = Long.getLong("lm.learns.steps", 3000);
        double minutes = Double.parseDouble(System.getProperty("lm.learns.minutes", "12"));
        Duration limit = Duration.ofMillis((long) (minutes * 60_000));
        List<Long> seeds = new ArrayList<>();
        for (String s : System.getProperty("lm.learns.seeds", "1,2,3").split(",")) {
            seeds.add(Long.parseLong(s.trim()));
        }
        TalkingHead data = ToyWorld.talkingHead().actor(7).minutes(5).cuts(4).generate();
        MotionStatistics truth = data.statistics();
        MotionStatistics[] half = halves(data);
        List<String> columns = new ArrayList<>();
        List<MotionStatistics> generated = new ArrayList<>();
        List<MotionStatistics> references = new ArrayList<>();
        List<String> runs = new ArrayList<>();
        for (long seed : seeds) {
            long t0 = System.nanoTime();
            StyleVideoGan gan = train(data, seed, steps, limit);
            runs.add(String.format(Locale.ROOT, "seed %d: %d generator steps in %.0f s", seed, gan.generatorSteps(),
                    (System.nanoTime() - t0) / 1e9));
            columns.add("seed " + seed);
            generated.add(samples(gan, SAMPLES, FRAMES));
            references.add(truth);
        }
        if (Boolean.parseBoolean(System.getProperty("lm.learns.other", "true"))) {
            TalkingHead other = ToyWorld.talkingHead().actor(3).seed(11).minutes(5).cuts(4).generate();
            long t0 = System.nanoTime();
            StyleVideoGan gan = train(other, seeds.get(0), steps, limit);
            runs.add(String.format(Locale.ROOT, "actor 3, motion seed 11 (training seed %d): %d generator steps in %.0f s",
                    seeds.get(0), gan.generatorSteps(), (System.nanoTime() - t0) / 1e9));
            columns.add("actor 3 / motion 11");
            generated.add(samples(gan, SAMPLES, FRAMES));
            references.add(other.statistics());
        }

        StringBuilder md = new StringBuilder("# Does laptop() learn the default world's motion in the quickstart's budget?\n\n");
        md.append(String.format(Locale.ROOT, "Data: %s. Recipe: laptop() = `%s`. Budget: %d generator steps or %.0f minutes,"
                + " whichever first, on this machine (%d cores).%n%n", data, StyleVideoGanConfig.laptop(), steps, minutes,
                Runtime.getRuntime().availableProcessors()));
        runs.forEach(r -> md.append("- ").append(r).append('\n'));
        md.append(String.format(Locale.ROOT, "%nEach column: %d samples × %d frames from the EMA generator (seeds 1000…),"
                + " read back with ToyFace.decode; generated / real, ✓ within ±25 %%. \"real vs real\": the second half of"
                + " the actor's data / the first half.%n%n", SAMPLES, FRAMES));
        md.append("| statistic | real | real vs real |");
        columns.forEach(c -> md.append(' ').append(c).append(" |"));
        md.append("\n|---|---:|---:|");
        columns.forEach(c -> md.append("---:|"));
        md.append('\n');
        int within = 0;
        int total = 0;
        for (Statistic s : STATISTICS) {
            double real = s.read().applyAsDouble(truth);
            md.append(String.format(Locale.ROOT, "| %s | %.4g | %.2f |", s.name(), real,
                    s.read().applyAsDouble(half[1]) / s.read().applyAsDouble(half[0])));
            for (int k = 0; k < generated.size(); k++) {
                double ratio = s.read().applyAsDouble(generated.get(k)) / s.read().applyAsDouble(references.get(k));
                boolean ok = within(ratio, 0.25);
                within += ok ? 1 : 0;
                total++;
                md.append(String.format(Locale.ROOT, " %.2f %s |", ratio, ok ? "✓" : "✗"));
            }
            md.append('\n');
        }
        md.append(String.format(Locale.ROOT, "%n%d of %d within ±25 %%.%n%nReproduce: `mvn -o test -Dtest=TrainerLearnsTest"
                + " -Dlm.learns=true -Dlm.learns.seeds=%s -Dlm.learns.steps=%d -Dlm.learns.minutes=%s -Dlm.learns.other=%s`%n",
                within, total, System.getProperty("lm.learns.seeds", "1,2,3"), steps, System.getProperty("lm.learns.minutes", "12"),
                System.getProperty("lm.learns.other", "true")));
        System.out.println(md);
        Figures.writeAtomically(Figures.path("learns-check.md"), md.toString().getBytes(StandardCharsets.UTF_8));
        assertTrue(within == total, within + " of " + total + " statistics within ±25 %; see figures/learns-check.md");
    }
}

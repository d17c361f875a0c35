package org.latentmotion.motion.styleganv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Locale;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.latentmotion.metrics.LearnsCheck;
import org.latentmotion.metrics.LatentFrechet;
import org.latentmotion.motion.Trainer;
import org.latentmotion.nn.Scope;
import org.latentmotion.toy.MotionStatistics;
import org.latentmotion.toy.TalkingHead;
import org.latentmotion.toy.ToyWorld;
import org.latentmotion.wplus.Windows;

/**
 * Does StyleGAN-V learn the default world's motion? A run of the shared {@link Trainer} on the
 * default world's 25-frame windows, then the motion statistics of decoded samples against the
 * ground truth ({@link LearnsCheck}, as for every model), and the 25-frame clip FD in W+ against
 * the untrained model's.
 *
 * <p>The CI-scale test trains for a fixed number of steps; the CPU preset's measurement runs for
 * {@code lm.sgv.minutes} (12) and prints every ratio:
 * <pre>
 * OMP_NUM_THREADS=1 mvn -o test -Dtest=StyleGanVLearnsTest#cpuPresetMeasurement -Dlm.sgv.learns=true
 *     [-Dlm.sgv.minutes=12] [-Dlm.sgv.seed=1] [-Dlm.sgv.codeDistance=16] [-Dlm.sgv.window=25 (maxGap = window − 1)]
 * </pre>
 */
class StyleGanVLearnsTest {
    static TalkingHead defaultWorld() {
        return ToyWorld.talkingHead().actor(7).minutes(5).generate();
    }

    /** Trains with the shared trainer until {@code steps} training steps or {@code millis} pass. */
    static StyleGanV train(StyleGanVConfig config, Windows windows, long steps, long millis) {
        StyleGanV model = StyleGanV.create(config);
        Trainer<StyleGanV> trainer = Trainer.of(model, windows).epochs(100_000).maxSteps(steps).seed(config.seed())
                .live(false);
        if (millis < Long.MAX_VALUE) {
            trainer.timeLimit(Duration.ofMillis(millis));
        }
        trainer.fit();
        return model;
    }

    /** generated / real for every statistic, printed as a table; the ratios in {@link LearnsCheck#STATISTICS} order. */
    static double[] report(String title, MotionStatistics truth, MotionStatistics generated) {
        double[] ratios = new double[LearnsCheck.STATISTICS.size()];
        StringBuilder md = new StringBuilder(title).append("\n| statistic | real | generated | ratio |\n|---|---:|---:|---:|\n");
        for (int i = 0; i < ratios.length; i++) {
            LearnsCheck.Statistic s = LearnsCheck.STATISTICS.get(i);
            double real = s.of(truth);
            double gen = s.of(generated);
            ratios[i] = gen / real;
            md.append(String.format(Locale.ROOT, "| %s | %.4g | %.4g | %.2f %s |%n", s.name(), real, gen, ratios[i],
                    LearnsCheck.within(ratios[i], 0.25) ? "✓" : "✗"));
        }
        System.out.println(md);
        return ratios;
    }

    /** CI scale: the laptop() preset for this many training steps, trained once. */
    static final long CI_STEPS = Long.getLong("lm.sgv.ciSteps", 300);
    private static TalkingHead ciData;
    private static StyleGanV ciModel;

    static synchronized StyleGanV ciModel() {
        if (ciModel == null) {
            ciData = defaultWorld();
            long t0 = System.nanoTime();
            ciModel = train(StyleGanVConfig.laptop(), ciData.windows(25), CI_STEPS, Long.MAX_VALUE);
            System.out.printf(Locale.ROOT, "CI-scale training: %s in %.0f s%n", ciModel, (System.nanoTime() - t0) / 1e9);
        }
        return ciModel;
    }

    /** Frees the CI-scale model and the data before the next test class runs in this JVM. */
    @AfterAll
    static synchronized void releaseCiModel() {
        ciModel = null;
        ciData = null;
        Scope.releaseReusedMemory();
    }

    /**
     * After a CI budget the model trains, its samples move like the data's (no NaN; the head turns
     * at a speed within 4× of the truth's; the mouth moves), and its 25-frame clips are closer to
     * the data's in W+ (Fréchet distance) than the untrained model's.
     */
    @Test
    void ciScaleTrainingMovesLikeTheDataAndBeatsTheUntrainedModel() {
        long t0 = System.nanoTime();
        StyleGanV model = ciModel();
        assertEquals(CI_STEPS, model.generatorSteps());
        long t1 = System.nanoTime();
        MotionStatistics truth = ciData.statistics();
        MotionStatistics generated = LearnsCheck.samples(model, LearnsCheck.CI_SAMPLES, LearnsCheck.FRAMES);
        long t2 = System.nanoTime();
        double[] ratios = report("StyleGanV laptop(), CI scale (" + CI_STEPS + " steps)", truth, generated);
        for (int k = 0; k < ratios.length; k++) {
            assertTrue(!Double.isNaN(ratios[k]) || (k == 1 && generated.blinksPerMinute() == 0),
                    "statistic " + k + " is a number");
        }
        LatentFrechet fd = LatentFrechet.of(ciData, 10).samples(500).window(25).clipComponents(8).seed(5);
        StyleGanV untrained = StyleGanV.create(StyleGanVConfig.laptop()).prepare(ciData.windows(25));
        double trainedFd = fd.clips(LearnsCheck.trajectories(model, 200, 25));
        double untrainedFd = fd.clips(LearnsCheck.trajectories(untrained, 200, 25));
        long t3 = System.nanoTime();
        MotionStatistics before = LearnsCheck.samples(untrained, LearnsCheck.CI_SAMPLES, LearnsCheck.FRAMES);
        System.out.printf(Locale.ROOT, "  seconds: data + training %.1f, statistics %.1f, FD %.1f, untrained statistics %.1f%n",
                (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, (System.nanoTime() - t3) / 1e9);
        System.out.printf(Locale.ROOT, "  25-frame clip FD in W+: trained %.3f, untrained %.3f, real vs real %.3f;"
                        + " untrained pose speed ratio %.2f, mouth std ratio %.2f%n", trainedFd, untrainedFd,
                fd.realVsRealClips(), before.poseSpeed() / truth.poseSpeed(), before.mouthOpenStd() / truth.mouthOpenStd());
        double speed = generated.poseSpeed() / truth.poseSpeed();
        assertTrue(speed >= 0.25 && speed <= 4, "the head turns, neither frozen nor shaking: pose speed ratio " + speed);
        assertTrue(generated.mouthOpenStd() > 0.1 * truth.mouthOpenStd(), "the mouth moves: std ratio "
                + generated.mouthOpenStd() / truth.mouthOpenStd());
        assertTrue(trainedFd < untrainedFd, "training brings 25-frame clips closer to the data's: FD " + trainedFd
                + " trained vs " + untrainedFd + " untrained");
    }

    /**
     * Variants of laptop() side by side for {@code lm.sgv.explore.seconds} each (opt-in): the code
     * distance δ and the window length (with maxGap = window − 1) as {@code δ:window} pairs in
     * {@code lm.sgv.explore.variants}, e.g. {@code 16:25,4:25,4:64}.
     */
    @Test
    @EnabledIfSystemProperty(named = "lm.sgv.explore", matches = "true")
    void explore() {
        TalkingHead data = defaultWorld();
        long seconds = Long.getLong("lm.sgv.explore.seconds", 90);
        for (String variant : System.getProperty("lm.sgv.explore.variants", "16:25,4:25,4:64").split(",")) {
            String[] p = variant.split(":");
            int window = Integer.parseInt(p[1]);
            StyleGanVConfig c = StyleGanVConfig.laptop().toBuilder().codeDistance(Integer.parseInt(p[0]))
                    .windowLength(window).maxGap(window - 1).build();
            StyleGanV model = train(c, data.windows(window), Long.MAX_VALUE, seconds * 1000);
            report("δ " + p[0] + ", windows of " + window + ": " + model.generatorSteps() + " steps in " + seconds + " s",
                    data.statistics(), LearnsCheck.samples(model, LearnsCheck.SAMPLES, LearnsCheck.FRAMES));
            LatentFrechet fd = LatentFrechet.of(data, 10).samples(500).window(25).clipComponents(8).seed(5);
            System.out.printf(Locale.ROOT, "  25-frame clip FD in W+: %.3f%n", fd.clips(LearnsCheck.trajectories(model, 200, 25)));
        }
    }

    @Test
    @EnabledIfSystemProperty(named = "lm.sgv.learns", matches = "true")
    void cpuPresetMeasurement() {
        double minutes = Double.parseDouble(System.getProperty("lm.sgv.minutes", "12"));
        long seed = Long.getLong("lm.sgv.seed", 1);
        TalkingHead data = defaultWorld();
        int window = Integer.getInteger("lm.sgv.window", StyleGanVConfig.laptop().windowLength());
        StyleGanVConfig c = StyleGanVConfig.laptop().toBuilder().seed(seed)
                .codeDistance(Integer.getInteger("lm.sgv.codeDistance", StyleGanVConfig.laptop().codeDistance()))
                .windowLength(window).maxGap(Math.max(StyleGanVConfig.laptop().maxGap(), window - 1)).build();
        long t0 = System.nanoTime();
        StyleGanV model = train(c, data.windows(window), Long.MAX_VALUE, (long) (minutes * 60_000));
        System.out.printf(Locale.ROOT, "%s after %.0f s (%s)%n", model, (System.nanoTime() - t0) / 1e9, c);
        double[] ratios = report(String.format(Locale.ROOT, "StyleGanV laptop() seed %d, %.0f min, %d × %d frames", seed,
                minutes, LearnsCheck.SAMPLES, LearnsCheck.FRAMES), data.statistics(),
                LearnsCheck.samples(model, LearnsCheck.SAMPLES, LearnsCheck.FRAMES));
        LatentFrechet fd = LatentFrechet.of(data, 10).samples(500).window(25).clipComponents(8).seed(5);
        System.out.printf(Locale.ROOT, "  25-frame clip FD in W+: trained %.3f, real vs real %.3f%n",
                fd.clips(LearnsCheck.trajectories(model, 200, 25)), fd.realVsRealClips());
        for (int k = 0; k < ratios.length; k++) {
            assertTrue(Double.isFinite(ratios[k]) || k == 1, "statistic " + k + " is finite"); // k = 1: no blink, no duration
        }
    }
}

package org.latentmotion.motion.mocogan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import java.time.Duration;
import org.latentmotion.metrics.LearnsCheck;
import org.latentmotion.metrics.LatentFrechet;
import org.latentmotion.metrics.LoopingScore;
import org.latentmotion.motion.Trainer;
import org.latentmotion.nn.Scope;
import org.latentmotion.pca.LatentPca;
import org.latentmotion.toy.FaceCodec;
import org.latentmotion.toy.FaceParameters;
import org.latentmotion.toy.MotionStatistics;
import org.latentmotion.toy.TalkingHead;
import org.latentmotion.toy.ToyWorld;
import org.latentmotion.wplus.Trajectory;
import org.latentmotion.wplus.Windows;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Does MoCoGAN-HD learn the default world's motion, and what do its long samples do? A run of the
 * shared {@link Trainer} on the default world's windows, then the motion statistics of decoded
 * samples against the ground truth ({@link LearnsCheck}, as for every model; {@code ZooLearnsCheckTest}
 * puts all models in one table), and the looping score of 1500-frame samples (the paper's known
 * weakness: long samples that freeze, drift or repeat).
 *
 * <p>The CI-scale test trains for a fixed number of steps (about a minute on one core); the CPU
 * preset's measurement runs for {@code lm.mocogan.minutes} (12) and prints every ratio:
 * <pre>
 * OMP_NUM_THREADS=1 mvn -o test -Dtest=MoCoGanHdLearnsTest#cpuPresetMeasurement -Dlm.mocogan.learns=true
 *     [-Dlm.mocogan.minutes=12] [-Dlm.mocogan.seed=1] [-Dlm.mocogan.alpha=…]
 * </pre>
 */
class MoCoGanHdLearnsTest {
    static final int CI_SAMPLES = LearnsCheck.CI_SAMPLES;
    static final int FRAMES = LearnsCheck.FRAMES;
    static final int LONG = 1500;

    static TalkingHead defaultWorld() {
        return ToyWorld.talkingHead().actor(7).minutes(5).generate();
    }

    /** Trains with the shared trainer until {@code steps} training steps or {@code millis} pass. */
    static MoCoGanHd train(MoCoGanHdConfig config, Windows windows, long steps, long millis) {
        MoCoGanHd model = MoCoGanHd.create(config);
        Trainer trainer = Trainer.of(model, windows).epochs(100_000).maxSteps(steps).seed(config.seed()).live(false);
        if (millis < Long.MAX_VALUE) {
            trainer.timeLimit(Duration.ofMillis(millis));
        }
        trainer.fit();
        return model;
    }

    static MotionStatistics statistics(MoCoGanHd model, int count, int frames) {
        return LearnsCheck.samples(model, count, frames);
    }

    /** generated / real for every statistic, as a table; returns the ratios in {@link LearnsCheck#STATISTICS} order. */
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

    /** Looping scores of {@code count} samples of {@code frames} frames, in the real motion's PCA basis; printed. */
    static List<LoopingScore> loopingScores(MoCoGanHd model, LatentPca basis, int count, int frames) {
        List<LoopingScore> out = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            Trajectory clip = model.sample(frames, 2000 + k);
            LoopingScore s = LoopingScore.detector().score(clip, basis);
            // the mouth alone: a repeated syllable cycle is invisible in all directions when a drift holds their variance
            double[] mouth = FaceCodec.decode(clip).get("mouthOpen");
            double[][] column = new double[mouth.length][1];
            for (int t = 0; t < mouth.length; t++) {
                column[t][0] = mouth[t];
            }
            LoopingScore mouthScore = LoopingScore.of(org.nd4j.linalg.factory.Nd4j.createFromArray(column));
            System.out.printf(Locale.ROOT, "  %d-frame sample %d: %s; late/early motion %.2f; mouth alone: %s%n", frames,
                    k, s, lateOverEarlyMotion(clip, basis), mouthScore.verdict());
            out.add(s);
        }
        return out;
    }

    /**
     * RMS frame-to-frame change of the last third of a sample over that of its first third (in
     * the basis' coordinates): near 1 for motion that goes on, near 0 for motion that dies out.
     */
    static double lateOverEarlyMotion(Trajectory clip, LatentPca basis) {
        INDArray x = basis.project(clip).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE);
        int t = (int) x.size(0);
        return rmsChange(x, 2 * t / 3, t) / rmsChange(x, 0, t / 3);
    }

    private static double rmsChange(INDArray x, int from, int to) {
        double s = 0;
        for (int i = from + 1; i < to; i++) {
            s += x.getRow(i).sub(x.getRow(i - 1)).norm2Number().doubleValue() * x.getRow(i).sub(x.getRow(i - 1)).norm2Number().doubleValue();
        }
        return Math.sqrt(s / (to - from - 1));
    }

    /** CI scale: the laptop() preset for {@value #CI_STEPS} training steps (about a minute on one core), trained once. */
    static final long CI_STEPS = 150;
    private static TalkingHead ciData;
    private static MoCoGanHd ciModel;

    static synchronized MoCoGanHd ciModel() {
        if (ciModel == null) {
            ciData = defaultWorld();
            long t0 = System.nanoTime();
            ciModel = train(MoCoGanHdConfig.laptop(), ciData.windows(25), CI_STEPS, Long.MAX_VALUE);
            System.out.printf(Locale.ROOT, "CI-scale training: %s in %.0f s%n", ciModel, (System.nanoTime() - t0) / 1e9);
        }
        return ciModel;
    }

    /** Frees the CI-scale model and the data (hundreds of MB) before the next test class runs in this JVM. */
    @AfterAll
    static synchronized void releaseCiModel() {
        ciModel = null;
        ciData = null;
        Scope.releaseReusedMemory();
    }

    /**
     * After a CI budget the model trains and its samples move: nothing NaN, the head turns at a
     * speed within 4× of the truth's (neither frozen nor shaking), the mouth opens and closes.
     */
    @Test
    void ciScaleTrainingMovesLikeTheData() {
        MoCoGanHd model = ciModel();
        assertEquals(CI_STEPS * MoCoGanHdConfig.laptop().generatorSteps(), model.generatorSteps());
        MotionStatistics truth = ciData.statistics();
        MotionStatistics generated = statistics(model, CI_SAMPLES, FRAMES);
        double[] ratios = report("MoCoGanHd laptop(), CI scale (" + CI_STEPS + " steps)", truth, generated);
        for (int k = 0; k < ratios.length; k++) {
            // a model that does not blink has no blink duration; every other statistic is a number
            assertTrue(!Double.isNaN(ratios[k]) || (k == 1 && generated.blinksPerMinute() == 0), "statistic " + k + " is a number");
        }
        // Printed, not asserted: an untrained generator (α = 0.2 residuals) already moves the head at
        // half the real speed and opens the mouth as widely as the data, and 150–400 steps do not
        // bring 25-frame windows measurably closer to the data than it is (clip FD in W+: 668, 375
        // and 599 after 150, 250 and 400 steps against 430 untrained, two threads). So this test
        // holds what MoCoGAN-HD does at CI scale (trains, no NaN, moves without freezing or
        // shaking); whether it learns is ZooLearnsCheckTest's measurement at its CPU budget.
        LatentFrechet fd = LatentFrechet.of(ciData, 10).samples(500).window(25).clipComponents(8).seed(5);
        MoCoGanHd untrained = MoCoGanHd.create(MoCoGanHdConfig.laptop()).prepare(ciData.windows(25));
        System.out.printf(Locale.ROOT, "  25-frame clip FD in W+: trained %.3f, untrained %.3f, real vs real %.3f%n",
                fd.clips(LearnsCheck.trajectories(model, 200, 25)), fd.clips(LearnsCheck.trajectories(untrained, 200, 25)),
                fd.realVsRealClips());
        double speed = generated.poseSpeed() / truth.poseSpeed();
        assertTrue(speed >= 0.25 && speed <= 4, "the head turns, neither frozen nor shaking: pose speed ratio " + speed);
        // No blink bar here: since blinks are counted with absolute eye thresholds (a shut spell of
        // at most 1 s), 150 steps of MoCoGAN-HD measured 0 blinks per minute; the old relative rule
        // had counted twitches of half-shut lids. Reported, not asserted.
        System.out.printf(java.util.Locale.ROOT, "  eyes: mean opening %.3f (real %.3f), shut %.1f %% of frames (real %.1f %%)%n",
                generated.eyeOpenMean(), truth.eyeOpenMean(), 100 * generated.eyesShutFraction(), 100 * truth.eyesShutFraction());
        assertTrue(generated.mouthOpenStd() > 0.1 * truth.mouthOpenStd(), "the mouth moves: std ratio "
                + generated.mouthOpenStd() / truth.mouthOpenStd());
    }

    /**
     * The paper's known weakness made visible: 1500-frame samples get a looping score and a late/early
     * motion ratio (printed). The metric's side of the bargain is checked on the same samples: a sample
     * repeated (its first 100 frames tiled) is called looping, a sample frozen from frame 100 on never
     * decorrelates, and the real data does neither. The model's side: its long samples are scored
     * (a verdict each, no NaN) and do not die out (late motion at least a tenth of early motion: a
     * sample that freezes fails here).
     */
    @Test
    void longSamplesAreScoredForRepetitionAndCollapse() {
        MoCoGanHd model = ciModel();
        LatentPca basis = LatentPca.fit(ciData, 10);
        Trajectory real = ciData.clip(0).slice(0, LONG);
        LoopingScore realScore = LoopingScore.detector().score(real, basis);
        System.out.println("  real 1500 frames: " + realScore);
        assertEquals(LoopingScore.Verdict.NOT_LOOPING, realScore.verdict(), "the real motion neither loops nor freezes");
        List<LoopingScore> scores = loopingScores(model, basis, 3, LONG);
        for (LoopingScore s : scores) {
            assertEquals(LONG, s.frames());
            assertTrue(s.verdict() != null);
        }
        Trajectory sample = model.sample(LONG, 2000);
        assertTrue(lateOverEarlyMotion(sample, basis) > 0.1, "long samples keep moving");
        List<Trajectory> tiles = new ArrayList<>();
        for (int k = 0; k < LONG / 100; k++) {
            tiles.add(sample.slice(0, 100));
        }
        LoopingScore repeated = LoopingScore.detector().score(Trajectory.concat(tiles), basis);
        assertEquals(LoopingScore.Verdict.LOOPING, repeated.verdict(), "a repeated sample is seen: " + repeated);
        List<Trajectory> frozenParts = new ArrayList<>();
        frozenParts.add(sample.slice(0, 100));
        for (int k = 100; k < LONG; k++) {
            frozenParts.add(sample.slice(99, 100));
        }
        LoopingScore frozen = LoopingScore.detector().score(Trajectory.concat(frozenParts), basis);
        assertEquals(LoopingScore.Verdict.NEVER_DECORRELATES, frozen.verdict(), "a frozen sample is seen: " + frozen);
    }

    @Test
    @EnabledIfSystemProperty(named = "lm.mocogan.explore", matches = "true")
    void explore() {
        TalkingHead data = defaultWorld();
        Windows windows = data.windows(25);
        MoCoGanHdConfig c = MoCoGanHdConfig.laptop();
        // how far the data's whitened coordinates move per frame: what α must allow
        MoCoGanHd probe = MoCoGanHd.create(c).prepare(windows);
        INDArray w = probe.whitenWindows(windows.batch(windows.order(1)));
        INDArray d = w.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 25),
                org.nd4j.linalg.indexing.NDArrayIndex.all()).sub(w.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 24), org.nd4j.linalg.indexing.NDArrayIndex.all()));
        INDArray flat = org.nd4j.linalg.ops.transforms.Transforms.abs(d.reshape(d.length() / c.components(), c.components()));
        System.out.println("whitened scales " + java.util.Arrays.toString(probe.basis().scales()));
        System.out.println("max |Δx̃| per component " + flat.max(0));
        System.out.println("rms Δx̃ per component " + org.nd4j.linalg.ops.transforms.Transforms.sqrt(flat.mul(flat).mean(0)));
        long minutes = Long.getLong("lm.mocogan.explore.seconds", 120);
        MoCoGanHd model = train(c, windows, Long.MAX_VALUE, minutes * 1000);
        System.out.println(model);
        report("explore", data.statistics(), statistics(model, LearnsCheck.SAMPLES, FRAMES));
        loopingScores(model, LatentPca.fit(data, 10), 3, LONG);
    }

    @Test
    @EnabledIfSystemProperty(named = "lm.mocogan.learns", matches = "true")
    void cpuPresetMeasurement() {
        double minutes = Double.parseDouble(System.getProperty("lm.mocogan.minutes", "12"));
        long seed = Long.getLong("lm.mocogan.seed", 1);
        TalkingHead data = defaultWorld();
        MoCoGanHdConfig.Builder builder = MoCoGanHdConfig.laptop().toBuilder().seed(seed);
        if (System.getProperty("lm.mocogan.alpha") != null) {
            builder.alpha(Double.parseDouble(System.getProperty("lm.mocogan.alpha")));
        }
        MoCoGanHdConfig c = builder.build();
        long t0 = System.nanoTime();
        MoCoGanHd model = train(c, data.windows(25), Long.MAX_VALUE, (long) (minutes * 60_000));
        System.out.printf(Locale.ROOT, "%s after %.0f s (%s)%n", model, (System.nanoTime() - t0) / 1e9, c);
        double[] ratios = report(String.format(Locale.ROOT, "MoCoGanHd laptop() seed %d, %.0f min, %d × %d frames", seed,
                minutes, LearnsCheck.SAMPLES, FRAMES), data.statistics(), statistics(model, LearnsCheck.SAMPLES, FRAMES));
        List<LoopingScore> loops = loopingScores(model, LatentPca.fit(data, 10), CI_SAMPLES, LONG);
        long looping = loops.stream().filter(LoopingScore::looping).count();
        long frozen = loops.stream().filter(s -> s.verdict() == LoopingScore.Verdict.NEVER_DECORRELATES).count();
        System.out.printf(Locale.ROOT, "1500-frame samples: %d of %d looping, %d never decorrelate%n", looping,
                loops.size(), frozen);
        for (double r : ratios) {
            assertTrue(Double.isFinite(r), "every statistic is finite");
        }
        assertEquals(CI_SAMPLES, loops.size());
    }
}

package org.latentmotion.motion.stylefacev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.latentmotion.metrics.LearnsCheck;
import org.latentmotion.motion.Trainer;
import org.latentmotion.motion.TrainingHistory;
import org.latentmotion.nn.Scope;
import org.latentmotion.toy.FaceCodec;
import org.latentmotion.toy.FaceParameters;
import org.latentmotion.toy.MotionStatistics;
import org.latentmotion.toy.TalkingHead;
import org.latentmotion.toy.ToyWorld;
import org.latentmotion.wplus.Trajectory;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Does StyleFaceV learn the default world (actor 7, 5 minutes, windows of 25), supervised by key
 * points computed from the toy face's exact parameters ({@link ToyFaceKeypoints})? The CI-scale
 * model trains once through the shared {@link Trainer} for {@value #CI_STEPS} steps of the
 * laptop() preset with shortened stages; the checks: recomposition reconstructs held-out frames'
 * face parameters far better than chance, samples move (pose speed within a factor 3 of the
 * data's, the mouth's spread more than a tenth of it), the identity parameters stay put over 500 frames (also for another
 * actor's code, driven by sampled motion), 1500 frames work.
 *
 * <p>The CPU preset's measurement (opt-in) trains laptop() for {@code lm.facev.minutes} (12) and
 * prints every motion-statistics ratio over {@value LearnsCheck#SAMPLES} samples of 500 frames:
 * <pre>
 * OMP_NUM_THREADS=1 mvn -o test -Dtest=StyleFaceVLearnsTest#cpuPresetMeasurement -Dlm.facev.learns=true [-Dlm.facev.minutes=12]
 * </pre>
 */
class StyleFaceVLearnsTest {
    static final int CI_SAMPLES = LearnsCheck.CI_SAMPLES;
    static final int FRAMES = LearnsCheck.FRAMES;
    static final long CI_STEPS = 400;
    static final List<String> STATE = List.of("yaw", "pitch", "roll", "mouthOpen", "eyeOpen", "smile");

    private static TalkingHead ciData;
    private static StyleFaceV ciModel;

    static TalkingHead defaultWorld() {
        return ToyWorld.talkingHead().actor(7).minutes(5).generate();
    }

    static StyleFaceVConfig ciConfig() {
        return StyleFaceVConfig.laptop().toBuilder().pretrainSteps(80).decompositionSteps(170).build();
    }

    static synchronized StyleFaceV ciModel() {
        if (ciModel == null) {
            ciData = defaultWorld();
            long t0 = System.nanoTime();
            StyleFaceV model = StyleFaceV.create(ciConfig(), new ToyFaceKeypoints());
            TrainingHistory h = Trainer.of(model, ciData.windows(25)).seed(1).maxSteps(CI_STEPS).live(false).fit();
            System.out.printf(Locale.ROOT, "CI-scale training: %s in %.0f s; %s%n", model, (System.nanoTime() - t0) / 1e9,
                    h.outcome());
            for (long s : new long[] {0, 79, 80, 249, 250, CI_STEPS - 1}) {
                System.out.println("  step " + (s + 1) + ": " + h.row((int) s));
            }
            ciModel = model;
        }
        return ciModel;
    }

    /** Frees the CI-scale model and the data before the next test class runs in this JVM. */
    @AfterAll
    static synchronized void release() {
        ciModel = null;
        ciData = null;
        Scope.releaseReusedMemory();
    }

    static MotionStatistics statistics(StyleFaceV model, int count, int frames) {
        return LearnsCheck.samples(model, count, frames);
    }

    /** Mean over the state parameters of mean |a − b| / range. */
    static double stateError(FaceParameters a, FaceParameters b, int shift) {
        FaceCodec codec = FaceCodec.spec();
        double total = 0;
        for (String name : STATE) {
            FaceCodec.Parameter p = codec.parameter(name);
            double[] x = a.get(name);
            double[] y = b.get(name);
            double s = 0;
            for (int t = 0; t < x.length; t++) {
                s += Math.abs(x[t] - y[(t + shift) % y.length]);
            }
            total += s / x.length / (p.hi() - p.lo());
        }
        return total / STATE.size();
    }

    @Test
    void recompositionReconstructsHeldOutFramesFarBetterThanChance() {
        StyleFaceV model = ciModel();
        Trajectory held = ToyWorld.talkingHead().actor(7).seed(99).seconds(30).generate().clip(0);
        INDArray first = held.codes().get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.all()).dup();
        FaceParameters truth = FaceCodec.decode(held);
        FaceParameters rebuilt = FaceCodec.decode(model.reenact(first, held));
        double err = stateError(rebuilt, truth, 0);
        double chance = stateError(truth, truth, held.frames() / 2); // the same motion half a clip apart
        System.out.printf(Locale.ROOT, "held-out reconstruction: state error %.4f of range, chance %.4f (ratio %.2f)%n",
                err, chance, err / chance);
        for (String name : STATE) {
            System.out.printf(Locale.ROOT, "  %s: mean |error| %.4f%n", name,
                    meanAbsDiff(rebuilt.get(name), truth.get(name)));
        }
        assertTrue(err < 0.5 * chance, "reconstruction error " + err + " vs chance " + chance);
    }

    private static double meanAbsDiff(double[] a, double[] b) {
        double s = 0;
        for (int t = 0; t < a.length; t++) {
            s += Math.abs(a[t] - b[t]);
        }
        return s / a.length;
    }

    @Test
    void samplesMoveLikeTheDataAndKeepTheirIdentity() {
        StyleFaceV model = ciModel();
        MotionStatistics truth = ciData.statistics();
        MotionStatistics generated = statistics(model, CI_SAMPLES, FRAMES);
        double speed = generated.poseSpeed() / truth.poseSpeed();
        double mouth = generated.mouthOpenStd() / truth.mouthOpenStd();
        System.out.printf(Locale.ROOT, "CI scale: pose speed ratio %.2f, mouth std ratio %.2f, pose variance ratio %.2f,"
                        + " blinks/min %.2f (real %.2f), mouth mean %.3f (real %.3f)%n", speed, mouth,
                generated.poseVariance() / truth.poseVariance(), generated.blinksPerMinute(), truth.blinksPerMinute(),
                generated.mouthOpenMean(), truth.mouthOpenMean());
        assertTrue(speed >= 1 / 3.0 && speed <= 3, "pose speed within 3× of the truth's: ratio " + speed);
        // The sampler has had 150 steps here, and where it lands depends on the last bits of the sums:
        // the same run gave a mouth std ratio of 1.23 with one ND4J thread and 0.18 with two (CI's),
        // so the bar is MoCoGAN-HD's CI bar, "the mouth moves", not "like the data".
        assertTrue(mouth >= 0.1 && mouth <= 3, "the mouth moves (std more than a tenth of the truth's, at most 3×): ratio "
                + mouth);

        FaceCodec codec = FaceCodec.spec();
        Trajectory clip = model.sample(FRAMES, 5);
        FaceParameters p = FaceCodec.decode(clip);
        double worst = 0;
        for (String name : codec.names(FaceCodec.Kind.IDENTITY)) {
            FaceCodec.Parameter q = codec.parameter(name);
            double[] v = p.get(name);
            for (double x : v) {
                worst = Math.max(worst, Math.abs(x - v[0]) / (q.hi() - q.lo()));
            }
        }
        System.out.printf(Locale.ROOT, "identity over %d frames: largest change %.2e of a parameter's range%n", FRAMES,
                worst);
        assertTrue(worst < 0.01, "identity parameters stay put: largest change " + worst + " of the range");

        // drive another actor's identity (never seen in training) with sampled motion
        Trajectory stranger = ToyWorld.talkingHead().actor(3).seconds(2).generate().clip(0);
        INDArray code = stranger.codes().get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.all()).dup();
        FaceParameters driven = FaceCodec.decode(model.animate(code, FRAMES, 6));
        FaceParameters own = FaceCodec.decode(stranger);
        double drift = 0;
        for (String name : codec.names(FaceCodec.Kind.IDENTITY)) {
            FaceCodec.Parameter q = codec.parameter(name);
            for (double x : driven.get(name)) {
                drift = Math.max(drift, Math.abs(x - own.get(name, 0)) / (q.hi() - q.lo()));
            }
        }
        double yawStd = std(driven.get("yaw"));
        System.out.printf(Locale.ROOT, "another actor driven for %d frames: identity change %.2e of the range, yaw std %.3f"
                + " rad (data %.3f)%n", FRAMES, drift, yawStd, std(ciData.allGroundTruth().get("yaw")));
        assertTrue(drift < 0.01, "the other actor's identity stays: " + drift);
        assertTrue(yawStd > 0.005, "the other actor's head moves: yaw std " + yawStd);
    }

    private static double std(double[] v) {
        double m = 0;
        for (double x : v) {
            m += x / v.length;
        }
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m) / v.length;
        }
        return Math.sqrt(s);
    }

    @Test
    void longSamplesWork() {
        StyleFaceV model = ciModel();
        Trajectory clip = model.sample(1500, 11);
        assertEquals(1500, clip.frames());
        double[] yaw = FaceCodec.decode(clip).get("yaw");
        double late = 0;
        for (int t = 1001; t < 1500; t++) {
            assertTrue(Double.isFinite(yaw[t]), "frame " + t);
            late += Math.abs(yaw[t] - yaw[t - 1]);
        }
        System.out.printf(Locale.ROOT, "1500-frame sample: mean |Δyaw| in the last third %.4f rad/frame%n", late / 499);
        assertTrue(late > 0, "the head still moves in the last third");
    }

    /** The CPU preset for {@code lm.facev.minutes} minutes; prints every ratio of the motion-statistics bar. */
    @Test
    @EnabledIfSystemProperty(named = "lm.facev.learns", matches = "true")
    void cpuPresetMeasurement() {
        double minutes = Double.parseDouble(System.getProperty("lm.facev.minutes", "12"));
        TalkingHead data = defaultWorld();
        StyleFaceV model = StyleFaceV.create(StyleFaceVConfig.laptop(), new ToyFaceKeypoints());
        long t0 = System.nanoTime();
        TrainingHistory h = Trainer.of(model, data.windows(25)).seed(1).timeLimit(Duration.ofSeconds((long) (minutes * 60)))
                .live(false).fit();
        System.out.printf(Locale.ROOT, "laptop(): %s, %d steps in %.0f s (%s)%n", model, h.size(),
                (System.nanoTime() - t0) / 1e9, h.outcome());
        var run = new LearnsCheck.Run("laptop()", statistics(model, LearnsCheck.SAMPLES, FRAMES), data.statistics(), model);
        String md = LearnsCheck.table(List.of(run), data.statistics(), LearnsCheck.halves(data), 0.25).markdown();
        System.out.println(md);
    }
}

package org.latentmotion.motion;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.latentmotion.metrics.LearnsCheck;
import org.latentmotion.toy.FaceParameters;
import org.latentmotion.toy.MotionStatistics;
import org.latentmotion.toy.TalkingHead;
import org.latentmotion.toy.FaceCodec;
import org.latentmotion.toy.ToyWorld;
import org.latentmotion.wplus.Trajectory;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The diagnosis behind issue 13, as a command: trains a {@code small()} variant on the quickstart's
 * data and prints, every {@code x.every} steps, the motion statistics of the training generator
 * (train mode) and of the EMA generator, with each face parameter's spread, RMS frame-to-frame
 * change and lag-1 autocorrelation, and the ratios to the data; at the end, the trained critic's
 * mean score on real windows and on the same windows with one parameter jittered or offset.
 * <pre>
 * java -cp target/classes:target/test-classes:$(cat cp.txt) org.latentmotion.motion.MotionQualityExperiment \
 *     -Dx.steps=600 -Dx.every=200 [-Dx.mc=32] [-Dx.diff=true] [-Dx.he=true] [-Dx.lr=0.002] [-Dx.chrono=500]
 *     [-Dx.ncritic=5] [-Dx.batch=32] [-Dx.gap=0] [-Dx.spectral=true] [-Dx.decay=2500] [-Dx.white=0] [-Dx.jitter=0] [-Dx.name=run]
 * </pre>
 * (properties go before the class name; {@code cp.txt} from {@code mvn dependency:build-classpath}).
 */
public final class MotionQualityExperiment {
    private MotionQualityExperiment() {
    }

    static String prop(String k, String d) { return System.getProperty("x." + k, d); }

    public static void main(String[] a) throws Exception {
        int steps = Integer.parseInt(prop("steps", "300"));
        double chrono = Double.parseDouble(prop("chrono", "0"));
        long actor = Long.parseLong(prop("actor", "7"));
        double minutes = Double.parseDouble(prop("minutes", "5"));
        int cuts = Integer.parseInt(prop("cuts", "4"));
        StyleVideoGanConfig.Builder b = (prop("preset", "small").equals("laptop") ? StyleVideoGanConfig.laptop()
                : StyleVideoGanConfig.small()).toBuilder();
        if (System.getProperty("x.lr") != null) b.learningRate(Double.parseDouble(prop("lr", "")));
        if (System.getProperty("x.lrg") != null) b.lrGenerator(Double.parseDouble(prop("lrg", "")));
        if (System.getProperty("x.ncritic") != null) b.criticSteps(Integer.parseInt(prop("ncritic", "")));
        if (System.getProperty("x.ema") != null) b.emaDecay(Double.parseDouble(prop("ema", "")));
        if (System.getProperty("x.seed") != null) b.seed(Long.parseLong(prop("seed", "")));
        if (System.getProperty("x.batch") != null) b.batch(Integer.parseInt(prop("batch", "")));
        if (System.getProperty("x.cw") != null) b.criticWidth(Integer.parseInt(prop("cw", "")));
        if (Boolean.getBoolean("x.he")) b.kaimingInit(true);
        if (chrono > 0) b.gruTimescale(chrono);
        if (System.getProperty("x.mc") != null) b.motionComponents(Integer.parseInt(prop("mc", "")));
        if (System.getProperty("x.gp") != null) b.lambdaGp(Double.parseDouble(prop("gp", "")));
        if (System.getProperty("x.diff") != null) b.criticDifferences(Boolean.getBoolean("x.diff"));
        if (System.getProperty("x.gap") != null) b.lambdaGap(Double.parseDouble(prop("gap", "")));
        if (System.getProperty("x.pixelnorm") != null) b.mapperPixelNorm(Boolean.getBoolean("x.pixelnorm"));
        if (System.getProperty("x.smooth") != null) b.noiseSmoothing(Double.parseDouble(prop("smooth", "")));
        if (System.getProperty("x.horizon") != null) b.trainingHorizon(Integer.parseInt(prop("horizon", "")));
        if (System.getProperty("x.t") != null) b.windowLength(Integer.parseInt(prop("t", "")));
        if (System.getProperty("x.cc") != null) b.criticChannels(Integer.parseInt(prop("cc", "")));
        if (System.getProperty("x.cf") != null) b.criticFeatures(Integer.parseInt(prop("cf", "")));
        if (System.getProperty("x.spectral") != null) b.spectralCritic(Boolean.getBoolean("x.spectral"));
        if (System.getProperty("x.decay") != null) b.decaySteps(Integer.parseInt(prop("decay", "")));
        if (System.getProperty("x.white") != null) b.whiteNoise(Double.parseDouble(prop("white", "")));
        StyleVideoGanConfig config = b.build();
        TalkingHead data = ToyWorld.talkingHead().actor(actor).minutes(minutes).cuts(cuts).jitter(Double.parseDouble(prop("jitter", "0.03"))).generate();
        StyleVideoGan gan = StyleVideoGan.create(config);

        System.out.println(config);
        MotionStatistics truth = data.statistics();
        report("data", truth, spectra(data.groundTruth()));
        long t0 = System.nanoTime();
        int every = Integer.parseInt(prop("every", "100000"));
        int curve = Integer.parseInt(prop("curve", "100"));
        TrainingHistory h = Trainer.of(gan, data.windows(config.windowLength())).epochs(1000).maxSteps(steps).seed(config.seed()).live(false)
                .timeLimit(Duration.ofMinutes(Long.parseLong(prop("limit", "30"))))
                .listener((st, hist) -> {
                    if (st.step() % curve == 0) {
                        System.out.println("curve " + st);
                    }
                    if (st.step() % every == 0 && st.step() > 0) {
                        evaluate(gan, truth, "@" + st.step());
                    }
                }).fit();
        System.out.printf(Locale.ROOT, "trained: %s in %.0f s%n", h.headline(), (System.nanoTime() - t0) / 1e9);
        evaluate(gan, truth, "final");
        gan.save(java.nio.file.Path.of("/tmp/exp-" + prop("name", "x") + ".npz"));
        if (config.windowLength() == 25) {
            criticSensitivity(gan, data);
        }
    }

    /** Mean critic score of real windows, and of the same windows with one parameter jittered per frame or offset. */
    static void criticSensitivity(StyleVideoGan gan, TalkingHead data) {
        var windows = data.windows(25);
        int n = 64;
        int[] idx = new int[n];
        for (int k = 0; k < n; k++) idx[k] = (int) ((long) k * windows.size() / n);
        INDArray real = windows.batch(idx); // [n, 25, 18, 512]
        int f = 18 * 512;
        System.out.printf(Locale.ROOT, "critic: real %.3f%n", score(gan, real));
        Random r = new Random(3);
        for (String p : new String[] {"yaw", "pitch", "mouthOpen", "eyeOpen"}) {
            for (double amp : new double[] {0.01, 0.03, 0.1}) {
                INDArray jit = real.dup('c');
                INDArray off = real.dup('c');
                for (int b = 0; b < n; b++) {
                    double o = amp * (r.nextBoolean() ? 1 : -1);
                    for (int t = 0; t < 25; t++) {
                        INDArray code = real.get(NDArrayIndex.point(b), NDArrayIndex.point(t));
                        double v = FaceCodec.decode(code.reshape(1, 18, 512), 25).get(p)[0];
                        jit.get(NDArrayIndex.point(b), NDArrayIndex.point(t)).assign(FaceCodec.set(code.dup('c'), p, v + amp * r.nextGaussian()));
                        off.get(NDArrayIndex.point(b), NDArrayIndex.point(t)).assign(FaceCodec.set(code.dup('c'), p, v + o));
                    }
                }
                System.out.printf(Locale.ROOT, "critic: %s amp %.2f  jitter %.3f  offset %.3f%n", p, amp, score(gan, jit), score(gan, off));
            }
        }
    }

    static double score(StyleVideoGan gan, INDArray windows) {
        long b = windows.size(0);
        INDArray std = gan.standardize(windows.reshape('c', b * 25, 18 * 512));
        return org.latentmotion.nn.Autograd.noGrad(() -> gan.critic().forward(org.latentmotion.nn.Var.constant(std))).value().meanNumber().doubleValue();
    }

    static void evaluate(StyleVideoGan gan, MotionStatistics truth, String tag) {
        List<FaceParameters> ema = new ArrayList<>();
        for (int k = 0; k < 10; k++) ema.add(FaceCodec.decode(gan.sample(500, 1000 + k)));
        List<FaceParameters> train = new ArrayList<>();
        for (Trajectory t : gan.sampleTrainingGenerator(10, 500, 77)) train.add(FaceCodec.decode(t));
        report(tag + " train-mode", MotionStatistics.of(train), spectra(train));
        report(tag + " ema", MotionStatistics.of(ema), spectra(ema));
        spreadOverTime(tag + " train-mode", train);
        spreadOverTime(tag + " ema", ema);
        MotionStatistics e = MotionStatistics.of(ema);
        System.out.printf(Locale.ROOT, "%s PROMINENCE real %.1f ema %.1f train %.1f%n", tag, LearnsCheck.rhythmProminence(truth),
                LearnsCheck.rhythmProminence(e), LearnsCheck.rhythmProminence(MotionStatistics.of(train)));
        System.out.printf(Locale.ROOT, "%s RATIOS ema: blink %.2f dur %.2f rhythm %.2f mmean %.2f mstd %.2f posevar %.2f posespeed %.2f%n", tag,
                e.blinksPerMinute() / truth.blinksPerMinute(), e.meanBlinkFrames() / truth.meanBlinkFrames(),
                e.mouthRhythmHz() / truth.mouthRhythmHz(), e.mouthOpenMean() / truth.mouthOpenMean(),
                e.mouthOpenStd() / truth.mouthOpenStd(), e.poseVariance() / truth.poseVariance(),
                e.poseSpeed() / truth.poseSpeed());
    }

    /** The yaw's spread across samples at some frames: a recurrence that forgets its start makes it shrink with time. */
    static void spreadOverTime(String tag, List<FaceParameters> clips) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-22s yaw spread across samples at frame", tag));
        for (int t : new int[] {0, 12, 24, 50, 100, 200, 350, 499}) {
            double m = 0;
            double q = 0;
            for (FaceParameters p : clips) {
                double v = p.get("yaw")[t];
                m += v;
                q += v * v;
            }
            m /= clips.size();
            sb.append(String.format(Locale.ROOT, " %d:%.3f", t, Math.sqrt(Math.max(q / clips.size() - m * m, 0))));
        }
        System.out.println(sb);
    }

    static final String[] PARAMS = {"yaw", "pitch", "roll", "mouthOpen", "eyeOpen", "browRaise", "smile", "gazeX"};

    /** Per parameter: [variance, variance of frame differences, fraction of difference power above 3 Hz]. */
    static double[][] spectra(List<FaceParameters> clips) {
        double[][] out = new double[PARAMS.length][3];
        for (int p = 0; p < PARAMS.length; p++) {
            double s = 0, sq = 0, dsq = 0; long n = 0, nd = 0;
            double lag1 = 0;
            for (FaceParameters c : clips) {
                double[] v = c.get(PARAMS[p]);
                double m = 0; for (double x : v) m += x; m /= v.length;
                for (int i = 0; i < v.length; i++) { s += v[i]; sq += v[i] * v[i]; n++; }
                for (int i = 1; i < v.length; i++) { double d = v[i] - v[i - 1]; dsq += d * d; nd++; lag1 += (v[i]-m)*(v[i-1]-m);}
            }
            double mean = s / n;
            out[p][0] = sq / n - mean * mean;
            out[p][1] = dsq / nd;
            out[p][2] = 1 - out[p][1] / (2 * out[p][0]); // lag-1 autocorrelation
        }
        return out;
    }

    static void report(String tag, MotionStatistics m, double[][] sp) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-22s blinks/min %5.1f dur %4.2f rhythm %4.2f mouth %.3f±%.3f posevar %.4f posespeed %.3f |",
                tag, m.blinksPerMinute(), m.meanBlinkFrames(), m.mouthRhythmHz(), m.mouthOpenMean(), m.mouthOpenStd(),
                m.poseVariance(), m.poseSpeed()));
        for (int p = 0; p < PARAMS.length; p++) {
            sb.append(String.format(Locale.ROOT, " %s sd %.3f dsd %.4f r1 %.3f;", PARAMS[p], Math.sqrt(sp[p][0]), Math.sqrt(sp[p][1]), sp[p][2]));
        }
        System.out.println(sb);
    }

}

package org.latentmotion.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.latentmotion.motion.MotionModel;
import org.latentmotion.nn.NativeGarbage;
import org.latentmotion.progress.Progress;
import org.latentmotion.pca.LatentPca;
import org.latentmotion.wplus.GroundTruthReader;
import org.latentmotion.wplus.Trajectory;
import org.latentmotion.wplus.TrajectorySet;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One call that measures motion models the way StyleVideoGAN's Table 1 does, in W+ (and on
 * rendered frames when extractors are given): a "short" set (samples as long as the training
 * window) and a "long" set (long samples), each against the real set, plus identity consistency
 * (ACD), the looping verdict on the long samples and, in the default world, motion statistics.
 * Every model × sampling seed is one run; the report shows mean ± std over runs, under a first
 * row of the same distances between two disjoint halves of the real set ({@link RealHalves}),
 * the noise floor each number is read against.
 *
 * <pre>{@code
 * EvaluationReport r = Evaluation.against(data).shortSamples(256).longSamples(8, 1500)
 *         .run(Map.of("with L_GAP", List.of(ganA, ganB), "without L_GAP", List.of(ganC, ganD)));
 * }</pre>
 */
public final class Evaluation {
    private final TrajectorySet real;
    private int window = 25;
    private int shortSamples = 256;
    private int longSamples = 8;
    private int longFrames = 1500;
    private long[] seeds = {0};
    private int components = 16;
    private int clipComponents = 8;
    private int frechetSamples = 2048;
    private IdentityFeatures identity;
    private int identityStride = 5;
    private boolean motionStatistics;
    private int segmentFrames = 256;
    private LoopingScore.Detector looping = LoopingScore.detector();
    private RenderedFrechet fid;
    private RenderedFrechet fvd;

    private Evaluation(TrajectorySet real) {
        this.real = real;
        // a known ground truth (the toy world's codec, a user's own reader) gives identity features and motion statistics
        GroundTruthReader truth = real.groundTruthReader().orElse(null);
        this.motionStatistics = truth != null && truth.readsFaceMotion();
        this.identity = truth != null ? identityOf(truth) : null; // else: W+ residual, set when the PCA exists
    }

    /** ACD features read by the real set's ground truth. */
    private static IdentityFeatures identityOf(GroundTruthReader truth) {
        return new IdentityFeatures() {
            @Override
            public INDArray of(Trajectory sample) {
                return truth.identity(sample);
            }

            @Override
            public String name() {
                return truth.identityName();
            }
        };
    }

    /** An evaluation against the real set (the W+ embedding of the training video). */
    public static Evaluation against(TrajectorySet real) {
        return new Evaluation(Objects.requireNonNull(real, "real"));
    }

    /** Training window: the short samples' length and the clip length of FVD-in-W+ (default 25). */
    public Evaluation window(int frames) {
        window = positive("window", frames);
        return this;
    }

    /** Number of short samples per run (default 256; the paper uses 2048). */
    public Evaluation shortSamples(int n) {
        shortSamples = positive("short samples", n);
        return this;
    }

    /** Number and length of long samples per run (default 8 × 1500 frames). */
    public Evaluation longSamples(int n, int frames) {
        longSamples = positive("long samples", n);
        longFrames = positive("long sample frames", frames);
        return this;
    }

    /** Sampling seeds; each model is sampled once per seed (default {0}). */
    public Evaluation seeds(long... s) {
        if (s.length == 0) {
            throw new IllegalArgumentException("seeds: expected at least one");
        }
        seeds = s.clone();
        return this;
    }

    /** PCA components of the real frames for the frame distances (default 16) and per clip frame (default 8). */
    public Evaluation components(int frame, int clip) {
        components = positive("components", frame);
        clipComponents = positive("clip components", clip);
        if (clip > frame) {
            throw new IllegalArgumentException("clip components (" + clip + ") cannot exceed frame components (" + frame + ")");
        }
        return this;
    }

    /** Frames/clips drawn per side for each Fréchet distance (default 2048). */
    public Evaluation frechetSamples(int n) {
        frechetSamples = positive("Fréchet samples", n);
        return this;
    }

    /** Identity features for ACD (default: those of the real set's ground-truth reader, e.g. the toy face's identity parameters; else the W+ residual). */
    public Evaluation identity(IdentityFeatures features) {
        identity = features;
        return this;
    }

    /** Use every n-th frame of a long sample for ACD (default 5: pairs grow with frames²). */
    public Evaluation identityStride(int n) {
        identityStride = positive("identity stride", n);
        return this;
    }

    /** Compare motion statistics (toy-face codes only; default on when the real set's ground-truth reader reads face motion, as a toy TalkingHead's does). */
    public Evaluation motionStatistics(boolean on) {
        motionStatistics = on;
        return this;
    }

    /** The looping detector for the long samples (run on their trajectory in the real set's PCA basis). */
    public Evaluation looping(LoopingScore.Detector detector) {
        looping = Objects.requireNonNull(detector, "detector");
        return this;
    }

    /** Also FID on rendered frames (short and long sets). */
    public Evaluation fid(RenderedFrechet protocol) {
        fid = protocol;
        return this;
    }

    /** Also FVD on rendered clips (short and long sets). */
    public Evaluation fvd(RenderedFrechet protocol) {
        fvd = protocol;
        return this;
    }

    private static int positive(String what, int n) {
        if (n < 1) {
            throw new IllegalArgumentException(what + ": expected at least 1, found " + n);
        }
        return n;
    }

    /** Evaluates one group of models (independent trainings of one configuration). */
    public EvaluationReport run(String label, List<? extends MotionModel> models) {
        Map<String, List<? extends MotionModel>> m = new LinkedHashMap<>();
        m.put(label, models);
        return run(m);
    }

    /** Evaluates one model (runs = sampling seeds). */
    public EvaluationReport run(String label, MotionModel model) {
        return run(label, List.of(model));
    }

    /** Evaluates groups of models; each group is one row of the report. */
    public EvaluationReport run(Map<String, ? extends List<? extends MotionModel>> groups) {
        Objects.requireNonNull(groups, "groups");
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("evaluation: expected at least one group of models, found none");
        }
        for (var e : groups.entrySet()) {
            if (e.getValue().isEmpty()) {
                throw new IllegalArgumentException("evaluation: group '" + e.getKey() + "' has no models");
            }
            for (MotionModel m : e.getValue()) {
                if (m.layers() != real.layers() || m.width() != real.width()) {
                    throw new IllegalArgumentException("evaluation: a model in '" + e.getKey() + "' generates W+ ["
                            + m.layers() + ", " + m.width() + "], the real set is [" + real.layers() + ", " + real.width() + "]");
                }
            }
        }
        LatentPca pca = LatentPca.fit(real, components);
        LatentFrechet latent = LatentFrechet.of(real, pca).window(window).clipComponents(clipComponents)
                .samples(frechetSamples);
        IdentityFeatures ids = identity != null ? identity : IdentityFeatures.latentResidual(pca);
        int runs = 0;
        for (var g : groups.values()) {
            runs += g.size() * seeds.length;
        }
        EvaluationReport report = new EvaluationReport(describe(ids.name()));
        RealHalves halves = RealHalves.of(real);
        // each run samples hundreds of megabytes of arrays that only the collector frees
        NativeGarbage garbage = new NativeGarbage();
        try (Progress bar = Progress.start("evaluating " + runs + " runs", runs)) {
            int done = 0;
            for (long seed : seeds) {
                report.addNoiseFloor(seed, realVsReal(halves, seed, latent, ids));
            }
            for (var g : groups.entrySet()) {
                for (int mi = 0; mi < g.getValue().size(); mi++) {
                    MotionModel model = g.getValue().get(mi);
                    for (long seed : seeds) {
                        if (Thread.currentThread().isInterrupted()) {
                            throw new IllegalStateException("evaluation interrupted after " + done + " of " + runs + " runs");
                        }
                        report.add(g.getKey(), mi, seed, evaluate(model, seed, latent, ids));
                        garbage.collectIfGrown();
                        bar.step(++done);
                    }
                }
            }
        }
        return report;
    }

    /**
     * The report's first row: every distance between the first and second halves of the real
     * clips, with this seed's draws (the short and long columns hold the same number: the real
     * side has no sample length); ACD of the real clips themselves; no looping verdict. A
     * distance the halves are too short for is NaN.
     */
    private EvaluationReport.Run realVsReal(RealHalves halves, long seed, LatentFrechet latent, IdentityFeatures ids) {
        Map<String, Double> v = new LinkedHashMap<>();
        LatentFrechet l = latent.seed(seed);
        double frames = l.realVsRealFrames();
        double clips = halves.longestHalf() >= window ? l.realVsRealClips() : Double.NaN;
        v.put(EvaluationReport.FD_SHORT, frames);
        v.put(EvaluationReport.FD_LONG, frames);
        v.put(EvaluationReport.FVD_SHORT, clips);
        v.put(EvaluationReport.FVD_LONG, clips);
        if (fid != null) {
            double d = renderedRealVsReal(fid, halves, seed);
            v.put("FID (short)", d);
            v.put("FID (long)", d);
        }
        if (fvd != null) {
            double d = renderedRealVsReal(fvd, halves, seed);
            v.put("FVD (short)", d);
            v.put("FVD (long)", d);
        }
        List<Trajectory> realClips = new ArrayList<>();
        for (Trajectory t : real) {
            if (t.frames() >= 2) {
                realClips.add(t);
            }
        }
        int shortest = realClips.stream().mapToInt(Trajectory::frames).min().orElse(2);
        v.put(EvaluationReport.ACD, IdentityConsistency.of(realClips, ids, Math.min(identityStride, shortest / 2)).mean());
        v.put(EvaluationReport.LOOPING, Double.NaN);
        if (motionStatistics) {
            v.put(EvaluationReport.MOTION, MotionComparison.realVsReal(real, segmentFrames));
        }
        return new EvaluationReport.Run(v, List.of());
    }

    private static double renderedRealVsReal(RenderedFrechet protocol, RealHalves halves, long seed) {
        return halves.longestHalf() >= protocol.sampleFrames()
                ? protocol.seed(seed).between(halves.first().clips(), halves.second().clips()) : Double.NaN;
    }

    private EvaluationReport.Run evaluate(MotionModel model, long seed, LatentFrechet latent, IdentityFeatures ids) {
        List<Trajectory> shortSet = new ArrayList<>();
        for (int i = 0; i < shortSamples; i++) {
            shortSet.add(model.sample(window, seed * 1_000_003L + i));
        }
        List<Trajectory> longSet = new ArrayList<>();
        for (int i = 0; i < longSamples; i++) {
            longSet.add(model.sample(longFrames, seed * 1_000_003L + 500_000L + i));
        }
        Map<String, Double> v = new LinkedHashMap<>();
        LatentFrechet l = latent.seed(seed);
        v.put(EvaluationReport.FD_SHORT, l.frames(shortSet));
        v.put(EvaluationReport.FD_LONG, l.frames(longSet));
        v.put(EvaluationReport.FVD_SHORT, l.clips(shortSet));
        v.put(EvaluationReport.FVD_LONG, l.clips(longSet));
        if (fid != null) {
            v.put("FID (short)", fid.seed(seed).between(real.clips(), shortSet));
            v.put("FID (long)", fid.seed(seed).between(real.clips(), longSet));
        }
        if (fvd != null) {
            v.put("FVD (short)", fvd.seed(seed).between(real.clips(), shortSet));
            v.put("FVD (long)", fvd.seed(seed).between(real.clips(), longSet));
        }
        v.put(EvaluationReport.ACD, IdentityConsistency.of(longSet, ids, Math.min(identityStride, longFrames / 2)).mean());
        List<LoopingScore> loops = new ArrayList<>();
        int looped = 0;
        for (Trajectory t : longSet) {
            LoopingScore s = looping.score(t, l.pca());
            loops.add(s);
            looped += s.looping() ? 1 : 0;
        }
        v.put(EvaluationReport.LOOPING, 100.0 * looped / longSet.size());
        if (motionStatistics && longFrames >= segmentFrames) {
            v.put(EvaluationReport.MOTION, MotionComparison.of(real, longSet, segmentFrames).meanStandardizedWasserstein());
        }
        return new EvaluationReport.Run(v, loops);
    }

    private String describe(String identityName) {
        return String.format("against '%s' (%d clips, %d frames); short set %d × %d frames, long set %d × %d frames; "
                + "W+ distances in %d PCA components (clips: %d × %d), %d draws per side; ACD from %s; seeds %s",
                real.name(), real.size(), real.totalFrames(), shortSamples, window, longSamples, longFrames, components,
                window, clipComponents, frechetSamples, identityName, java.util.Arrays.toString(seeds));
    }

    @Override
    public String toString() {
        return "Evaluation " + describe(identity != null ? identity.name() : "the W+ residual outside the PCA basis");
    }
}

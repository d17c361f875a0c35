package org.latentmotion.motion.stylefacev;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.latentmotion.motion.Figure;
import org.latentmotion.motion.ModelType;
import org.latentmotion.motion.NamedModelType;
import org.latentmotion.motion.StepReport;
import org.latentmotion.motion.TrainableMotionModel;
import org.latentmotion.motion.TrainingStep;
import org.latentmotion.motion.mocogan.MotionBasis;
import org.latentmotion.nn.Adam;
import org.latentmotion.nn.Autograd;
import org.latentmotion.nn.Broadcasts;
import org.latentmotion.nn.Ops;
import org.latentmotion.nn.ParameterSet;
import org.latentmotion.motion.Checks;
import org.latentmotion.motion.ModelFiles;
import org.latentmotion.motion.ModelState;
import org.latentmotion.nn.Scope;
import org.latentmotion.nn.Var;
import org.latentmotion.wplus.KeypointReader;
import org.latentmotion.wplus.Npz;
import org.latentmotion.wplus.Trajectory;
import org.latentmotion.wplus.TrajectorySet;
import org.latentmotion.wplus.Windows;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * StyleFaceV (Qiu et al. 2022, seed 004, "Face Video Generation via Decomposing and Recomposing
 * Pretrained StyleGAN3") on W+ codes of a frozen synthesizer: an appearance encoder E_a reads one
 * frame, a pose encoder E_p another, a recomposer R puts them back together, and an LSTM samples
 * pose sequences while the appearance stays fixed, so the identity cannot drift. Recomposition
 * drives any identity with sampled motion ({@link #animate}) or with the poses of another clip
 * ({@link #reenact}).
 *
 * <pre>{@code
 * var data = ToyWorld.talkingHead().actor(7).minutes(5).generate();
 * KeypointReader points = KeypointModels.toyFace().on(Synthesizers.toyFace());   // key points on rendered frames
 * var model = StyleFaceV.create(StyleFaceVConfig.laptop(), points);
 * TrainingHistory h = Trainer.of(model, data.windows(25)).maxSteps(2000).fit();  // the shared trainer
 * Trajectory clip = model.sample(1500, 42);                                      // any length
 * Trajectory you = model.animate(ToyWorld.randomActor(101), 500, 7);             // drive another identity
 * }</pre>
 *
 * <h2>Training, in three stages chosen by the step's index</h2>
 * Each step takes one real batch of windows and works in the whitened principal coordinates x of the
 * training frames ({@link MotionBasis}, shared with MoCoGanHd); the networks are in
 * {@link Decomposition}, {@link PoseSampler}, {@link PoseCritics}, {@link PoseGanLosses}.
 * <ol>
 *   <li><b>Pose pretraining</b> ({@link StyleFaceVConfig#pretrainSteps()} steps): E_p and its
 *       key-point head alone, on the key-point loss mean ‖F(E_p(x)) − l̃‖² (the paper: "we first
 *       train E_p with the single loss in Eq. 4"); l̃ are the frame's key points from the
 *       {@link KeypointReader}, standardised per coordinate over the training frames.</li>
 *   <li><b>Decomposition and recomposition</b> ({@link StyleFaceVConfig#decompositionSteps()}):
 *       per window one frame i (drawn from the batch's seed) gives the appearance, every frame j with
 *       |j − i| ≥ {@link StyleFaceVConfig#pairGap()} is a target: mean ‖R(E_a(x_i), E_p(x_j)) − x_j‖²
 *       (the paper's pairs of one video with an interval and its self-supervised embedding loss,
 *       Eq. 8, in whitened W+ coordinates) + λ_kp · key-point loss on every frame.</li>
 *   <li><b>Pose sampler</b> (every later step): real pose sequences are E_p of the batch's windows
 *       (the encoders frozen); the sampler starts from each window's first pose; one update of both
 *       critics, then one of the sampler, with the losses of {@link PoseGanLosses}.</li>
 * </ol>
 * A step whose loss or gradients are not finite changes nothing.
 *
 * <h2>Adapted to W+ (see also {@link StyleFaceVConfig})</h2>
 * <ul>
 *   <li><b>Frames are codes.</b> A sample is w_t = w₀ + ((R(a, p_t) − R(a, p₀)) ⊙ s)·B, with w₀ the
 *       real code the appearance a = E_a(x₀) is read from, p₀ = E_p(x₀), B and s the principal
 *       directions and their whitening scales: frame 0 is w₀ exactly, whatever w₀ has outside the
 *       k directions (identity, fine detail) stays in every frame, and a reconstruction error that
 *       is the same for every pose cancels.</li>
 *   <li><b>Losses that need images are left out:</b> the pixel, VGG and image-adversarial terms of
 *       Eq. 6 and the joint training on augmented still images (Eq. 7).</li>
 *   <li><b>Key points are read once.</b> {@link #prepare} reads the points of every training frame
 *       with the reader and keeps them (and saves them: a checkpoint resumes without the reader).</li>
 * </ul>
 *
 * <h2>The known weakness</h2>
 * The sampler is MoCoGAN-HD's residual LSTM (as in the official code): every pose is the first
 * plus a running sum, trained on windows of t frames, so long samples can drift in pose space.
 * The 2-D critic judges every pose next to the first, which holds a window's poses near the data's,
 * but nothing in training sees frame 500. The appearance cannot drift: it is read once.
 *
 * <p>Measured on the default world (actor 7, 5 minutes, windows of 25; {@code laptop()}, trainer
 * seed 1, 10 minutes on one core of a shared 2-core machine: 2947 steps, i.e. 300 pretraining,
 * 700 decomposition and 1947 sampler steps; key points from the toy face's exact parameters by
 * simple geometry, the test's stand-in for the key-point model; generated / real over 10 samples
 * of 500 frames; {@code StyleFaceVLearnsTest#cpuPresetMeasurement}):
 * <pre>
 * blinks per minute          0 (no blink: 0.00 ✗)
 * mean blink duration        — (no blink)
 * mouth rhythm (Hz)          0.96 ✓
 * mouth opening mean         1.02 ✓
 * mouth opening std          1.16 ✓
 * pose variance              1.87 ✗
 * pose speed                 1.39 ✗
 * </pre>
 * Three of seven statistics meet the ±25 % bar. The mouth is right; the head moves about 40 %
 * too fast and wanders nearly twice as far (the residual sampler's drift, smaller than
 * MoCoGanHd's 4–6 times on the same budget, as the 2-D critic holds each pose near the data's);
 * the eyes never blink. A blink is 2–3 frames of a 25-frame window, and the toy key points
 * (lid points 0.06 · eyeOpen apart next to a head that moves by 0.3) make eye state a small part
 * of the key-point loss, so the pose code carries little of it; measured, not tuned. The CI-scale
 * run ({@code StyleFaceVLearnsTest}, 400 steps) reconstructs held-out frames' state parameters
 * to 0.27–0.31 of the error of chance (two CI runs), and the identity parameters of a 500-frame sample change by less
 * than 1e-6 of their range.
 *
 * <h2>File layout (for a second implementation)</h2>
 * <pre>
 * pose.pose_encoder.fc{0,1}.{weight [in, out], bias}, pose.keypoint_head.{weight [P, 2K], bias}
 * appearance.appearance_encoder.fc{0,1}.*, appearance.recomposer.fc{0,1}.*      (Linear: [in, out], nn.Linear's transpose)
 * sampler.enc_cell.{weight_ih [P, 4H], weight_hh [H, 4H], bias_ih, bias_hh}, sampler.cell.*, sampler.out.*, sampler.fc{1,2}.*
 * critic.critic2d.fc{0,1,2}.*, critic.critic3d.conv{0,1,2}.{weight [4·C_in, C_out], bias}
 * stats.{data_mean, basis, sigma, scale, basis_fitted} (see {@link MotionBasis}), stats.content [bank, L·D], stats.content_count
 * labels.keypoints [N, 2K] float32 (every training frame, clips in order), labels.clip_frames [C]
 * adam_pose.*, adam_appearance.*, adam_sampler.*, adam_critic.*, meta.config, meta.keypoints [1] (K),
 * meta.steps [3] (updates per stage), meta.source, meta.reader (UTF-8)
 * </pre>
 */
public final class StyleFaceV implements TrainableMotionModel {
    /**
     * The one reused workspace of the three stages' steps: they never run at once, so one block the size of the
     * largest serves them all (a workspace each would hold the sum per training thread until training ends).
     */
    private static final String STEP_WORKSPACE = "stylefacev-step";

    /** The name checkpoints record for this model. */
    public static final String TYPE_NAME = "StyleFaceV";

    private static final String DECOMPOSITION = "Decomposition";
    private static final String SAMPLER = "Pose sampler";
    private static final String PENALTIES = "Penalties";
    private static final List<Figure> FIGURES = List.of(
            Figure.loss("loss"),
            Figure.shown("keypoint", "key-point loss", DECOMPOSITION),
            Figure.shown("reconstruction", "reconstruction (W+)", DECOMPOSITION),
            Figure.shown("critic2d", "2-D critic", SAMPLER),
            Figure.shown("critic3d", "3-D critic", SAMPLER),
            Figure.shown("generator", "sampler (adversarial)", SAMPLER),
            Figure.shown("gp", "GP", PENALTIES),
            Figure.shown("diversity", "diversity (−cos)", PENALTIES),
            Figure.recorded("stage"));
    private static final Type TYPE = new Type();

    private final StyleFaceVConfig config;
    private final int keypoints;
    private final DataType dtype;
    private final ParameterSet poseParams;
    private final ParameterSet appearanceParams;
    private final ParameterSet samplerParams;
    private final ParameterSet criticParams;
    private final ParameterSet stats;
    private final MotionBasis basis;
    private final INDArray contentBank;
    private final INDArray contentCount;
    private final Decomposition decomposition;
    private final PoseSampler sampler;
    private final PoseGanLosses losses;
    private final Adam adamPose;
    private final Adam adamAppearance;
    private final Adam adamSampler;
    private final Adam adamCritic;
    private final ModelState files;
    private final long[] stageUpdates = new long[3];
    private final KeypointReader reader;
    private String readerName = "";
    private String dataSource = "";
    /** Raw key points of every training frame [N, 2K] float32, clips in order; null until prepared. */
    private INDArray labels;
    private long[] clipFrames;
    private long[] clipStarts;
    private INDArray labelMean;
    private INDArray labelScale;
    /** The windows of the current fit (not saved: each fit() prepares again). */
    private Windows windows;

    private StyleFaceV(StyleFaceVConfig config, int keypoints, KeypointReader reader) {
        if (keypoints < 1) {
            throw new IllegalArgumentException("StyleFaceV: expected at least 1 key point, found " + keypoints);
        }
        this.config = config;
        this.keypoints = keypoints;
        this.reader = reader;
        this.readerName = reader == null ? "" : reader.name();
        dtype = config.float64() ? DataType.DOUBLE : DataType.FLOAT;
        poseParams = new ParameterSet(dtype, config.seed());
        appearanceParams = new ParameterSet(dtype, config.seed() + 1);
        samplerParams = new ParameterSet(dtype, config.seed() + 2);
        criticParams = new ParameterSet(dtype, config.seed() + 3);
        stats = new ParameterSet(dtype, 0);
        decomposition = new Decomposition(config, keypoints, poseParams, appearanceParams);
        sampler = new PoseSampler(config, samplerParams);
        losses = new PoseGanLosses(config, new PoseCritics(config, criticParams));
        basis = new MotionBasis(config.layers(), config.width(), config.components(), config.seed(), stats, dtype);
        contentBank = stats.buffer("content", stats.constant(0, config.contentBank(), (long) config.layers() * config.width()));
        contentCount = stats.buffer("content_count", stats.constant(0, 1));
        adamPose = new Adam(poseParams, config.lrDecomposition(), config.beta1(), config.beta2(), 1e-8);
        adamAppearance = new Adam(appearanceParams, config.lrDecomposition(), config.beta1(), config.beta2(), 1e-8);
        adamSampler = new Adam(samplerParams, config.lrSampler(), config.beta1(), config.beta2(), 1e-8);
        adamCritic = new Adam(criticParams, config.lrCritic(), config.beta1(), config.beta2(), 1e-8);
        files = ModelState.of(config, 3).parameters("pose.", poseParams).parameters("appearance.", appearanceParams)
                .parameters("sampler.", samplerParams).parameters("critic.", criticParams).parameters("stats.", stats)
                .optimizer("adam_pose.", adamPose).optimizer("adam_appearance.", adamAppearance)
                .optimizer("adam_sampler.", adamSampler).optimizer("adam_critic.", adamCritic);
    }

    /**
     * A new model with weights drawn from {@code config.seed()}, supervised by {@code reader}'s key
     * points (its K sets the key-point head); {@link #prepare} reads the points of the training frames.
     */
    public static StyleFaceV create(StyleFaceVConfig config, KeypointReader reader) {
        if (config == null || reader == null) {
            throw new IllegalArgumentException("StyleFaceV.create: expected a config and a key-point reader, found "
                    + config + " and " + reader);
        }
        return new StyleFaceV(config, reader.keypoints(), reader);
    }

    /** How checkpoints find this model: {@value #TYPE_NAME}, read by {@link #load}; listed as a service. */
    public static final class Type extends NamedModelType {
        /** For {@link java.util.ServiceLoader}. */
        public Type() {
            super(TYPE_NAME, StyleFaceV::load);
        }
    }

    // ---- what it is ------------------------------------------------------------------------------

    @Override
    public StyleFaceVConfig config() {
        return config;
    }


    /** Key points K the model learns its pose from. */
    public int keypoints() {
        return keypoints;
    }

    /** Where the training data came from (saved with the model). */
    public String dataSource() {
        return dataSource;
    }

    /** The name of the key-point reader the held key points come from. */
    public String keypointSource() {
        return readerName;
    }

    /** Updates made so far in stages 1, 2 and 3 (a copy). */
    public long[] stageUpdates() {
        return stageUpdates.clone();
    }

    /** True once the principal directions, the content bank and the key points are set. */
    public boolean prepared() {
        return basis.isFitted() && contentCount.getDouble(0) > 0 && labels != null;
    }

    @Override
    public ModelType type() {
        return TYPE;
    }

    /** One real batch per step, whatever the stage. */
    @Override
    public int batchesPerStep() {
        return 1;
    }

    /**
     * loss (the stage's objective, watched), keypoint and reconstruction (stages 1–2), critic2d,
     * critic3d, generator (the sampler's adversarial terms), gp and diversity (stage 3), stage.
     */
    @Override
    public List<Figure> figures() {
        return FIGURES;
    }

    /** E_a, E_p with the head, R ({@code decomposition}); the sampler; the two critics. */
    @Override
    public Map<String, Long> parameterCounts() {
        Map<String, Long> out = new LinkedHashMap<>();
        out.put("decomposition", poseParams.count() + appearanceParams.count());
        out.put("sampler", samplerParams.count());
        out.put("critics", criticParams.count());
        return out;
    }

    // ---- preparation -----------------------------------------------------------------------------

    /**
     * Reads the key points of every frame of {@code windows.source()} (unless the model already
     * holds them for data of the same clip and frame counts), fits the principal directions and the
     * content bank if the model is fresh, and records {@code source}.
     *
     * @throws IllegalArgumentException if the windows' codes or length do not fit the config, or the
     *                                  reader returns points of the wrong shape
     * @throws IllegalStateException    if the model holds no key points for this data and has no reader
     */
    @Override
    public void prepare(Windows windows, String source) {
        if (windows.layers() != config.layers() || windows.width() != config.width()) {
            throw new IllegalArgumentException("StyleFaceV.prepare: expected windows of W+ " + config.layers() + " × "
                    + config.width() + " codes, found " + windows.layers() + " × " + windows.width());
        }
        if (windows.length() != config.windowLength()) {
            throw new IllegalArgumentException("StyleFaceV.prepare: expected windows of " + config.windowLength()
                    + " frames, found " + windows.length());
        }
        TrajectorySet set = windows.source();
        if (!holdsLabelsFor(set)) {
            readLabels(set);
        }
        if (!basis.isFitted() || contentCount.getDouble(0) <= 0) {
            INDArray frames = set.allFrames().flatFrames();
            Checks.requireFinite(frames, "training frames");
            basis.fit(frames);
            int n = Math.min(config.contentBank(), windows.size());
            int[] picks = new int[n];
            for (int i = 0; i < n; i++) {
                picks[i] = (int) ((long) i * windows.size() / n);
            }
            INDArray firsts = windows.batch(picks).get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all(),
                    NDArrayIndex.all()).dup('c');
            contentBank.assign(0);
            contentBank.get(NDArrayIndex.interval(0, n), NDArrayIndex.all())
                    .assign(firsts.reshape('c', n, (long) config.layers() * config.width()).castTo(dtype));
            contentCount.assign(n);
        }
        this.windows = windows;
        dataSource = source == null ? set.name() : source;
    }

    private boolean holdsLabelsFor(TrajectorySet set) {
        if (labels == null || clipFrames.length != set.size()) {
            return false;
        }
        for (int c = 0; c < set.size(); c++) {
            if (clipFrames[c] != set.clip(c).frames()) {
                return false;
            }
        }
        return true;
    }

    private void readLabels(TrajectorySet set) {
        if (reader == null) {
            throw new IllegalStateException("StyleFaceV.prepare: the model holds no key points for '" + set.name()
                    + "' (" + set.size() + " clips" + (labels == null ? "" : "; it holds points of " + clipFrames.length
                    + " clips") + ") and was loaded without a key-point reader; create it with"
                    + " StyleFaceV.create(config, reader) or train on the data it was trained on");
        }
        List<INDArray> parts = new ArrayList<>();
        long[] frames = new long[set.size()];
        for (int c = 0; c < set.size(); c++) {
            Trajectory clip = set.clip(c);
            INDArray points = reader.read(clip);
            if (points == null || points.rank() != 3 || points.size(0) != clip.frames() || points.size(1) != keypoints
                    || points.size(2) != 2) {
                throw new IllegalArgumentException("key-point reader '" + reader.name() + "': expected points ["
                        + clip.frames() + ", " + keypoints + ", 2] for clip " + c + " of " + clip.frames()
                        + " frames, found " + (points == null ? "null" : Arrays.toString(points.shape())));
            }
            Checks.requireFinite(points, "key points of clip " + c);
            parts.add(points.castTo(DataType.FLOAT).reshape('c', clip.frames(), 2L * keypoints));
            frames[c] = clip.frames();
        }
        setLabels(Nd4j.concat(0, parts.toArray(new INDArray[0])), frames);
        readerName = reader.name();
    }

    /** Keeps raw points [N, 2K] and the clips' frame counts; standardises per coordinate over all frames. */
    private void setLabels(INDArray raw, long[] frames) {
        labels = raw.castTo(DataType.FLOAT).dup('c');
        clipFrames = frames.clone();
        clipStarts = new long[frames.length];
        long start = 0;
        for (int c = 0; c < frames.length; c++) {
            clipStarts[c] = start;
            start += frames[c];
        }
        if (start != labels.size(0)) {
            throw new IllegalArgumentException("key points: " + labels.size(0) + " rows for " + start + " frames");
        }
        INDArray d = labels.castTo(DataType.DOUBLE);
        INDArray mean = d.mean(0);
        INDArray std = d.std(false, 0);
        double floor = Math.max(std.maxNumber().doubleValue() * 1e-3, 1e-12);
        for (int j = 0; j < std.length(); j++) {
            std.putScalar(j, Math.max(std.getDouble(j), floor));
        }
        labelMean = mean.castTo(dtype);
        labelScale = std.castTo(dtype);
    }

    /** The standardised key points [B·t, 2K] of the windows at {@code windowIndices} (rows in the batch's order). */
    INDArray labelsOf(int[] windowIndices) {
        if (windows == null || labels == null) {
            throw new IllegalStateException("StyleFaceV: no training windows or key points; call prepare(windows, source)"
                    + " (the trainer does) before a training step");
        }
        int t = config.windowLength();
        INDArray out = Nd4j.create(dtype, (long) windowIndices.length * t, 2L * keypoints);
        for (int b = 0; b < windowIndices.length; b++) {
            int[] pos = windows.position(windowIndices[b]);
            long from = clipStarts[pos[0]] + pos[1];
            out.get(NDArrayIndex.interval((long) b * t, (long) (b + 1) * t), NDArrayIndex.all())
                    .assign(labels.get(NDArrayIndex.interval(from, from + t), NDArrayIndex.all()).castTo(dtype));
        }
        return Broadcasts.diviRow(Broadcasts.subiRow(out, labelMean), labelScale);
    }

    // ---- training --------------------------------------------------------------------------------

    /** The step's stage by its index ({@link StyleFaceVConfig#stageOf}), on the step's one batch (freed after use). */
    @Override
    public StepReport trainStep(TrainingStep step) {
        TrainingStep.Batch batch = step.batch(0);
        int stage = config.stageOf(step.index());
        try {
            INDArray w = batch.windows();
            requireWindows(w);
            Checks.requireFinite(w, "real windows");
            if (!prepared()) {
                throw new IllegalStateException("StyleFaceV.trainStep: the model is not prepared; call"
                        + " prepare(windows, source) first (the trainer does)");
            }
            INDArray lab = stage < 3 ? labelsOf(batch.windowIndices()) : null;
            return switch (stage) {
                case 1 -> pretrainStep(w, lab);
                case 2 -> decompositionStep(w, lab, batch.seed());
                default -> samplerStep(w, batch.seed());
            };
        } finally {
            batch.release();
        }
    }

    private StepReport report(int stage, double loss, double keypoint, double reconstruction, double c2, double c3,
                              double generator, double gp, double diversity) {
        return StepReport.empty().with("loss", loss).with("keypoint", keypoint).with("reconstruction", reconstruction)
                .with("critic2d", c2).with("critic3d", c3).with("generator", generator).with("gp", gp)
                .with("diversity", diversity).with("stage", stage);
    }

    private StepReport pretrainStep(INDArray realWindows, INDArray labelRows) {
        double none = Double.NaN;
        try (Scope scope = Scope.reusing(STEP_WORKSPACE)) {
            INDArray x = whitenWindows(realWindows);
            Var loss = keypointLoss(x.reshape('c', x.size(0) * x.size(1), x.size(2)), labelRows);
            List<Var> grads = Autograd.grad(loss, adamPose.parameters(), false);
            double l = loss.item();
            if (Double.isFinite(l) && Checks.allFinite(grads)) {
                adamPose.step(grads);
                stageUpdates[0]++;
            }
            return report(1, l, l, none, none, none, none, none, none);
        }
    }

    private StepReport decompositionStep(INDArray realWindows, INDArray labelRows, long seed) {
        double none = Double.NaN;
        Random random = new Random(seed);
        try (Scope scope = Scope.reusing(STEP_WORKSPACE)) {
            INDArray x = whitenWindows(realWindows);
            int[] from = appearanceFrames(random, (int) x.size(0));
            DecompositionTerms terms = decompositionTerms(x, labelRows, from);
            List<Var> params = new ArrayList<>(adamPose.parameters());
            params.addAll(adamAppearance.parameters());
            List<Var> grads = Autograd.grad(terms.loss(), params, false);
            double l = terms.loss().item();
            if (Double.isFinite(l) && Checks.allFinite(grads)) {
                int n = adamPose.parameters().size();
                adamPose.step(grads.subList(0, n));
                adamAppearance.step(grads.subList(n, grads.size()));
                stageUpdates[1]++;
            }
            return report(2, l, terms.keypoint().item(), terms.reconstruction().item(), none, none, none, none, none);
        }
    }

    private StepReport samplerStep(INDArray realWindows, long seed) {
        Random random = new Random(seed);
        try (Scope scope = Scope.reusing(STEP_WORKSPACE)) {
            INDArray real = poses(whitenWindows(realWindows));
            long b = real.size(0);
            int t = config.windowLength();
            INDArray first = real.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all()).dup('c');
            INDArray criticNoise = gaussian(random, b, t - 1, config.noiseDim());
            INDArray u = uniform(random, b);
            INDArray samplerNoise = gaussian(random, b, t - 1, config.noiseDim());
            INDArray fake = Autograd.noGrad(() -> sampler.forward(Var.constant(first), Var.constant(criticNoise)).poses())
                    .value();
            PoseGanLosses.CriticTerms c = losses.critic(real, fake, u);
            List<Var> cg = Autograd.grad(c.loss(), adamCritic.parameters(), false);
            double cl = c.loss().item();
            boolean criticOk = Double.isFinite(cl) && Checks.allFinite(cg);
            if (criticOk) {
                adamCritic.step(cg);
            }
            PoseGanLosses.SamplerTerms s = samplerTerms(real, samplerNoise);
            List<Var> sg = Autograd.grad(s.loss(), adamSampler.parameters(), false);
            double sl = s.loss().item();
            if (criticOk && Double.isFinite(sl) && Checks.allFinite(sg)) {
                adamSampler.step(sg);
                stageUpdates[2]++;
            }
            return report(3, cl + sl, Double.NaN, Double.NaN, c.critic2d().item(), c.critic3d().item(),
                    s.adversarial2d().item() + s.adversarial3d().item(), c.gradientPenalty().item(),
                    s.diversity().item());
        }
    }

    /** Per window, the frame the appearance is read from (uniform over the window). */
    int[] appearanceFrames(Random random, int windowsInBatch) {
        int[] out = new int[windowsInBatch];
        for (int b = 0; b < windowsInBatch; b++) {
            out[b] = random.nextInt(config.windowLength());
        }
        return out;
    }

    /** Stage 1's loss: mean ‖F(E_p(x)) − l̃‖² over frames x [N, k] and standardised key points l̃ [N, 2K]. */
    Var keypointLoss(INDArray x, INDArray labelRows) {
        Var predicted = decomposition.keypoints(decomposition.pose(Var.constant(x)));
        return Ops.meanAll(Ops.square(Ops.sub(predicted, Var.constant(labelRows))));
    }

    /** Stage 2's loss and its parts. */
    record DecompositionTerms(Var loss, Var reconstruction, Var keypoint) {
    }

    /**
     * Stage 2's loss for whitened windows x [B, t, k], standardised key points [B·t, 2K] and the
     * appearance frame of each window: the mean reconstruction error of the frames at least
     * {@code pairGap} from it, plus λ_kp · the key-point loss of every frame.
     */
    DecompositionTerms decompositionTerms(INDArray x, INDArray labelRows, int[] appearanceFrame) {
        long b = x.size(0);
        int t = (int) x.size(1);
        int k = (int) x.size(2);
        INDArray rows = x.reshape('c', b * t, k);
        INDArray source = Nd4j.create(dtype, b, k);
        INDArray mask = Nd4j.zeros(dtype, b * t);
        double count = 0;
        for (int i = 0; i < b; i++) {
            source.getRow(i).assign(x.get(NDArrayIndex.point(i), NDArrayIndex.point(appearanceFrame[i]), NDArrayIndex.all()));
            for (int j = 0; j < t; j++) {
                if (Math.abs(j - appearanceFrame[i]) >= config.pairGap()) {
                    mask.putScalar((long) i * t + j, 1.0);
                    count++;
                }
            }
        }
        if (count == 0) {
            throw new IllegalArgumentException("decomposition: no target frame is " + config.pairGap()
                    + " frames from the appearance frames " + Arrays.toString(appearanceFrame));
        }
        int a = config.appearanceDim();
        Var appearance = decomposition.appearance(Var.constant(source));
        Var perFrame = Ops.reshape(Ops.broadcastTo(Ops.reshape(appearance, b, 1, a), b, t, a), b * t, a);
        Var pose = decomposition.pose(Var.constant(rows));
        Var rebuilt = decomposition.recompose(perFrame, pose);
        Var errors = Ops.mean(Ops.square(Ops.sub(rebuilt, Var.constant(rows))), 1);
        Var reconstruction = Ops.scale(Ops.sumAll(Ops.mul(errors, Var.constant(mask))), 1.0 / count);
        Var keypoint = Ops.meanAll(Ops.square(Ops.sub(decomposition.keypoints(pose), Var.constant(labelRows))));
        Var loss = Ops.add(reconstruction, Ops.scale(keypoint, config.lambdaKeypoint()));
        return new DecompositionTerms(loss, reconstruction, keypoint);
    }

    /** The critics' loss terms for real and fake poses [B, t, P] and interpolation weights u [B] (for checks). */
    PoseGanLosses.CriticTerms criticTerms(INDArray real, INDArray fake, INDArray u) {
        return losses.critic(real, fake, u);
    }

    /** The sampler's loss terms for real poses [B, t, P] (its first poses start the fakes) and noise [B, t−1, noise]. */
    PoseGanLosses.SamplerTerms samplerTerms(INDArray real, INDArray noise) {
        INDArray first = real.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all()).dup('c');
        return losses.sampler(real, sampler.forward(Var.constant(first), Var.constant(noise)));
    }

    /** E_p of whitened frames x [B, t, k] → poses [B, t, P] (no gradient: the encoders are frozen in stage 3). */
    INDArray poses(INDArray x) {
        long b = x.size(0);
        long t = x.size(1);
        INDArray p = Autograd.noGrad(() -> decomposition.pose(Var.constant(x.reshape('c', b * t, x.size(2))))).value();
        return p.reshape('c', b, t, config.poseDim());
    }

    /** Real windows [B, t, L, D] → whitened [B, t, k]. */
    INDArray whitenWindows(INDArray w) {
        long b = w.size(0);
        long t = w.size(1);
        int f = config.layers() * config.width();
        return basis.whiten(w.reshape('c', b * t, f)).reshape('c', b, t, config.components());
    }

    // ---- sampling --------------------------------------------------------------------------------

    /** A trajectory of {@code length} ≥ 1 frames: the appearance of a real frame of the bank (the seed picks it), sampled poses. */
    @Override
    public Trajectory sample(int length, long seed) {
        requireSampling("sample");
        int n = (int) contentCount.getDouble(0);
        int pick = new Random(seed ^ 0x5DEECE66DL).nextInt(n);
        return animate(contentBank.getRow(pick).dup(), length, seed);
    }

    /**
     * A trajectory of {@code length} ≥ 1 frames of the identity in {@code code} ([L, D] or [L·D],
     * e.g. an encoded photo), moved by poses the sampler draws from the seed, starting at the code's own
     * pose; frame 0 is the code itself.
     */
    public Trajectory animate(INDArray code, int length, long seed) {
        requireSampling("animate");
        if (length < 1) {
            throw new IllegalArgumentException("animate: expected a length of at least 1 frame, found " + length);
        }
        INDArray w0 = requireCode("animate", code);
        Random random = new Random(seed);
        INDArray codes;
        try (Scope scope = Scope.open()) {
            INDArray x0 = basis.whiten(w0);
            INDArray noise = gaussian(random, 1, length - 1, config.noiseDim());
            INDArray out = Autograd.noGrad(() -> {
                Var p0 = decomposition.pose(Var.constant(x0));
                Var poses = Ops.reshape(sampler.forward(p0, Var.constant(noise)).poses(), length, config.poseDim());
                return recomposed(x0, poses);
            }).value();
            codes = scope.keep(basis.codes(w0.reshape(w0.length()), out).castTo(DataType.FLOAT)
                    .reshape('c', length, config.layers(), config.width()));
        }
        return Trajectory.of(codes, config.fps(), "StyleFaceV sample (seed " + seed + ", " + stageUpdates[2]
                + " sampler steps" + (dataSource.isEmpty() ? "" : ", data " + dataSource) + ")");
    }

    /**
     * The identity in {@code code} ([L, D] or [L·D]) with the poses of {@code driving}'s frames (E_p of
     * each): frame t is the code moved by R(a, p_t) − R(a, p₀), p₀ the code's own pose (reenactment).
     */
    public Trajectory reenact(INDArray code, Trajectory driving) {
        requireSampling("reenact");
        INDArray w0 = requireCode("reenact", code);
        if (driving == null || driving.layers() != config.layers() || driving.width() != config.width()) {
            throw new IllegalArgumentException("reenact: expected a driving clip of W+ " + config.layers() + " × "
                    + config.width() + " codes, found " + (driving == null ? "null"
                    : driving.layers() + " × " + driving.width()));
        }
        int n = driving.frames();
        INDArray codes;
        try (Scope scope = Scope.open()) {
            INDArray x0 = basis.whiten(w0);
            INDArray xd = basis.whiten(driving.flatFrames());
            INDArray out = Autograd.noGrad(() -> {
                Var poses = Ops.concat(0, decomposition.pose(Var.constant(x0)), decomposition.pose(Var.constant(xd)));
                return recomposed(x0, poses);
            }).value();
            INDArray all = basis.codes(w0.reshape(w0.length()), out);
            codes = scope.keep(all.get(NDArrayIndex.interval(1, n + 1), NDArrayIndex.all()).castTo(DataType.FLOAT)
                    .reshape('c', n, config.layers(), config.width()));
        }
        return Trajectory.of(codes, driving.fps(), "StyleFaceV reenactment of " + driving.source());
    }

    /** R(E_a(x₀), p_t) for every pose row of {@code poses} [T, P] → whitened [T, k]. */
    private Var recomposed(INDArray x0, Var poses) {
        long n = poses.size(0);
        Var a = decomposition.appearance(Var.constant(x0));
        Var perFrame = Ops.broadcastTo(a, n, config.appearanceDim());
        return decomposition.recompose(perFrame, poses);
    }

    // ---- parameters, copies, files ---------------------------------------------------------------

    /** Copies of every trained array by name: {@code pose.*}, {@code appearance.*}, {@code sampler.*}, {@code critic.*}, {@code stats.*}. */
    public Map<String, INDArray> parameters() {
        return files.parameters();
    }

    /** Everything {@link #save} writes: parameters, key points, optimiser states, config, counters, sources. */
    public Map<String, INDArray> state() {
        Map<String, INDArray> out = files.write(stageUpdates, dataSource);
        if (labels != null) {
            out.put("labels.keypoints", labels.dup());
            out.put("labels.clip_frames", Nd4j.createFromArray(clipFrames));
        }
        out.put("meta.keypoints", Nd4j.createFromArray((long) keypoints));
        out.put("meta.reader", Npz.textArray(readerName));
        return out;
    }

    /** Writes the full training state to an NPZ file (atomically; read it with {@link #load}). */
    @Override
    public void save(Path path) {
        Npz.write(path, state());
    }

    /** Reads a model written by {@link #save}; training continues where it stopped, with the key points it holds. */
    public static StyleFaceV load(Path path) {
        ModelFiles.Contents<StyleFaceVConfig> file = ModelFiles.read(path, "StyleFaceV", StyleFaceVConfig::parse,
                "meta.keypoints");
        StyleFaceV model = new StyleFaceV(file.config(), (int) file.entry("meta.keypoints").getLong(0), null);
        model.loadState(file.entries(), path.toString());
        return model;
    }

    private void loadState(Map<String, INDArray> in, String what) {
        ModelState.Saved saved = files.read(in, what);
        System.arraycopy(saved.steps(), 0, stageUpdates, 0, stageUpdates.length);
        INDArray points = in.get("labels.keypoints");
        INDArray frames = in.get("labels.clip_frames");
        if (points != null && frames != null) {
            if (points.rank() != 2 || points.size(1) != 2L * keypoints) {
                throw new IllegalArgumentException(what + ": labels.keypoints must be [N, " + 2 * keypoints + "], found "
                        + Arrays.toString(points.shape()));
            }
            long[] f = new long[(int) frames.length()];
            for (int c = 0; c < f.length; c++) {
                f[c] = frames.getLong(c);
            }
            setLabels(points, f);
        }
        dataSource = saved.source();
        INDArray rd = in.get("meta.reader");
        if (rd != null) {
            readerName = Npz.text(rd);
        }
    }

    /** A deep copy (weights, optimiser states, statistics, key points, counters; the reader and windows are shared). */
    @Override
    public StyleFaceV copy() {
        StyleFaceV c = new StyleFaceV(config, keypoints, reader);
        c.loadState(state(), "copy");
        c.windows = windows;
        return c;
    }

    /** Makes this model equal to {@code snapshot}, a {@link #copy()} of a StyleFaceV with this config and K. */
    @Override
    public void restore(TrainableMotionModel snapshot) {
        StyleFaceV good = ModelFiles.snapshot(snapshot, StyleFaceV.class, config);
        if (good.keypoints != keypoints) {
            throw new IllegalArgumentException("restore: expected a model with " + keypoints + " key points, found "
                    + good.keypoints);
        }
        loadState(good.state(), "restore");
    }

    /**
     * Overwrites the networks' parameters and the statistics from arrays named as {@link #parameters()}
     * names them (package-private: the second implementation's check loads PyTorch's weights this way).
     */
    void loadParameters(Map<String, INDArray> in) {
        files.loadParameters(in);
    }

    ParameterSet poseParameters() {
        return poseParams;
    }

    ParameterSet appearanceParameters() {
        return appearanceParams;
    }

    ParameterSet samplerParameters() {
        return samplerParams;
    }

    ParameterSet criticParameters() {
        return criticParams;
    }

    MotionBasis basis() {
        return basis;
    }

    // ---- checks and draws ------------------------------------------------------------------------

    private INDArray requireCode(String what, INDArray code) {
        int f = config.layers() * config.width();
        if (code == null || code.length() != f || !(code.rank() == 1
                || (code.rank() == 2 && code.size(0) == config.layers()) || (code.rank() == 2 && code.size(0) == 1))) {
            throw new IllegalArgumentException(what + ": expected a code [" + config.layers() + ", " + config.width()
                    + "] or [" + f + "], found " + (code == null ? "null" : Arrays.toString(code.shape())));
        }
        Checks.requireFinite(code, what + " code");
        return code.reshape('c', 1, f).castTo(dtype);
    }

    private void requireSampling(String what) {
        if (!basis.isFitted() || contentCount.getDouble(0) <= 0) {
            throw new IllegalStateException(what + ": the model has no principal directions or content codes yet;"
                    + " train it (or call prepare) first");
        }
    }

    private void requireWindows(INDArray w) {
        int t = config.windowLength();
        if (w == null || w.rank() != 4 || w.size(1) != t || w.size(2) != config.layers() || w.size(3) != config.width()
                || w.size(0) < 2) {
            throw new IllegalArgumentException("StyleFaceV: expected real windows [B ≥ 2, " + t + ", " + config.layers()
                    + ", " + config.width() + "], found " + (w == null ? "null" : Arrays.toString(w.shape())));
        }
    }



    private INDArray gaussian(Random random, long... shape) {
        INDArray a = Nd4j.create(dtype, shape);
        long n = a.length();
        for (long j = 0; j < n; j++) {
            a.putScalar(j, random.nextGaussian());
        }
        return a;
    }

    private INDArray uniform(Random random, long n) {
        INDArray a = Nd4j.create(dtype, n);
        for (long j = 0; j < n; j++) {
            a.putScalar(j, random.nextDouble());
        }
        return a;
    }

    @Override
    public String toString() {
        return String.format("StyleFaceV[%d params decomposition, %d sampler, %d critics, updates %d/%d/%d, t=%d, k=%d,"
                        + " K=%d, W+ %d×%d%s]", poseParams.count() + appearanceParams.count(), samplerParams.count(),
                criticParams.count(), stageUpdates[0], stageUpdates[1], stageUpdates[2], config.windowLength(),
                config.components(), keypoints, config.layers(), config.width(),
                dataSource.isEmpty() ? "" : ", data " + dataSource);
    }
}

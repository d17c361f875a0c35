package org.latentmotion.motion.styleganv;

import java.nio.file.Path;
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
import org.latentmotion.nn.Ops;
import org.latentmotion.nn.ParameterSet;
import org.latentmotion.motion.Checks;
import org.latentmotion.motion.ModelFiles;
import org.latentmotion.motion.ModelState;
import org.latentmotion.nn.Scope;
import org.latentmotion.nn.Var;
import org.latentmotion.wplus.Npz;
import org.latentmotion.wplus.Trajectory;
import org.latentmotion.wplus.Windows;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * StyleGAN-V (Skorokhodov, Tulyakov, Elhoseiny, CVPR 2022, "A Continuous Video Generator with the
 * Price, Image Quality and Perks of StyleGAN2") on W+ codes of a frozen synthesizer: time is
 * continuous. Motion codes drawn every δ frames become a motion signal v(t) at any real time t
 * through learned sinusoidal positional embeddings ({@link MotionMapping}: the paper's "continuous
 * motion representations through the lens of positional embeddings"); a frame at time t is the
 * content code plus what the frame generator makes of v(t) ({@link FrameGenerator}). Training is
 * sparse: from each real window the critic sees n = 2–3 frames at random times and the time gaps
 * between them ({@link GapCritic}), and the fake clip is generated at those times only.
 *
 * <pre>{@code
 * var data = ToyWorld.talkingHead().actor(7).minutes(5).generate();
 * var model = StyleGanV.create(StyleGanVConfig.laptop());
 * TrainingHistory h = Trainer.of(model, data.windows(25)).maxSteps(2000).fit();  // the shared trainer
 * Trajectory clip = model.sample(1500, 42);                                      // any length, at the data's fps
 * Trajectory slow = model.sample(60.0, 125, 42);                                 // 60 s at 125 fps: 5× slow motion at 25
 * }</pre>
 * The same seed gives the same motion at the times two samples share: frame 5j of a 125-fps sample
 * is frame j of the 25-fps one. It is a {@link TrainableMotionModel}: each training step takes one
 * real batch for a critic step and one for a generator step (StyleGAN2 alternates them 1:1);
 * checkpoints name it {@value #TYPE_NAME}, so {@code Trainer.resume} continues it exactly.
 *
 * <h2>Losses</h2>
 * StyleGAN2's, as the paper keeps them: the non-saturating loss with R1 on real clips,
 * <pre>
 *   L_D = E softplus(D(fake)) + E softplus(−D(real)) + γ/2 · E ‖∇_real D(real)‖²
 *   L_G = E softplus(−D(fake))
 * </pre>
 * the gradient of R1 taken by double backpropagation through the critic, every critic step (the
 * paper: lazily every 16 steps).
 *
 * <h2>Adapted to W+</h2>
 * <ul>
 *   <li><b>Content.</b> The paper maps z through StyleGAN2's mapping network; here the content is a
 *       real frame's W+ code: in training the first frame of each real window (the fake clip is
 *       anchored there, so the critic compares motion, not identity), when sampling a code the
 *       caller gives or one of {@code contentBank} real first frames kept by {@link #prepare}.</li>
 *   <li><b>Frames.</b> The generator writes whitened principal coordinates of the training frames
 *       ({@link MotionBasis}, shared with MoCoGAN-HD); a frame at time τ + t is
 *       x̃₀ + g(x̃₀, v(τ + t)) − g(x̃₀, v(τ)), so frame 0 of a sample is the content code itself and
 *       no frame depends on another: long samples cannot drift the way MoCoGAN-HD's summed
 *       residuals do. Training clips sit at a random offset τ ∈ [0, maxTimeOffset) of the motion
 *       signal, so the signal is trained at the times long samples reach.</li>
 *   <li><b>Critic.</b> MLPs on W+ coordinates instead of StyleGAN2's image discriminator, with the
 *       paper's gap conditioning (see {@link GapCritic}).</li>
 * </ul>
 *
 * <h2>What it reaches on the CPU</h2>
 * Measured on the default world (actor 7, 5 minutes, windows of 25; {@code laptop()}, seed 1,
 * 12 minutes on one core: 11652 steps at δ = 16, 10380 at δ = 4; generated / real over 10
 * samples of 500 frames; {@code StyleGanVLearnsTest#cpuPresetMeasurement}, the δ = 4 column with
 * {@code -Dlm.sgv.codeDistance=4}):
 * <pre>
 *                            δ = 16 (laptop(), the paper's)   δ = 4
 * blinks per minute          0.93 ✓                           0.47
 * mean blink duration        1.02 ✓                           0.56
 * mouth rhythm (Hz)          0.26                             0.23
 * mouth rhythm prominence    2.13                             0.74
 * mouth opening mean         1.41                             1.31 ✓
 * mouth opening std          0.62                             0.85 ✓
 * pose variance              0.08                             0.05
 * pose speed                 1.30 ✓                           1.49
 * 25-frame clip FD in W+     340 (real vs real 23)            340
 * </pre>
 * Three of eight statistics meet the ±25 % bar at δ = 16: the eyes blink at the data's rate and
 * for its duration, and the head turns at about its speed. The head does not wander: its pose
 * varies a twelfth as much as the data's over 500 frames, so it shakes in place near the content
 * frame's pose. The critic never sees two frames more than 24 apart (one second), and a fake clip
 * always starts at a real frame, so nothing in training asks for the slow wandering of the head
 * over tens of seconds: the cause this model was suspected of. It is not borne out: with windows
 * of 100 frames (gaps up to 99, {@code -Dlm.sgv.window=100}; 4972 steps in the 12 minutes, the
 * larger windows are slower to read) the pose variance is 0.11 of the data's, the speed 0.86 ✓,
 * but blinks fall to 0.08 and the mouth cycle becomes 25 times as prominent; what keeps the head
 * in place is open. The mouth keeps a rhythm a quarter of the data's 4.6 Hz, twice as prominent.
 * With motion codes every 16 frames the embedding's shortest period is 8 frames (tanh + 1 at most
 * doubles a frequency) while a 4.6-Hz syllable lasts 5.4 frames; but codes every 4 frames give the
 * same slow rhythm (1.07 Hz), less prominent and with half the blinks, so the code distance is not
 * what holds the rhythm back (what does is not known). The 25-frame clip FD is 340 at δ = 16 and
 * at δ = 4, 438 with windows of 100. At CI scale (300 steps, {@code StyleGanVLearnsTest}) the
 * untrained model's
 * 25-frame clip FD is 468 and the trained one's 400; the untrained model's head turns at 0.16 of
 * the data's speed and its mouth moves at 0.04 of the data's spread, which the CI bars (4× and
 * 0.1×) refuse.
 *
 * <h2>File layout (for a second implementation)</h2>
 * <pre>
 * generator.motion.conv0/conv1.{weight [K·U, U], bias [U]}, generator.motion.{periods,phases}.weight [U, F],
 * generator.motion.aligners.weight [U, 2F], generator.synthesis.fc{0,1,2}.{weight [in, out], bias}
 * critic.frame.fc{0,1}.*, critic.joint.fc0.*, critic.out.*, critic.gap_table [maxGap, e], critic.mapping.fc{0,1}.*
 * stats.data_mean, stats.basis, stats.sigma, stats.scale, stats.basis_fitted (see {@link MotionBasis}),
 * stats.content [contentBank, L·D], stats.content_count [1]
 * adam_g.*, adam_c.*, meta.config (UTF-8 of {@link StyleGanVConfig#toProperties()}), meta.steps [2], meta.source
 * </pre>
 */
public final class StyleGanV implements TrainableMotionModel {
    /**
     * The one reused workspace of the critic and generator steps: they never run at once, so one block the size of the
     * largest serves them all (a workspace each would hold the sum per training thread until training ends).
     */
    private static final String STEP_WORKSPACE = "styleganv-step";

    private final StyleGanVConfig config;
    private final DataType dtype;
    private final ParameterSet generatorParams;
    private final ParameterSet criticParams;
    private final ParameterSet stats;
    private final MotionBasis basis;
    private final INDArray contentBank;
    private final INDArray contentCount;
    private final MotionMapping mapping;
    private final FrameGenerator generator;
    private final GapCritic critic;
    private final Adam adamG;
    private final Adam adamC;
    private final ModelState files;
    private long criticSteps;
    private long generatorSteps;
    private String dataSource = "";

    private StyleGanV(StyleGanVConfig config) {
        this.config = config;
        this.dtype = config.float64() ? DataType.DOUBLE : DataType.FLOAT;
        generatorParams = new ParameterSet(dtype, config.seed());
        criticParams = new ParameterSet(dtype, config.seed() + 1);
        stats = new ParameterSet(dtype, 0);
        mapping = new MotionMapping(config, generatorParams);
        generator = new FrameGenerator(config, generatorParams, mapping.signalWidth());
        critic = new GapCritic(config, criticParams);
        basis = new MotionBasis(config.layers(), config.width(), config.components(), config.seed(), stats, dtype);
        int f = config.layers() * config.width();
        contentBank = stats.buffer("content", stats.constant(0, config.contentBank(), f));
        contentCount = stats.buffer("content_count", stats.constant(0, 1));
        adamG = new Adam(generatorParams, config.lrGenerator(), config.beta1(), config.beta2(), 1e-8);
        adamC = new Adam(criticParams, config.lrCritic(), config.beta1(), config.beta2(), 1e-8);
        files = ModelState.of(config, 2).parameters("generator.", generatorParams).parameters("critic.", criticParams)
                .parameters("stats.", stats).optimizer("adam_g.", adamG).optimizer("adam_c.", adamC);
    }

    /** A new model with weights drawn from {@code config.seed()}; call {@link #prepare} (or train) before sampling. */
    public static StyleGanV create(StyleGanVConfig config) {
        return new StyleGanV(config);
    }

    /** The settings this model was made with (saved in its files). */
    @Override
    public StyleGanVConfig config() {
        return config;
    }

    /** Critic updates made so far. */
    public long criticSteps() {
        return criticSteps;
    }

    /** Generator updates made so far. */
    public long generatorSteps() {
        return generatorSteps;
    }

    /** Where the training data came from (saved with the model). */
    public String dataSource() {
        return dataSource;
    }

    /** True once the principal directions and the content bank are set. */
    public boolean prepared() {
        return basis.isFitted() && contentCount.getDouble(0) > 0;
    }

    // ---- preparation -----------------------------------------------------------------------------

    /**
     * Fits the principal directions and whitening to every frame the windows come from, and keeps
     * the first frames of {@code contentBank} evenly spaced windows as content codes for sampling.
     */
    public StyleGanV prepare(Windows windows) {
        if (windows.layers() != config.layers() || windows.width() != config.width()) {
            throw new IllegalArgumentException("prepare: expected windows of W+ " + config.layers() + " × "
                    + config.width() + " codes, found " + windows.layers() + " × " + windows.width());
        }
        INDArray frames = windows.source().allFrames().flatFrames();
        int n = Math.min(config.contentBank(), windows.size());
        int[] picks = new int[n];
        for (int i = 0; i < n; i++) {
            picks[i] = (int) ((long) i * windows.size() / n);
        }
        INDArray firsts = windows.batch(picks).get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all(),
                NDArrayIndex.all()).dup('c');
        fit(frames, firsts);
        if (dataSource.isEmpty()) {
            dataSource = windows.source().name();
        }
        return this;
    }

    /** Fits from training windows [B, t, L, D] alone (what {@link #criticStep} does when the model was not prepared). */
    public StyleGanV prepare(INDArray windows) {
        requireWindows("prepare: expected training windows", windows);
        long b = windows.size(0);
        int f = config.layers() * config.width();
        INDArray frames = windows.reshape('c', b * windows.size(1), f);
        INDArray firsts = windows.get(NDArrayIndex.interval(0, Math.min(b, config.contentBank())), NDArrayIndex.point(0),
                NDArrayIndex.all(), NDArrayIndex.all()).dup('c');
        fit(frames, firsts);
        return this;
    }

    private void fit(INDArray frames, INDArray firsts) {
        Checks.requireFinite(frames, "training frames");
        int f = config.layers() * config.width();
        basis.fit(frames.reshape('c', frames.length() / f, f));
        long n = firsts.size(0);
        contentBank.assign(0);
        contentBank.get(NDArrayIndex.interval(0, n), NDArrayIndex.all()).assign(firsts.reshape('c', n, f).castTo(dtype));
        contentCount.assign(n);
    }

    // ---- the training contract -------------------------------------------------------------------

    /** The name checkpoints record for this model. */
    public static final String TYPE_NAME = "StyleGanV";

    /** How checkpoints find this model: {@value #TYPE_NAME}, read by {@link #load}; listed as a service. */
    public static final class Type extends NamedModelType {
        /** For {@link java.util.ServiceLoader}. */
        public Type() {
            super(TYPE_NAME, StyleGanV::load);
        }
    }

    private static final Type TYPE = new Type();
    private static final List<Figure> FIGURES = List.of(
            Figure.loss("critic"),
            Figure.loss("generator"),
            Figure.shown("r1", "R1 (E‖∇D(real)‖²)", "Penalties"),
            Figure.shown("scoreGap", "D(real) − D(fake)", Figure.LOSSES));

    @Override
    public ModelType type() {
        return TYPE;
    }

    /** Two real batches: one for the critic step, one for the generator step (its content codes). */
    @Override
    public int batchesPerStep() {
        return 2;
    }

    /** critic, generator, r1 (E‖∇D(real)‖², before γ/2) and scoreGap (mean D(real) − D(fake)); the losses are watched. */
    @Override
    public List<Figure> figures() {
        return FIGURES;
    }

    /** Fits the principal directions and the content bank if this model is fresh, and records {@code source}. */
    @Override
    public void prepare(Windows windows, String source) {
        if (!prepared()) {
            prepare(windows);
        }
        dataSource = source == null ? "" : source;
    }

    /** A {@link #criticStep} on the first batch and a {@link #generatorStep} on the second, each with its batch's seed. */
    @Override
    public StepReport trainStep(TrainingStep step) {
        StepStats c = null;
        StepStats g = null;
        List<TrainingStep.Batch> batches = step.batches();
        for (int k = 0; k < batches.size(); k++) {
            TrainingStep.Batch b = batches.get(k);
            try {
                if (k == 0) {
                    c = criticStep(b.windows(), b.seed());
                } else {
                    g = generatorStep(b.windows(), b.seed());
                }
            } finally {
                b.release();
            }
        }
        double none = Double.NaN;
        return StepReport.empty()
                .with("critic", c == null ? none : c.loss())
                .with("generator", g == null ? none : g.loss())
                .with("r1", c == null ? none : c.r1())
                .with("scoreGap", c == null ? none : c.scoreGap());
    }

    /** Motion mapping with frame generator, and critic. */
    @Override
    public Map<String, Long> parameterCounts() {
        Map<String, Long> out = new LinkedHashMap<>();
        out.put("generator", generatorParams.count());
        out.put("critic", criticParams.count());
        return out;
    }

    // ---- training --------------------------------------------------------------------------------

    /**
     * What a training step reports: the loss, R1 (E‖∇D(real)‖², NaN for a generator step) and
     * mean D(real) − D(fake) (NaN for a generator step).
     */
    public record StepStats(double loss, double r1, double scoreGap) {
    }

    /**
     * One critic update on real windows [B, t, L, D]: n frames of each at random times, and a fake
     * clip at the same times from the window's first frame. A step whose loss or gradients are not
     * finite changes nothing.
     */
    public StepStats criticStep(INDArray realWindows, long seed) {
        requireWindows("criticStep: expected real windows", realWindows);
        Checks.requireFinite(realWindows, "real windows");
        if (!prepared()) {
            prepare(realWindows);
        }
        Random random = new Random(seed);
        try (Scope scope = Scope.reusing(STEP_WORKSPACE)) {
            int b = (int) realWindows.size(0);
            ClipDraw draw = ClipDraw.draw(config, random, b, dtype);
            INDArray content = whitenedFrames(realWindows, null);
            INDArray real = whitenedFrames(realWindows, draw.frames());
            CriticTerms terms = criticTerms(real, content, draw);
            List<Var> grads = Autograd.grad(terms.loss(), adamC.parameters(), false);
            StepStats st = new StepStats(terms.loss().item(), terms.r1().item(), terms.scoreGap());
            if (Double.isFinite(st.loss()) && Double.isFinite(st.r1()) && Checks.allFinite(grads)) {
                adamC.step(grads);
                criticSteps++;
            }
            return st;
        }
    }

    /** One generator update: fake clips from the first frames of real windows [B, t, L, D]. Needs a prepared model. */
    public StepStats generatorStep(INDArray realWindows, long seed) {
        requireWindows("generatorStep: expected real windows", realWindows);
        Checks.requireFinite(realWindows, "real windows");
        requirePrepared("generatorStep");
        Random random = new Random(seed);
        try (Scope scope = Scope.reusing(STEP_WORKSPACE)) {
            int b = (int) realWindows.size(0);
            ClipDraw draw = ClipDraw.draw(config, random, b, dtype);
            INDArray content = whitenedFrames(realWindows, null);
            Var loss = generatorLoss(content, draw);
            List<Var> grads = Autograd.grad(loss, adamG.parameters(), false);
            StepStats st = new StepStats(loss.item(), Double.NaN, Double.NaN);
            if (Double.isFinite(st.loss()) && Checks.allFinite(grads)) {
                adamG.step(grads);
                generatorSteps++;
            }
            return st;
        }
    }

    /** The critic's loss, its R1 term E‖∇D(real)‖² and the score gap (package-private for checks). */
    record CriticTerms(Var loss, Var r1, double scoreGap) {
    }

    /**
     * The critic's terms for whitened real clips [B, n, k], content coordinates [B, k] and the draw
     * the fakes come from (package-private: gradient checks and the second implementation).
     */
    CriticTerms criticTerms(INDArray real, INDArray content, ClipDraw draw) {
        int n = config.framesPerClip();
        Var fake = Autograd.noGrad(() -> fakeClips(Var.constant(content), draw, n + 1));
        Var realIn = Var.input(real);
        Var dReal = critic.score(realIn, draw.gaps());
        Var dFake = critic.score(Var.constant(fake.value()), draw.gaps());
        Var g = Autograd.grad(Ops.sumAll(dReal), List.of(realIn), true).get(0);
        Var r1 = Ops.scale(Ops.sumAll(Ops.square(g)), 1.0 / real.size(0));
        Var adversarial = Ops.add(Ops.meanAll(Ops.softplus(dFake)), Ops.meanAll(Ops.softplus(Ops.neg(dReal))));
        Var loss = Ops.add(adversarial, Ops.scale(r1, config.r1Gamma() / 2));
        double gap = dReal.value().meanNumber().doubleValue() - dFake.value().meanNumber().doubleValue();
        return new CriticTerms(loss, r1, gap);
    }

    /** The generator's loss E softplus(−D(fake)) for content coordinates [B, k] and a draw (package-private for checks). */
    Var generatorLoss(INDArray content, ClipDraw draw) {
        Var fake = fakeClips(Var.constant(content), draw, config.framesPerClip() + 1);
        return Ops.meanAll(Ops.softplus(Ops.neg(critic.score(fake, draw.gaps()))));
    }

    /** Fake clips [B, m − 1, k] at the draw's times (m per clip, the anchor first). */
    private Var fakeClips(Var content, ClipDraw draw, int m) {
        Var signal = mapping.signal(Var.constant(draw.codes()), draw.first(), draw.times(), m);
        return generator.clips(content, signal, m);
    }

    /** Whitened coordinates [B, k] of each window's first frame (frames null) or [B, n, k] of the given frames. */
    INDArray whitenedFrames(INDArray windows, int[] frames) {
        int b = (int) windows.size(0);
        int f = config.layers() * config.width();
        int n = frames == null ? 1 : frames.length / b;
        INDArray rows = Nd4j.create(dtype, (long) b * n, f);
        for (int clip = 0; clip < b; clip++) {
            for (int i = 0; i < n; i++) {
                int frame = frames == null ? 0 : frames[clip * n + i];
                rows.putRow((long) clip * n + i, windows.get(NDArrayIndex.point(clip), NDArrayIndex.point(frame),
                        NDArrayIndex.all(), NDArrayIndex.all()).reshape(f).castTo(dtype));
            }
        }
        INDArray w = basis.whiten(rows);
        return frames == null ? w : w.reshape('c', b, n, config.components());
    }

    // ---- sampling --------------------------------------------------------------------------------

    /** {@code length} ≥ 1 frames at the config's frame rate from a content code of the bank the seed picks. */
    @Override
    public Trajectory sample(int length, long seed) {
        return sample(length, config.fps(), seed, bankCode(seed));
    }

    /**
     * {@code seconds} of motion at {@code fps} frames per second (round(seconds·fps) frames, at
     * least 1) from a content code of the bank the seed picks. The same seed gives the same motion
     * at any frame rate: at 5× the config's fps every fifth frame is a frame of the config-rate
     * sample, and the trajectory played at the config's rate is 5× slow motion.
     */
    public Trajectory sample(double seconds, double fps, long seed) {
        return sample(frames(seconds, fps), fps, seed, bankCode(seed));
    }

    /** {@code seconds} of motion at {@code fps} whose first frame is {@code contentCode} ([L, D] or [L·D], e.g. an encoded photo). */
    public Trajectory animate(INDArray contentCode, double seconds, double fps, long seed) {
        return sample(frames(seconds, fps), fps, seed, contentCode);
    }

    /**
     * {@code length} ≥ 1 frames at {@code fps} whose first frame is {@code contentCode} ([L, D] or
     * [L·D]): frame j is at time j·(config fps / fps) of the motion signal, in the config's frames.
     */
    public Trajectory sample(int length, double fps, long seed, INDArray contentCode) {
        requirePrepared("sample");
        int f = config.layers() * config.width();
        if (length < 1) {
            throw new IllegalArgumentException("sample: expected a length of at least 1 frame, found " + length);
        }
        requireRate(fps);
        if (contentCode == null || contentCode.length() != f || !(contentCode.rank() == 1
                || (contentCode.rank() == 2 && contentCode.size(0) == config.layers()))) {
            throw new IllegalArgumentException("sample: expected a content code [" + config.layers() + ", "
                    + config.width() + "] or [" + f + "], found "
                    + (contentCode == null ? "null" : Arrays.toString(contentCode.shape())));
        }
        Checks.requireFinite(contentCode, "content code");
        INDArray codes;
        try (Scope scope = Scope.open()) {
            INDArray w0 = contentCode.reshape('c', 1, f).castTo(dtype);
            INDArray x0 = basis.whiten(w0);
            double[] times = new double[length + 1];
            for (int j = 0; j < length; j++) {
                times[j + 1] = j * config.fps() / fps; // multiply first: 5j·25/125 is exactly j
            }
            int knots = (int) Math.floor(times[length] / config.codeDistance()) + 2;
            INDArray motion = Nd4j.create(dtype, 1, knots + config.extraCodes(), config.motionDim());
            Random random = new Random(seed);
            long n = motion.length();
            for (long k = 0; k < n; k++) { // in time order: a longer sample only appends codes
                motion.putScalar(k, random.nextGaussian());
            }
            INDArray seq = Autograd.noGrad(() -> generator.clips(Var.constant(x0),
                    mapping.signal(Var.constant(motion), new int[] {0}, times, length + 1), length + 1)).value();
            INDArray out = basis.codes(w0.reshape(f), seq.reshape('c', length, config.components()));
            codes = scope.keep(out.castTo(DataType.FLOAT).reshape('c', length, config.layers(), config.width()));
        }
        return Trajectory.of(codes, fps, "StyleGanV sample (seed " + seed + ", " + generatorSteps
                + " generator steps" + (dataSource.isEmpty() ? "" : ", data " + dataSource) + ")");
    }

    private INDArray bankCode(long seed) {
        requirePrepared("sample");
        int n = (int) contentCount.getDouble(0);
        int pick = new Random(seed ^ 0x5DEECE66DL).nextInt(n);
        return contentBank.getRow(pick).dup();
    }

    private static int frames(double seconds, double fps) {
        if (!(seconds > 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("sample: expected a finite duration > 0 seconds, found " + seconds);
        }
        requireRate(fps);
        long n = Math.max(1, Math.round(seconds * fps));
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("sample: " + seconds + " s at " + fps + " fps is " + n
                    + " frames, more than a trajectory holds");
        }
        return (int) n;
    }

    private static void requireRate(double fps) {
        if (!(fps > 0) || Double.isInfinite(fps)) {
            throw new IllegalArgumentException("sample: expected a finite frame rate > 0 fps, found " + fps);
        }
    }

    // ---- parameters, copies, files ---------------------------------------------------------------

    /** Copies of every trained array by name: {@code generator.*}, {@code critic.*}, {@code stats.*}. */
    public Map<String, INDArray> parameters() {
        return files.parameters();
    }

    /** Everything {@link #save} writes: parameters, optimizer states, config, step counters, data source. */
    public Map<String, INDArray> state() {
        return files.write(new long[] {criticSteps, generatorSteps}, dataSource);
    }

    /** Writes the full training state to an NPZ file (atomically; read it with {@link #load}). */
    @Override
    public void save(Path path) {
        Npz.write(path, state());
    }

    /** Reads a model written by {@link #save}; training continues where it stopped. */
    public static StyleGanV load(Path path) {
        ModelFiles.Contents<StyleGanVConfig> file = ModelFiles.read(path, "StyleGanV", StyleGanVConfig::parse);
        StyleGanV model = new StyleGanV(file.config());
        model.loadState(file.entries(), path.toString());
        return model;
    }

    private void loadState(Map<String, INDArray> in, String what) {
        ModelState.Saved saved = files.read(in, what);
        criticSteps = saved.steps()[0];
        generatorSteps = saved.steps()[1];
        dataSource = saved.source();
    }

    /** A deep copy (weights, optimizer states, statistics, counters). */
    @Override
    public StyleGanV copy() {
        StyleGanV c = new StyleGanV(config);
        c.loadState(state(), "copy");
        return c;
    }

    /** Makes this model equal to {@code snapshot}, a {@link #copy()} of a StyleGanV with this config. */
    @Override
    public void restore(TrainableMotionModel snapshot) {
        loadState(ModelFiles.snapshot(snapshot, StyleGanV.class, config).state(), "restore");
    }

    /**
     * Overwrites the networks' parameters and the statistics from arrays named as {@link #parameters()}
     * names them (package-private: the second implementation's check loads PyTorch's weights).
     */
    void loadParameters(Map<String, INDArray> in) {
        files.loadParameters(in);
    }

    ParameterSet generatorParameters() {
        return generatorParams;
    }

    ParameterSet criticParameters() {
        return criticParams;
    }

    // ---- checks ----------------------------------------------------------------------------------

    private void requireWindows(String what, INDArray windows) {
        int t = config.windowLength();
        if (windows == null || windows.rank() != 4 || windows.size(1) != t || windows.size(2) != config.layers()
                || windows.size(3) != config.width() || windows.size(0) < 1) {
            throw new IllegalArgumentException(what + " [B, " + t + ", " + config.layers() + ", " + config.width()
                    + "], found " + (windows == null ? "null" : Arrays.toString(windows.shape())));
        }
    }

    private void requirePrepared(String what) {
        if (!prepared()) {
            throw new IllegalStateException(what + ": the model has no principal directions or content codes yet;"
                    + " call prepare(windows) or train it first");
        }
    }



    @Override
    public String toString() {
        return String.format("StyleGanV[%d params G, %d params C, %d critic + %d generator steps, t=%d, k=%d, W+ %d×%d%s]",
                generatorParams.count(), criticParams.count(), criticSteps, generatorSteps, config.windowLength(),
                config.components(), config.layers(), config.width(), dataSource.isEmpty() ? "" : ", data " + dataSource);
    }
}

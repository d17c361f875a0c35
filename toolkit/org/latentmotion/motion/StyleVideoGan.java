package org.latentmotion.motion;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.latentmotion.nn.Adam;
import org.latentmotion.nn.Autograd;
import org.latentmotion.nn.Ema;
import org.latentmotion.nn.Init;
import org.latentmotion.nn.MemoryBudget;
import org.latentmotion.nn.Mode;
import org.latentmotion.nn.Ops;
import org.latentmotion.nn.ParameterSet;
import org.latentmotion.nn.Scope;
import org.latentmotion.nn.Var;
import org.latentmotion.wplus.Npz;
import org.latentmotion.wplus.Trajectory;
import org.latentmotion.wplus.TrajectorySet;
import org.latentmotion.wplus.Windows;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * StyleVideoGAN (seed 002): a recurrent Wasserstein GAN on W+ trajectories, trained with WGAN-GP
 * and the gradient angle penalty, on ND4J with exact gradients (the {@code nn} tape, which
 * differentiates its own gradients). Architecture: {@link Generator} and {@link Critic}; sizes:
 * {@link StyleVideoGanConfig}.
 *
 * <pre>{@code
 * var gan = StyleVideoGan.create(StyleVideoGanConfig.small());
 * StepStats c = gan.criticStep(windows.batch(indices), 1);   // [B, t, L, D]
 * StepStats g = gan.generatorStep(2);
 * Trajectory clip = gan.sample(250, 42);                      // from the EMA generator
 * gan.save(Path.of("gan.npz"));
 * }</pre>
 *
 * <p>It is a {@link TrainableMotionModel}: the {@link Trainer} runs one training step as
 * {@link StyleVideoGanConfig#criticSteps()} critic steps, each on one real batch with that
 * batch's seed, then a generator step with the step's seed ({@link #trainStep}); the history's
 * figures are the critic figures' means over those critic steps and the generator step's.
 *
 * <h2>Losses (choices where the paper is silent are marked *)</h2>
 * <ul>
 *   <li>Critic: mean D(fake) − mean D(real) + λ_GP · mean_b (‖∇_x̂ D(x̂_b)‖ − 1)², x̂ = ε·real + (1 − ε)·fake,
 *       ε ~ U[0, 1) per window; the gradient is taken in the standardised coordinates the critic
 *       sees*. Fakes are generated in training mode (batch statistics) without recording.</li>
 *   <li>Generator: −mean D(G(i, s)) + λ_GAP · mean_b (max(0, π/4 − φ_b))², φ_b = atan(‖∂d/∂s_b‖ / ‖∂d/∂i_b‖),
 *       with the gradients of d = Σ_b d_b, d_b = ‖(l_{t−1} − l_0 − μ) / σ‖ (per window φ*, +1e-12
 *       inside each square root*). μ, σ² are running statistics (momentum 0.1*) of l_{t−1} − l_0,
 *       updated with each generator batch before it is normalised*.</li>
 *   <li>With a training horizon H &gt; t (not in the paper; {@link StyleVideoGanConfig#trainingHorizon()}),
 *       half the steps judge windows that start at a random frame 1 … H − t: the sequence runs there
 *       without recording and the window resumes from its GRU states, so the critic also sees what
 *       a sequence does long after frame 0 (with the paper's fixed window, a sample's head freezes
 *       after a few hundred frames). In those steps the angle penalty's i is the state the window
 *       resumed from.</li>
 *   <li>With a span critic ({@link StyleVideoGanConfig#spanFrames()} S &gt; 0; ours, after StyleGAN-V,
 *       not in the paper): the last critic step of each training step (every {@link #criticStep} called
 *       alone) also adds the WGAN-GP loss of a {@link SpanCritic} on B real spans (K frames of one
 *       training clip, the first and last S − 1 apart) and B generated ones at the same offsets, and the
 *       generator's loss adds −mean D_span of B fresh spans. A generated span
 *       starts uniformly in 0 … H − S; the frames before it run without the tape, its S − 1 steps with it,
 *       so the gradient reaches the recurrence across the whole span. Only the K frames go through the
 *       mapper, in training mode without moving its running statistics. The window critic's figures
 *       (wasserstein, gp) stay the window's; the critic loss is the sum of both critics'.</li>
 *   <li>After each generator step the EMA generator moves: shadow ← decay·shadow + (1 − decay)·weights;
 *       batch-norm running statistics are copied from the training generator (StyleGAN2-ADA's rule;
 *       see {@link Ema} for why averaging them freezes samples), and re-estimated for the averaged
 *       weights before sampling (see {@code calibrateEma}).</li>
 *   <li>A step whose loss or gradients are not finite changes nothing (no update, no EMA) and
 *       returns its figures, so a caller can stop with the last good state.</li>
 * </ul>
 *
 * <h2>Standardised codes</h2>
 * The networks work on standardised W+ codes x̃ = (x − mean) / scale, mean per element [L·D],
 * scale one value per W+ layer (the RMS of that layer's per-element standard deviations, so the
 * relative size of motion directions is kept). With {@code motionComponents} = k &gt; 0 they work
 * on x̃ = ((x − mean) · Bᵀ) / s instead: B the first k principal directions of the training
 * frames, s each direction's standard deviation but at least a tenth of the first's (whitened
 * motion, quiet noise directions); samples map back as mean + (x̃ ⊙ s) · B and lie in that
 * subspace (what the data has outside it, e.g. embedding noise, is not reproduced). They are fitted by {@link #fitNormalization} or,
 * if it was not called, from the first batch given to {@link #criticStep}; they are saved with
 * the model, and samples are mapped back with them.
 *
 * <h2>Parameters and file layout (for a second implementation)</h2>
 * {@link #parameters()} and the NPZ written by {@link #save} use these names (float32, or float64
 * with {@code float64=true}); a {@code [in, out]} weight is the transpose of PyTorch's
 * {@code nn.Linear.weight}:
 * <pre>
 * generator.hallucinator.fc{0..3}.weight [in, out], .bias [out]    32→W_H→W_H→W_H→3·32, LeakyReLU after each
 * generator.hallucinator.bn.{weight,bias,running_mean,running_var} [96]
 * generator.producer.gru{0..3}.weight_ih [in, 96], .weight_hh [32, 96], .bias_ih [96], .bias_hh [96]
 *      (transposes of nn.GRUCell's; gate order r, z, n; cell 0 reads s_k, cell j the new state of cell j−1)
 * generator.mapper.bn_in.* [32]; generator.mapper.affine_in.weight [32, M]; then PixelNorm
 * generator.mapper.fc{0..3}.weight [M, M] + LeakyReLU; generator.mapper.bn_mid.* [M]; generator.mapper.affine_mid.weight [M, M]
 * generator.mapper.heads.weight [M, L·D]: columns l·D … (l+1)·D are head l (nn.Linear(M, D) weight = that block ᵀ)
 * generator.mapper.heads_bn.* [L·D]: LeakyReLU then BatchNorm per head, fused (feature l·D + d)
 * critic.fc{0..5}.weight [in, out]: L·D→W_C→W_C→…→criticFeatures, LeakyReLU after each
 * critic.conv{j}.weight [k·C_in, C_out]: row j'·C_in + c = PyTorch Conv1d weight[o, c, j'] (channels-last im2col);
 *      kernel 4, stride 2, padding 1 + LeakyReLU while length &gt; 4, then kernel = remaining length, no activation
 * critic.spectral.fc0 [k·⌊t/2⌋, W_C], .fc1 [W_C, W_C], .out [W_C, 1]   only with {@code spectralCritic} (ours): an MLP on the
 *      window's amplitude spectrum per motion component, its score added to D (see {@link SpectralHead})
 * critic.span.frame0 [k, W_C], .frame1, .joint0 [K·W_C + 2(K − 1), W_C], .joint1, .out [W_C, 1]   only with
 *      {@code spanFrames} (ours): the span critic, a second score (see {@link SpanCritic})
 * ema.*             the EMA generator, same names as generator.*
 * adam_g.step, adam_g.m.&lt;name&gt;, adam_g.v.&lt;name&gt; (generator names without "generator."), adam_c.* likewise
 * stats.data_mean [L·D], stats.data_scale [L·D], stats.data_fitted [1], stats.gap_mean [32], stats.gap_var [32]
 *      (motion space, {@code motionComponents} = k &gt; 0: stats.basis [k, L·D] and stats.basis_scale [k] instead of
 *      stats.data_scale; mapper.heads is then [M, k], heads_bn [k], and critic.fc0 reads k numbers per frame,
 *      2k with {@code criticDifferences}: the frame, then its change from the previous frame times
 *      stats.change_whitening [k, k] (the inverse square root of the data's change second moment),
 *      stats.change_fitted [1])
 * meta.config (UTF-8 bytes of {@link StyleVideoGanConfig#toProperties()}), meta.steps [2] (critic, generator steps),
 * meta.source (UTF-8 bytes of {@link #dataSource()})
 * </pre>
 * BatchNorm is PyTorch's BatchNorm1d (eps 1e-5, momentum 0.1, unbiased running variance); in
 * the mapper its batch is all B·t frames (rows ordered by window, then frame). LeakyReLU slope 0.2.
 *
 * <h2>Backends</h2>
 * Runs on ND4J's CPU backend (nd4j-native). {@code mvn -Pcuda …} swaps the dependency to
 * nd4j-cuda-11.6 (see the {@code cuda} profile in pom.xml); the code has no backend-specific
 * path, so the same classes run on a GPU there (untested on this machine: no GPU).
 */
public final class StyleVideoGan implements TrainableMotionModel {
    /** The type name checkpoints record for this model. */
    public static final String TYPE_NAME = "StyleVideoGan";
    /** The chart of the regularisers (gradient penalty, gradient angle penalty, angle φ). */
    static final String REGULARISERS = "Gradient penalty, angle penalty and φ";
    /**
     * What every training step reports, in the history's column order (that of checkpoints
     * written before the training contract): the critic figures are means over the step's
     * critic steps.
     */
    private static final List<Figure> FIGURES = List.of(
            Figure.loss("critic"),
            Figure.shown("wasserstein", "wasserstein", Figure.LOSSES),
            Figure.shown("gp", "GP", REGULARISERS),
            Figure.loss("generator"),
            Figure.shown("gap", "GAP", REGULARISERS),
            Figure.shown("angle", "angle φ (rad)", REGULARISERS),
            Figure.recorded("gradNormS"),
            Figure.recorded("gradNormI"));
    /** Arrays of [B·t, L·D] float32 a critic step holds at once, at least (real, fake, their difference, x̂, gradients…). */
    private static final int STEP_ARRAYS = 12;
    /**
     * The one reused workspace of both steps: they never run at once, so one block the size of the larger
     * serves both (at paper() two workspaces held 2.6 + 2.8 GB per training thread; one holds the larger).
     */
    private static final String STEP_WORKSPACE = "training-step";

    private final StyleVideoGanConfig config;
    private final DataType dtype;
    private final ParameterSet generatorParams;
    private final ParameterSet emaParams;
    private final ParameterSet criticParams;
    private final ParameterSet stats;
    private final Generator generator;
    private final Generator emaGenerator;
    private final Critic critic;
    /** With {@code spanFrames}: the critic of frames far apart in one sequence; else null. */
    private final SpanCritic spanCritic;
    private final Adam adamG;
    private final Adam adamC;
    private final ModelState files;
    private final Ema ema;
    private final Standardization standardization;
    /** With {@code criticDifferences}: how the critic sees frame-to-frame changes; else null. */
    private final ChangeWhitening changeWhitening;
    private final AdversarialLosses losses;
    private final StepDraws draws;
    private final Sampling sampling;
    /** With {@code spanFrames}: the span critic's real data, set by {@link #spanClips}; data, not state (never saved). */
    private RealSpans realSpans;
    private long criticSteps;
    private long generatorSteps;
    private String dataSource = "";

    private StyleVideoGan(StyleVideoGanConfig config) {
        this.config = config;
        this.dtype = config.float64() ? DataType.DOUBLE : DataType.FLOAT;
        draws = new StepDraws(config, new StepNoise(config.latentDim(), config.noiseSmoothing(), config.whiteNoiseChannels()), dtype);
        generatorParams = new ParameterSet(dtype, config.seed());
        criticParams = new ParameterSet(dtype, config.seed() + 1);
        emaParams = new ParameterSet(dtype, config.seed());
        generator = new Generator(config, generatorParams);
        emaGenerator = new Generator(config, emaParams);
        emaParams.copyFrom(generatorParams);
        // the order of the stats buffers is the order of the file's stats.* entries
        stats = new ParameterSet(dtype, 0);
        changeWhitening = config.criticDifferences() ? new ChangeWhitening(config, stats, dtype) : null;
        critic = new Critic(config, criticParams, changeWhitening == null ? null : changeWhitening.matrix());
        // created after the temporal critic, so without it every other weight starts as before
        spanCritic = config.spanFrames() > 0
                ? new SpanCritic(config, criticParams, config.kaimingInit() ? Init.kaiming(config.leakySlope()) : Init.pytorch())
                : null;
        adamG = new Adam(generatorParams, config.lrGenerator(), config.beta1(), config.beta2(), 1e-8);
        adamC = new Adam(criticParams, config.lrCritic(), config.beta1(), config.beta2(), 1e-8);
        // the critic's names carry no prefix: files written before the zoo have them that way
        files = ModelState.of(config, 2).parameters("generator.", generatorParams).parameters("ema.", emaParams)
                .parameters("", criticParams).parameters("stats.", stats).optimizer("adam_g.", adamG).optimizer("adam_c.", adamC);
        ema = new Ema(generatorParams, emaParams, config.emaDecay());
        standardization = new Standardization(config, stats, dtype);
        losses = new AdversarialLosses(config, critic, new GradientAnglePenalty(config, stats));
        sampling = new Sampling(config, dtype, generator, emaGenerator, standardization, draws);
    }

    /** A new model with weights drawn from {@code config.seed()}. */
    public static StyleVideoGan create(StyleVideoGanConfig config) {
        return new StyleVideoGan(config);
    }

    /** The settings this model was made with (saved in its files). */
    @Override
    public StyleVideoGanConfig config() {
        return config;
    }

    /** Training steps taken so far (critic steps + generator steps). */
    public long steps() {
        return criticSteps + generatorSteps;
    }

    /** Trainable numbers in the generator (H, P and T; the EMA generator has as many). */
    public long generatorParameterCount() {
        return generatorParams.count();
    }

    /** Trainable numbers in the critic. */
    public long criticParameterCount() {
        return criticParams.count();
    }

    /** Critic updates made so far. */
    public long criticSteps() {
        return criticSteps;
    }

    /** Generator updates made so far (the EMA moved after each). */
    public long generatorSteps() {
        return generatorSteps;
    }

    /** Where the training data came from (set by the trainer; saved with the model). */
    public String dataSource() {
        return dataSource;
    }

    /** Records where the training data came from (null: unknown). */
    public StyleVideoGan dataSource(String source) {
        this.dataSource = source == null ? "" : source;
        return this;
    }


    /** True once the W+ standardisation statistics are set. */
    public boolean normalizationFitted() {
        return standardization.isFitted();
    }

    /**
     * Sets the standardisation from training frames [N, L, D] (or [N, L·D], or windows
     * [B, t, L, D]); call before training to use all data instead of the first batch. Full W+:
     * the mean and one scale per layer; motion space: the mean, the first k principal directions
     * and their scales (see the class comment).
     */
    public StyleVideoGan fitNormalization(INDArray frames) {
        standardization.fit(frames);
        return this;
    }

    /**
     * With {@code criticDifferences}: sets how the critic sees frame-to-frame changes, from real
     * windows [B, t, L, D]: a whitening transform of the changes (their second moment's inverse
     * square root, ZCA), so a direction the data barely moves in, such as a slow head turn, is as
     * loud to the critic as a mouth that opens and closes, whatever the principal directions mix.
     * Directions are amplified at most 1 / {@value ChangeWhitening#CHANGE_FLOOR} times the largest RMS change
     * allows. Needs the standardisation ({@link #fitNormalization}) first; the trainer calls both.
     * Without {@code criticDifferences} this does nothing.
     */
    public StyleVideoGan fitChangeWhitening(INDArray windows) {
        if (changeWhitening == null) {
            return this;
        }
        Checks.requireWindows(config, "fitChangeWhitening: expected windows", windows, 1);
        Checks.requireFinite(windows, "windows");
        if (!normalizationFitted()) {
            throw new IllegalStateException("fitChangeWhitening: fit the standardisation first (fitNormalization)");
        }
        changeWhitening.fit(windows, standardization);
        return this;
    }

    /** True when the critic's change whitening is set, or the critic reads no changes. */
    public boolean changeWhiteningFitted() {
        return changeWhitening == null || changeWhitening.isFitted();
    }

    // ---- the training contract (what the Trainer calls) ----------------------------------------

    /** How checkpoints find this model: {@value #TYPE_NAME}, read by {@link #load}; listed as a service. */
    public static final class Type extends NamedModelType {
        /** For {@link java.util.ServiceLoader}. */
        public Type() {
            super(TYPE_NAME, StyleVideoGan::load);
        }
    }

    private static final Type TYPE = new Type();

    @Override
    public ModelType type() {
        return TYPE;
    }

    /** One real batch per critic step. */
    @Override
    public int batchesPerStep() {
        return config.criticSteps();
    }

    /**
     * critic, wasserstein, gp (means over the step's critic steps), generator, gap, angle,
     * gradNormS, gradNormI; the critic and generator losses are watched.
     */
    @Override
    public List<Figure> figures() {
        return FIGURES;
    }

    /**
     * Refuses a batch that cannot fit in memory; on a fresh model fits the W+ standardisation to
     * (up to 2048 of) the training frames and the critic's change whitening to (up to 256) of the
     * windows; records {@code source} as the data source.
     */
    @Override
    public void prepare(Windows windows, String source) {
        MemoryBudget.require("a training step at batch " + config.batch(), MemoryBudget.product(STEP_ARRAYS, config.batch(),
                config.windowLength(), (long) config.layers() * config.width(), 4), "use a smaller batch (paper() is 128, small() "
                + StyleVideoGanConfig.small().batch() + ")");
        TrajectorySet set = windows.source();
        if (!normalizationFitted()) {
            Trajectory all = set.allFrames();
            long[] picks = java.util.Arrays.stream(evenlySpaced(all.frames(), 2048)).asLongStream().toArray();
            fitNormalization(all.codes().get(NDArrayIndex.indices(picks), NDArrayIndex.all(), NDArrayIndex.all()).dup('c'));
        }
        if (!changeWhiteningFitted()) {
            fitChangeWhitening(windows.batch(evenlySpaced(windows.size(), 256)));
        }
        if (spanCritic != null) {
            spanClips(set);
        }
        dataSource(source);
    }

    /**
     * With {@code spanFrames} = S: gives the span critic its real data, every clip of {@code clips}
     * at least S frames long (the trainer passes the training set). Needs the standardisation
     * ({@link #fitNormalization}) first; without a span critic this does nothing.
     *
     * @throws IllegalArgumentException if no clip has S frames, or the clips would take more than a quarter of the heap
     * @throws IllegalStateException if the standardisation is not fitted yet
     */
    public StyleVideoGan spanClips(TrajectorySet clips) {
        if (spanCritic == null) {
            return this;
        }
        if (!normalizationFitted()) {
            throw new IllegalStateException("spanClips: fit the standardisation first (fitNormalization)");
        }
        realSpans = RealSpans.of(clips, standardization, config.spanFrames(), config.features());
        return this;
    }

    /** min(n, most) indices spread evenly over 0 … n − 1 (k·n / count). */
    private static int[] evenlySpaced(int n, int most) {
        int count = Math.min(n, most);
        int[] picks = new int[count];
        for (int k = 0; k < count; k++) {
            picks[k] = (int) ((long) k * n / count);
        }
        return picks;
    }

    /**
     * A {@link #criticStep} on each of the step's batches with its seed (each batch freed after
     * use), then a {@link #generatorStep} with the step's seed; reports the critic figures'
     * means (NaN when a step was given no batch) and the generator step's figures.
     */
    @Override
    public StepReport trainStep(TrainingStep step) {
        List<StepStats> critic = new ArrayList<>();
        List<TrainingStep.Batch> batches = step.batches();
        for (int k = 0; k < batches.size(); k++) {
            TrainingStep.Batch b = batches.get(k);
            try {
                // the span critic learns in the last critic step only: its spans cost the recurrence hundreds of steps
                critic.add(criticStep(b.windows(), b.seed(), k == batches.size() - 1));
            } finally {
                b.release();
            }
        }
        return StepStats.report(FIGURES, critic, generatorStep(step.seed()));
    }

    /** Generator and critic (the EMA generator, as large as the generator, is not trained by gradients). */
    @Override
    public Map<String, Long> parameterCounts() {
        Map<String, Long> out = new LinkedHashMap<>();
        out.put("generator", generatorParameterCount());
        out.put("critic", criticParameterCount());
        return out;
    }

    // ---- training ------------------------------------------------------------------------------

    /**
     * One critic update on real windows [B, t, L, D] (B ≥ 2; t = the config's window length) and
     * fakes from the generator, with the gradient penalty. The seed draws the fakes' noise and
     * the interpolation weights.
     */
    public StepStats criticStep(INDArray real, long seed) {
        return criticStep(real, seed, true);
    }

    /** {@link #criticStep(INDArray, long)}, with the span critic's term only if {@code withSpan}. */
    private StepStats criticStep(INDArray real, long seed, boolean withSpan) {
        int t = config.windowLength();
        int f = config.layers() * config.width();
        if (spanCritic != null && realSpans == null) {
            throw new IllegalStateException("criticStep: the span critic (spanFrames = " + config.spanFrames() + ") has no"
                    + " real spans: call spanClips(trainingClips) first (a Trainer does)");
        }
        Checks.requireWindows(config, "criticStep: expected real windows", real, 2);
        Checks.requireFinite(real, "real windows");
        if (!normalizationFitted()) {
            fitNormalization(real);
        }
        if (!changeWhiteningFitted()) {
            fitChangeWhitening(real);
        }
        int b = (int) real.size(0);
        Random random = new Random(seed);
        try (Scope scope = Scope.reusing(STEP_WORKSPACE)) {
            INDArray i = draws.gaussian(random, b, config.latentDim());
            INDArray whiteWindow = draws.whiteWindow(random, b);
            INDArray eps = draws.uniform(random, b);
            int start = draws.windowStart(random);
            StepDraws.SequenceNoise noise = draws.sequence(random, b, start, whiteWindow);
            Var fake = Autograd.noGrad(() -> {
                if (start == 0) {
                    return generator.forward(Var.constant(i), Var.constant(noise.window()), Mode.TRAIN).codes();
                }
                return generator.forwardFrom(statesBefore(i, noise.before(), Mode.TRAIN), Var.constant(noise.window()),
                        Mode.TRAIN).codes();
            });
            INDArray realStd = standardize(real.reshape('c', (long) b * t, f));
            AdversarialLosses.CriticTerms terms = criticTerms(realStd, fake, eps);
            Var loss = terms.loss();
            if (spanCritic != null && withSpan) {
                loss = Ops.add(loss, spanCriticTerms(random, b).loss());
            }
            List<Var> grads = Autograd.grad(loss, adamC.parameters(), false);
            StepStats st = new StepStats(loss.item(), Double.NaN, terms.wasserstein().item(), terms.gradientPenalty().item(),
                    Double.NaN, Double.NaN, Double.NaN, Double.NaN);
            if (st.isFinite(true) && Checks.allFinite(grads)) {
                adamC.learningRate(config.lrCritic() * config.learningRateFactor(generatorSteps));
                adamC.step(grads);
                criticSteps++;
            }
            return st;
        }
    }

    /**
     * The critic's score D of each window [B, t, L, D] of W+ codes: higher means "more like the
     * training data". For diagnosis, e.g. whether the critic notices a head that shakes: score real
     * windows, then the same windows with a pose parameter jittered frame to frame.
     */
    public double[] criticScores(INDArray windows) {
        int t = config.windowLength();
        Checks.requireWindows(config, "criticScores: expected windows", windows, 1);
        if (!normalizationFitted() || !changeWhiteningFitted()) {
            throw new IllegalStateException("criticScores: the model has not seen data yet (train it, or call fitNormalization"
                    + (changeWhiteningFitted() ? "" : " and fitChangeWhitening") + ")");
        }
        long b = windows.size(0);
        try (Scope scope = Scope.open()) {
            INDArray std = standardize(windows.reshape('c', b * t, (long) config.layers() * config.width()));
            return Autograd.noGrad(() -> critic.forward(Var.constant(std))).value().castTo(DataType.DOUBLE).toDoubleVector();
        }
    }

    /**
     * The span critic's WGAN-GP terms for {@code b} real spans and {@code b} fakes, drawn after the
     * window's draws: offsets, the fakes' start, first latents and noise, interpolation weights,
     * then the real spans. The fakes run in training mode without moving batch statistics.
     */
    private AdversarialLosses.CriticTerms spanCriticTerms(Random random, int b) {
        FakeSpans spans = fakeSpans(random, b);
        INDArray eps = draws.uniform(random, b);
        INDArray real = realSpans.draw(random, b, spans.offsets(), dtype);
        Var fake = Autograd.noGrad(() -> generator.spanCodes(spans.states(), Var.constant(spans.noise()), spans.offsets(),
                Mode.TRAIN_FROZEN));
        return AdversarialLosses.span(spanCritic, config.lambdaGp(), real, fake, eps, spans.offsets());
    }

    /** Generated spans before their S − 1 steps: the offsets, the GRU states the spans start from, the spans' noise. */
    private record FakeSpans(int[] offsets, Var[] states, INDArray noise) {
    }

    /**
     * Draws {@code b} generated spans (offsets, start, first latents, noise, in that order) and runs
     * the frames before them without the tape, in training mode without moving batch statistics.
     */
    private FakeSpans fakeSpans(Random random, int b) {
        int[] offsets = draws.spanOffsets(random);
        int start = draws.spanStart(random);
        INDArray i = draws.gaussian(random, b, config.latentDim());
        StepDraws.SequenceNoise noise = draws.spanNoise(random, b, start);
        Var[] states = Autograd.noGrad(() -> statesBefore(i, noise.before(), Mode.TRAIN_FROZEN));
        return new FakeSpans(offsets, states, noise.window());
    }

    /** The critic's loss terms (package-private for gradient checks; see {@link AdversarialLosses#critic}). */
    AdversarialLosses.CriticTerms criticTerms(INDArray realStd, Var fake, INDArray eps) {
        return losses.critic(realStd, fake, eps);
    }

    /** One generator update: adversarial loss plus the gradient angle penalty; then the EMA moves. */
    public StepStats generatorStep(long seed) {
        int b = config.batch();
        int t = config.windowLength();
        int lat = config.latentDim();
        Random random = new Random(seed);
        try (Scope scope = Scope.reusing(STEP_WORKSPACE)) {
            Var i = Var.input(draws.gaussian(random, b, lat));
            INDArray whiteWindow = draws.whiteWindow(random, b);
            int start = draws.windowStart(random);
            StepDraws.SequenceNoise noise = draws.sequence(random, b, start, whiteWindow);
            Var s = Var.input(noise.window());
            AdversarialLosses.GeneratorTerms terms;
            if (start == 0) {
                terms = generatorTerms(i, s, Mode.TRAIN, true);
            } else {
                // a window from later in the sequence: its start states are constants, and the gradient angle
                // penalty weighs the window's noise against the state it started from (i's role at frame 0)
                Var[] h = Autograd.noGrad(() -> statesBefore(i.value(), noise.before(), Mode.TRAIN));
                h[3] = Var.input(h[3].value());
                terms = losses.generator(generator.forwardFrom(h, s, Mode.TRAIN), h[3], s, true);
            }
            GradientAnglePenalty.Terms gap = terms.angle();
            Var loss = terms.loss();
            if (spanCritic != null) {
                loss = Ops.add(loss, spanGeneratorLoss(random, b));
            }
            List<Var> grads = Autograd.grad(loss, adamG.parameters(), false);
            StepStats st = new StepStats(Double.NaN, loss.item(), Double.NaN, Double.NaN, gap.loss().item(),
                    gap.phi().value().meanNumber().doubleValue(), gap.normS().value().meanNumber().doubleValue(),
                    gap.normI().value().meanNumber().doubleValue());
            if (st.isFinite(false) && Checks.allFinite(grads)) {
                adamG.learningRate(config.lrGenerator() * config.learningRateFactor(generatorSteps));
                adamG.step(grads);
                ema.update();
                generatorSteps++;
            }
            return st;
        }
    }

    /**
     * −mean D_span of {@code b} generated spans, drawn after the window's draws (offsets, start,
     * first latents, noise): the frames before a span run without the tape and its first states are
     * constants (truncated backpropagation, as for a window that starts late), its S − 1 steps run
     * with it, so the gradient reaches the recurrence across the whole span.
     */
    private Var spanGeneratorLoss(Random random, int b) {
        FakeSpans spans = fakeSpans(random, b);
        return spanGeneratorLoss(spans.states(), spans.noise(), spans.offsets());
    }

    /** −mean D_span of spans resumed from the GRU states {@code h} with the span's noise (package-private for gradient checks). */
    Var spanGeneratorLoss(Var[] h, INDArray noise, int[] offsets) {
        Var codes = generator.spanCodes(h, Var.constant(noise), offsets, Mode.TRAIN_FROZEN, config.spanBackpropFrames());
        return Ops.neg(Ops.meanAll(spanCritic.score(codes, offsets)));
    }

    /** −mean D(G(i, s)) + λ_GAP·L_GAP (package-private for gradient checks); {@code updateStatistics} moves the GAP statistics. */
    AdversarialLosses.GeneratorTerms generatorTerms(Var i, Var s, Mode mode, boolean updateStatistics) {
        return losses.generator(generator.forward(i, s, mode), i, s, updateStatistics);
    }

    // ---- sampling ------------------------------------------------------------------------------

    /**
     * {@code count} trajectories of {@code length} frames from the <em>training</em> generator in
     * training mode (batch statistics over the {@code count·length} frames, running statistics
     * untouched): what the critic sees during training, before the EMA and its re-estimated
     * statistics. For diagnosis; {@link #sample} is what a model is used with.
     */
    public List<Trajectory> sampleTrainingGenerator(int count, int length, long seed) {
        return sampling.fromTrainingGenerator(count, length, seed);
    }

    /** A trajectory of {@code length} ≥ 1 frames from the EMA generator (evaluation mode). */
    @Override
    public Trajectory sample(int length, long seed) {
        return sample(length, seed, null);
    }

    /**
     * A trajectory that starts at {@code firstCode} [L, D] (null: unconditioned). Since w_0 depends
     * only on i (l_0 = i), i is fitted to the code by 200 Adam steps on ‖T(i) − code‖² from the
     * seed's draw, the sequence is generated from it, and the remaining difference of the first
     * frame is added to every frame (an offset), so frame 0 equals the code.
     */
    public Trajectory sample(int length, long seed, INDArray firstCode) {
        return sample(length, seed, firstCode, Sampling.MAP_CHUNK);
    }

    /** {@link #sample(int, long, INDArray)}, mapping {@code chunk} frames at a time (package-private for tests). */
    Trajectory sample(int length, long seed, INDArray firstCode, int chunk) {
        return sampling.fromEma(length, seed, firstCode, chunk, generatorSteps, dataSource);
    }

    // ---- parameters, copies, files -------------------------------------------------------------

    /**
     * Copies of every trained array by name: {@code generator.*}, {@code ema.*}, {@code critic.*}
     * (parameters and batch-norm buffers) and {@code stats.*}; see the class comment for layouts.
     */
    public Map<String, INDArray> parameters() {
        return files.parameters();
    }

    /**
     * Copies of the training generator's weights by name, without the {@code generator.} prefix and
     * without batch-norm statistics ({@code hallucinator.fc0.weight}, …): what the optimiser changes.
     */
    public Map<String, INDArray> generatorWeights() {
        return weights(generatorParams);
    }

    /** Copies of the EMA generator's weights, named as in {@link #generatorWeights()}: what samples come from. */
    public Map<String, INDArray> emaWeights() {
        return weights(emaParams);
    }

    private static Map<String, INDArray> weights(ParameterSet set) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        set.parameters().forEach((name, v) -> out.put(name, v.value().dup()));
        return out;
    }

    /** Everything {@link #save} writes: parameters, optimizer states, config, step counters. */
    public Map<String, INDArray> state() {
        return files.write(new long[] {criticSteps, generatorSteps}, dataSource);
    }

    /** Writes the full training state to an NPZ file (atomically; resume with {@link #load}). */
    @Override
    public void save(Path path) {
        Npz.write(path, state());
    }

    /** Reads a model written by {@link #save}; training continues exactly where it stopped. */
    public static StyleVideoGan load(Path path) {
        ModelFiles.Contents<StyleVideoGanConfig> file = ModelFiles.read(path, "StyleVideoGan", StyleVideoGanConfig::parse);
        StyleVideoGan gan = new StyleVideoGan(file.config());
        gan.loadState(file.entries(), path.toString());
        return gan;
    }

    private void loadState(Map<String, INDArray> given, String what) {
        Map<String, INDArray> in = given;
        if (changeWhitening != null && !given.containsKey("stats.change_whitening") && !given.containsKey("stats.change_fitted")) {
            // written before the critic's change whitening existed: the next training data fits it
            in = new LinkedHashMap<>(given);
            INDArray[] initial = changeWhitening.initialState();
            in.put("stats.change_whitening", initial[0]);
            in.put("stats.change_fitted", initial[1]);
        }
        ModelState.Saved saved = files.read(in, what);
        criticSteps = saved.steps()[0];
        generatorSteps = saved.steps()[1];
        dataSource = saved.source();
        sampling.invalidate();
    }

    /** A deep copy (weights, optimizer states, statistics, counters). */
    @Override
    public StyleVideoGan copy() {
        StyleVideoGan c = new StyleVideoGan(config);
        c.loadState(state(), "copy");
        c.realSpans = realSpans; // read only
        return c;
    }

    /**
     * Makes this model equal to {@code good}, a copy of it, in place (the Trainer's restore after
     * a divergence).
     *
     * @throws IllegalArgumentException if {@code good} is not a StyleVideoGan of the same config
     */
    @Override
    public void restore(TrainableMotionModel good) {
        loadState(ModelFiles.snapshot(good, StyleVideoGan.class, config).state(), "restore");
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** x [N, L·D] raw codes → standardised [N, features] (new array, model dtype). */
    INDArray standardize(INDArray x) {
        return standardization.standardize(x);
    }

    /** Standardised codes [N, features] → raw W+ codes [N, L·D] (new array, model dtype; {@code codes} is kept). */
    INDArray destandardize(INDArray codes) {
        return standardization.destandardize(codes);
    }

    /** The training generator's four GRU states after the steps of {@code before} (null: none), from i (no tape). */
    private Var[] statesBefore(INDArray i, INDArray before, Mode mode) {
        return generator.statesAfter(Var.constant(i), before == null ? null : Var.constant(before), mode);
    }

    // package-private access for tests and gradient checks
    Generator generator() {
        return generator;
    }

    Critic critic() {
        return critic;
    }

    /** The span critic (null without {@code spanFrames}). */
    SpanCritic spanCritic() {
        return spanCritic;
    }

    ParameterSet generatorParameters() {
        return generatorParams;
    }

    ParameterSet emaParameters() {
        return emaParams;
    }

    ParameterSet criticParameters() {
        return criticParams;
    }

    // ---- text --------------------------------------------------------------------------------------

    @Override
    public String toString() {
        return String.format("StyleVideoGan[%s params G, %s params C, %d critic + %d generator steps, t=%d, W+ %d×%d%s]",
                human(generatorParams.count()), human(criticParams.count()), criticSteps, generatorSteps,
                config.windowLength(), config.layers(), config.width(),
                dataSource.isEmpty() ? "" : ", data " + dataSource);
    }

    private static String human(long n) {
        return n >= 1_000_000 ? String.format("%.2fM", n / 1e6) : n >= 1000 ? String.format("%.1fk", n / 1e3) : Long.toString(n);
    }

    /** Names of the generator's parameters in Adam order (for tests). */
    List<String> generatorParameterNames() {
        return new ArrayList<>(generatorParams.parameters().keySet());
    }
}

package org.latentmotion.motion;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.latentmotion.nn.Adam;
import org.latentmotion.nn.Autograd;
import org.latentmotion.nn.Ema;
import org.latentmotion.nn.MemoryBudget;
import org.latentmotion.nn.Mode;
import org.latentmotion.nn.Ops;
import org.latentmotion.nn.ParameterSet;
import org.latentmotion.nn.Scope;
import org.latentmotion.nn.Var;
import org.latentmotion.pca.LatentPca;
import org.latentmotion.wplus.Npz;
import org.latentmotion.wplus.Trajectory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

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
public final class StyleVideoGan implements MotionModel {
    private static final double GAP_MOMENTUM = 0.1;
    private static final double NORM_EPS = 1e-12;
    /** Motion space: no coordinate is scaled up by more than this fraction of the first's spread allows. */
    static final double WHITENING_FLOOR = 0.1;
    private static final int CALIBRATION_WINDOWS = 128;
    /** Frames the mapper T turns into W+ codes at once when sampling ([256, L·D] arrays: 9 MB at 18 × 512). */
    private static final int MAP_CHUNK = 256;

    private final StyleVideoGanConfig config;
    private final DataType dtype;
    private final ParameterSet generatorParams;
    private final ParameterSet emaParams;
    private final ParameterSet criticParams;
    private final ParameterSet stats;
    private final Generator generator;
    private final Generator emaGenerator;
    private final Critic critic;
    private final Adam adamG;
    private final Adam adamC;
    private final Ema ema;
    private final StepNoise stepNoise;
    private final INDArray dataMean;
    /** Full W+ mode: the per-element scale [L·D]; null in motion-space mode. */
    private final INDArray dataScale;
    /** Motion-space mode: the principal directions [k, L·D] (orthonormal rows) and the scale of each [k]; else null. */
    private final INDArray basis;
    private final INDArray basisScale;
    private final INDArray dataFitted;
    /** With {@code criticDifferences}: the whitening of frame-to-frame changes [features, features], and whether it is set; else null. */
    private final INDArray changeWhitening;
    private final INDArray changeFitted;
    private final INDArray gapMean;
    private final INDArray gapVar;
    private long criticSteps;
    private long generatorSteps;
    private String dataSource = "";
    /** Generator step at which the EMA generator's batch-norm statistics were last re-estimated (−1: never). */
    private long emaCalibratedAt = -1;

    private StyleVideoGan(StyleVideoGanConfig config) {
        this.config = config;
        this.dtype = config.float64() ? DataType.DOUBLE : DataType.FLOAT;
        this.stepNoise = new StepNoise(config.latentDim(), config.noiseSmoothing());
        generatorParams = new ParameterSet(dtype, config.seed());
        criticParams = new ParameterSet(dtype, config.seed() + 1);
        emaParams = new ParameterSet(dtype, config.seed());
        generator = new Generator(config, generatorParams);
        emaGenerator = new Generator(config, emaParams);
        emaParams.copyFrom(generatorParams);
        stats = new ParameterSet(dtype, 0);
        changeWhitening = config.criticDifferences()
                ? stats.buffer("change_whitening", Nd4j.eye(config.features()).castTo(dtype)) : null;
        changeFitted = config.criticDifferences() ? stats.buffer("change_fitted", stats.constant(0, 1)) : null;
        critic = new Critic(config, criticParams, changeWhitening);
        adamG = new Adam(generatorParams, config.lrGenerator(), config.beta1(), config.beta2(), 1e-8);
        adamC = new Adam(criticParams, config.lrCritic(), config.beta1(), config.beta2(), 1e-8);
        ema = new Ema(generatorParams, emaParams, config.emaDecay());
        int f = config.layers() * config.width();
        dataMean = stats.buffer("data_mean", stats.constant(0, f));
        int k = config.motionComponents();
        dataScale = k > 0 ? null : stats.buffer("data_scale", stats.constant(1, f));
        basis = k > 0 ? stats.buffer("basis", stats.constant(0, k, f)) : null;
        basisScale = k > 0 ? stats.buffer("basis_scale", stats.constant(1, k)) : null;
        dataFitted = stats.buffer("data_fitted", stats.constant(0, 1));
        gapMean = stats.buffer("gap_mean", stats.constant(0, config.hidden()));
        gapVar = stats.buffer("gap_var", stats.constant(1, config.hidden()));
    }

    /** A new model with weights drawn from {@code config.seed()}. */
    public static StyleVideoGan create(StyleVideoGanConfig config) {
        return new StyleVideoGan(config);
    }

    public StyleVideoGanConfig config() {
        return config;
    }

    /** Training steps taken so far (critic steps + generator steps). */
    public long steps() {
        return criticSteps + generatorSteps;
    }

    public long criticSteps() {
        return criticSteps;
    }

    public long generatorSteps() {
        return generatorSteps;
    }

    /** Where the training data came from (set by the trainer; saved with the model). */
    public String dataSource() {
        return dataSource;
    }

    public StyleVideoGan dataSource(String source) {
        this.dataSource = source == null ? "" : source;
        return this;
    }

    @Override
    public int layers() {
        return config.layers();
    }

    @Override
    public int width() {
        return config.width();
    }

    @Override
    public double fps() {
        return config.fps();
    }

    /** True once the W+ standardisation statistics are set. */
    public boolean normalizationFitted() {
        return dataFitted.getDouble(0) > 0;
    }

    /**
     * Sets the standardisation from training frames [N, L, D] (or [N, L·D], or windows
     * [B, t, L, D]); call before training to use all data instead of the first batch. Full W+:
     * the mean and one scale per layer; motion space: the mean, the first k principal directions
     * and their scales (see the class comment).
     */
    public StyleVideoGan fitNormalization(INDArray frames) {
        int f = config.layers() * config.width();
        int k = config.motionComponents();
        long n = frames.length() / f;
        if (frames.length() % f != 0 || n < Math.max(2, k + 1)) {
            throw new IllegalArgumentException("normalization needs at least " + Math.max(2, k + 1) + " frames of "
                    + config.layers() + " × " + config.width() + ", found shape " + Arrays.toString(frames.shape()));
        }
        INDArray x = frames.reshape('c', n, f).castTo(DataType.DOUBLE);
        requireFinite(x, "normalization frames");
        if (k > 0) {
            fitMotionSpace(x.castTo(DataType.FLOAT), k);
            return this;
        }
        INDArray mean = x.mean(0);
        INDArray var = x.var(false, 0).reshape(config.layers(), config.width());
        INDArray layerScale = Transforms.sqrt(var.mean(1), true);
        INDArray scale = Nd4j.create(DataType.DOUBLE, f);
        for (int l = 0; l < config.layers(); l++) {
            double s = layerScale.getDouble(l);
            s = s > 1e-12 ? s : 1.0; // a constant layer: nothing to scale
            scale.get(org.nd4j.linalg.indexing.NDArrayIndex.interval((long) l * config.width(), (long) (l + 1) * config.width()))
                    .assign(s);
        }
        dataMean.assign(mean.castTo(dtype));
        dataScale.assign(scale.castTo(dtype));
        dataFitted.assign(1);
        return this;
    }

    /**
     * Principal directions of the frames; each coordinate is divided by its standard deviation,
     * but by no less than a tenth of the first one's ({@value #WHITENING_FLOOR}): motion
     * components come out with unit spread, so the critic sees a head turn as clearly as a mouth
     * opening, while directions of embedding noise stay quiet.
     */
    private void fitMotionSpace(INDArray frames, int k) {
        LatentPca pca = LatentPca.fit(frames, k, config.seed(), config.layers(), config.width(), "");
        double floor = Math.max(pca.sigma(0) * WHITENING_FLOOR, 1e-12);
        INDArray scale = Nd4j.create(DataType.DOUBLE, k);
        for (int c = 0; c < k; c++) {
            scale.putScalar(c, Math.max(pca.sigma(c), floor));
        }
        dataMean.assign(pca.mean().castTo(dtype));
        basis.assign(pca.components().castTo(dtype));
        basisScale.assign(scale.castTo(dtype));
        dataFitted.assign(1);
    }

    /** No direction's frame-to-frame change is scaled up by more than the largest's RMS change over this. */
    static final double CHANGE_FLOOR = 0.01;

    /**
     * With {@code criticDifferences}: sets how the critic sees frame-to-frame changes, from real
     * windows [B, t, L, D]: a whitening transform of the changes (their second moment's inverse
     * square root, ZCA), so a direction the data barely moves in, such as a slow head turn, is as
     * loud to the critic as a mouth that opens and closes, whatever the principal directions mix.
     * Directions are amplified at most 1 / {@value #CHANGE_FLOOR} times the largest RMS change
     * allows. Needs the standardisation ({@link #fitNormalization}) first; the trainer calls both.
     * Without {@code criticDifferences} this does nothing.
     */
    public StyleVideoGan fitChangeWhitening(INDArray windows) {
        if (changeWhitening == null) {
            return this;
        }
        requireWindows("fitChangeWhitening: expected windows", windows, 1);
        requireFinite(windows, "windows");
        if (!normalizationFitted()) {
            throw new IllegalStateException("fitChangeWhitening: fit the standardisation first (fitNormalization)");
        }
        int t = config.windowLength();
        long b = windows.size(0);
        int features = config.features();
        try (Scope scope = Scope.open()) {
            INDArray x = standardize(windows.reshape('c', b * t, (long) config.layers() * config.width()))
                    .castTo(DataType.DOUBLE).reshape('c', b, t, features);
            INDArray change = x.get(NDArrayIndex.all(), NDArrayIndex.interval(1, t), NDArrayIndex.all())
                    .sub(x.get(NDArrayIndex.all(), NDArrayIndex.interval(0, t - 1), NDArrayIndex.all()))
                    .reshape('c', b * (t - 1), features);
            INDArray moment = change.transpose().mmul(change).divi(change.size(0)).dup('c');
            INDArray values = Eigen.symmetricGeneralizedEigenvalues(moment, true); // moment now holds the vectors
            double largest = Math.sqrt(Math.max(values.maxNumber().doubleValue(), 0));
            double floor = Math.max(largest * CHANGE_FLOOR, 1e-12);
            INDArray gains = Nd4j.create(DataType.DOUBLE, features);
            for (int k = 0; k < features; k++) {
                gains.putScalar(k, 1 / Math.max(Math.sqrt(Math.max(values.getDouble(k), 0)), floor));
            }
            INDArray whitening = moment.mulRowVector(gains).mmul(moment.transpose()); // U diag(g) Uᵀ
            changeWhitening.assign(whitening.castTo(dtype));
            changeFitted.assign(1);
        }
        return this;
    }

    /** True when the critic's change whitening is set, or the critic reads no changes. */
    public boolean changeWhiteningFitted() {
        return changeFitted == null || changeFitted.getDouble(0) > 0;
    }

    // ---- training ------------------------------------------------------------------------------

    /**
     * One critic update on real windows [B, t, L, D] (B ≥ 2; t = the config's window length) and
     * fakes from the generator, with the gradient penalty. The seed draws the fakes' noise and
     * the interpolation weights.
     */
    public StepStats criticStep(INDArray real, long seed) {
        int t = config.windowLength();
        int f = config.layers() * config.width();
        requireWindows("criticStep: expected real windows", real, 2);
        requireFinite(real, "real windows");
        if (!normalizationFitted()) {
            fitNormalization(real);
        }
        if (!changeWhiteningFitted()) {
            fitChangeWhitening(real);
        }
        int b = (int) real.size(0);
        Random random = new Random(seed);
        try (Scope scope = Scope.reusing("critic-step")) {
            INDArray i = gaussian(random, b, config.latentDim());
            INDArray whiteWindow = stepNoise.white() ? gaussian(random, b, (long) (t - 1) * config.latentDim()) : null;
            INDArray eps = uniform(random, b);
            int start = windowStart(random);
            SequenceNoise noise = sequenceNoise(random, b, start, whiteWindow);
            Var fake = Autograd.noGrad(() -> {
                if (start == 0) {
                    return generator.forward(Var.constant(i), Var.constant(noise.window()), Mode.TRAIN).codes();
                }
                return generator.forwardFrom(statesBefore(i, noise.before(), Mode.TRAIN), Var.constant(noise.window()),
                        Mode.TRAIN).codes();
            });
            INDArray realStd = standardize(real.reshape('c', (long) b * t, f));
            CriticTerms terms = criticTerms(realStd, fake, eps);
            Var loss = terms.loss();
            List<Var> grads = Autograd.grad(loss, adamC.parameters(), false);
            StepStats st = new StepStats(loss.item(), Double.NaN, terms.wasserstein().item(), terms.gradientPenalty().item(),
                    Double.NaN, Double.NaN, Double.NaN, Double.NaN);
            if (st.isFinite(true) && allFinite(grads)) {
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
        requireWindows("criticScores: expected windows", windows, 1);
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

    /** The critic's loss terms (package-private for gradient checks). */
    record CriticTerms(Var loss, Var wasserstein, Var gradientPenalty) {
    }

    /**
     * WGAN-GP for standardised real codes and fakes [B·t, features] and interpolation weights eps [B]:
     * loss = mean D(fake) − mean D(real) + λ_GP·mean (‖∇D(x̂)‖ − 1)², differentiable in the critic's weights.
     */
    CriticTerms criticTerms(INDArray realStd, Var fake, INDArray eps) {
        int t = config.windowLength();
        int f = config.features();
        long b = realStd.size(0) / t;
        Var dReal = critic.forward(Var.constant(realStd));
        Var dFake = critic.forward(fake);
        // x̂ = fake + ε (real − fake), ε per window
        INDArray diff = realStd.sub(fake.value());
        INDArray hat = fake.value().reshape('c', b, (long) t * f)
                .add(diff.reshape('c', b, (long) t * f).mulColumnVector(eps.reshape(b, 1))).reshape('c', b * t, f);
        Scope.release(diff);
        // the penalty's gradient is taken at what the critic's extractor reads (with criticDifferences: the frames and
        // their whitened changes as inputs of their own), so changes are measured in units of the data's changes
        INDArray lifted = Autograd.noGrad(() -> critic.inputs(Var.constant(hat))).value(); // owned by the scope's op
        Var xHat;
        if (lifted == hat) {
            xHat = Var.scopedInput(hat);
        } else {
            Scope.release(hat);
            xHat = Var.input(lifted);
        }
        Var dHat = critic.score(xHat);
        Var g = Autograd.grad(Ops.sumAll(dHat), List.of(xHat), true).get(0);
        Var norms = Ops.sqrt(Ops.addScalar(Ops.sum(Ops.square(Ops.reshape(g, b, g.value().length() / b)), 1), NORM_EPS));
        Var gp = Ops.meanAll(Ops.square(Ops.addScalar(norms, -1.0)));
        Var meanReal = Ops.meanAll(dReal);
        Var meanFake = Ops.meanAll(dFake);
        Var loss = Ops.add(Ops.sub(meanFake, meanReal), Ops.scale(gp, config.lambdaGp()));
        return new CriticTerms(loss, Ops.sub(meanReal, meanFake), gp);
    }

    /** One generator update: adversarial loss plus the gradient angle penalty; then the EMA moves. */
    public StepStats generatorStep(long seed) {
        int b = config.batch();
        int t = config.windowLength();
        int lat = config.latentDim();
        Random random = new Random(seed);
        try (Scope scope = Scope.reusing("generator-step")) {
            Var i = Var.input(gaussian(random, b, lat));
            INDArray whiteWindow = stepNoise.white() ? gaussian(random, b, (long) (t - 1) * lat) : null;
            int start = windowStart(random);
            SequenceNoise noise = sequenceNoise(random, b, start, whiteWindow);
            Var s = Var.input(noise.window());
            GeneratorTerms terms;
            if (start == 0) {
                terms = generatorTerms(i, s, Mode.TRAIN, true);
            } else {
                // a window from later in the sequence: its start states are constants, and the gradient angle
                // penalty weighs the window's noise against the state it started from (i's role at frame 0)
                Var[] h = Autograd.noGrad(() -> statesBefore(i.value(), noise.before(), Mode.TRAIN));
                h[3] = Var.input(h[3].value());
                terms = generatorTerms(generator.forwardFrom(h, s, Mode.TRAIN), h[3], s, true);
            }
            AngleTerms gap = terms.angle();
            Var loss = terms.loss();
            List<Var> grads = Autograd.grad(loss, adamG.parameters(), false);
            StepStats st = new StepStats(Double.NaN, loss.item(), Double.NaN, Double.NaN, gap.loss.item(),
                    gap.phi.value().meanNumber().doubleValue(), gap.normS.value().meanNumber().doubleValue(),
                    gap.normI.value().meanNumber().doubleValue());
            if (st.isFinite(false) && allFinite(grads)) {
                adamG.step(grads);
                ema.update();
                generatorSteps++;
            }
            return st;
        }
    }

    /** The generator's loss terms (package-private for gradient checks). */
    record GeneratorTerms(Var loss, Var adversarial, AngleTerms angle) {
    }

    /** −mean D(G(i, s)) + λ_GAP·L_GAP; {@code updateStatistics} moves the running statistics of l_{t−1} − l_0 first. */
    GeneratorTerms generatorTerms(Var i, Var s, Mode mode, boolean updateStatistics) {
        return generatorTerms(generator.forward(i, s, mode), i, s, updateStatistics);
    }

    /** The terms for a window {@code out} computed from the leaves i (or the state it resumed from) and s. */
    private GeneratorTerms generatorTerms(Generator.Output out, Var i, Var s, boolean updateStatistics) {
        Var adversarial = Ops.neg(Ops.meanAll(critic.forward(out.codes())));
        Var diff = Ops.sub(out.lastLatent(), out.firstLatent());
        if (updateStatistics) {
            updateGapStatistics(diff.value());
        }
        AngleTerms gap = angleTerms(diff, i, s);
        return new GeneratorTerms(Ops.add(adversarial, Ops.scale(gap.loss, config.lambdaGap())), adversarial, gap);
    }

    /** The terms of the gradient angle penalty for a batch (package-private for gradient checks). */
    record AngleTerms(Var loss, Var phi, Var normS, Var normI) {
    }

    /**
     * L_GAP from diff = l_{t−1} − l_0 [B, hidden] and the leaves i, s it was computed from; the
     * gradients of d are taken with createGraph, so L_GAP is differentiable in the weights.
     */
    AngleTerms angleTerms(Var diff, Var i, Var s) {
        long b = diff.size(0);
        INDArray inv = Transforms.pow(gapVar.add(1e-5), -0.5, false);
        Var normalized = Ops.mulRow(Ops.addRow(diff, Var.constant(gapMean.neg())), Var.constant(inv));
        Var d = Ops.sqrt(Ops.addScalar(Ops.sum(Ops.square(normalized), 1), NORM_EPS));
        List<Var> g = Autograd.grad(Ops.sumAll(d), List.of(s, i), true);
        Var normS = Ops.sqrt(Ops.addScalar(Ops.sum(Ops.square(g.get(0)), 1), NORM_EPS));
        Var normI = Ops.sqrt(Ops.addScalar(Ops.sum(Ops.square(g.get(1)), 1), NORM_EPS));
        Var phi = Ops.atan(Ops.div(normS, normI));
        Var hinge = Ops.relu(Ops.addScalar(Ops.neg(phi), Math.PI / 4));
        return new AngleTerms(Ops.meanAll(Ops.square(hinge)), phi, normS, normI);
    }

    private void updateGapStatistics(INDArray diff) {
        long n = diff.size(0);
        INDArray mean = diff.mean(0);
        INDArray var = diff.var(true, 0);
        gapMean.muli(1 - GAP_MOMENTUM).addi(mean.muli(GAP_MOMENTUM));
        if (n > 1) {
            gapVar.muli(1 - GAP_MOMENTUM).addi(var.muli(GAP_MOMENTUM));
        }
    }

    // ---- sampling ------------------------------------------------------------------------------

    /**
     * {@code count} trajectories of {@code length} frames from the <em>training</em> generator in
     * training mode (batch statistics over the {@code count·length} frames, running statistics
     * untouched): what the critic sees during training, before the EMA and its re-estimated
     * statistics. For diagnosis; {@link #sample} is what a model is used with.
     */
    public List<Trajectory> sampleTrainingGenerator(int count, int length, long seed) {
        if (count < 2 || length < 2) {
            throw new IllegalArgumentException("sampleTrainingGenerator: batch statistics need count ≥ 2 and length ≥ 2, found "
                    + count + " and " + length);
        }
        int lat = config.latentDim();
        int f = config.layers() * config.width();
        Random random = new Random(seed);
        List<Trajectory> out = new ArrayList<>(count);
        try (Scope scope = Scope.open()) {
            INDArray i = gaussian(random, count, lat);
            INDArray s = stepNoise.draw(random, count, length - 1, dtype);
            INDArray codes = Autograd.noGrad(() -> generator.forward(Var.constant(i), Var.constant(s), Mode.TRAIN_FROZEN).codes())
                    .value();
            for (int k = 0; k < count; k++) {
                INDArray rows = codes.get(NDArrayIndex.interval((long) k * length, (long) (k + 1) * length), NDArrayIndex.all());
                INDArray w = Scope.outside(() -> destandardize(rows).castTo(DataType.FLOAT)
                        .reshape('c', length, config.layers(), config.width()).dup('c'));
                out.add(Trajectory.of(w, config.fps(), "StyleVideoGan training generator (train mode, seed " + seed + ", sample " + k + ")"));
            }
        }
        return out;
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
        return sample(length, seed, firstCode, MAP_CHUNK);
    }

    /** {@link #sample(int, long, INDArray)}, mapping {@code chunk} frames at a time (package-private for tests). */
    Trajectory sample(int length, long seed, INDArray firstCode, int chunk) {
        if (length < 1) {
            throw new IllegalArgumentException("sample length must be ≥ 1, found " + length);
        }
        if (firstCode != null && (firstCode.length() != (long) config.layers() * config.width()
                || firstCode.rank() != 2 || firstCode.size(0) != config.layers())) {
            throw new IllegalArgumentException("firstCode: expected [" + config.layers() + ", " + config.width() + "], found "
                    + Arrays.toString(firstCode.shape()));
        }
        if (firstCode != null) {
            requireFinite(firstCode, "firstCode");
        }
        int lat = config.latentDim();
        int f = config.layers() * config.width();
        // the codes [length, L·D] float32, the noise and latents [length, latent] (noise drawn in float64)
        MemoryBudget.require("sample(" + length + ")", MemoryBudget.product(length, (long) f * 4 + (long) lat * 16)
                + (long) MAP_CHUNK * f * 16, "sample shorter clips (a minute is " + (int) Math.round(60 * config.fps())
                + " frames) and concatenate or render them one by one");
        calibrateEma();
        Random random = new Random(seed);
        try (Scope scope = Scope.open()) {
            INDArray i = gaussian(random, 1, lat);
            INDArray s = stepNoise.draw(random, 1, Math.max(length - 1, 1), dtype); // unused when length is 1
            INDArray target = null;
            if (firstCode != null) {
                i = fitFirstLatent(i, standardize(firstCode.reshape('c', 1, f).castTo(dtype)));
                target = firstCode.castTo(dtype).dup('c').reshape(new long[] {f});
            }
            INDArray iFinal = i;
            INDArray latents = Autograd.noGrad(() -> length == 1 ? Var.constant(iFinal)
                    : emaGenerator.latents(Var.constant(iFinal), Var.constant(s), Mode.EVAL).all()).value();
            INDArray w = Scope.outside(() -> Nd4j.createUninitialized(DataType.FLOAT, length, config.layers(), config.width()));
            INDArray rows = w.reshape('c', length, f);
            INDArray offset = null;
            // T maps each frame on its own (batch norm uses running statistics here), so frames go through it in
            // chunks, each in the same reused memory: no fresh [length, L·D] buffer per op, and flat in length
            for (int from = 0; from < length; from += chunk) {
                int to = Math.min(length, from + chunk);
                try (Scope mapping = Scope.reusing("sample-mapper")) {
                    INDArray l = latents.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
                    INDArray codes = destandardize(Autograd.noGrad(() -> emaGenerator.map(Var.constant(l), Mode.EVAL)).value());
                    if (target != null) {
                        // frame 0 lands on the code: the same shift of every frame, in W+ (in motion space it also
                        // carries what lies outside the motion components, e.g. a new actor's identity)
                        if (offset == null) {
                            INDArray first = codes.getRow(0).reshape(f);
                            INDArray goal = target;
                            offset = Scope.outside(() -> goal.sub(first));
                        }
                        codes.addiRowVector(offset);
                    }
                    rows.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).assign(codes);
                }
            }
            Scope.release(offset);
            return Trajectory.of(w, config.fps(), "StyleVideoGan sample (seed " + seed + ", " + generatorSteps
                    + " generator steps" + (dataSource.isEmpty() ? "" : ", trained on " + dataSource) + ")");
        }
    }

    /**
     * Re-estimates the EMA generator's batch-norm running statistics for its own (averaged)
     * weights, once per generator step that is sampled from: one training-mode pass over
     * {@value #CALIBRATION_WINDOWS} noise windows whose batch statistics replace the running ones
     * (SWA's {@code update_bn}). The copied statistics of the training generator are what a young
     * run's averaged weights would be normalised with otherwise, and they shrink its motion (measured
     * after 100 steps of small(): temporal spread 0.37 with copied statistics against 0.96 for the
     * training generator). Deterministic: the noise comes from the config's seed.
     */
    private void calibrateEma() {
        if (emaCalibratedAt == generatorSteps) {
            return;
        }
        int t = config.windowLength();
        int lat = config.latentDim();
        int length = Math.max(t, config.trainingHorizon());
        Random random = new Random(config.seed() * 31 + 17);
        try (Scope scope = Scope.open()) {
            INDArray i = gaussian(random, CALIBRATION_WINDOWS, lat);
            INDArray s = stepNoise.draw(random, CALIBRATION_WINDOWS, length - 1, dtype);
            if (length == t) {
                Autograd.noGrad(() -> emaGenerator.forward(Var.constant(i), Var.constant(s), Mode.CALIBRATE).codes());
            } else {
                // with a training horizon the statistics come from windows spread over it, as the critic saw them
                INDArray latents = Autograd.noGrad(() -> emaGenerator.latents(Var.constant(i), Var.constant(s), Mode.CALIBRATE).all()).value();
                long[] rows = new long[CALIBRATION_WINDOWS * t];
                for (int w = 0; w < CALIBRATION_WINDOWS; w++) {
                    long first = (long) w * length + (long) w * (length - t) / (CALIBRATION_WINDOWS - 1);
                    for (int k = 0; k < t; k++) {
                        rows[w * t + k] = first + k;
                    }
                }
                INDArray windows = latents.get(NDArrayIndex.indices(rows), NDArrayIndex.all());
                Autograd.noGrad(() -> emaGenerator.map(Var.constant(windows), Mode.CALIBRATE));
            }
        }
        emaCalibratedAt = generatorSteps;
    }

    private INDArray fitFirstLatent(INDArray start, INDArray target) {
        ParameterSet ps = new ParameterSet(dtype, 0);
        Var i = ps.parameter("i", start);
        Adam opt = new Adam(ps, 0.05, 0.9, 0.999, 1e-8);
        Var tgt = Var.constant(target);
        for (int step = 0; step < 200; step++) {
            try (Scope inner = Scope.open()) {
                Var err = Ops.meanAll(Ops.square(Ops.sub(emaGenerator.map(i, Mode.EVAL), tgt)));
                opt.step(Autograd.grad(err, List.of(i), false));
            }
        }
        return i.value();
    }

    // ---- parameters, copies, files -------------------------------------------------------------

    /**
     * Copies of every trained array by name: {@code generator.*}, {@code ema.*}, {@code critic.*}
     * (parameters and batch-norm buffers) and {@code stats.*}; see the class comment for layouts.
     */
    public Map<String, INDArray> parameters() {
        Map<String, INDArray> out = new LinkedHashMap<>();
        out.putAll(generatorParams.state("generator."));
        out.putAll(emaParams.state("ema."));
        out.putAll(criticParams.state(""));
        out.putAll(stats.state("stats."));
        return out;
    }

    /** Everything {@link #save} writes: parameters, optimizer states, config, step counters. */
    public Map<String, INDArray> state() {
        Map<String, INDArray> out = parameters();
        out.putAll(adamG.state("adam_g."));
        out.putAll(adamC.state("adam_c."));
        out.put("meta.config", utf8(config.toProperties()));
        out.put("meta.steps", Nd4j.createFromArray(criticSteps, generatorSteps));
        out.put("meta.source", utf8(dataSource));
        return out;
    }

    /** Writes the full training state to an NPZ file (atomically; resume with {@link #load}). */
    public void save(Path path) {
        Npz.write(path, state());
    }

    /** Reads a model written by {@link #save}; training continues exactly where it stopped. */
    public static StyleVideoGan load(Path path) {
        Map<String, INDArray> in = Npz.read(path);
        INDArray cfg = in.get("meta.config");
        if (cfg == null) {
            throw new IllegalArgumentException(path + " is not a StyleVideoGan file: no meta.config entry (found "
                    + in.keySet().stream().limit(5).toList() + (in.size() > 5 ? ", …" : "") + ")");
        }
        StyleVideoGan gan = new StyleVideoGan(StyleVideoGanConfig.parse(text(cfg)));
        gan.loadState(in, path.toString());
        return gan;
    }

    private void loadState(Map<String, INDArray> given, String what) {
        Map<String, INDArray> in = given;
        if (changeWhitening != null && !given.containsKey("stats.change_whitening") && !given.containsKey("stats.change_fitted")) {
            // written before the critic's change whitening existed: the next training data fits it
            in = new LinkedHashMap<>(given);
            in.put("stats.change_whitening", changeWhitening.dup());
            in.put("stats.change_fitted", changeFitted.dup());
        }
        try {
            generatorParams.load(in, "generator.");
            emaParams.load(in, "ema.");
            criticParams.load(in, "");
            stats.load(in, "stats.");
            adamG.load(in, "adam_g.");
            adamC.load(in, "adam_c.");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
        INDArray st = in.get("meta.steps");
        if (st == null || st.length() != 2) {
            throw new IllegalArgumentException(what + ": meta.steps must hold 2 step counters");
        }
        criticSteps = st.getLong(0);
        generatorSteps = st.getLong(1);
        emaCalibratedAt = -1;
        INDArray src = in.get("meta.source");
        dataSource = src == null ? "" : text(src);
    }

    /** A deep copy (weights, optimizer states, statistics, counters). */
    public StyleVideoGan copy() {
        StyleVideoGan c = new StyleVideoGan(config);
        c.loadState(state(), "copy");
        return c;
    }

    /** Makes this model equal to {@code good} in place (the Trainer's restore after a divergence). */
    void restore(StyleVideoGan good) {
        loadState(good.state(), "restore");
    }

    private static INDArray utf8(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        INDArray a = Nd4j.create(DataType.UBYTE, Math.max(bytes.length, 0));
        for (int k = 0; k < bytes.length; k++) {
            a.putScalar(k, bytes[k] & 0xff);
        }
        return a;
    }

    private static String text(INDArray a) {
        byte[] bytes = new byte[(int) a.length()];
        for (int k = 0; k < bytes.length; k++) {
            bytes[k] = (byte) a.getInt(k);
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** x [N, L·D] raw codes → standardised [N, features] (new array, model dtype). */
    INDArray standardize(INDArray x) {
        INDArray centred = x.castTo(dtype).subRowVector(dataMean);
        if (basis == null) {
            return centred.diviRowVector(dataScale);
        }
        return centred.mmul(basis.transpose()).diviRowVector(basisScale);
    }

    /** Standardised codes [N, features] → raw W+ codes [N, L·D] (new array, model dtype; {@code codes} is kept). */
    INDArray destandardize(INDArray codes) {
        if (basis == null) {
            return codes.mulRowVector(dataScale).addiRowVector(dataMean);
        }
        return codes.mulRowVector(basisScale).mmul(basis).addiRowVector(dataMean);
    }

    private INDArray gaussian(Random random, long rows, long cols) {
        double[] d = new double[(int) (rows * cols)];
        for (int k = 0; k < d.length; k++) {
            d[k] = random.nextGaussian();
        }
        return Nd4j.create(d, new long[] {rows, cols}, DataType.DOUBLE).castTo(dtype);
    }

    /**
     * Where this step's windows start in their sequences: frame 0 (the paper, and always without a
     * training horizon H); with one, frame 0 in half the steps and otherwise uniformly 1 … H − t,
     * so the critic also judges frames long after the start. Draws nothing without a horizon, so
     * those models' steps see the same random numbers as before it existed.
     */
    private int windowStart(Random random) {
        int horizon = config.trainingHorizon();
        int t = config.windowLength();
        if (horizon <= t || random.nextBoolean()) {
            return 0;
        }
        return 1 + random.nextInt(horizon - t);
    }

    /** A training window's noise and, when it starts at frame start &gt; 0, the noise of the steps before it. */
    private record SequenceNoise(INDArray before, INDArray window) {
    }

    /**
     * The noise of a training window starting at {@code start}: with white noise, {@code whiteWindow}
     * (drawn by the caller where earlier versions drew it, so a seed gives the same step as before)
     * and fresh noise before it; with smooth noise, one sequence of start + t − 1 steps, split, so the
     * window continues what came before it.
     */
    private SequenceNoise sequenceNoise(Random random, int rows, int start, INDArray whiteWindow) {
        int lat = config.latentDim();
        if (whiteWindow != null) {
            return new SequenceNoise(start == 0 ? null : gaussian(random, rows, (long) start * lat), whiteWindow);
        }
        int steps = config.windowLength() - 1;
        INDArray all = stepNoise.draw(random, rows, start + steps, dtype);
        if (start == 0) {
            return new SequenceNoise(null, all);
        }
        long split = (long) start * lat;
        return new SequenceNoise(all.get(NDArrayIndex.all(), NDArrayIndex.interval(0, split)).dup('c'),
                all.get(NDArrayIndex.all(), NDArrayIndex.interval(split, all.size(1))).dup('c'));
    }

    /** The training generator's four GRU states after the steps of {@code before}, from i (no tape). */
    private Var[] statesBefore(INDArray i, INDArray before, Mode mode) {
        return generator.statesAfter(Var.constant(i), Var.constant(before), mode);
    }

    private INDArray uniform(Random random, long n) {
        double[] d = new double[(int) n];
        for (int k = 0; k < d.length; k++) {
            d[k] = random.nextDouble();
        }
        return Nd4j.create(d, new long[] {n}, DataType.DOUBLE).castTo(dtype);
    }

    /** Throws unless {@code windows} is [B ≥ minBatch, t, L, D] for this model; the message starts with {@code what}. */
    private void requireWindows(String what, INDArray windows, int minBatch) {
        int t = config.windowLength();
        if (windows == null || windows.rank() != 4 || windows.size(1) != t || windows.size(2) != config.layers()
                || windows.size(3) != config.width() || windows.size(0) < minBatch) {
            throw new IllegalArgumentException(what + " [B" + (minBatch > 1 ? " ≥ " + minBatch : "") + ", " + t + ", "
                    + config.layers() + ", " + config.width() + "], found "
                    + (windows == null ? "null" : Arrays.toString(windows.shape())));
        }
    }

    private static boolean allFinite(List<Var> grads) {
        for (Var g : grads) {
            double s = g.value().sumNumber().doubleValue();
            if (!Double.isFinite(s)) {
                return false;
            }
        }
        return true;
    }

    private static void requireFinite(INDArray a, String what) {
        double s = a.sumNumber().doubleValue();
        if (!Double.isFinite(s)) {
            throw new IllegalArgumentException(what + ": expected finite values, found NaN or infinity");
        }
    }

    // package-private access for tests and gradient checks
    Generator generator() {
        return generator;
    }

    Critic critic() {
        return critic;
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

    // ---- display -------------------------------------------------------------------------------

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

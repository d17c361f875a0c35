package org.latentmotion.motion;

import java.util.Map;

/**
 * Every size and hyper-parameter of a {@link StyleVideoGan}; immutable. Start from a preset and
 * change what you need: {@code StyleVideoGanConfig.small().toBuilder().batch(64).build()}.
 *
 * <p>{@link #paper()} follows seed 002 (Sec. 3, supplemental Sec. 2.1 and Tables 4–7): batch 128,
 * t = 25, learning rate 0.005, EMA momentum 0.995 (the main text; the supplement says 0.997), 350
 * epochs, λ_GP = 50, λ_GAP = 100, i and s in ℝ³², GRU hidden 32, mapper width 512, 18 × 512 W+.
 * Where the paper is silent this class chooses, and says so:
 * <ul>
 *   <li>initial weights: PyTorch's defaults (a PyTorch implementation's natural reading; see
 *       {@link #laptop()} for why a CPU run starts differently);</li>
 *   <li>Adam β₁ = 0, β₂ = 0.9 (the WGAN-GP paper's values), ε = 1e-8;</li>
 *   <li>5 critic steps per generator step (WGAN-GP's n_critic);</li>
 *   <li>hallucinator width 96 (= 3 × 32, its output) for its four layers;</li>
 *   <li>critic extractor E: L·D → 512 → 512, then four layers narrowing geometrically to 32
 *       (512 → 256 → 128 → 64 → 32);</li>
 *   <li>temporal critic channels 64, doubling per strided convolution (DCGAN's ndf);</li>
 *   <li>LeakyReLU slope 0.2 everywhere.</li>
 * </ul>
 * {@link #small()} keeps the architecture, the data shape (t = 25, 18 × 512) and the paper's
 * learning rate 0.005, but narrows the networks (mapper and critic width 64, hallucinator 64),
 * the batch (16), the critic steps (2) and the EMA horizon (decay 0.99, ~100 steps, since a CPU run
 * has hundreds of steps, not tens of thousands). On the default world, 0.005 learned the mouth
 * rhythm, head sway and blinks within 400 generator steps where 0.001 had barely started (decoded
 * mouth-opening spread 0.16–0.21 against the truth's 0.18 at step 400, and 0.04–0.05 after 100
 * steps of 0.001). The step cost is
 * dominated by the L·D = 9216-wide first critic layer and mapper heads, which the critic runs three
 * times (real, fake, interpolates) plus the double backward of the gradient penalty, so it scales
 * with batch × t × 9216 × width.
 *
 * @param batch             windows per step B
 * @param windowLength      frames per training window t
 * @param layers            W+ layers L
 * @param width             W+ width D
 * @param latentDim         size of i and of each s_k (must equal {@code hidden}: h_{0,3} := i)
 * @param hidden            GRU state size (l_k ∈ ℝ^hidden)
 * @param hallucinatorWidth width of the hallucinator's hidden layers
 * @param mapperWidth       width of the latent mapper T (512 in the paper)
 * @param criticWidth       width of the critic's first two layers (512 in the paper)
 * @param criticFeatures    per-frame features e_k fed to the temporal critic (32)
 * @param criticChannels    channels of the first temporal convolution (doubling afterwards)
 * @param lrGenerator       Adam learning rate of the generator
 * @param lrCritic          Adam learning rate of the critic
 * @param beta1             Adam β₁
 * @param beta2             Adam β₂
 * @param emaDecay          momentum of the generator's weight average
 * @param lambdaGp          weight of the gradient penalty
 * @param lambdaGap         weight of the gradient angle penalty
 * @param criticSteps       critic steps per generator step
 * @param epochs            training epochs (read by the Trainer)
 * @param seed              seed of the initial weights
 * @param leakySlope        LeakyReLU negative slope
 * @param fps               frames per second of the data and of samples
 * @param float64           compute in float64 instead of float32 (gradient checks)
 * @param motionComponents  0: the networks read and write full W+ codes (the paper); k &gt; 0: they work on the
 *                          first k principal components of the training frames, whitened (see {@link StyleVideoGan})
 * @param criticDifferences the critic's per-frame extractor also reads each frame's change from the previous frame
 *                          (x_k − x_{k−1}; 0 for the first), whitened by the data's changes, not only the frame, and
 *                          the gradient penalty is taken at these inputs (see {@link Critic}); needs motionComponents &gt; 0
 * @param kaimingInit       linear and convolution layers start from He/Kaiming normal weights for LeakyReLU
 *                          instead of PyTorch's default (see {@link org.latentmotion.nn.Init})
 * @param gruTimescale      0: PyTorch's GRU init; T &gt; 0: update gates start with memory times spread log-uniformly
 *                          up to T frames (see {@link org.latentmotion.nn.GruCell}); 0 in every preset (in
 *                          laptop(), 2500 steps, T = 250 lifted pose variance to 0.96 of the data's for training
 *                          seeds 2 and 3 and seed 2's sway within 20 s from 0.39 to 0.80, but seed 3's fell from 0.55
 *                          to 0.33 and both over-peaked the mouth's rhythm, 2.57 and 1.44)
 * @param mapperPixelNorm   the latent mapper normalises each frame's vector after its first affine layer (Table 6,
 *                          the paper); false leaves it out (an experiment of issue 13: the norm rescales every
 *                          output by a factor that changes from frame to frame; every preset keeps it)
 * @param trainingHorizon   0: every training window is a sequence's first t frames (the paper); H &gt; t: the
 *                          generator runs up to H frames and the critic sees t of them from a random start (see
 *                          {@link StyleVideoGan})
 * @param noiseSmoothing    0: each step's noise s_k is white (the paper); σ &gt; 0: a fraction ({@code whiteNoise}) of
 *                          its channels stays white and the others are Gaussian-smoothed over time with widths spread
 *                          log-uniformly from 1 to σ frames (see {@link StepNoise})
 * @param spectralCritic    the critic also scores each window's amplitude spectrum over time, per motion component
 *                          ({@link SpectralHead}; our addition, not the paper's: false in {@link #paper()} and
 *                          {@link #small()}, true in {@link #laptop()}); needs motionComponents &gt; 0
 * @param whiteNoise        with noiseSmoothing: the fraction of noise channels that stay white (a quarter by default;
 *                          0 in {@link #laptop()}: all smooth)
 * @param decaySteps        0: constant learning rates (the paper); K &gt; 0: both learning rates fall linearly over the
 *                          first K generator steps to {@value #DECAY_FLOOR} of their value, then stay there (ours: a
 *                          short run should end settled, not mid-oscillation; 0 in every preset: over 2500 steps of
 *                          laptop() it moved the mouth's spectral peak to 1.2 Hz, see {@code TrainerLearnsTest})
 * @param spanFrames        0: no span critic; S ≥ windowLength: a second critic also scores {@code spanPoints} frames of
 *                          one sequence spread over S frames, with their distances ({@link SpanCritic}; ours, after
 *                          StyleGAN-V), trained on S-frame stretches of the training clips; needs motionComponents &gt; 0;
 *                          0 in every preset (what 250 and 125 measured in {@code laptop()} is in {@link SpanCritic})
 * @param spanPoints        frames the span critic reads per span (at least 2: the span's first and last)
 * @param spanBackpropFrames 0: the generator's gradient from the span critic runs back through the whole span;
 *                          N in 1 … spanFrames − 1: through its last N frames only, the frames before entering
 *                          as constants (truncated backpropagation, ours; what it measured is in {@link SpanCritic})
 */
public record StyleVideoGanConfig(int batch, int windowLength, int layers, int width, int latentDim, int hidden,
                                  int hallucinatorWidth, int mapperWidth, int criticWidth, int criticFeatures,
                                  int criticChannels, double lrGenerator, double lrCritic, double beta1, double beta2,
                                  double emaDecay, double lambdaGp, double lambdaGap, int criticSteps, int epochs,
                                  long seed, double leakySlope, double fps, boolean float64, int motionComponents,
                                  boolean criticDifferences, boolean kaimingInit, double gruTimescale,
                                  boolean mapperPixelNorm, int trainingHorizon, double noiseSmoothing,
                                  boolean spectralCritic, double whiteNoise, int decaySteps, int spanFrames,
                                  int spanPoints, int spanBackpropFrames)
        implements MotionModelConfig {

    /** The fraction of the learning rates left after {@link #decaySteps()} generator steps. */
    public static final double DECAY_FLOOR = 0.1;
    /** Frames the span critic reads per span unless set: StyleGAN-V's discriminator reads 3; a few more see a sway's shape. */
    public static final int DEFAULT_SPAN_POINTS = 6;

    public StyleVideoGanConfig {
        positive("batch", batch);
        if (batch < 2) {
            throw new IllegalArgumentException("batch must be at least 2 (batch norm), found " + batch);
        }
        if (windowLength < 2) {
            throw new IllegalArgumentException("windowLength must be at least 2, found " + windowLength);
        }
        positive("layers", layers);
        positive("width", width);
        positive("latentDim", latentDim);
        positive("hidden", hidden);
        if (latentDim != hidden) {
            throw new IllegalArgumentException("latentDim must equal hidden (the last GRU cell starts from i), found "
                    + latentDim + " and " + hidden);
        }
        positive("hallucinatorWidth", hallucinatorWidth);
        positive("mapperWidth", mapperWidth);
        positive("criticWidth", criticWidth);
        positive("criticFeatures", criticFeatures);
        positive("criticChannels", criticChannels);
        positive("criticSteps", criticSteps);
        if (epochs < 0) {
            throw new IllegalArgumentException("epochs must be ≥ 0, found " + epochs);
        }
        if (!(lrGenerator > 0) || !(lrCritic > 0) || Double.isInfinite(lrGenerator) || Double.isInfinite(lrCritic)) {
            throw new IllegalArgumentException("learning rates must be finite and > 0, found " + lrGenerator + " and " + lrCritic);
        }
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam betas must be in [0, 1), found " + beta1 + " and " + beta2);
        }
        if (!(emaDecay >= 0 && emaDecay < 1)) {
            throw new IllegalArgumentException("emaDecay must be in [0, 1), found " + emaDecay);
        }
        if (!(lambdaGp >= 0) || !(lambdaGap >= 0) || Double.isInfinite(lambdaGp) || Double.isInfinite(lambdaGap)) {
            throw new IllegalArgumentException("penalty weights must be finite and ≥ 0, found " + lambdaGp + " and " + lambdaGap);
        }
        if (!(leakySlope >= 0 && leakySlope <= 1)) {
            throw new IllegalArgumentException("leakySlope must be in [0, 1], found " + leakySlope);
        }
        if (motionComponents < 0 || motionComponents > (long) layers * width) {
            throw new IllegalArgumentException("motionComponents must be in 0 (full W+) … " + (long) layers * width
                    + " (layers × width), found " + motionComponents);
        }
        if (!(gruTimescale >= 0) || Double.isInfinite(gruTimescale) || (gruTimescale > 0 && gruTimescale < 1)) {
            throw new IllegalArgumentException("gruTimescale must be 0 (PyTorch's init) or ≥ 1 frame, found " + gruTimescale);
        }
        if (criticDifferences && motionComponents == 0) {
            throw new IllegalArgumentException("criticDifferences needs the motion space (motionComponents > 0): the critic"
                    + " whitens frame-to-frame changes with a [k, k] transform, too large for full W+ codes");
        }
        if (spectralCritic && motionComponents == 0) {
            throw new IllegalArgumentException("spectralCritic needs the motion space (motionComponents > 0): its fixed"
                    + " DFT matrices are [t·features, features·t/2], too large for full W+ codes");
        }
        if (!(whiteNoise >= 0 && whiteNoise < 1)) {
            throw new IllegalArgumentException("whiteNoise must be a fraction in [0, 1) (some channels smooth), found "
                    + whiteNoise);
        }
        if (decaySteps < 0) {
            throw new IllegalArgumentException("decaySteps must be 0 (constant learning rates) or > 0, found " + decaySteps);
        }
        if (trainingHorizon != 0 && trainingHorizon < windowLength) {
            throw new IllegalArgumentException("trainingHorizon must be 0 (windows start at frame 0) or at least windowLength ("
                    + windowLength + "), found " + trainingHorizon);
        }
        if (!(noiseSmoothing >= 0) || Double.isInfinite(noiseSmoothing) || (noiseSmoothing > 0 && noiseSmoothing < 1)) {
            throw new IllegalArgumentException("noiseSmoothing must be 0 (white noise, the paper) or ≥ 1 frame, found "
                    + noiseSmoothing);
        }
        if (spanFrames != 0 && spanFrames < windowLength) {
            throw new IllegalArgumentException("spanFrames must be 0 (no span critic) or at least windowLength ("
                    + windowLength + "), found " + spanFrames);
        }
        if (spanPoints < 2 || (spanFrames > 0 && spanPoints > spanFrames)) {
            throw new IllegalArgumentException("spanPoints must be in 2 … spanFrames (the span's first and last frame at least),"
                    + " found " + spanPoints);
        }
        if (spanBackpropFrames < 0 || (spanBackpropFrames > 0 && spanBackpropFrames >= spanFrames)) {
            throw new IllegalArgumentException("spanBackpropFrames must be 0 (the whole span) or in 1 … spanFrames − 1 ("
                    + (spanFrames - 1) + "), found " + spanBackpropFrames);
        }
        if (spanFrames > 0 && motionComponents == 0) {
            throw new IllegalArgumentException("spanFrames needs the motion space (motionComponents > 0): the span critic keeps"
                    + " the training clips in motion coordinates on the heap, too large as full W+ codes");
        }
        if (!(fps > 0) || Double.isInfinite(fps)) {
            throw new IllegalArgumentException("fps must be finite and > 0, found " + fps);
        }
    }

    private static void positive(String name, int v) {
        if (v <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, found " + v);
        }
    }

    /** The paper's configuration (a GPU job: seconds per step on 2 CPU cores). */
    public static StyleVideoGanConfig paper() {
        return new StyleVideoGanConfig(128, 25, 18, 512, 32, 32, 96, 512, 512, 32, 64,
                0.005, 0.005, 0.0, 0.9, 0.995, 50, 100, 5, 350, 1, 0.2, 25, false, 0, false, false, 0, true, 0, 0, false, 0.25, 0, 0,
                DEFAULT_SPAN_POINTS, 0);
    }

    /** The same architecture, narrowed to learn the default world's motion on 2 CPU cores in minutes. */
    public static StyleVideoGanConfig small() {
        return new StyleVideoGanConfig(16, 25, 18, 512, 32, 32, 64, 64, 64, 32, 32,
                0.005, 0.005, 0.0, 0.9, 0.99, 50, 100, 2, 4, 1, 0.2, 25, false, 0, false, false, 0, true, 0, 0, false, 0.25, 0, 0,
                DEFAULT_SPAN_POINTS, 0);
    }

    /**
     * The learning rates' factor at generator step {@code step}: 1 without {@link #decaySteps()}, else
     * falling linearly from 1 to {@value #DECAY_FLOOR} over the first decaySteps steps.
     */
    public double learningRateFactor(long step) {
        if (decaySteps == 0) {
            return 1;
        }
        return 1 - (1 - DECAY_FLOOR) * Math.min(1.0, (double) step / decaySteps);
    }

    /** With {@link #noiseSmoothing()}: how many of the {@code latentDim} noise channels stay white. */
    public int whiteNoiseChannels() {
        return (int) Math.floor(whiteNoise * latentDim);
    }

    /** Numbers per frame the networks read and write: motionComponents, or L·D for full W+ codes. */
    public int features() {
        return motionComponents > 0 ? motionComponents : layers * width;
    }

    /**
     * The quickstart's recipe: {@code small()}'s widths and batch, trained in CPU minutes, with eight
     * changes where the paper leaves the choice or a GPU budget hides it (issue 13 found each by
     * measuring the default world against its ground truth):
     * <ul>
     *   <li>the networks read and write the training frames' first 10 principal components,
     *       whitened ({@link #motionComponents()}). The default world's W+ codes have 9 directions
     *       that move (pose, mouth, eyes, brows, smile, gaze) and then a flat floor of per-frame
     *       embedding noise (explained variance 0.7 % at component 9, 0.01 % from component 10 on).
     *       With 32 components the generator also had to reproduce 23 directions of white noise, and
     *       the jumps it made for them shook the head (pose variance 0.03 of the data's in the same
     *       run that gave 0.3 with 10). For your own video, read the cut from the scree plot of
     *       {@code LatentPca.fit(data, 32)}: where the curve turns flat;</li>
     *   <li>the critic reads each frame's change beside the frame, whitened by the data's changes,
     *       and the gradient penalty is taken at those inputs ({@link #criticDifferences()}). This
     *       was the shaking head's cause: with the penalty at the frames, a head turning 13 times as
     *       fast per frame as the data moved the critic by 0.26; at the critic's inputs by 39, and pose
     *       speed fell from 3–7 times the data's to 0.9–1.5;</li>
     *   <li>training windows start anywhere in the first 500 frames ({@link #trainingHorizon()}):
     *       with the paper's windows at frame 0 every long sample drifted to one pose, and with 100
     *       frames the spread of the head across samples still shrank beyond them (pose variance
     *       0.29–0.54 of the data's over 500-frame samples, 0.77–1.08 with 500; the default world's
     *       slowest head sway has a period of 8–20 s, 200–500 frames). The frames before a window run
     *       without recording, a quarter of a step's time;</li>
     *   <li>the noise channels are smooth in time, up to 25 frames ({@link #noiseSmoothing()}, as
     *       StyleGAN-V's motion codes; none white, {@link #whiteNoise()} 0): the GRU gets inputs that
     *       change as slowly as a head turns instead of having to integrate white kicks. Up to 12
     *       frames instead, seed 1's trains of blinks 0.3 s apart went (0.04 of its blinks, 0.35 with
     *       25), but seeds 2 and 3 kept them (0.15, 0.19) and missed 4 and 2 of the eight statistics;
     *       a critic twice as wide (64 channels) kept them too (0.17). Up to 50 frames instead, the head
     *       swayed further (pose variance 0.61–1.04 of the data's over seven runs, 0.58–0.74 over five with
     *       25), but one run of seven lost its blinks (0.00) and the mouth's rhythm prominence scattered
     *       (0.14–1.75); the CI guard's 1000 steps blinked at 0.19 of the data's rate (1.22 with 25);</li>
     *   <li>the critic also scores each window's amplitude spectrum per motion component
     *       ({@link #spectralCritic()}, {@link SpectralHead}). Together with no white noise channels
     *       this gave the mouth its syllable rhythm: at 2500 steps, training seed 1, mouth rhythm
     *       prominence 1.21 of the data's (0.15 with a quarter of white channels and no spectral
     *       head; 0.15 and 0.14 for seeds 1 and 2 with the spectral head alone; a run of the session
     *       before without white channels and without the head over-peaked, 2.3–3.4, and lost its
     *       blinks);</li>
     *   <li>Kaiming initialisation ({@link #kaimingInit()}): with PyTorch's default the ten-layer
     *       LeakyReLU critic starts with gradients near zero;</li>
     *   <li>learning rate 0.002 instead of 0.005;</li>
     *   <li>an EMA decay of 0.95 (a weight average over ~20 steps) instead of 0.99: GAN weights that
     *       are averaged over longer stretches of a short run average different dynamics, and the
     *       samples' head moved less than the training generator's (pose variance 0.73 of the data's
     *       with 0.99, 0.80 with 0.95; blink rate 1.15 and 0.93, same run).</li>
     * </ul>
     * A step costs about a third of {@code small()}'s (no 9216-wide layers): the quickstart's 12
     * minutes on 2 cores hold about 2000 steps. What it reaches there, for three training seeds and a
     * second actor, is in {@code figures/learns-check.md} ({@code TrainerLearnsTest}).
     *
     * <p>Measured, not yet taken (issue 13; {@code TrainerLearnsTest -Dlm.learns.batch=32}): a batch of 32
     * windows instead of 16 costs a step 1.42 times as long on 2 cores (262 → 372 ms), so the 12 minutes hold
     * about 1900 steps. At 2100 steps, over the learns check's four runs, it had 30 of 36 statistics within
     * ±25 % (28 with 16 at 2500), pose variance within ±25 % in all four (0.83–1.05; two of four with 16),
     * sway 0.89, 0.79, 0.75 and 0.45 (0.81, 0.39, 0.55, 0.54) and clip FDs 27–39 (37–61); but seeds 1 and 2
     * blinked 1.55 and 1.49 times too often, and the mouth's rhythm prominence scattered (0.35–1.61). With
     * the gradient penalty's weight at 10 instead of 50 as well (seeds 1 and 2, 1900 steps) the critic
     * judged worse: 13 of 18, sway 0.47 and 0.62, prominence 0.41 and 0.17, clip FDs 41 and 46. Windows of
     * 50 frames cost 2.4–2.6 times a 25-frame step at batch 32: too dear for this budget. Snapshots of batch 32 every
     * 150 steps from 1000 to 1900 ({@code TrainerLearnsTest#snapshots}, seeds 1 and 2) show what the bar is up against:
     * within one run the mouth's rhythm prominence swung from 0.24 to 1.90 of the data's and the blink rate from 1.01 to
     * 1.80, and the best snapshots had 8 of 9 statistics within ±25 %. Seed 1 blinked 1.42–1.57 times too often at
     * every snapshot but the last (1.18), 16–39 % of its blinks repeats; as in the 60-minute run at batch 16 (1.42, each
     * blink 0.78 of the data's length), that is a bias, not a swing. A quarter of the noise channels white again (batch 32, same
     * seeds, to step 1300) made it worse, not better: more repeats (22–32 %), blinks 1.12–1.78, and the mouth's
     * rhythm gone (prominence 0.09–0.13); so the smooth channels are not what drives the bursts.
     */
    public static StyleVideoGanConfig laptop() {
        return small().toBuilder().motionComponents(10).criticDifferences(true).kaimingInit(true).learningRate(0.002)
                .trainingHorizon(500).noiseSmoothing(25).whiteNoise(0).spectralCritic(true).emaDecay(0.95).epochs(15).build();
    }

    /**
     * Output widths of the critic's per-frame extractor E (six layers): criticWidth twice, then
     * geometrically down to criticFeatures, e.g. 512, 512, 256, 128, 64, 32 for the paper.
     */
    public int[] criticExtractorWidths() {
        int[] widths = new int[6];
        widths[0] = criticWidth();
        widths[1] = criticWidth();
        for (int j = 1; j <= 4; j++) {
            widths[1 + j] = j == 4 ? criticFeatures()
                    : (int) Math.round(criticWidth() * Math.pow((double) criticFeatures() / criticWidth(), j / 4.0));
        }
        return widths;
    }

    /** A builder holding these settings, to change some of them. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Seed 002: Fox, Tewari, Elgharib and Theobalt, arXiv:2107.07224 (2021). */
    @Override
    public String reference() {
        return "StyleVideoGAN: A Temporal Generative Model using a Pretrained StyleGAN (Fox, Tewari, Elgharib, Theobalt;"
                + " arXiv:2107.07224, 2021)";
    }

    /** The configuration as {@code name=value} lines (what {@link #parse} reads; saved in model files). */
    @Override
    public String toProperties() {
        return RecordProperties.text(this);
    }

    /**
     * Settings added after the first model files were written, with the value that reproduces
     * what those files were trained with; a file without one of these gets that value, a file
     * without any other setting is refused.
     */
    private static final Map<String, Object> ADDED_LATER = Map.ofEntries(Map.entry("motionComponents", 0),
            Map.entry("criticDifferences", false), Map.entry("kaimingInit", false), Map.entry("gruTimescale", 0.0),
            Map.entry("mapperPixelNorm", true), Map.entry("trainingHorizon", 0), Map.entry("noiseSmoothing", 0.0),
            Map.entry("spectralCritic", false), Map.entry("whiteNoise", 0.25), Map.entry("decaySteps", 0),
            Map.entry("spanFrames", 0), Map.entry("spanPoints", DEFAULT_SPAN_POINTS), Map.entry("spanBackpropFrames", 0));

    /**
     * Reads {@link #toProperties()} output; names it does not know, values it cannot read and
     * missing settings (other than those added later, see above) are errors.
     */
    public static StyleVideoGanConfig parse(String properties) {
        return RecordProperties.parse(StyleVideoGanConfig.class, properties, ADDED_LATER, "config");
    }

    @Override
    public String toString() {
        return String.format("StyleVideoGanConfig[batch %d, t %d, W+ %d×%d, latent %d, hidden %d, widths H %d / T %d / E %d→%d,"
                        + " critic channels %d, lr G %g / C %g, Adam β (%g, %g), EMA %g, λ_GP %g, λ_GAP %g,"
                        + " critic steps %d, epochs %d, seed %d, leaky %g, %g fps%s]",
                batch, windowLength, layers, width, latentDim, hidden, hallucinatorWidth, mapperWidth, criticWidth,
                criticFeatures, criticChannels, lrGenerator, lrCritic, beta1, beta2, emaDecay, lambdaGp, lambdaGap,
                criticSteps, epochs, seed, leakySlope, fps, float64 ? ", float64" : "")
                .replace("]", (motionComponents > 0 ? ", motion space: " + motionComponents + " principal components" : "")
                        + (criticDifferences ? ", critic reads changes" : "") + (kaimingInit ? ", Kaiming init" : "")
                        + (gruTimescale > 0 ? ", GRU timescale " + gruTimescale : "")
                        + (mapperPixelNorm ? "" : ", no pixel norm in the mapper")
                        + (trainingHorizon > 0 ? ", training horizon " + trainingHorizon : "")
                        + (noiseSmoothing > 0 ? ", noise smoothed up to " + noiseSmoothing + " frames" : "")
                        + (spectralCritic ? ", spectral critic head" : "")
                        + (noiseSmoothing > 0 && whiteNoise != 0.25 ? ", white noise channels " + whiteNoise : "")
                        + (decaySteps > 0 ? ", learning rates decay over " + decaySteps + " steps" : "")
                        + (spanFrames > 0 ? ", span critic " + spanPoints + " of " + spanFrames + " frames" : "")
                        + (spanBackpropFrames > 0 ? ", its gradient through the last " + spanBackpropFrames + " frames" : "") + "]");
    }

    /** Builder starting from a configuration; {@link #build()} validates. */
    public static final class Builder {
        private int batch, windowLength, layers, width, latentDim, hidden, hallucinatorWidth, mapperWidth,
                criticWidth, criticFeatures, criticChannels, criticSteps, epochs;
        private double lrGenerator, lrCritic, beta1, beta2, emaDecay, lambdaGp, lambdaGap, leakySlope, fps;
        private long seed;
        private boolean float64;
        private int motionComponents;
        private boolean criticDifferences;
        private boolean kaimingInit;
        private double gruTimescale;
        private boolean mapperPixelNorm;
        private int trainingHorizon;
        private double noiseSmoothing;
        private boolean spectralCritic;
        private int decaySteps;
        private double whiteNoise;
        private int spanFrames;
        private int spanPoints;
        private int spanBackpropFrames;

        private Builder(StyleVideoGanConfig c) {
            batch = c.batch; windowLength = c.windowLength; layers = c.layers; width = c.width;
            latentDim = c.latentDim; hidden = c.hidden; hallucinatorWidth = c.hallucinatorWidth;
            mapperWidth = c.mapperWidth; criticWidth = c.criticWidth; criticFeatures = c.criticFeatures;
            criticChannels = c.criticChannels; lrGenerator = c.lrGenerator; lrCritic = c.lrCritic;
            beta1 = c.beta1; beta2 = c.beta2; emaDecay = c.emaDecay; lambdaGp = c.lambdaGp;
            lambdaGap = c.lambdaGap; criticSteps = c.criticSteps; epochs = c.epochs; seed = c.seed;
            leakySlope = c.leakySlope; fps = c.fps; float64 = c.float64; motionComponents = c.motionComponents;
            criticDifferences = c.criticDifferences;
            kaimingInit = c.kaimingInit;
            gruTimescale = c.gruTimescale;
            mapperPixelNorm = c.mapperPixelNorm;
            trainingHorizon = c.trainingHorizon;
            noiseSmoothing = c.noiseSmoothing;
            spectralCritic = c.spectralCritic;
            decaySteps = c.decaySteps;
            whiteNoise = c.whiteNoise;
            spanFrames = c.spanFrames;
            spanPoints = c.spanPoints;
            spanBackpropFrames = c.spanBackpropFrames;
        }

        /** Windows per training step (at least 2: batch norm). */
        public Builder batch(int v) { batch = v; return this; }
        /** Frames t in each training window the critic judges. */
        public Builder windowLength(int v) { windowLength = v; return this; }
        /** W+ layers L of the synthesizer (18 at 1024², 14 at 256²). */
        public Builder layers(int v) { layers = v; return this; }
        /** Width D of each W+ code (512 for StyleGAN2/3). */
        public Builder width(int v) { width = v; return this; }
        /** Sets both latentDim and hidden (they must be equal). */
        public Builder latentDim(int v) { latentDim = v; hidden = v; return this; }
        /** Sets both hidden and latentDim (they must be equal). */
        public Builder hidden(int v) { hidden = v; latentDim = v; return this; }
        /** Width W_H of the hallucinator H's hidden layers. */
        public Builder hallucinatorWidth(int v) { hallucinatorWidth = v; return this; }
        /** Width M of the latent mapper T's hidden layers. */
        public Builder mapperWidth(int v) { mapperWidth = v; return this; }
        /** Width W_C of the critic's per-frame extractor E. */
        public Builder criticWidth(int v) { criticWidth = v; return this; }
        /** Features per frame E hands to the temporal convolutions. */
        public Builder criticFeatures(int v) { criticFeatures = v; return this; }
        /** Channels of the critic's temporal convolutions. */
        public Builder criticChannels(int v) { criticChannels = v; return this; }
        /** Adam learning rate of the generator. */
        public Builder lrGenerator(double v) { lrGenerator = v; return this; }
        /** Adam learning rate of the critic. */
        public Builder lrCritic(double v) { lrCritic = v; return this; }
        /** Sets both learning rates. */
        public Builder learningRate(double v) { lrGenerator = v; lrCritic = v; return this; }
        /** Adam β₁ (0 in the paper, as usual for WGAN-GP). */
        public Builder beta1(double v) { beta1 = v; return this; }
        /** Adam β₂. */
        public Builder beta2(double v) { beta2 = v; return this; }
        /** Decay of the EMA generator samples come from (0.995 in the paper). */
        public Builder emaDecay(double v) { emaDecay = v; return this; }
        /** Weight λ_GP of the WGAN gradient penalty. */
        public Builder lambdaGp(double v) { lambdaGp = v; return this; }
        /** Weight λ_GAP of the gradient angle penalty. */
        public Builder lambdaGap(double v) { lambdaGap = v; return this; }
        /** Critic steps per generator step. */
        public Builder criticSteps(int v) { criticSteps = v; return this; }
        /** Passes over the training windows (a Trainer's default). */
        public Builder epochs(int v) { epochs = v; return this; }
        /** Seed of the initial weights (and a Trainer's default seed). */
        public Builder seed(long v) { seed = v; return this; }
        /** Negative slope of every LeakyReLU. */
        public Builder leakySlope(double v) { leakySlope = v; return this; }
        /** Frame rate of the training data and of samples. */
        public Builder fps(double v) { fps = v; return this; }
        /** Compute in float64 (gradient checks) instead of float32. */
        public Builder float64(boolean v) { float64 = v; return this; }
        /** 0: full W+ codes (the paper); k &gt; 0: the first k whitened principal components of the training frames. */
        public Builder motionComponents(int k) { motionComponents = k; return this; }
        /** Whether the critic's extractor also reads frame-to-frame changes. */
        public Builder criticDifferences(boolean v) { criticDifferences = v; return this; }
        /** He/Kaiming normal initial weights (true) or PyTorch's default (false). */
        public Builder kaimingInit(boolean v) { kaimingInit = v; return this; }
        /** Longest memory time, in frames, the GRU update gates start with (0: PyTorch's init). */
        public Builder gruTimescale(double frames) { gruTimescale = frames; return this; }
        /** Whether the latent mapper normalises each frame's vector (true: the paper's Table 6). */
        public Builder mapperPixelNorm(boolean v) { mapperPixelNorm = v; return this; }
        /** Frames a training sequence runs, the critic's window starting anywhere in them (0: at frame 0, the paper). */
        public Builder trainingHorizon(int frames) { trainingHorizon = frames; return this; }
        /** Widest temporal smoothing, in frames, of the noise channels (0: white noise, the paper). */
        public Builder noiseSmoothing(double frames) { noiseSmoothing = frames; return this; }
        /** Whether the critic also scores each window's amplitude spectrum (ours, not the paper's; needs the motion space). */
        public Builder spectralCritic(boolean v) { spectralCritic = v; return this; }
        /** With noiseSmoothing: the fraction of noise channels that stay white (0.25 in every preset). */
        public Builder whiteNoise(double fraction) { whiteNoise = fraction; return this; }
        /** Generator steps over which both learning rates fall linearly to {@value StyleVideoGanConfig#DECAY_FLOOR} of theirs (0: constant). */
        public Builder decaySteps(int steps) { decaySteps = steps; return this; }
        /** Frames S a span of the span critic covers (0: no span critic; ours, needs the motion space). */
        public Builder spanFrames(int frames) { spanFrames = frames; return this; }
        /** Frames the span critic reads per span (its first and last among them). */
        public Builder spanPoints(int points) { spanPoints = points; return this; }
        /** The last N frames of a span the generator's gradient from the span critic runs back through (0: all). */
        public Builder spanBackpropFrames(int frames) { spanBackpropFrames = frames; return this; }

        /** The configuration; a setting out of range is an error naming it. */
        public StyleVideoGanConfig build() {
            return new StyleVideoGanConfig(batch, windowLength, layers, width, latentDim, hidden, hallucinatorWidth,
                    mapperWidth, criticWidth, criticFeatures, criticChannels, lrGenerator, lrCritic, beta1, beta2,
                    emaDecay, lambdaGp, lambdaGap, criticSteps, epochs, seed, leakySlope, fps, float64, motionComponents,
                    criticDifferences, kaimingInit, gruTimescale, mapperPixelNorm, trainingHorizon, noiseSmoothing,
                    spectralCritic, whiteNoise, decaySteps, spanFrames, spanPoints, spanBackpropFrames);
        }
    }
}

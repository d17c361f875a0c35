package org.latentmotion.motion.styleinv;

import java.util.Map;

import org.latentmotion.motion.MotionModelConfig;
import org.latentmotion.motion.RecordProperties;

/**
 * Every size and hyper-parameter of a {@link StyleInV}; immutable. Start from a preset and change
 * what you need: {@code StyleInVConfig.laptop().toBuilder().seed(3).build()}.
 *
 * <p>{@link #paper()} follows StyleInV (Wang, Jiang, Loy, ICCV 2023, seed 003) and its official
 * code (johannwyh/StyleInV, read, not copied: {@code configs/ffs.yaml}, {@code training/loss_styleinv.py},
 * {@code training/styleinv/motion.py}). The seed text (a news summary) gives the design but no
 * numbers; the numbers are the code's FaceForensics config:
 * <ul>
 *   <li>sparse training: 4 frames per clip, frame 0 always among them ({@code num_frames_per_video 4,
 *       add_0}), all within {@code max_dist} 32 frames of it: {@code sparseFrames} 3, {@code maxSpan} 32;
 *       clips of {@code nframes} 128 ({@code windowLength});</li>
 *   <li>the temporal style: motion codes of {@code z_dim} 512 every {@code motion_z_distance} 16
 *       frames ({@code motionDim}, {@code motionDistance}), the first replaced by a learned constant
 *       (so the embedding at t = 0 does not depend on the motion noise), an acyclic positional
 *       encoding of {@code time_enc.dim} 256 frequencies with periods 16 … 128 ({@code frequencies},
 *       {@code minPeriod}, {@code maxPeriod}), concatenated with the first frame's code and fused by
 *       2 layers ({@code layers_after_fuse}) into a style of 512 ({@code styleDim});</li>
 *   <li>losses: the adversarial loss with weight 1, R1 with γ 1 ({@code r1Gamma}), the latent
 *       regulariser λ_w 0.05 · ‖w_t − w₀‖ ({@code lambdaLatent}); learning rates 1e-4 (encoder,
 *       {@code lrSI}) and 2e-3 (critic, {@code lrD}).</li>
 * </ul>
 * Adapted to W+ (see {@link StyleInV} for why): the networks read whitened principal coordinates
 * ({@code components} 512 in paper()); the encoder is an MLP of {@code blocks} AdaIN blocks of width
 * {@code hidden} (the paper's pSp encoder on images; 4 blocks of 512 is this toolkit's choice); the
 * critic is an MLP over the sampled frames and their time gaps ({@code criticHidden}; the paper's
 * StyleGAN-V discriminator on images); the loss is least squares, not logistic (the autodiff has no
 * logarithm); Adam β (0, 0.99) are StyleGAN2's, whose training loop the code base is built on;
 * {@code batch} 16 is this toolkit's choice.
 *
 * @param batch          windows per step B
 * @param windowLength   frames per training window t
 * @param layers         W+ layers L
 * @param width          W+ width D
 * @param components     principal directions k the networks read
 * @param hidden         width of the encoder's layers
 * @param blocks         AdaIN blocks of the encoder (at least 1)
 * @param styleDim       numbers of the temporal style s_t
 * @param motionDim      numbers of each motion code (one every motionDistance frames)
 * @param motionDistance frames between motion codes Δ
 * @param frequencies    frequencies F of the positional encoding (its embedding has 2F numbers)
 * @param minPeriod      shortest period of the positional encoding, in frames
 * @param maxPeriod      longest period of the positional encoding, in frames
 * @param sparseFrames   frames per clip that training samples besides frame 0
 * @param maxSpan        the latest time a sampled frame may have (at most windowLength − 1)
 * @param criticHidden   width of the critic's hidden layers
 * @param r1Gamma        R1 weight γ (the penalty is γ/2 · ‖∇D(real)‖²)
 * @param lambdaLatent   weight of the latent regulariser mean ‖x_t − x₀‖
 * @param lrGenerator    Adam learning rate of the temporal style and the encoder
 * @param lrCritic       Adam learning rate of the critic
 * @param beta1          Adam β₁
 * @param beta2          Adam β₂
 * @param contentBank    real first frames kept to sample from without a code
 * @param epochs         passes over the training windows
 * @param seed           seed of the initial weights
 * @param leakySlope     LeakyReLU slope (0.2)
 * @param fps            frames per second of the data and of samples
 * @param float64        compute in float64 instead of float32 (gradient checks)
 */
public record StyleInVConfig(int batch, int windowLength, int layers, int width, int components, int hidden, int blocks,
                             int styleDim, int motionDim, int motionDistance, int frequencies, double minPeriod,
                             double maxPeriod, int sparseFrames, int maxSpan, int criticHidden, double r1Gamma,
                             double lambdaLatent, double lrGenerator, double lrCritic, double beta1, double beta2,
                             int contentBank, int epochs, long seed, double leakySlope, double fps, boolean float64)
        implements MotionModelConfig {

    /** Checks every setting; a setting out of range is an error naming it. */
    public StyleInVConfig {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be at least 1, found " + batch);
        }
        if (windowLength < 2) {
            throw new IllegalArgumentException("windowLength must be at least 2 (a first frame and one more), found "
                    + windowLength);
        }
        positive("layers", layers);
        positive("width", width);
        positive("hidden", hidden);
        positive("blocks", blocks);
        positive("styleDim", styleDim);
        positive("motionDim", motionDim);
        positive("motionDistance", motionDistance);
        positive("frequencies", frequencies);
        positive("criticHidden", criticHidden);
        positive("contentBank", contentBank);
        if (components < 1 || components > (long) layers * width) {
            throw new IllegalArgumentException("components must be in 1 … " + (long) layers * width
                    + " (layers × width), found " + components);
        }
        if (maxSpan < 1 || maxSpan > windowLength - 1) {
            throw new IllegalArgumentException("maxSpan must be in 1 … windowLength − 1 = " + (windowLength - 1)
                    + ", found " + maxSpan);
        }
        if (sparseFrames < 1 || sparseFrames > maxSpan) {
            throw new IllegalArgumentException("sparseFrames must be in 1 … maxSpan = " + maxSpan + ", found "
                    + sparseFrames);
        }
        if (!(minPeriod > 0) || !(maxPeriod >= minPeriod) || Double.isInfinite(maxPeriod)) {
            throw new IllegalArgumentException("periods must be finite with 0 < minPeriod ≤ maxPeriod, found "
                    + minPeriod + " and " + maxPeriod);
        }
        for (double lr : new double[] {lrGenerator, lrCritic}) {
            if (!(lr > 0) || Double.isInfinite(lr)) {
                throw new IllegalArgumentException("learning rates must be finite and > 0, found " + lrGenerator
                        + " and " + lrCritic);
            }
        }
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam betas must be in [0, 1), found " + beta1 + " and " + beta2);
        }
        if (!(r1Gamma >= 0) || Double.isInfinite(r1Gamma) || !(lambdaLatent >= 0) || Double.isInfinite(lambdaLatent)) {
            throw new IllegalArgumentException("loss weights must be finite and ≥ 0, found r1Gamma " + r1Gamma
                    + " and lambdaLatent " + lambdaLatent);
        }
        if (epochs < 0) {
            throw new IllegalArgumentException("epochs must be ≥ 0, found " + epochs);
        }
        if (!(leakySlope >= 0 && leakySlope <= 1)) {
            throw new IllegalArgumentException("leakySlope must be in [0, 1], found " + leakySlope);
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

    /** The paper's settings, adapted to W+ as the class comment says (a GPU job). */
    public static StyleInVConfig paper() {
        return new StyleInVConfig(16, 128, 18, 512, 512, 512, 4, 512, 512, 16, 256, 16, 128, 3, 32, 512, 1.0, 0.05,
                1e-4, 2e-3, 0.0, 0.99, 64, 5, 1, 0.2, 25, false);
    }

    /**
     * The CPU preset: the paper's design narrowed to learn the default world on one core in minutes.
     * Changes from {@link #paper()}: 10 principal components (the default world's W+ codes move in 9
     * directions, then show a floor of embedding noise; the other zoo models' laptop() cut there),
     * encoder of 2 blocks of 64, style 32, motion codes of 16 every 8 frames (the default world
     * blinks in 2–3 frames and speaks at about 4 syllables a second: 16 frames at 25 fps is too slow
     * for either), 16 frequencies with periods 4 … 64 frames, windows of 25 frames (the default
     * world's) with the 3 sampled frames anywhere in them, critic of 64, batch 16, learning rates
     * 1e-3 (both).
     */
    public static StyleInVConfig laptop() {
        return paper().toBuilder().windowLength(25).components(10).hidden(64).blocks(2).styleDim(32).motionDim(16)
                .motionDistance(8).frequencies(16).minPeriod(4).maxPeriod(64).maxSpan(24).criticHidden(64)
                .lrGenerator(1e-3).lrCritic(1e-3).epochs(40).build();
    }

    /** A builder holding these settings, to change some of them. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Wang, Jiang, Loy, ICCV 2023, the paper this model follows (adapted to W+, see {@link StyleInV}). */
    @Override
    public String reference() {
        return "StyleInV: A Temporal Style Modulated Inversion Network for Unconditional Video Generation (Wang, Jiang,"
                + " Loy; ICCV 2023)";
    }

    /** The configuration as {@code name=value} lines (what {@link #parse} reads; saved in model files). */
    @Override
    public String toProperties() {
        return RecordProperties.text(this);
    }

    /** Reads {@link #toProperties()} output; unknown names, unreadable values and missing settings are errors. */
    public static StyleInVConfig parse(String properties) {
        return RecordProperties.parse(StyleInVConfig.class, properties, Map.of(), "StyleInVConfig");
    }

    /** Builder starting from a configuration; {@link #build()} validates. */
    public static final class Builder {
        private int batch, windowLength, layers, width, components, hidden, blocks, styleDim, motionDim, motionDistance,
                frequencies, sparseFrames, maxSpan, criticHidden, contentBank, epochs;
        private double minPeriod, maxPeriod, r1Gamma, lambdaLatent, lrGenerator, lrCritic, beta1, beta2, leakySlope, fps;
        private long seed;
        private boolean float64;

        private Builder(StyleInVConfig c) {
            batch = c.batch; windowLength = c.windowLength; layers = c.layers; width = c.width;
            components = c.components; hidden = c.hidden; blocks = c.blocks; styleDim = c.styleDim;
            motionDim = c.motionDim; motionDistance = c.motionDistance; frequencies = c.frequencies;
            minPeriod = c.minPeriod; maxPeriod = c.maxPeriod; sparseFrames = c.sparseFrames; maxSpan = c.maxSpan;
            criticHidden = c.criticHidden; r1Gamma = c.r1Gamma; lambdaLatent = c.lambdaLatent;
            lrGenerator = c.lrGenerator; lrCritic = c.lrCritic; beta1 = c.beta1; beta2 = c.beta2;
            contentBank = c.contentBank; epochs = c.epochs; seed = c.seed; leakySlope = c.leakySlope; fps = c.fps;
            float64 = c.float64;
        }

        /** Windows per training step. */
        public Builder batch(int v) { batch = v; return this; }
        /** Frames t of each training window. */
        public Builder windowLength(int v) { windowLength = v; return this; }
        /** W+ layers L. */
        public Builder layers(int v) { layers = v; return this; }
        /** W+ width D. */
        public Builder width(int v) { width = v; return this; }
        /** Principal directions k the networks read. */
        public Builder components(int v) { components = v; return this; }
        /** Width of the encoder's layers. */
        public Builder hidden(int v) { hidden = v; return this; }
        /** AdaIN blocks of the encoder. */
        public Builder blocks(int v) { blocks = v; return this; }
        /** Numbers of the temporal style. */
        public Builder styleDim(int v) { styleDim = v; return this; }
        /** Numbers of each motion code. */
        public Builder motionDim(int v) { motionDim = v; return this; }
        /** Frames between motion codes. */
        public Builder motionDistance(int v) { motionDistance = v; return this; }
        /** Frequencies of the positional encoding. */
        public Builder frequencies(int v) { frequencies = v; return this; }
        /** Shortest period of the positional encoding (frames). */
        public Builder minPeriod(double v) { minPeriod = v; return this; }
        /** Longest period of the positional encoding (frames). */
        public Builder maxPeriod(double v) { maxPeriod = v; return this; }
        /** Frames sampled per clip besides frame 0. */
        public Builder sparseFrames(int v) { sparseFrames = v; return this; }
        /** Latest time a sampled frame may have. */
        public Builder maxSpan(int v) { maxSpan = v; return this; }
        /** Width of the critic's hidden layers. */
        public Builder criticHidden(int v) { criticHidden = v; return this; }
        /** R1 weight γ. */
        public Builder r1Gamma(double v) { r1Gamma = v; return this; }
        /** Weight of the latent regulariser. */
        public Builder lambdaLatent(double v) { lambdaLatent = v; return this; }
        /** Adam learning rate of the generator (temporal style and encoder). */
        public Builder lrGenerator(double v) { lrGenerator = v; return this; }
        /** Adam learning rate of the critic. */
        public Builder lrCritic(double v) { lrCritic = v; return this; }
        /** Adam β₁. */
        public Builder beta1(double v) { beta1 = v; return this; }
        /** Adam β₂. */
        public Builder beta2(double v) { beta2 = v; return this; }
        /** Real first frames kept for sampling. */
        public Builder contentBank(int v) { contentBank = v; return this; }
        /** Passes over the training windows. */
        public Builder epochs(int v) { epochs = v; return this; }
        /** Seed of the initial weights. */
        public Builder seed(long v) { seed = v; return this; }
        /** LeakyReLU slope. */
        public Builder leakySlope(double v) { leakySlope = v; return this; }
        /** Frame rate of data and samples. */
        public Builder fps(double v) { fps = v; return this; }
        /** Compute in float64. */
        public Builder float64(boolean v) { float64 = v; return this; }

        /** The configuration; a setting out of range is an error naming it. */
        public StyleInVConfig build() {
            return new StyleInVConfig(batch, windowLength, layers, width, components, hidden, blocks, styleDim,
                    motionDim, motionDistance, frequencies, minPeriod, maxPeriod, sparseFrames, maxSpan, criticHidden,
                    r1Gamma, lambdaLatent, lrGenerator, lrCritic, beta1, beta2, contentBank, epochs, seed, leakySlope,
                    fps, float64);
        }
    }
}

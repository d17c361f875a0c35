package org.latentmotion.motion.mocogan;

import java.util.Map;

import org.latentmotion.motion.MotionModelConfig;
import org.latentmotion.motion.RecordProperties;

/**
 * Every size and hyper-parameter of a {@link MoCoGanHd}; immutable. Start from a preset and change
 * what you need: {@code MoCoGanHdConfig.laptop().toBuilder().seed(3).build()}.
 *
 * <p>{@link #paper()} follows MoCoGAN-HD (Tian et al., ICLR 2021) as its official code
 * (snap-research/MoCoGAN-HD) sets it: {@code options/base_options.py} (h_dim 384, n_pca 384,
 * w_residual α = 0.2, latent_dimension 512, batchSize 8), {@code options/train_options.py} (lr
 * 1e-4, Adam β (0.5, 0.999), G_step 5 generator steps per discriminator step, n_frames_G 16,
 * num_D 2 scales, instance norm in D_3d, total_epoch 5), {@code models/rnn.py} (the LSTM motion
 * generator, orthogonal init), {@code models/D_3d.py} (the temporal PatchGAN, ndf 64) and
 * {@code models/losses.py} / {@code train_func_in_domain.py} (relativistic average LSGAN, gradient
 * penalty weight 10 averaged over the scales, the mutual-information term with weight 1, random
 * time flips of the critic's input). Adapted to W+ (the paper works in StyleGAN2's 512-wide W
 * and judges rendered frames):
 * <ul>
 *   <li>{@code components} 384: the first 384 principal directions of the <em>training
 *       frames'</em> W+ codes (the paper's PCA is of W over the image generator's samples);</li>
 *   <li>the noise ε_t keeps the paper's 512 numbers per step; the content code w₀ is a real frame's
 *       W+ code, read by the LSTM through its whitened principal coordinates (see {@link MoCoGanHd});</li>
 *   <li>the critic reads W+ coordinates instead of pixels: a 1-D PatchGAN over time on the pairs
 *       (first frame, frame t), exactly the layer sequence of D_3d with its spatial dimensions gone;
 *       the paper's image discriminator (pairs of the first and one random frame, rendered) and the
 *       MoCo contrastive queue of the cross-domain setting are left out (see {@link MoCoGanHd});</li>
 *   <li>the paper's data loader takes every second frame ({@code time_step} 2); windows here are
 *       consecutive frames at the data's rate;</li>
 *   <li>{@code contentBank} 64: how many real first frames the model keeps to draw identities
 *       from when sampling without a code (the paper draws z from the image generator's prior).</li>
 * </ul>
 *
 * @param batch              windows per step B (8)
 * @param windowLength       frames per training window t (16: n_frames_G)
 * @param layers             W+ layers L
 * @param width              W+ width D
 * @param components         principal directions k the motion lives in (384: n_pca)
 * @param noiseDim           numbers of the noise ε_t the LSTM reads each step (512: z_dim)
 * @param hidden             LSTM state width (384: h_dim)
 * @param alpha              residual weight α of w_t = w_{t−1} + α·tanh(h_t·W + b)·(σ ⊙ B) (0.2: w_residual)
 * @param criticChannels     channels of the critic's first convolution, doubling after each, at most 512 (64: ndf)
 * @param criticScales       critics at successive temporal resolutions (2: num_D)
 * @param criticInstanceNorm instance normalisation after the critic's inner convolutions (true: norm_D_3d)
 * @param timeFlip           the critic's real and fake inputs are each reversed in time with probability ½ (true:
 *                           flip_video)
 * @param lambdaGp           weight of the gradient penalty, averaged over the scales (10)
 * @param lambdaMutual       weight of the mutual-information term −cos(ε̂_t, ε_t) (1)
 * @param lrGenerator        Adam learning rate of the motion generator (1e-4)
 * @param lrCritic           Adam learning rate of the critic (1e-4)
 * @param beta1              Adam β₁ (0.5)
 * @param beta2              Adam β₂ (0.999)
 * @param generatorSteps     generator steps per critic step (5: G_step); read by training loops
 * @param contentBank        real frames kept to draw content codes from when sampling without one
 * @param orthogonalInit     LSTMs and linear layers start orthogonal, W ~ N(0, 0.02²), biases 0 (the paper's
 *                           init_weights); false: PyTorch's defaults
 * @param epochs             passes over the training windows (5: total_epoch)
 * @param seed               seed of the initial weights
 * @param leakySlope         the critic's LeakyReLU slope (0.2)
 * @param fps                frames per second of the data and of samples
 * @param float64            compute in float64 instead of float32 (gradient checks)
 */
public record MoCoGanHdConfig(int batch, int windowLength, int layers, int width, int components, int noiseDim,
                              int hidden, double alpha, int criticChannels, int criticScales,
                              boolean criticInstanceNorm, boolean timeFlip, double lambdaGp, double lambdaMutual,
                              double lrGenerator, double lrCritic, double beta1, double beta2, int generatorSteps,
                              int contentBank, boolean orthogonalInit, int epochs, long seed, double leakySlope,
                              double fps, boolean float64) implements MotionModelConfig {

    /** The widest critic convolution (D_3d's cap). */
    public static final int MAX_CRITIC_CHANNELS = 512;

    public MoCoGanHdConfig {
        if (batch < 2) {
            throw new IllegalArgumentException("batch must be at least 2 (the relativistic loss compares a batch with"
                    + " the other's mean), found " + batch);
        }
        if (windowLength < 2) {
            throw new IllegalArgumentException("windowLength must be at least 2 (a first frame and one more), found "
                    + windowLength);
        }
        positive("layers", layers);
        positive("width", width);
        positive("noiseDim", noiseDim);
        positive("hidden", hidden);
        positive("criticChannels", criticChannels);
        positive("criticScales", criticScales);
        positive("generatorSteps", generatorSteps);
        positive("contentBank", contentBank);
        if (components < 1 || components > (long) layers * width) {
            throw new IllegalArgumentException("components must be in 1 … " + (long) layers * width
                    + " (layers × width), found " + components);
        }
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("alpha must be finite and > 0, found " + alpha);
        }
        if (epochs < 0) {
            throw new IllegalArgumentException("epochs must be ≥ 0, found " + epochs);
        }
        if (!(lrGenerator > 0) || !(lrCritic > 0) || Double.isInfinite(lrGenerator) || Double.isInfinite(lrCritic)) {
            throw new IllegalArgumentException("learning rates must be finite and > 0, found " + lrGenerator + " and "
                    + lrCritic);
        }
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam betas must be in [0, 1), found " + beta1 + " and " + beta2);
        }
        if (!(lambdaGp >= 0) || !(lambdaMutual >= 0) || Double.isInfinite(lambdaGp) || Double.isInfinite(lambdaMutual)) {
            throw new IllegalArgumentException("loss weights must be finite and ≥ 0, found lambdaGp " + lambdaGp
                    + " and lambdaMutual " + lambdaMutual);
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
    public static MoCoGanHdConfig paper() {
        return new MoCoGanHdConfig(8, 16, 18, 512, 384, 512, 384, 0.2, 64, 2, true, true, 10, 1,
                1e-4, 1e-4, 0.5, 0.999, 5, 64, true, 5, 1, 0.2, 25, false);
    }

    /**
     * The CPU preset: the paper's model and losses, narrowed to train on one core in minutes.
     * Changes from {@link #paper()}:
     * <ul>
     *   <li>10 principal components (the default world's W+ codes move in 9 directions, then show a
     *       flat floor of embedding noise; StyleVideoGan's laptop() cuts at the same place), noise 32,
     *       LSTM 64, critic channels 32, batch 16, windows of 25 frames (the default world's windows);</li>
     *   <li>α = 1: on the default world's windows the whitened coordinates move by an RMS 0.86 per
     *       frame in the first two directions and by up to 7.4 (measured by
     *       {@code MoCoGanHdLearnsTest#explore}); the paper's α = 0.2 caps every move at 0.2 per frame;</li>
     *   <li>learning rates 1e-3 and one generator step per critic step, since a CPU run has a
     *       couple of thousand steps (a choice, not tuned);</li>
     *   <li>no time flips, so the critic can tell a blink's fast close from its slower opening (a
     *       choice, not measured).</li>
     * </ul>
     * What it reaches, next to the paper's α on the same budget, is in {@link MoCoGanHd}'s class
     * comment: over 500 frames the samples drift.
     */
    public static MoCoGanHdConfig laptop() {
        return paper().toBuilder().batch(16).windowLength(25).components(10).noiseDim(32).hidden(64).alpha(1.0)
                .criticChannels(32).criticScales(2).timeFlip(false).learningRate(1e-3).generatorSteps(1)
                .epochs(40).build();
    }

    /** Channels of the critic's convolution {@code j} (0 … 3): criticChannels · 2^j, at most 512. */
    public int criticChannelsAt(int j) {
        return (int) Math.min((long) criticChannels << j, MAX_CRITIC_CHANNELS);
    }

    /** A builder holding these settings, to change some of them. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Tian et al., ICLR 2021, the paper this model follows (adapted to W+, see {@link MoCoGanHd}). */
    @Override
    public String reference() {
        return "MoCoGAN-HD: A Good Image Generator Is What You Need for High-Resolution Video Synthesis (Tian, Ren, Chai,"
                + " Olszewski, Peng, Metaxas, Tulyakov; ICLR 2021)";
    }

    /** The configuration as {@code name=value} lines (what {@link #parse} reads; saved in model files). */
    @Override
    public String toProperties() {
        return RecordProperties.text(this);
    }

    /** Reads {@link #toProperties()} output; unknown names, unreadable values and missing settings are errors. */
    public static MoCoGanHdConfig parse(String properties) {
        return RecordProperties.parse(MoCoGanHdConfig.class, properties, Map.of(), "MoCoGanHdConfig");
    }

    @Override
    public String toString() {
        return String.format("MoCoGanHdConfig[batch %d, t %d, W+ %d×%d, %d components, noise %d, LSTM %d, α %g,"
                        + " critic %d channels × %d scales%s%s, λ_GP %g, λ_MI %g, lr G %g / C %g, Adam β (%g, %g),"
                        + " %d G steps per C step, bank %d, %s init, epochs %d, seed %d%s]",
                batch, windowLength, layers, width, components, noiseDim, hidden, alpha, criticChannels, criticScales,
                criticInstanceNorm ? ", instance norm" : "", timeFlip ? ", time flips" : "", lambdaGp, lambdaMutual,
                lrGenerator, lrCritic, beta1, beta2, generatorSteps, contentBank,
                orthogonalInit ? "orthogonal" : "PyTorch", epochs, seed, float64 ? ", float64" : "");
    }

    /** Builder starting from a configuration; {@link #build()} validates. */
    public static final class Builder {
        private int batch, windowLength, layers, width, components, noiseDim, hidden, criticChannels, criticScales,
                generatorSteps, contentBank, epochs;
        private double alpha, lambdaGp, lambdaMutual, lrGenerator, lrCritic, beta1, beta2, leakySlope, fps;
        private boolean criticInstanceNorm, timeFlip, orthogonalInit, float64;
        private long seed;

        private Builder(MoCoGanHdConfig c) {
            batch = c.batch; windowLength = c.windowLength; layers = c.layers; width = c.width;
            components = c.components; noiseDim = c.noiseDim; hidden = c.hidden; alpha = c.alpha;
            criticChannels = c.criticChannels; criticScales = c.criticScales;
            criticInstanceNorm = c.criticInstanceNorm; timeFlip = c.timeFlip; lambdaGp = c.lambdaGp;
            lambdaMutual = c.lambdaMutual; lrGenerator = c.lrGenerator; lrCritic = c.lrCritic; beta1 = c.beta1;
            beta2 = c.beta2; generatorSteps = c.generatorSteps; contentBank = c.contentBank;
            orthogonalInit = c.orthogonalInit; epochs = c.epochs; seed = c.seed; leakySlope = c.leakySlope;
            fps = c.fps; float64 = c.float64;
        }

        /** Windows per training step. */
        public Builder batch(int v) { batch = v; return this; }
        /** Frames t of each training window. */
        public Builder windowLength(int v) { windowLength = v; return this; }
        /** W+ layers L. */
        public Builder layers(int v) { layers = v; return this; }
        /** W+ width D. */
        public Builder width(int v) { width = v; return this; }
        /** Principal directions k the motion lives in. */
        public Builder components(int v) { components = v; return this; }
        /** Numbers of noise per step. */
        public Builder noiseDim(int v) { noiseDim = v; return this; }
        /** LSTM state width. */
        public Builder hidden(int v) { hidden = v; return this; }
        /** Residual weight α. */
        public Builder alpha(double v) { alpha = v; return this; }
        /** Channels of the critic's first convolution. */
        public Builder criticChannels(int v) { criticChannels = v; return this; }
        /** Temporal resolutions the critic judges. */
        public Builder criticScales(int v) { criticScales = v; return this; }
        /** Instance norm in the critic. */
        public Builder criticInstanceNorm(boolean v) { criticInstanceNorm = v; return this; }
        /** Random time flips of the critic's inputs. */
        public Builder timeFlip(boolean v) { timeFlip = v; return this; }
        /** Weight of the gradient penalty. */
        public Builder lambdaGp(double v) { lambdaGp = v; return this; }
        /** Weight of the mutual-information term. */
        public Builder lambdaMutual(double v) { lambdaMutual = v; return this; }
        /** Adam learning rate of the generator. */
        public Builder lrGenerator(double v) { lrGenerator = v; return this; }
        /** Adam learning rate of the critic. */
        public Builder lrCritic(double v) { lrCritic = v; return this; }
        /** Sets both learning rates. */
        public Builder learningRate(double v) { lrGenerator = v; lrCritic = v; return this; }
        /** Adam β₁. */
        public Builder beta1(double v) { beta1 = v; return this; }
        /** Adam β₂. */
        public Builder beta2(double v) { beta2 = v; return this; }
        /** Generator steps per critic step. */
        public Builder generatorSteps(int v) { generatorSteps = v; return this; }
        /** Real frames kept as content codes for sampling. */
        public Builder contentBank(int v) { contentBank = v; return this; }
        /** Orthogonal (the paper) or PyTorch-default initial weights. */
        public Builder orthogonalInit(boolean v) { orthogonalInit = v; return this; }
        /** Passes over the training windows. */
        public Builder epochs(int v) { epochs = v; return this; }
        /** Seed of the initial weights. */
        public Builder seed(long v) { seed = v; return this; }
        /** The critic's LeakyReLU slope. */
        public Builder leakySlope(double v) { leakySlope = v; return this; }
        /** Frame rate of data and samples. */
        public Builder fps(double v) { fps = v; return this; }
        /** Compute in float64. */
        public Builder float64(boolean v) { float64 = v; return this; }

        /** The configuration; a setting out of range is an error naming it. */
        public MoCoGanHdConfig build() {
            return new MoCoGanHdConfig(batch, windowLength, layers, width, components, noiseDim, hidden, alpha,
                    criticChannels, criticScales, criticInstanceNorm, timeFlip, lambdaGp, lambdaMutual, lrGenerator,
                    lrCritic, beta1, beta2, generatorSteps, contentBank, orthogonalInit, epochs, seed, leakySlope, fps,
                    float64);
        }
    }
}

package org.latentmotion.motion.styleganv;

import java.util.Map;

import org.latentmotion.motion.MotionModelConfig;
import org.latentmotion.motion.RecordProperties;

/**
 * Every size and hyper-parameter of a {@link StyleGanV}; immutable. Start from a preset and change
 * what you need: {@code StyleGanVConfig.laptop().toBuilder().seed(3).build()}.
 *
 * <p>{@link #paper()} follows StyleGAN-V (Skorokhodov, Tulyakov, Elhoseiny, CVPR 2022) as its
 * official code (universome/stylegan-v, read, not copied) sets it: {@code configs/model/stylegan-v.yaml}
 * (motion codes z of 512 numbers every {@code motion_z_distance} δ = 16 frames, a two-layer
 * padding-free Conv1d of kernel 11 over them, "continuous motion representations through the lens
 * of positional embeddings": 256 sinusoid pairs whose periods are spaced in log2 from δ to 1024
 * frames, scaled per frame by tanh(·)+1 of the left motion code, with phases from it and the
 * linear "aligners" that make the embedding acyclic), {@code configs/sampling/*.yaml} (3 frames per
 * clip at random times at most 32 frames apart), {@code configs/training/base.yaml} and
 * StyleGAN2's {@code auto} config (batch 64, Adam lr 0.0025, β (0, 0.99), non-saturating loss
 * with R1, γ = 0.0002·256²/64 ≈ 0.2 at 256²), and the discriminator's time-gap conditioning
 * ({@code TemporalDifferenceEncoder}: per gap a learned 256-wide embedding plus fixed sinusoids,
 * mapped to StyleGAN2's projection conditioning). Adapted to W+ (the paper synthesises images and
 * judges them):
 * <ul>
 *   <li>{@code components} 512: the frame generator writes the first 512 whitened principal
 *       coordinates of the training frames' W+ codes (as {@link org.latentmotion.motion.mocogan.MoCoGanHd});
 *       the content code is a real frame's W+ code, not z through the mapping network;</li>
 *   <li>the synthesis network (StyleGAN2 with the motion signal concatenated to its constant input)
 *       becomes an MLP of {@code generatorHidden} units from (content coordinates, motion signal)
 *       to coordinates; the image discriminator becomes MLPs over W+ coordinates: a per-frame one
 *       ({@code criticHidden}), a joint one over the concatenated frames, and the projection head;</li>
 *   <li>equalized learning rates (and the motion conv's lr multiplier 0.01), phase dropout, lazy
 *       regularisation and ADA augmentation are left out; R1 is applied every critic step;</li>
 *   <li>{@code windowLength} 33: a Trainer window holds the largest span the paper samples
 *       (max_dist 32) plus one frame; {@code maxTimeOffset} 1024 (the paper's max_num_frames):
 *       training clips start at a random time in [0, 1024) frames of the motion signal, so samples
 *       this long stay where training looked.</li>
 * </ul>
 *
 * @param batch             windows per step B (64)
 * @param windowLength      frames per training window t (33)
 * @param layers            W+ layers L
 * @param width             W+ width D
 * @param components        whitened principal coordinates k the frames are written in (512)
 * @param motionDim         numbers per motion code z and per conv output u (512: motion.z_dim = v_dim)
 * @param motionKernel      kernel of the two padding-free Conv1d layers over the motion codes (11)
 * @param codeDistance      frames δ between motion codes (16: motion_z_distance; also the shortest period)
 * @param embeddingFeatures sinusoids of the positional embedding F; the motion signal has 2F numbers (256)
 * @param maxPeriod         longest period of the embedding, frames (1024)
 * @param maxTimeOffset     training clips start at a random time in [0, maxTimeOffset) frames (1024)
 * @param generatorHidden   units of the frame generator's two hidden layers (512, adapted)
 * @param criticHidden      units of the critic's MLPs and of its projection (512, adapted)
 * @param gapEmbedding      numbers of the learned embedding of each time gap (256)
 * @param framesPerClip     frames n the critic sees per clip, 2 or more (3)
 * @param maxGap            largest span between a clip's first and last frame, frames (32: max_dist)
 * @param r1Gamma           R1 weight γ: the critic's loss adds γ/2·E‖∇D(real)‖² (0.2)
 * @param lrGenerator       Adam learning rate of the motion mapping and frame generator (0.0025)
 * @param lrCritic          Adam learning rate of the critic (0.0025)
 * @param beta1             Adam β₁ (0)
 * @param beta2             Adam β₂ (0.99)
 * @param contentBank       real first frames kept as content codes for sampling without one (64)
 * @param epochs            passes over the training windows
 * @param seed              seed of the initial weights
 * @param leakySlope        LeakyReLU slope (0.2)
 * @param fps               frames per second of the data and of {@link StyleGanV#sample(int, long)}
 * @param float64           compute in float64 instead of float32 (gradient checks)
 */
public record StyleGanVConfig(int batch, int windowLength, int layers, int width, int components, int motionDim,
                              int motionKernel, int codeDistance, int embeddingFeatures, double maxPeriod,
                              double maxTimeOffset, int generatorHidden, int criticHidden, int gapEmbedding,
                              int framesPerClip, int maxGap, double r1Gamma, double lrGenerator, double lrCritic,
                              double beta1, double beta2, int contentBank, int epochs, long seed, double leakySlope,
                              double fps, boolean float64) implements MotionModelConfig {

    /** Validates every setting; one out of range is an error naming it, with what was found. */
    public StyleGanVConfig {
        positive("batch", batch);
        positive("layers", layers);
        positive("width", width);
        positive("motionDim", motionDim);
        positive("motionKernel", motionKernel);
        positive("codeDistance", codeDistance);
        positive("embeddingFeatures", embeddingFeatures);
        positive("generatorHidden", generatorHidden);
        positive("criticHidden", criticHidden);
        positive("gapEmbedding", gapEmbedding);
        positive("contentBank", contentBank);
        if (components < 1 || components > (long) layers * width) {
            throw new IllegalArgumentException("components must be in 1 … " + (long) layers * width
                    + " (layers × width), found " + components);
        }
        if (framesPerClip < 2) {
            throw new IllegalArgumentException("framesPerClip must be at least 2 (the critic judges time gaps), found "
                    + framesPerClip);
        }
        if (maxGap < framesPerClip - 1) {
            throw new IllegalArgumentException("maxGap must be at least framesPerClip − 1 = " + (framesPerClip - 1)
                    + " (gaps of at least one frame), found " + maxGap);
        }
        if (windowLength < framesPerClip) {
            throw new IllegalArgumentException("windowLength must be at least framesPerClip = " + framesPerClip
                    + ", found " + windowLength);
        }
        if (!(maxPeriod >= codeDistance) || Double.isInfinite(maxPeriod)) {
            throw new IllegalArgumentException("maxPeriod must be finite and ≥ codeDistance = " + codeDistance
                    + ", found " + maxPeriod);
        }
        if (!(maxTimeOffset >= 0) || Double.isInfinite(maxTimeOffset)) {
            throw new IllegalArgumentException("maxTimeOffset must be finite and ≥ 0, found " + maxTimeOffset);
        }
        if (!(r1Gamma >= 0) || Double.isInfinite(r1Gamma)) {
            throw new IllegalArgumentException("r1Gamma must be finite and ≥ 0, found " + r1Gamma);
        }
        if (!(lrGenerator > 0) || !(lrCritic > 0) || Double.isInfinite(lrGenerator) || Double.isInfinite(lrCritic)) {
            throw new IllegalArgumentException("learning rates must be finite and > 0, found " + lrGenerator + " and "
                    + lrCritic);
        }
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam betas must be in [0, 1), found " + beta1 + " and " + beta2);
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
    public static StyleGanVConfig paper() {
        return new StyleGanVConfig(64, 33, 18, 512, 512, 512, 11, 16, 256, 1024, 1024, 512, 512, 256, 3, 32, 0.2,
                0.0025, 0.0025, 0.0, 0.99, 64, 5, 1, 0.2, 25, false);
    }

    /**
     * The CPU preset: the paper's model and losses, narrowed to train on one core in minutes.
     * Changes from {@link #paper()}: 10 principal components (the default world's W+ codes move in
     * 9 directions, as MoCoGanHdConfig.laptop() says), motion codes of 32 numbers, kernel 5, 16
     * sinusoids, 128 hidden units in the generator and 64 in the critic, a gap embedding of 16,
     * batch 16, the default world's windows of 25 frames (so gaps up to 24), R1 γ = 1 and learning
     * rates 1e-3 (choices for the small MLPs, not tuned).
     */
    public static StyleGanVConfig laptop() {
        return paper().toBuilder().batch(16).windowLength(25).components(10).motionDim(32).motionKernel(5)
                .embeddingFeatures(16).generatorHidden(128).criticHidden(64).gapEmbedding(16).maxGap(24).r1Gamma(1.0)
                .learningRate(1e-3).epochs(40).build();
    }

    /** Motion codes beyond the conv outputs they feed: 2·(kernel − 1), what the two padding-free convolutions eat. */
    public int extraCodes() {
        return 2 * (motionKernel - 1);
    }

    /** A builder holding these settings, to change some of them. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Skorokhodov et al., CVPR 2022, the paper this model follows (adapted to W+, see {@link StyleGanV}). */
    @Override
    public String reference() {
        return "StyleGAN-V: A Continuous Video Generator with the Price, Image Quality and Perks of StyleGAN2"
                + " (Skorokhodov, Tulyakov, Elhoseiny; CVPR 2022)";
    }

    /** The configuration as {@code name=value} lines (what {@link #parse} reads; saved in model files). */
    @Override
    public String toProperties() {
        return RecordProperties.text(this);
    }

    /** Reads {@link #toProperties()} output; unknown names, unreadable values and missing settings are errors. */
    public static StyleGanVConfig parse(String properties) {
        return RecordProperties.parse(StyleGanVConfig.class, properties, Map.of(), "StyleGanVConfig");
    }

    @Override
    public String toString() {
        return String.format("StyleGanVConfig[batch %d, t %d, W+ %d×%d, %d components, motion %d every %d frames"
                        + " (kernel %d), %d sinusoids up to %g frames, offsets < %g, G %d, C %d, gap embedding %d,"
                        + " %d frames per clip within %d, R1 γ %g, lr G %g / C %g, Adam β (%g, %g), bank %d,"
                        + " epochs %d, seed %d%s]",
                batch, windowLength, layers, width, components, motionDim, codeDistance, motionKernel,
                embeddingFeatures, maxPeriod, maxTimeOffset, generatorHidden, criticHidden, gapEmbedding, framesPerClip,
                maxGap, r1Gamma, lrGenerator, lrCritic, beta1, beta2, contentBank, epochs, seed,
                float64 ? ", float64" : "");
    }

    /** Builder starting from a configuration; {@link #build()} validates. */
    public static final class Builder {
        private int batch, windowLength, layers, width, components, motionDim, motionKernel, codeDistance,
                embeddingFeatures, generatorHidden, criticHidden, gapEmbedding, framesPerClip, maxGap, contentBank,
                epochs;
        private double maxPeriod, maxTimeOffset, r1Gamma, lrGenerator, lrCritic, beta1, beta2, leakySlope, fps;
        private long seed;
        private boolean float64;

        private Builder(StyleGanVConfig c) {
            batch = c.batch; windowLength = c.windowLength; layers = c.layers; width = c.width;
            components = c.components; motionDim = c.motionDim; motionKernel = c.motionKernel;
            codeDistance = c.codeDistance; embeddingFeatures = c.embeddingFeatures; maxPeriod = c.maxPeriod;
            maxTimeOffset = c.maxTimeOffset; generatorHidden = c.generatorHidden; criticHidden = c.criticHidden;
            gapEmbedding = c.gapEmbedding; framesPerClip = c.framesPerClip; maxGap = c.maxGap; r1Gamma = c.r1Gamma;
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
        /** Whitened principal coordinates k. */
        public Builder components(int v) { components = v; return this; }
        /** Numbers per motion code. */
        public Builder motionDim(int v) { motionDim = v; return this; }
        /** Kernel of the motion convolutions. */
        public Builder motionKernel(int v) { motionKernel = v; return this; }
        /** Frames between motion codes. */
        public Builder codeDistance(int v) { codeDistance = v; return this; }
        /** Sinusoids of the positional embedding. */
        public Builder embeddingFeatures(int v) { embeddingFeatures = v; return this; }
        /** Longest period of the embedding, frames. */
        public Builder maxPeriod(double v) { maxPeriod = v; return this; }
        /** Training clips start before this many frames of motion. */
        public Builder maxTimeOffset(double v) { maxTimeOffset = v; return this; }
        /** Hidden units of the frame generator. */
        public Builder generatorHidden(int v) { generatorHidden = v; return this; }
        /** Hidden units of the critic. */
        public Builder criticHidden(int v) { criticHidden = v; return this; }
        /** Numbers of the learned gap embedding. */
        public Builder gapEmbedding(int v) { gapEmbedding = v; return this; }
        /** Frames the critic sees per clip. */
        public Builder framesPerClip(int v) { framesPerClip = v; return this; }
        /** Largest span of a clip's frames. */
        public Builder maxGap(int v) { maxGap = v; return this; }
        /** R1 weight γ. */
        public Builder r1Gamma(double v) { r1Gamma = v; return this; }
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
        /** Real frames kept as content codes. */
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
        public StyleGanVConfig build() {
            return new StyleGanVConfig(batch, windowLength, layers, width, components, motionDim, motionKernel,
                    codeDistance, embeddingFeatures, maxPeriod, maxTimeOffset, generatorHidden, criticHidden,
                    gapEmbedding, framesPerClip, maxGap, r1Gamma, lrGenerator, lrCritic, beta1, beta2, contentBank,
                    epochs, seed, leakySlope, fps, float64);
        }
    }
}

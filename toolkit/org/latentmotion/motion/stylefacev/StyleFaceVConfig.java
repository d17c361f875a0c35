package org.latentmotion.motion.stylefacev;

import java.util.Map;

import org.latentmotion.motion.MotionModelConfig;
import org.latentmotion.motion.RecordProperties;

/**
 * Every size and hyper-parameter of a {@link StyleFaceV}; immutable. Start from a preset and change
 * what you need: {@code StyleFaceVConfig.laptop().toBuilder().seed(3).build()}.
 *
 * <p>{@link #paper()} follows StyleFaceV (Qiu et al. 2022, seed 004) and its official code
 * (arthur-qiu/StyleFaceV, read, not copied): "Pose Extraction" (a pose extractor E_p supervised by a
 * few key face points; {@code num_point} 12 in the code), "Appearance Extraction" (E_p pretrained
 * with the key-point loss alone, Eq. 4, then the whole pipeline), "Objective Functions" (pairs of
 * frames of one video with an interval, R(E_a(I_i), E_p(I_j)) ≈ I_j, plus the pose loss), the
 * self-supervised embedding loss of Eq. 8 (in the latent space), and "Motion Sampling" (an LSTM from
 * the first frame's pose and motion noise, Eq. 9; a 2-D and a 3-D adversarial loss, Eq. 10; the
 * diversity loss, Eq. 11). The motion sampler of the official code is MoCoGAN-HD's LSTM module
 * ({@code models/rnn_net.py}: residual poses with {@code w_residual} 0.2, windows of
 * {@code n_frames_G} 30 frames), trained with the relativistic average LSGAN for both critics, a
 * gradient penalty of weight 10 on the 3-D critic ({@code models/rnn_losses.py}), the diversity
 * term as −cos(F(h_t), z_t) with weight 1, Adam β₁ 0.5. Adapted to W+ (the paper works on
 * rendered 256² images of StyleGAN3):
 * <ul>
 *   <li>the encoders read the whitened principal coordinates of a frame's W+ code (the paper's read
 *       images with ResNets; a W+ code has 18 × 512 numbers): {@code components} 512;</li>
 *   <li>E_a, E_p, the recomposer R and the 2-D critic are two-layer MLPs of width {@code hidden} /
 *       {@code criticHidden} (the paper: res-blocks and an NLayerDiscriminator on images); the pose
 *       is a vector of {@code poseDim} 64 numbers (the code's 8 × 8 pose map), the appearance of
 *       {@code appearanceDim} 512;</li>
 *   <li>the reconstruction is the squared error in whitened W+ coordinates (Eq. 8's embedding loss);
 *       the pixel, VGG and image-adversarial losses of Eq. 6 need rendered frames and are left
 *       out, as is the joint training on augmented still images (the data here are videos);</li>
 *   <li>the paper gives no step counts for its stages: {@code pretrainSteps} and
 *       {@code decompositionSteps} are this toolkit's choice.</li>
 * </ul>
 *
 * @param batch              windows per step B
 * @param windowLength       frames per training window t (the sampler's window; 30: n_frames_G)
 * @param layers             W+ layers L
 * @param width              W+ width D
 * @param components         principal directions k the encoders read
 * @param hidden             width of the hidden layer of E_a, E_p and R
 * @param appearanceDim      numbers of the appearance code a = E_a(x)
 * @param poseDim            numbers of the pose code p = E_p(x)
 * @param pairGap            the least distance in frames between the appearance frame i and a target frame j
 * @param pretrainSteps      stage 1: steps that train E_p and its key-point head alone (Eq. 4)
 * @param decompositionSteps stage 2: steps that train E_a, E_p, R and the head on reconstruction and key points
 * @param lambdaKeypoint     weight of the key-point loss in stage 2
 * @param noiseDim           motion noise z_t per step of the sampler
 * @param samplerHidden      LSTM state width of the pose sampler
 * @param alpha              residual weight of p_t = p_{t−1} + α·tanh(h_t·W + b) (0.2: w_residual)
 * @param criticHidden       width of the 2-D critic's hidden layers
 * @param criticChannels     channels of the 3-D critic's first convolution (doubling once)
 * @param lambdaGp           weight of the 3-D critic's gradient penalty (10)
 * @param lambdaDiversity    weight of the diversity loss (1)
 * @param lrDecomposition    Adam learning rate of E_a, E_p, the head and R
 * @param lrSampler          Adam learning rate of the pose sampler
 * @param lrCritic           Adam learning rate of both critics
 * @param beta1              Adam β₁ (0.5)
 * @param beta2              Adam β₂ (0.999)
 * @param contentBank        real frames kept to draw appearances from when sampling without a code
 * @param epochs             passes over the training windows
 * @param seed               seed of the initial weights
 * @param leakySlope         LeakyReLU slope of every MLP and critic (0.2)
 * @param fps                frames per second of the data and of samples
 * @param float64            compute in float64 instead of float32 (gradient checks)
 */
public record StyleFaceVConfig(int batch, int windowLength, int layers, int width, int components, int hidden,
                               int appearanceDim, int poseDim, int pairGap, int pretrainSteps, int decompositionSteps,
                               double lambdaKeypoint, int noiseDim, int samplerHidden, double alpha, int criticHidden,
                               int criticChannels, double lambdaGp, double lambdaDiversity, double lrDecomposition,
                               double lrSampler, double lrCritic, double beta1, double beta2, int contentBank,
                               int epochs, long seed, double leakySlope, double fps, boolean float64)
        implements MotionModelConfig {

    /** Checks every setting; a setting out of range is an error naming it. */
    public StyleFaceVConfig {
        if (batch < 2) {
            throw new IllegalArgumentException("batch must be at least 2 (the relativistic loss compares a batch with"
                    + " the other's mean), found " + batch);
        }
        if (windowLength < 3) {
            throw new IllegalArgumentException("windowLength must be at least 3 (a first frame and two more), found "
                    + windowLength);
        }
        positive("layers", layers);
        positive("width", width);
        positive("hidden", hidden);
        positive("appearanceDim", appearanceDim);
        positive("poseDim", poseDim);
        positive("noiseDim", noiseDim);
        positive("samplerHidden", samplerHidden);
        positive("criticHidden", criticHidden);
        positive("criticChannels", criticChannels);
        positive("contentBank", contentBank);
        if (components < 1 || components > (long) layers * width) {
            throw new IllegalArgumentException("components must be in 1 … " + (long) layers * width
                    + " (layers × width), found " + components);
        }
        if (pairGap < 1 || pairGap >= windowLength) {
            throw new IllegalArgumentException("pairGap must be in 1 … windowLength − 1 = " + (windowLength - 1)
                    + ", found " + pairGap);
        }
        if (pretrainSteps < 0 || decompositionSteps < 0) {
            throw new IllegalArgumentException("stage lengths must be ≥ 0, found pretrainSteps " + pretrainSteps
                    + " and decompositionSteps " + decompositionSteps);
        }
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("alpha must be finite and > 0, found " + alpha);
        }
        for (double lr : new double[] {lrDecomposition, lrSampler, lrCritic}) {
            if (!(lr > 0) || Double.isInfinite(lr)) {
                throw new IllegalArgumentException("learning rates must be finite and > 0, found " + lrDecomposition
                        + ", " + lrSampler + " and " + lrCritic);
            }
        }
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam betas must be in [0, 1), found " + beta1 + " and " + beta2);
        }
        for (double w : new double[] {lambdaKeypoint, lambdaGp, lambdaDiversity}) {
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("loss weights must be finite and ≥ 0, found lambdaKeypoint "
                        + lambdaKeypoint + ", lambdaGp " + lambdaGp + ", lambdaDiversity " + lambdaDiversity);
            }
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
    public static StyleFaceVConfig paper() {
        return new StyleFaceVConfig(8, 30, 18, 512, 512, 512, 512, 64, 10, 20000, 100000, 1, 512, 384, 0.2, 256,
                64, 10, 1, 2e-4, 2e-4, 2e-4, 0.5, 0.999, 64, 5, 1, 0.2, 25, false);
    }

    /**
     * The CPU preset: the paper's pipeline narrowed to learn the default world on one core in
     * minutes. Changes from {@link #paper()}: 10 principal components (the default world's W+
     * codes move in 9 directions, then show a floor of embedding noise; MoCoGanHd's and
     * StyleVideoGan's laptop() cut at the same place), MLPs of 64, appearance 16 and pose 8
     * numbers, noise 16, LSTM 64, critics of 64 / 32, batch 16, windows of 25 frames (the
     * default world's), pairs at least 5 frames apart, 300 pretraining and 700 decomposition
     * steps, learning rates 1e-3, α = 1 (as MoCoGanHdConfig.laptop(): the default world's motion
     * moves further per frame than α = 0.2 allows).
     */
    public static StyleFaceVConfig laptop() {
        return paper().toBuilder().batch(16).windowLength(25).components(10).hidden(64).appearanceDim(16).poseDim(8)
                .pairGap(5).pretrainSteps(300).decompositionSteps(700).noiseDim(16).samplerHidden(64).alpha(1.0)
                .criticHidden(64).criticChannels(32).learningRate(1e-3).epochs(40).build();
    }

    /** The stage of training step {@code index}: 1 (pose pretraining), 2 (decomposition) or 3 (pose sampler). */
    public int stageOf(long index) {
        if (index < pretrainSteps) {
            return 1;
        }
        return index < (long) pretrainSteps + decompositionSteps ? 2 : 3;
    }

    /** A builder holding these settings, to change some of them. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Qiu et al. 2022, the paper this model follows (adapted to W+, see {@link StyleFaceV}). */
    @Override
    public String reference() {
        return "StyleFaceV: Face Video Generation via Decomposing and Recomposing Pretrained StyleGAN3 (Qiu, Jiang, Zhou,"
                + " Wu, Liu; 2022)";
    }

    /** The configuration as {@code name=value} lines (what {@link #parse} reads; saved in model files). */
    @Override
    public String toProperties() {
        return RecordProperties.text(this);
    }

    /** Reads {@link #toProperties()} output; unknown names, unreadable values and missing settings are errors. */
    public static StyleFaceVConfig parse(String properties) {
        return RecordProperties.parse(StyleFaceVConfig.class, properties, Map.of(), "StyleFaceVConfig");
    }

    /** Builder starting from a configuration; {@link #build()} validates. */
    public static final class Builder {
        private int batch, windowLength, layers, width, components, hidden, appearanceDim, poseDim, pairGap,
                pretrainSteps, decompositionSteps, noiseDim, samplerHidden, criticHidden, criticChannels, contentBank,
                epochs;
        private double lambdaKeypoint, alpha, lambdaGp, lambdaDiversity, lrDecomposition, lrSampler, lrCritic, beta1,
                beta2, leakySlope, fps;
        private long seed;
        private boolean float64;

        private Builder(StyleFaceVConfig c) {
            batch = c.batch; windowLength = c.windowLength; layers = c.layers; width = c.width;
            components = c.components; hidden = c.hidden; appearanceDim = c.appearanceDim; poseDim = c.poseDim;
            pairGap = c.pairGap; pretrainSteps = c.pretrainSteps; decompositionSteps = c.decompositionSteps;
            lambdaKeypoint = c.lambdaKeypoint; noiseDim = c.noiseDim; samplerHidden = c.samplerHidden;
            alpha = c.alpha; criticHidden = c.criticHidden; criticChannels = c.criticChannels; lambdaGp = c.lambdaGp;
            lambdaDiversity = c.lambdaDiversity; lrDecomposition = c.lrDecomposition; lrSampler = c.lrSampler;
            lrCritic = c.lrCritic; beta1 = c.beta1; beta2 = c.beta2; contentBank = c.contentBank; epochs = c.epochs;
            seed = c.seed; leakySlope = c.leakySlope; fps = c.fps; float64 = c.float64;
        }

        /** Windows per training step. */
        public Builder batch(int v) { batch = v; return this; }
        /** Frames t of each training window. */
        public Builder windowLength(int v) { windowLength = v; return this; }
        /** W+ layers L. */
        public Builder layers(int v) { layers = v; return this; }
        /** W+ width D. */
        public Builder width(int v) { width = v; return this; }
        /** Principal directions k the encoders read. */
        public Builder components(int v) { components = v; return this; }
        /** Hidden width of E_a, E_p and R. */
        public Builder hidden(int v) { hidden = v; return this; }
        /** Numbers of the appearance code. */
        public Builder appearanceDim(int v) { appearanceDim = v; return this; }
        /** Numbers of the pose code. */
        public Builder poseDim(int v) { poseDim = v; return this; }
        /** Least distance between the appearance frame and a target frame. */
        public Builder pairGap(int v) { pairGap = v; return this; }
        /** Steps of stage 1 (pose pretraining). */
        public Builder pretrainSteps(int v) { pretrainSteps = v; return this; }
        /** Steps of stage 2 (decomposition and recomposition). */
        public Builder decompositionSteps(int v) { decompositionSteps = v; return this; }
        /** Weight of the key-point loss in stage 2. */
        public Builder lambdaKeypoint(double v) { lambdaKeypoint = v; return this; }
        /** Motion noise per sampler step. */
        public Builder noiseDim(int v) { noiseDim = v; return this; }
        /** LSTM state width of the sampler. */
        public Builder samplerHidden(int v) { samplerHidden = v; return this; }
        /** Residual weight α of the sampler. */
        public Builder alpha(double v) { alpha = v; return this; }
        /** Hidden width of the 2-D critic. */
        public Builder criticHidden(int v) { criticHidden = v; return this; }
        /** Channels of the 3-D critic's first convolution. */
        public Builder criticChannels(int v) { criticChannels = v; return this; }
        /** Weight of the gradient penalty. */
        public Builder lambdaGp(double v) { lambdaGp = v; return this; }
        /** Weight of the diversity loss. */
        public Builder lambdaDiversity(double v) { lambdaDiversity = v; return this; }
        /** Adam learning rate of the decomposition networks. */
        public Builder lrDecomposition(double v) { lrDecomposition = v; return this; }
        /** Adam learning rate of the sampler. */
        public Builder lrSampler(double v) { lrSampler = v; return this; }
        /** Adam learning rate of the critics. */
        public Builder lrCritic(double v) { lrCritic = v; return this; }
        /** Sets all three learning rates. */
        public Builder learningRate(double v) { lrDecomposition = v; lrSampler = v; lrCritic = v; return this; }
        /** Adam β₁. */
        public Builder beta1(double v) { beta1 = v; return this; }
        /** Adam β₂. */
        public Builder beta2(double v) { beta2 = v; return this; }
        /** Real frames kept as appearances for sampling. */
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
        public StyleFaceVConfig build() {
            return new StyleFaceVConfig(batch, windowLength, layers, width, components, hidden, appearanceDim, poseDim,
                    pairGap, pretrainSteps, decompositionSteps, lambdaKeypoint, noiseDim, samplerHidden, alpha,
                    criticHidden, criticChannels, lambdaGp, lambdaDiversity, lrDecomposition, lrSampler, lrCritic, beta1,
                    beta2, contentBank, epochs, seed, leakySlope, fps, float64);
        }
    }
}

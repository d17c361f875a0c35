package org.latentmotion.motion.mocogan;

import java.util.Arrays;

import org.latentmotion.nn.Broadcasts;
import org.latentmotion.nn.ParameterSet;
import org.latentmotion.pca.LatentPca;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The training frames' principal directions, which MoCoGAN-HD's residuals move along, and the
 * whitened coordinates its networks read: x̃ = ((w − mean)·Bᵀ) / s, B the first k principal
 * directions [k, L·D] (orthonormal rows), σ_c their standard deviations, s_c = max(σ_c, σ₀/10)
 * (whitened, but directions of embedding noise stay quiet). A residual of the paper,
 * α·u·(σ ⊙ B), is α·u ⊙ (σ / s) in these coordinates. The arrays are buffers of the model's
 * {@code stats.*} group, so they are saved with it.
 *
 * <p>Public so other models in the W+ zoo work in the same coordinates (StyleFaceV's encoders
 * read them) instead of a copy of this class: {@link #MotionBasis(int, int, int, long, ParameterSet, DataType)}.
 */
public final class MotionBasis {
    /** No coordinate is scaled up by more than the first direction's spread over this allows. */
    static final double WHITENING_FLOOR = 0.1;

    private final int layers;
    private final int width;
    private final int components;
    private final long seed;
    private final DataType dtype;
    private final INDArray mean;
    private final INDArray basis;
    private final INDArray sigma;
    private final INDArray scale;
    private final INDArray fitted;

    /** Registers data_mean [L·D], basis [k, L·D], sigma [k], scale [k], fitted [1] in {@code stats}. */
    MotionBasis(MoCoGanHdConfig config, ParameterSet stats, DataType dtype) {
        this(config.layers(), config.width(), config.components(), config.seed(), stats, dtype);
    }

    /**
     * The first {@code components} directions of W+ codes of {@code layers} × {@code width}
     * ({@code seed}: the PCA's randomised start); registers data_mean [L·D], basis [k, L·D],
     * sigma [k], scale [k], basis_fitted [1] in {@code stats}, in that order.
     */
    public MotionBasis(int layers, int width, int components, long seed, ParameterSet stats, DataType dtype) {
        this.layers = layers;
        this.width = width;
        this.components = components;
        this.seed = seed;
        this.dtype = dtype;
        int f = layers * width;
        int k = components;
        mean = stats.buffer("data_mean", stats.constant(0, f));
        basis = stats.buffer("basis", stats.constant(0, k, f));
        sigma = stats.buffer("sigma", stats.constant(1, k));
        scale = stats.buffer("scale", stats.constant(1, k));
        fitted = stats.buffer("basis_fitted", stats.constant(0, 1));
    }

    /** True once {@link #fit} ran (or a fitted model was loaded). */
    public boolean isFitted() {
        return fitted.getDouble(0) > 0;
    }

    /** Fits from training frames [N, L·D] (N &gt; k). */
    public void fit(INDArray frames) {
        int f = layers * width;
        int k = components;
        if (frames.rank() != 2 || frames.size(1) != f || frames.size(0) <= k) {
            throw new IllegalArgumentException("motion basis: expected more than " + k + " frames [N, " + f
                    + "] (k = " + k + " components), found " + Arrays.toString(frames.shape()));
        }
        LatentPca pca = LatentPca.fit(frames.castTo(DataType.FLOAT), k, seed, layers, width, "");
        double floor = Math.max(pca.sigma(0) * WHITENING_FLOOR, 1e-12);
        for (int c = 0; c < k; c++) {
            sigma.putScalar(c, pca.sigma(c));
            scale.putScalar(c, Math.max(pca.sigma(c), floor));
        }
        mean.assign(pca.mean().castTo(dtype));
        basis.assign(pca.components().castTo(dtype));
        fitted.assign(1);
    }

    /** Raw codes [N, L·D] → whitened coordinates [N, k] (a new array). */
    public INDArray whiten(INDArray codes) {
        return Broadcasts.diviRow(Broadcasts.subRow(codes.castTo(dtype), mean).mmul(basis.transpose()), scale);
    }

    /** σ / s [k]: how a whitened coordinate moves for a residual of one σ (1 unless the floor applies). */
    public INDArray residualScale() {
        return sigma.div(scale);
    }

    /**
     * The codes [T, L·D] of a sequence of whitened coordinates x̃ [T, k] that starts at the real code
     * w₀ [L·D]: w_t = w₀ + ((x̃_t − x̃_0) ⊙ s)·B, so frame 0 is w₀ itself (with whatever w₀ has outside
     * the k directions: identity, fine detail) and every later frame moves it along B only.
     */
    public INDArray codes(INDArray w0, INDArray whitened) {
        INDArray offsets = Broadcasts.mulRow(Broadcasts.subRow(whitened.castTo(dtype), whitened.getRow(0).castTo(dtype)), scale);
        INDArray out = offsets.mmul(basis);
        Broadcasts.addiRow(out, w0.castTo(dtype).reshape(1, w0.length()));
        return out;
    }

    /** The whitening scales s [k] (a copy). */
    public double[] scales() {
        return scale.castTo(DataType.DOUBLE).toDoubleVector();
    }
}

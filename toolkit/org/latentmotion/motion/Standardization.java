package org.latentmotion.motion;

import java.util.Arrays;
import org.latentmotion.nn.Broadcasts;
import org.latentmotion.nn.ParameterSet;
import org.latentmotion.pca.LatentPca;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The coordinates StyleVideoGAN's networks work in, and the way back to W+.
 *
 * <p>Full W+: x̃ = (x − mean) / scale, the mean per element [L·D] and one scale per layer (the RMS
 * of that layer's per-element standard deviations, so the relative size of motion directions is
 * kept). Motion space ({@code motionComponents} = k &gt; 0): x̃ = ((x − mean) · Bᵀ) / s, B the
 * first k principal directions of the training frames, s each direction's standard deviation but
 * at least {@value #WHITENING_FLOOR} of the first's (whitened motion, quiet noise directions).
 * The arrays are buffers of the model's {@code stats.*} group, so they are saved with it.
 */
final class Standardization {
    /** Motion space: no coordinate is scaled up by more than this fraction of the first's spread allows. */
    static final double WHITENING_FLOOR = 0.1;

    private final StyleVideoGanConfig config;
    private final DataType dtype;
    private final INDArray mean;
    /** Full W+ mode: the per-element scale [L·D]; null in motion-space mode. */
    private final INDArray scale;
    /** Motion-space mode: the principal directions [k, L·D] (orthonormal rows) and the scale of each [k]; else null. */
    private final INDArray basis;
    private final INDArray basisScale;
    private final INDArray fitted;

    /** Registers its buffers in {@code stats}: data_mean, then data_scale or basis and basis_scale, then data_fitted. */
    Standardization(StyleVideoGanConfig config, ParameterSet stats, DataType dtype) {
        this.config = config;
        this.dtype = dtype;
        int f = config.layers() * config.width();
        int k = config.motionComponents();
        mean = stats.buffer("data_mean", stats.constant(0, f));
        scale = k > 0 ? null : stats.buffer("data_scale", stats.constant(1, f));
        basis = k > 0 ? stats.buffer("basis", stats.constant(0, k, f)) : null;
        basisScale = k > 0 ? stats.buffer("basis_scale", stats.constant(1, k)) : null;
        fitted = stats.buffer("data_fitted", stats.constant(0, 1));
    }

    boolean isFitted() {
        return fitted.getDouble(0) > 0;
    }

    /** Fits from training frames [N, L, D], [N, L·D] or windows [B, t, L, D]. */
    void fit(INDArray frames) {
        int f = config.layers() * config.width();
        int k = config.motionComponents();
        long n = frames.length() / f;
        if (frames.length() % f != 0 || n < Math.max(2, k + 1)) {
            throw new IllegalArgumentException("normalization needs at least " + Math.max(2, k + 1) + " frames of "
                    + config.layers() + " × " + config.width() + ", found shape " + Arrays.toString(frames.shape()));
        }
        INDArray x = frames.reshape('c', n, f).castTo(DataType.DOUBLE);
        Checks.requireFinite(x, "normalization frames");
        if (k > 0) {
            fitMotionSpace(x.castTo(DataType.FLOAT), k);
            return;
        }
        INDArray m = x.mean(0);
        INDArray var = x.var(false, 0).reshape(config.layers(), config.width());
        INDArray layerScale = Transforms.sqrt(var.mean(1), true);
        INDArray s = Nd4j.create(DataType.DOUBLE, f);
        for (int l = 0; l < config.layers(); l++) {
            double v = layerScale.getDouble(l);
            v = v > 1e-12 ? v : 1.0; // a constant layer: nothing to scale
            s.get(NDArrayIndex.interval((long) l * config.width(), (long) (l + 1) * config.width())).assign(v);
        }
        mean.assign(m.castTo(dtype));
        scale.assign(s.castTo(dtype));
        fitted.assign(1);
    }

    /**
     * Principal directions of the frames; each coordinate is divided by its standard deviation,
     * but by no less than a tenth of the first one's: motion components come out with unit
     * spread, so the critic sees a head turn as clearly as a mouth opening, while directions of
     * embedding noise stay quiet.
     */
    private void fitMotionSpace(INDArray frames, int k) {
        LatentPca pca = LatentPca.fit(frames, k, config.seed(), config.layers(), config.width(), "");
        double floor = Math.max(pca.sigma(0) * WHITENING_FLOOR, 1e-12);
        INDArray s = Nd4j.create(DataType.DOUBLE, k);
        for (int c = 0; c < k; c++) {
            s.putScalar(c, Math.max(pca.sigma(c), floor));
        }
        mean.assign(pca.mean().castTo(dtype));
        basis.assign(pca.components().castTo(dtype));
        basisScale.assign(s.castTo(dtype));
        fitted.assign(1);
    }

    /** x [N, L·D] raw codes → standardised [N, features] (new array, model dtype). */
    INDArray standardize(INDArray x) {
        INDArray centred = Broadcasts.subRow(x.castTo(dtype), mean);
        if (basis == null) {
            return Broadcasts.diviRow(centred, scale);
        }
        return Broadcasts.diviRow(centred.mmul(basis.transpose()), basisScale);
    }

    /** Standardised codes [N, features] → raw W+ codes [N, L·D] (new array, model dtype; {@code codes} is kept). */
    INDArray destandardize(INDArray codes) {
        if (basis == null) {
            return Broadcasts.addiRow(Broadcasts.mulRow(codes, scale), mean);
        }
        return Broadcasts.addiRow(Broadcasts.mulRow(codes, basisScale).mmul(basis), mean);
    }
}

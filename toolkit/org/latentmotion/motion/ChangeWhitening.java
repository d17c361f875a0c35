package org.latentmotion.motion;

import org.latentmotion.nn.Broadcasts;
import org.latentmotion.nn.ParameterSet;
import org.latentmotion.nn.Scope;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * With {@code criticDifferences}: how the critic sees frame-to-frame changes. A whitening
 * transform of the changes (their second moment's inverse square root, ZCA), so a direction the
 * data barely moves in, such as a slow head turn, is as loud to the critic as a mouth that opens
 * and closes, whatever the principal directions mix. Directions are amplified at most
 * 1 / {@value #CHANGE_FLOOR} times the largest RMS change allows. Buffers of the model's
 * {@code stats.*} group: change_whitening [features, features] and change_fitted [1].
 */
final class ChangeWhitening {
    /** No direction's frame-to-frame change is scaled up by more than the largest's RMS change over this. */
    static final double CHANGE_FLOOR = 0.01;

    private final StyleVideoGanConfig config;
    private final DataType dtype;
    private final INDArray whitening;
    private final INDArray fitted;

    ChangeWhitening(StyleVideoGanConfig config, ParameterSet stats, DataType dtype) {
        this.config = config;
        this.dtype = dtype;
        whitening = stats.buffer("change_whitening", Nd4j.eye(config.features()).castTo(dtype));
        fitted = stats.buffer("change_fitted", stats.constant(0, 1));
    }

    /** The transform the critic multiplies changes by (identity until fitted). */
    INDArray matrix() {
        return whitening;
    }

    boolean isFitted() {
        return fitted.getDouble(0) > 0;
    }

    /** Buffers as a model file written before the whitening existed lacks them: the next data fits it. */
    INDArray[] initialState() {
        return new INDArray[] {whitening.dup(), fitted.dup()};
    }

    /** Fits from real windows [B, t, L, D], read through {@code standardization}. */
    void fit(INDArray windows, Standardization standardization) {
        int t = config.windowLength();
        long b = windows.size(0);
        int features = config.features();
        try (Scope scope = Scope.open()) {
            INDArray x = standardization.standardize(windows.reshape('c', b * t, (long) config.layers() * config.width()))
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
            INDArray w = Broadcasts.mulRow(moment, gains).mmul(moment.transpose()); // U diag(g) Uᵀ
            whitening.assign(w.castTo(dtype));
            fitted.assign(1);
        }
    }
}

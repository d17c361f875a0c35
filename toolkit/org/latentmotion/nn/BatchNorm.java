package org.latentmotion.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Batch normalisation over the rows of [N, F] with a learned per-feature scale and shift, as
 * PyTorch's BatchNorm1d (eps 1e-5, momentum 0.1, running variance unbiased). In training mode it
 * normalises with the batch statistics (differentiably, including double backprop) and, if asked,
 * updates the running statistics; in evaluation mode it uses the running statistics.
 * Parameters {@code <name>.weight}, {@code <name>.bias}; buffers {@code <name>.running_mean},
 * {@code <name>.running_var}.
 */
public final class BatchNorm {
    public static final double EPS = 1e-5;
    public static final double MOMENTUM = 0.1;

    private final Var gamma;
    private final Var beta;
    private final INDArray runningMean;
    private final INDArray runningVar;
    private final int features;

    /** Registers scale 1, shift 0, running mean 0 and running variance 1, each [features], under {@code name}. */
    public BatchNorm(ParameterSet ps, String name, int features) {
        this.features = features;
        gamma = ps.parameter(name + ".weight", ps.constant(1.0, features));
        beta = ps.parameter(name + ".bias", ps.constant(0.0, features));
        runningMean = ps.buffer(name + ".running_mean", ps.constant(0.0, features));
        runningVar = ps.buffer(name + ".running_var", ps.constant(1.0, features));
    }

    /** Normalises x [N, features]: with the batch's statistics when {@code mode} trains (moving the running ones if it says so), else with the running ones. */
    public Var forward(Var x, Mode mode) {
        if (x.rank() != 2 || x.size(1) != features) {
            throw new IllegalArgumentException("BatchNorm(" + features + ") expects [N, " + features + "], found "
                    + java.util.Arrays.toString(x.shape()));
        }
        if (!mode.training()) {
            Var scale = Ops.mul(gamma, Var.constant(Transforms.pow(runningVar.add(EPS), -0.5, false)));
            Var shift = Ops.sub(beta, Ops.mul(Var.constant(runningMean), scale));
            return Ops.addRow(Ops.mulRow(x, scale), shift);
        }
        long n = x.size(0);
        if (n < 2) {
            throw new IllegalArgumentException("BatchNorm in training mode needs at least 2 rows, found " + n);
        }
        Var mean = Ops.mean(x, 0);
        Var centered = Ops.addRow(x, Ops.neg(mean));
        Var variance = Ops.mean(Ops.square(centered), 0);
        Var inv = Ops.reciprocal(Ops.sqrt(Ops.addScalar(variance, EPS)));
        if (mode.updateStatistics()) {
            double m = mode.statisticsMomentum();
            runningMean.muli(1 - m).addi(mean.value.mul(m));
            runningVar.muli(1 - m).addi(variance.value.mul(m * n / (n - 1.0)));
        }
        return Ops.addRow(Ops.mulRow(centered, Ops.mul(inv, gamma)), beta);
    }

    /** Features normalised (the width of x). */
    public int features() {
        return features;
    }
}

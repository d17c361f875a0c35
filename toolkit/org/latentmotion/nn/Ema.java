package org.latentmotion.nn;

import java.util.Map;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Exponential moving average of a network's weights into a shadow copy of the same structure:
 * shadow ← decay·shadow + (1 − decay)·source for parameters; buffers (batch norm's running
 * statistics) are copied, as StyleGAN2-ADA does. Averaging them instead keeps the initial
 * running variance (1) alive for ~1/(1 − decay) steps, while a young network's activations vary
 * by far less: the shadow then divides its outputs by that stale spread and samples come out
 * frozen (measured: EVAL-mode output spread 0.003 against the training network's 0.9 after 50
 * steps at decay 0.99).
 */
public final class Ema {
    private final ParameterSet source;
    private final ParameterSet shadow;
    private final double decay;

    /**
     * Averages {@code source} into {@code shadow}; throws if decay is outside [0, 1) or the two sets do
     * not hold the same parameter names.
     */
    public Ema(ParameterSet source, ParameterSet shadow, double decay) {
        if (!(decay >= 0 && decay < 1)) {
            throw new IllegalArgumentException("EMA decay must be in [0, 1), found " + decay);
        }
        if (!source.parameters().keySet().equals(shadow.parameters().keySet())) {
            throw new IllegalArgumentException("EMA shadow must have the same parameters as its source");
        }
        this.source = source;
        this.shadow = shadow;
        this.decay = decay;
    }

    /** shadow ← decay·shadow + (1 − decay)·weights; buffers are copied. */
    public void update() {
        Map<String, Var> sp = source.parameters();
        shadow.parameters().forEach((k, v) -> blend(v.value, sp.get(k).value));
        Map<String, INDArray> sb = source.buffers();
        shadow.buffers().forEach((k, b) -> b.assign(sb.get(k)));
    }

    private void blend(INDArray target, INDArray src) {
        INDArray tmp = src.mul(1 - decay);
        target.muli(decay).addi(tmp);
        Scope.release(tmp);
    }

    /** The decay of the average. */
    public double decay() {
        return decay;
    }
}

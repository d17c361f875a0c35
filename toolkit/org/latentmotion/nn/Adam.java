package org.latentmotion.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.api.ops.impl.updaters.AdamUpdater;

/**
 * Adam with PyTorch's update rule (no weight decay):
 * m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², p ← p − lr·(m / (1−β₁ᵗ)) / (√v / √(1−β₂ᵗ) + ε).
 * Updates the parameter arrays in place. Its state (step count, m, v) is saved and restored with
 * {@link #state} / {@link #load}, so a resumed run continues exactly.
 */
public final class Adam implements Stateful {
    private final Map<String, Var> parameters;
    private final Map<String, INDArray> m = new LinkedHashMap<>();
    private final Map<String, INDArray> v = new LinkedHashMap<>();
    /** Scratch for each parameter's update, reused every step. */
    private final Map<String, INDArray> updates = new LinkedHashMap<>();
    private double learningRate;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private long step;

    /**
     * An optimiser for every parameter of {@code ps} (buffers are not trained), with zero moments;
     * {@code beta1}, {@code beta2} and {@code eps} as in PyTorch (defaults there 0.9, 0.999, 1e-8).
     */
    public Adam(ParameterSet ps, double learningRate, double beta1, double beta2, double eps) {
        this.parameters = ps.parameters();
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        parameters.forEach((k, p) -> {
            m.put(k, Nd4j.zerosLike(p.value));
            v.put(k, Nd4j.zerosLike(p.value));
        });
    }

    /** The parameters in the order {@link #step} expects their gradients. */
    public List<Var> parameters() {
        return new ArrayList<>(parameters.values());
    }

    /** One update with gradients given in {@link #parameters()} order. */
    public void step(List<Var> grads) {
        if (grads.size() != parameters.size()) {
            throw new IllegalArgumentException("Adam: expected " + parameters.size() + " gradients, found " + grads.size());
        }
        step++;
        double bc1 = 1 - Math.pow(beta1, step);
        double bc2 = Math.sqrt(1 - Math.pow(beta2, step));
        // ND4J's adam_updater computes m, v in place and u = m·lr·bc2/bc1 / (√v + ε') in one native op
        // (instead of ten). With ε' = ε·bc2 that is lr·(m/bc1) / (√v/bc2 + ε), PyTorch's rule.
        int i = 0;
        for (Map.Entry<String, Var> e : parameters.entrySet()) {
            INDArray g = grads.get(i++).value;
            INDArray p = e.getValue().value;
            INDArray mk = m.get(e.getKey());
            INDArray vk = v.get(e.getKey());
            INDArray update = updates.computeIfAbsent(e.getKey(), k -> Scope.outside(() -> Nd4j.createUninitialized(p.dataType(), p.shape())));
            Nd4j.exec(new AdamUpdater(g, vk, mk, update, vk, mk, learningRate, beta1, beta2, eps * bc2, (int) (step - 1)));
            p.subi(update);
        }
    }

    /** Updates made so far (the bias corrections' t). */
    public long steps() {
        return step;
    }

    /** The current learning rate. */
    public double learningRate() {
        return learningRate;
    }

    /** Changes the learning rate from the next update on (moments are kept). */
    public void learningRate(double lr) {
        this.learningRate = lr;
    }

    /** Copies of the state: {@code <prefix>step}, {@code <prefix>m.<name>}, {@code <prefix>v.<name>}. */
    @Override
    public Map<String, INDArray> state(String prefix) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        out.put(prefix + "step", Nd4j.scalar(step).reshape(1));
        m.forEach((k, a) -> out.put(prefix + "m." + k, a.dup()));
        v.forEach((k, a) -> out.put(prefix + "v." + k, a.dup()));
        return out;
    }

    /** Restores what {@link #state} wrote under {@code prefix}; shapes must match the parameters. */
    @Override
    public void load(Map<String, INDArray> state, String prefix) {
        INDArray s = state.get(prefix + "step");
        if (s == null) {
            throw new IllegalArgumentException("cannot load optimizer state: missing " + prefix + "step");
        }
        for (String k : m.keySet()) {
            for (String which : new String[] {"m.", "v."}) {
                INDArray src = state.get(prefix + which + k);
                INDArray dst = (which.equals("m.") ? m : v).get(k);
                if (src == null || !java.util.Arrays.equals(src.shape(), dst.shape())) {
                    throw new IllegalArgumentException("cannot load optimizer state " + prefix + which + k + ": expected shape "
                            + java.util.Arrays.toString(dst.shape()) + ", found "
                            + (src == null ? "nothing" : java.util.Arrays.toString(src.shape())));
                }
            }
        }
        step = s.getLong(0);
        m.forEach((k, a) -> a.assign(state.get(prefix + "m." + k).castTo(a.dataType())));
        v.forEach((k, a) -> a.assign(state.get(prefix + "v." + k).castTo(a.dataType())));
    }
}

package org.latentmotion.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The named trainable parameters and non-trainable buffers (running statistics) of a network,
 * in creation order, all of one data type. Layers register themselves here under dotted names
 * ({@code "mapper.fc0.weight"}), which are also the keys of saved files. Initial values come from
 * a seeded {@link Random}, so the same seed gives the same network on every platform.
 */
public final class ParameterSet implements Stateful {
    private final DataType dataType;
    private final Random random;
    private final LinkedHashMap<String, Var> parameters = new LinkedHashMap<>();
    private final LinkedHashMap<String, INDArray> buffers = new LinkedHashMap<>();

    /** An empty set whose initial values are drawn from {@code seed}; throws unless the type is FLOAT or DOUBLE. */
    public ParameterSet(DataType dataType, long seed) {
        if (dataType != DataType.FLOAT && dataType != DataType.DOUBLE) {
            throw new IllegalArgumentException("parameters are float32 or float64, found " + dataType);
        }
        this.dataType = dataType;
        this.random = new Random(seed);
    }

    /** The type every parameter and buffer has. */
    public DataType dataType() {
        return dataType;
    }

    /** Registers a parameter; names are unique. */
    public Var parameter(String name, INDArray initial) {
        if (parameters.containsKey(name) || buffers.containsKey(name)) {
            throw new IllegalArgumentException("duplicate parameter name " + name);
        }
        Var v = Var.parameter(initial.castTo(dataType));
        parameters.put(name, v);
        return v;
    }

    /** Registers a buffer (state that is saved but not trained, e.g. running means). */
    public INDArray buffer(String name, INDArray initial) {
        if (parameters.containsKey(name) || buffers.containsKey(name)) {
            throw new IllegalArgumentException("duplicate buffer name " + name);
        }
        INDArray b = initial.castTo(dataType);
        buffers.put(name, b);
        return b;
    }

    /** Uniform in [-bound, bound), from this set's seeded generator. */
    public INDArray uniform(double bound, long... shape) {
        return draw(() -> (2 * random.nextDouble() - 1) * bound, shape);
    }

    /** Normal with mean 0 and standard deviation {@code std}, from this set's seeded generator. */
    public INDArray normal(double std, long... shape) {
        return draw(() -> std * random.nextGaussian(), shape);
    }

    /** An array of {@code shape} filled in C order by {@code next} (called once per element, in order). */
    private INDArray draw(java.util.function.DoubleSupplier next, long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        double[] data = new double[(int) n];
        for (int i = 0; i < n; i++) {
            data[i] = next.getAsDouble();
        }
        return Nd4j.create(data, shape, DataType.DOUBLE).castTo(dataType);
    }

    /** Uniform in [lo, hi), from this set's seeded generator. */
    public double nextUniform(double lo, double hi) {
        return lo + (hi - lo) * random.nextDouble();
    }

    /** An array of {@code shape} filled with {@code value}, in this set's type. */
    public INDArray constant(double value, long... shape) {
        return Nd4j.valueArrayOf(shape, value, dataType);
    }

    /** Parameters by name, in creation order (unmodifiable). */
    public Map<String, Var> parameters() {
        return Collections.unmodifiableMap(parameters);
    }

    /** Buffers by name, in creation order (unmodifiable map; the arrays are live). */
    public Map<String, INDArray> buffers() {
        return Collections.unmodifiableMap(buffers);
    }

    /** The parameters in creation order (the order optimisers and gradients use). */
    public List<Var> parameterList() {
        return new ArrayList<>(parameters.values());
    }

    /** Number of trainable scalars. */
    public long count() {
        long n = 0;
        for (Var v : parameters.values()) {
            n += v.value.length();
        }
        return n;
    }

    /** Copies of all parameters and buffers, keys prefixed. */
    @Override
    public Map<String, INDArray> state(String prefix) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        parameters.forEach((k, v) -> out.put(prefix + k, v.value.dup()));
        buffers.forEach((k, v) -> out.put(prefix + k, v.dup()));
        return out;
    }

    /** Overwrites every parameter and buffer from {@code state} (keys prefixed); checks names and shapes first. */
    @Override
    public void load(Map<String, INDArray> state, String prefix) {
        List<String> problems = new ArrayList<>();
        Map<String, INDArray> all = new LinkedHashMap<>();
        parameters.forEach((k, v) -> all.put(k, v.value));
        all.putAll(buffers);
        all.forEach((k, target) -> {
            INDArray src = state.get(prefix + k);
            if (src == null) {
                problems.add("missing " + prefix + k);
            } else if (!Arrays.equals(src.shape(), target.shape())) {
                problems.add(prefix + k + ": expected shape " + Arrays.toString(target.shape()) + ", found "
                        + Arrays.toString(src.shape()));
            }
        });
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("cannot load parameters: " + String.join("; ", problems));
        }
        all.forEach((k, target) -> target.assign(state.get(prefix + k).castTo(dataType)));
    }

    /** Makes this set's values equal to {@code other}'s (same structure). */
    public void copyFrom(ParameterSet other) {
        load(other.state(""), "");
    }
}

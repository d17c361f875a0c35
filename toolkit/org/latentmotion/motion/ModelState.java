package org.latentmotion.motion;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.latentmotion.nn.Stateful;
import org.latentmotion.wplus.Npz;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The layout of a model's file, declared once: which parts are saved under which prefix —
 * parameters (what {@code parameters()} lists: weights, buffers, data statistics) and optimiser
 * states — and the entries every model file has: the config ({@value ModelFiles#CONFIG}), the step
 * counters ({@value #STEPS}) and the data source ({@value #SOURCE}). Save, load, copy and restore
 * all go through it, so they cannot disagree about what a model's state is.
 */
public final class ModelState {
    /** The entry that holds a model's step counters. */
    public static final String STEPS = "meta.steps";
    /** The entry that holds the name of the data a model was trained on. */
    public static final String SOURCE = "meta.source";

    private final MotionModelConfig config;
    private final int counters;
    private final Map<String, Stateful> parameters = new LinkedHashMap<>();
    private final Map<String, Stateful> optimizers = new LinkedHashMap<>();

    private ModelState(MotionModelConfig config, int counters) {
        this.config = config;
        this.counters = counters;
    }

    /** The layout of a model with {@code config} that counts its training in {@code counters} step counters. */
    public static ModelState of(MotionModelConfig config, int counters) {
        if (counters < 1) {
            throw new IllegalArgumentException("a model keeps at least one step counter, found " + counters);
        }
        return new ModelState(config, counters);
    }

    /** Saves {@code part} under {@code prefix} as parameters (listed by {@link #parameters()}). */
    public ModelState parameters(String prefix, Stateful part) {
        return add(parameters, prefix, part);
    }

    /** Saves {@code part} under {@code prefix} as an optimiser's state (in files, not in {@link #parameters()}). */
    public ModelState optimizer(String prefix, Stateful part) {
        return add(optimizers, prefix, part);
    }

    private ModelState add(Map<String, Stateful> parts, String prefix, Stateful part) {
        if (parameters.containsKey(prefix) || optimizers.containsKey(prefix)) {
            throw new IllegalArgumentException("two parts saved under the prefix '" + prefix + "'");
        }
        parts.put(prefix, part);
        return this;
    }

    /** Copies of every parameter part's arrays by prefixed name. */
    public Map<String, INDArray> parameters() {
        Map<String, INDArray> out = new LinkedHashMap<>();
        parameters.forEach((prefix, part) -> out.putAll(part.state(prefix)));
        return out;
    }

    /** Everything a model file holds: parameters, optimiser states, config, the step counters and the data source. */
    public Map<String, INDArray> write(long[] steps, String source) {
        requireCounters(steps.length, "write");
        Map<String, INDArray> out = parameters();
        optimizers.forEach((prefix, part) -> out.putAll(part.state(prefix)));
        out.put(ModelFiles.CONFIG, Npz.textArray(config.toProperties()));
        out.put(STEPS, Nd4j.createFromArray(steps.clone()));
        out.put(SOURCE, Npz.textArray(source));
        return out;
    }

    /** Overwrites the parameter parts from arrays named as {@link #parameters()} names them (optimisers untouched). */
    public void loadParameters(Map<String, INDArray> in) {
        parameters.forEach((prefix, part) -> part.load(in, prefix));
    }

    /**
     * Overwrites every part from {@code in} (what {@link #write} made) and returns its counters and
     * data source; errors start with {@code what} (a path, "copy", "restore"). Every part is checked
     * by its own {@code load} before it changes, and the counters before any part is loaded, so a
     * file without them leaves the model as it was.
     */
    public Saved read(Map<String, INDArray> in, String what) {
        INDArray st = in.get(STEPS);
        if (st == null || st.length() != counters) {
            throw new IllegalArgumentException(what + ": " + STEPS + " must hold " + counters + " step counter"
                    + (counters == 1 ? "" : "s") + ", found " + (st == null ? "none" : Arrays.toString(st.shape())));
        }
        try {
            loadParameters(in);
            optimizers.forEach((prefix, part) -> part.load(in, prefix));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
        long[] steps = new long[counters];
        for (int i = 0; i < counters; i++) {
            steps[i] = st.getLong(i);
        }
        INDArray src = in.get(SOURCE);
        return new Saved(steps, src == null ? "" : Npz.text(src));
    }

    private void requireCounters(int found, String what) {
        if (found != counters) {
            throw new IllegalArgumentException(what + ": expected " + counters + " step counters, found " + found);
        }
    }

    /** What a model keeps besides its parts: its step counters, in its own order, and the name of its data. */
    public record Saved(long[] steps, String source) {
    }
}

package org.latentmotion.motion;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The figures one training step reports, by name (the names of the model's
 * {@link TrainableMotionModel#figures()}); NaN marks a figure the step did not compute.
 * Immutable: {@link #with} returns a new report.
 *
 * <pre>{@code
 * var report = StepReport.of("reconstruction", 0.42).with("gradNorm", 1.3); // what a step returns
 * }</pre>
 */
public final class StepReport {
    private static final StepReport EMPTY = new StepReport(new LinkedHashMap<>());

    private final Map<String, Double> values;

    private StepReport(Map<String, Double> values) {
        this.values = values;
    }

    /** A report with no figures yet. */
    public static StepReport empty() {
        return EMPTY;
    }

    /** A report of one figure. */
    public static StepReport of(String name, double value) {
        return EMPTY.with(name, value);
    }

    /** This report and {@code name = value}; a name given twice is an error. */
    public StepReport with(String name, double value) {
        Objects.requireNonNull(name, "figure name");
        if (values.containsKey(name)) {
            throw new IllegalArgumentException("step report: figure '" + name + "' given twice");
        }
        Map<String, Double> next = new LinkedHashMap<>(values);
        next.put(name, value);
        return new StepReport(next);
    }

    /** The value of {@code name}; an error naming the figures there are when it is not reported. */
    public double value(String name) {
        Double v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("step report: no figure '" + name + "', found " + values.keySet());
        }
        return v;
    }

    /** Every figure by name, in the order given. */
    public Map<String, Double> values() {
        return Collections.unmodifiableMap(values);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("StepReport[");
        values.forEach((k, v) -> b.append(b.length() > 11 ? ", " : "").append(k).append('=')
                .append(String.format(Locale.ROOT, "%.5g", v)));
        return b.append(']').toString();
    }
}

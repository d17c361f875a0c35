package org.latentmotion.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * One measured figure, as every stage script writes it (see bench/README.md): a stage key shared by the Java
 * and PyTorch measurements of the same work, which implementation, the value with its unit, and the command
 * that reproduces it. A row that could not be measured has {@code value = NaN} and says why in {@code note}.
 */
public final class Row {
    public String key;
    public String stage;
    public String impl;
    public double value = Double.NaN;
    public double error = Double.NaN;
    public String unit;
    public boolean higherIsBetter;
    public List<Double> samples = new ArrayList<>();
    public String command;
    public String note = "";
    /** Floating-point operations of the measured work (FlopCount), for the roofline; null if not counted. */
    public Double flops;

    public static Row measured(String key, String stage, String impl, double value, String unit, boolean higherIsBetter) {
        Row r = new Row();
        r.key = key;
        r.stage = stage;
        r.impl = impl;
        r.value = value;
        r.unit = unit;
        r.higherIsBetter = higherIsBetter;
        return r;
    }

    public static Row notMeasured(String key, String stage, String impl, String unit, String reason) {
        Row r = measured(key, stage, impl, Double.NaN, unit, false);
        r.note = "not measured: " + reason;
        return r;
    }

    public Row error(double e) {
        this.error = e;
        return this;
    }

    public Row command(String c) {
        this.command = c;
        return this;
    }

    public Row note(String n) {
        this.note = n;
        return this;
    }

    public boolean isMeasured() {
        return !Double.isNaN(value);
    }
}

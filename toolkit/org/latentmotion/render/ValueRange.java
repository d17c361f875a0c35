package org.latentmotion.render;

import java.util.Locale;

/** The range of a model's pixel values: [-1, 1] (StyleGAN, pSp) or [0, 1]. */
public enum ValueRange {
    MINUS_ONE_TO_ONE(-1f, 1f, "-1,1"),
    ZERO_TO_ONE(0f, 1f, "0,1");

    /** ONNX metadata key that states the range, e.g. latentmotion.range = "-1,1". */
    public static final String METADATA_KEY = "latentmotion.range";

    private final float low;
    private final float high;
    private final String text;

    ValueRange(float low, float high, String text) {
        this.low = low;
        this.high = high;
        this.text = text;
    }

    public float low() {
        return low;
    }

    public float high() {
        return high;
    }

    /** Parses "-1,1" or "0,1" (spaces and brackets allowed). */
    public static ValueRange parse(String s) {
        String t = s.replaceAll("[\\s\\[\\]()]", "").toLowerCase(Locale.ROOT);
        for (ValueRange r : values()) {
            if (r.text.equals(t) || (r == MINUS_ONE_TO_ONE && t.equals("-1.0,1.0")) || (r == ZERO_TO_ONE && t.equals("0.0,1.0"))) {
                return r;
            }
        }
        throw new IllegalArgumentException("value range: expected \"-1,1\" or \"0,1\", found \"" + s + "\"");
    }

    @Override
    public String toString() {
        return "[" + low + ", " + high + "]";
    }
}

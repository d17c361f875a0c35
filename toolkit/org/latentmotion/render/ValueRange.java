package org.latentmotion.render;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The range of a model's pixel values: [-1, 1] (StyleGAN, pSp), [0, 1], or [0, 255] (models
 * exported with the byte scale folded in). A synthesizer maps its range to 0–255 for pictures
 * (clipping what falls outside); an encoder is fed pixels scaled to its range.
 */
public enum ValueRange {
    MINUS_ONE_TO_ONE(-1f, 1f, "-1,1"),
    ZERO_TO_ONE(0f, 1f, "0,1"),
    ZERO_TO_255(0f, 255f, "0,255");

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

    /** The pixel value of black. */
    public float low() {
        return low;
    }

    /** The pixel value of full intensity (white). */
    public float high() {
        return high;
    }

    /** The metadata value that states this range, e.g. "-1,1". */
    public String metadataValue() {
        return text;
    }

    /** The metadata values understood, for messages: "-1,1", "0,1" or "0,255". */
    static String accepted() {
        return Arrays.stream(values()).map(r -> "\"" + r.text + "\"").collect(Collectors.joining(", ", "", ""))
                .replaceFirst(", (\"[^\"]+\")$", " or $1");
    }

    /** Parses "-1,1", "0,1" or "0,255" (spaces, brackets and ".0" allowed: "[-1.0, 1.0]"). */
    public static ValueRange parse(String s) {
        String t = s.replaceAll("[\\s\\[\\]()]", "").replaceAll("\\.0+(?=,|$)", "").toLowerCase(Locale.ROOT);
        for (ValueRange r : values()) {
            if (r.text.equals(t)) {
                return r;
            }
        }
        throw new IllegalArgumentException("value range: expected " + accepted() + ", found \"" + s + "\"");
    }

    @Override
    public String toString() {
        return "[" + fmt(low) + ", " + fmt(high) + "]";
    }

    private static String fmt(float v) {
        return v == Math.rint(v) ? Integer.toString((int) v) : Float.toString(v);
    }
}

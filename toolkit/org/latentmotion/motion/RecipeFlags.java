package org.latentmotion.motion;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Short named changes to a {@link StyleVideoGanConfig.Builder}, given as text: the recipe experiments of issue 13
 * ({@code TrainerLearnsTest -Dlm.learns.<name>=value}, {@code bench RecipeStepCost batch=32,span=50}) name them so,
 * and every figure they wrote names its command with them, so the names stay as they are.
 *
 * <pre>{@code
 * StyleVideoGanConfig.Builder b = StyleVideoGanConfig.laptop().toBuilder();
 * RecipeFlags.apply(b, "batch", "32");
 * }</pre>
 */
public final class RecipeFlags {
    /**
     * In the order the experiments apply them: the critic's spectral head on or off, the fraction of white noise
     * channels, the gradient angle penalty's weight, learning rates that decay over K steps, the noise's widest
     * smoothing, the critic's width and steps per generator step, the span critic's frames and points and the span's
     * last frames its gradient runs back through, the GRU's update gates started with memory times up to T frames,
     * the batch, the window length, the gradient penalty's weight.
     */
    private static final Map<String, BiConsumer<StyleVideoGanConfig.Builder, String>> SETTERS = setters();

    private RecipeFlags() {}

    private static Map<String, BiConsumer<StyleVideoGanConfig.Builder, String>> setters() {
        Map<String, BiConsumer<StyleVideoGanConfig.Builder, String>> m = new LinkedHashMap<>();
        m.put("spectral", (b, v) -> b.spectralCritic(bool(v)));
        m.put("white", (b, v) -> b.whiteNoise(Double.parseDouble(v)));
        m.put("gap", (b, v) -> b.lambdaGap(Double.parseDouble(v)));
        m.put("decay", (b, v) -> b.decaySteps(Integer.parseInt(v)));
        m.put("smoothing", (b, v) -> b.noiseSmoothing(Double.parseDouble(v)));
        m.put("criticChannels", (b, v) -> b.criticChannels(Integer.parseInt(v)));
        m.put("criticSteps", (b, v) -> b.criticSteps(Integer.parseInt(v)));
        m.put("span", (b, v) -> b.spanFrames(Integer.parseInt(v)));
        m.put("spanPoints", (b, v) -> b.spanPoints(Integer.parseInt(v)));
        m.put("spanBackprop", (b, v) -> b.spanBackpropFrames(Integer.parseInt(v)));
        m.put("gruTimescale", (b, v) -> b.gruTimescale(Double.parseDouble(v)));
        m.put("batch", (b, v) -> b.batch(Integer.parseInt(v)));
        m.put("window", (b, v) -> b.windowLength(Integer.parseInt(v)));
        m.put("gp", (b, v) -> b.lambdaGp(Double.parseDouble(v)));
        return Collections.unmodifiableMap(m);
    }

    /** Every name {@link #apply} knows, in the order above. */
    public static Set<String> names() {
        return SETTERS.keySet();
    }

    /**
     * Sets {@code name} to {@code value} on {@code builder}.
     *
     * @throws IllegalArgumentException for a name not in {@link #names()}, or a value that is not the number or
     *                                  {@code true}/{@code false} the setting takes
     */
    public static StyleVideoGanConfig.Builder apply(StyleVideoGanConfig.Builder builder, String name, String value) {
        BiConsumer<StyleVideoGanConfig.Builder, String> setter = SETTERS.get(name);
        if (setter == null) {
            throw new IllegalArgumentException("unknown recipe setting '" + name + "': expected one of " + names());
        }
        try {
            setter.accept(builder, value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("recipe setting " + name + ": expected a number, found '" + value + "'", e);
        }
        return builder;
    }

    private static boolean bool(String v) {
        if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException("recipe setting spectral: expected true or false, found '" + v + "'");
        }
        return Boolean.parseBoolean(v);
    }
}

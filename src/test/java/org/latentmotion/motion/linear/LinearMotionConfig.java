package org.latentmotion.motion.linear;

import java.util.LinkedHashMap;
import java.util.Map;
import org.latentmotion.motion.MotionModelConfig;

/**
 * Settings of a {@link LinearMotionModel}.
 *
 * @param batch        windows per step
 * @param windowLength frames per window (every window gives t − 1 one-step predictions)
 * @param layers       W+ layers L
 * @param width        W+ width D
 * @param epochs       default passes over the windows
 * @param seed         seed of the initial transition and the trainer's default seed
 * @param learningRate Adam's learning rate
 * @param fps          frames per second of samples
 */
public record LinearMotionConfig(int batch, int windowLength, int layers, int width, int epochs, long seed,
                                 double learningRate, double fps) implements MotionModelConfig {

    /** Checks every setting. */
    public LinearMotionConfig {
        if (batch < 1 || windowLength < 2 || layers < 1 || width < 1 || epochs < 0) {
            throw new IllegalArgumentException("linear motion config: expected batch ≥ 1, windowLength ≥ 2, layers ≥ 1, width ≥ 1,"
                    + " epochs ≥ 0, found " + batch + ", " + windowLength + ", " + layers + ", " + width + ", " + epochs);
        }
        if (!(learningRate > 0) || !(fps > 0)) {
            throw new IllegalArgumentException("linear motion config: expected a positive learning rate and fps, found "
                    + learningRate + ", " + fps);
        }
    }

    @Override
    public String reference() {
        return "a first-order vector autoregression, VAR(1), of standardised W+ codes (Box and Jenkins, Time Series Analysis, 1970)";
    }

    @Override
    public String toProperties() {
        return "batch=" + batch + "\nwindowLength=" + windowLength + "\nlayers=" + layers + "\nwidth=" + width + "\nepochs="
                + epochs + "\nseed=" + seed + "\nlearningRate=" + learningRate + "\nfps=" + fps;
    }

    /** Reads {@link #toProperties()}; a missing or unknown name is an error naming it. */
    public static LinearMotionConfig parse(String properties) {
        Map<String, String> in = new LinkedHashMap<>();
        for (String line : properties.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                in.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        try {
            LinearMotionConfig c = new LinearMotionConfig(Integer.parseInt(need(in, "batch")),
                    Integer.parseInt(need(in, "windowLength")), Integer.parseInt(need(in, "layers")),
                    Integer.parseInt(need(in, "width")), Integer.parseInt(need(in, "epochs")), Long.parseLong(need(in, "seed")),
                    Double.parseDouble(need(in, "learningRate")), Double.parseDouble(need(in, "fps")));
            if (!in.isEmpty()) {
                throw new IllegalArgumentException("linear motion config: unknown names " + in.keySet());
            }
            return c;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("linear motion config: " + e.getMessage(), e);
        }
    }

    private static String need(Map<String, String> in, String name) {
        String v = in.remove(name);
        if (v == null) {
            throw new IllegalArgumentException("linear motion config: missing " + name);
        }
        return v;
    }
}

package org.latentmotion.motion;

import java.util.Arrays;
import java.util.List;
import org.latentmotion.nn.Var;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The input checks every motion model shares (the zoo's packages too): messages say what was
 * expected and what was found. They copy nothing: a check that casts a batch to float64 makes a
 * buffer of twice its size per training step, which only the garbage collector frees.
 */
public final class Checks {
    private Checks() {
    }

    /**
     * Throws unless every value of {@code a} is finite. One reduction, no copy: the sum of finite
     * values is finite at W+ magnitudes, and one NaN or infinity makes the sum NaN or infinite.
     */
    public static void requireFinite(INDArray a, String what) {
        double s = a.sumNumber().doubleValue();
        if (!Double.isFinite(s)) {
            throw new IllegalArgumentException(what + ": expected finite values, found NaN or infinity");
        }
    }

    /** Throws unless {@code windows} is [B ≥ minBatch, t, L, D] for {@code config}; the message starts with {@code what}. */
    static void requireWindows(StyleVideoGanConfig config, String what, INDArray windows, int minBatch) {
        int t = config.windowLength();
        if (windows == null || windows.rank() != 4 || windows.size(1) != t || windows.size(2) != config.layers()
                || windows.size(3) != config.width() || windows.size(0) < minBatch) {
            throw new IllegalArgumentException(what + " [B" + (minBatch > 1 ? " ≥ " + minBatch : "") + ", " + t + ", "
                    + config.layers() + ", " + config.width() + "], found "
                    + (windows == null ? "null" : Arrays.toString(windows.shape())));
        }
    }

    /**
     * True when every gradient is finite (a step with a NaN or infinite gradient changes nothing);
     * null entries (parameters a loss does not reach) count as finite.
     */
    public static boolean allFinite(List<Var> grads) {
        for (Var g : grads) {
            if (g != null && !Double.isFinite(g.value().sumNumber().doubleValue())) {
                return false;
            }
        }
        return true;
    }
}

package org.latentmotion.motion.styleinv;

import java.util.Arrays;
import java.util.Random;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What one generated batch is drawn from: the time stamps of its frames (frame 0 first), the motion
 * codes (one every Δ frames, anchor 0 unused: the model's constant takes its place) and the phases
 * of the positional encoding. Everything random about a sample is here, so the same draw gives the
 * same frames.
 *
 * @param times       per clip, its frames' time stamps [B][n], starting with 0, increasing
 * @param motionCodes motion codes [B, J, m] ~ N(0, I), J = (latest time) / Δ + 2
 * @param phases      phases of the positional encoding [B, F], uniform in [0, 2π)
 */
record MotionDraw(int[][] times, INDArray motionCodes, INDArray phases) {

    MotionDraw {
        for (int[] t : times) {
            if (t.length < 1 || t[0] != 0) {
                throw new IllegalArgumentException("time stamps must start at frame 0, found " + Arrays.toString(t));
            }
            for (int i = 1; i < t.length; i++) {
                if (t[i] <= t[i - 1]) {
                    throw new IllegalArgumentException("time stamps must increase, found " + Arrays.toString(t));
                }
            }
        }
    }

    /** Clips B. */
    int clips() {
        return times.length;
    }

    /** Frames per clip n. */
    int frames() {
        return times[0].length;
    }

    /**
     * Frame 0 and {@code sparse} distinct later frames in 1 … {@code maxSpan} per clip (the paper's
     * sparse sampling), motion codes and phases, all from {@code random}.
     */
    static MotionDraw sparse(Random random, int clips, int sparse, int maxSpan, StyleInVConfig c, DataType dtype) {
        int[][] times = new int[clips][];
        for (int b = 0; b < clips; b++) {
            int[] pool = new int[maxSpan];
            for (int i = 0; i < maxSpan; i++) {
                pool[i] = i + 1;
            }
            for (int i = 0; i < sparse; i++) { // partial Fisher–Yates
                int j = i + random.nextInt(maxSpan - i);
                int tmp = pool[i];
                pool[i] = pool[j];
                pool[j] = tmp;
            }
            int[] t = new int[sparse + 1];
            System.arraycopy(pool, 0, t, 1, sparse);
            Arrays.sort(t);
            times[b] = t;
        }
        return codes(random, times, maxSpan, c, dtype);
    }

    /** Every frame 0 … length − 1 of one clip. */
    static MotionDraw consecutive(Random random, int length, StyleInVConfig c, DataType dtype) {
        int[] t = new int[length];
        for (int i = 0; i < length; i++) {
            t[i] = i;
        }
        return codes(random, new int[][] {t}, length - 1, c, dtype);
    }

    private static MotionDraw codes(Random random, int[][] times, int latest, StyleInVConfig c, DataType dtype) {
        int anchors = latest / c.motionDistance() + 2;
        INDArray z = Nd4j.create(dtype, times.length, anchors, c.motionDim());
        for (long k = 0; k < z.length(); k++) {
            z.putScalar(k, random.nextGaussian());
        }
        INDArray phases = Nd4j.create(dtype, times.length, c.frequencies());
        for (long k = 0; k < phases.length(); k++) {
            phases.putScalar(k, 2 * Math.PI * random.nextDouble());
        }
        return new MotionDraw(times, z, phases);
    }
}

package org.latentmotion.motion.styleganv;

import java.util.Arrays;
import java.util.Random;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What one training batch draws, made explicit so a second implementation can be fed the same:
 * per clip n real frames of its window (sorted, distinct), the time offset τ of the fake clip in
 * the motion signal, and the motion codes around it.
 *
 * @param codes  motion codes [B, M, U], row 0 of clip b being code number {@code first[b]}
 * @param first  per clip, the number of its first motion code: ⌊τ/δ⌋
 * @param times  per clip n + 1 times of the motion signal, frames: τ (the anchor, the window's first frame) and τ + f_i
 * @param frames per clip the n frames f_i of the real window the critic sees, increasing
 * @param gaps   per clip the n − 1 gaps f_{i+1} − f_i
 */
record ClipDraw(INDArray codes, int[] first, double[] times, int[] frames, int[] gaps) {

    /**
     * Draws for {@code b} clips: the frames are n distinct frames of a stretch of
     * min(maxGap, t − 1) + 1 frames that starts uniformly in the window, τ is uniform in
     * [0, maxTimeOffset), the codes standard normal.
     */
    static ClipDraw draw(StyleGanVConfig c, Random random, int b, DataType dtype) {
        int n = c.framesPerClip();
        int t = c.windowLength();
        int span = Math.min(c.maxGap(), t - 1);
        int[] first = new int[b];
        double[] times = new double[b * (n + 1)];
        int[] frames = new int[b * n];
        int[] gaps = new int[b * (n - 1)];
        int[] pool = new int[span + 1];
        for (int clip = 0; clip < b; clip++) {
            int start = random.nextInt(t - span);
            for (int i = 0; i <= span; i++) {
                pool[i] = start + i;
            }
            for (int i = 0; i < n; i++) { // a partial Fisher–Yates shuffle: n distinct frames
                int j = i + random.nextInt(span + 1 - i);
                int swap = pool[i];
                pool[i] = pool[j];
                pool[j] = swap;
            }
            int[] picked = Arrays.copyOf(pool, n);
            Arrays.sort(picked);
            double tau = random.nextDouble() * c.maxTimeOffset();
            first[clip] = (int) Math.floor(tau / c.codeDistance());
            times[clip * (n + 1)] = tau;
            for (int i = 0; i < n; i++) {
                frames[clip * n + i] = picked[i];
                times[clip * (n + 1) + i + 1] = tau + picked[i];
                if (i > 0) {
                    gaps[clip * (n - 1) + i - 1] = picked[i] - picked[i - 1];
                }
            }
        }
        int m = codesPerClip(c);
        INDArray codes = Nd4j.create(dtype, b, m, c.motionDim());
        long len = codes.length();
        for (long k = 0; k < len; k++) {
            codes.putScalar(k, random.nextGaussian());
        }
        return new ClipDraw(codes, first, times, frames, gaps);
    }

    /** Motion codes a training clip needs: conv outputs for ⌊(t − 1)/δ⌋ + 3 knots plus what the convolutions eat. */
    static int codesPerClip(StyleGanVConfig c) {
        return (c.windowLength() - 1) / c.codeDistance() + 3 + c.extraCodes();
    }
}

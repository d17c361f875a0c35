package org.latentmotion.motion;

import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The random numbers a model draws: first latents, per-step noise, where a training window starts
 * in its sequence, interpolation weights. Drawn in float64 from {@link Random} in a fixed order and
 * cast to the model's type, so a seed gives the same step on every machine and in both precisions.
 */
final class StepDraws {
    private final StyleVideoGanConfig config;
    private final StepNoise stepNoise;
    private final DataType dtype;

    StepDraws(StyleVideoGanConfig config, StepNoise stepNoise, DataType dtype) {
        this.config = config;
        this.stepNoise = stepNoise;
        this.dtype = dtype;
    }

    /** Standard normal [rows, cols]. */
    INDArray gaussian(Random random, long rows, long cols) {
        double[] d = new double[(int) (rows * cols)];
        for (int k = 0; k < d.length; k++) {
            d[k] = random.nextGaussian();
        }
        return Nd4j.create(d, new long[] {rows, cols}, DataType.DOUBLE).castTo(dtype);
    }

    /** Uniform in [0, 1), [n]. */
    INDArray uniform(Random random, long n) {
        double[] d = new double[(int) n];
        for (int k = 0; k < d.length; k++) {
            d[k] = random.nextDouble();
        }
        return Nd4j.create(d, new long[] {n}, DataType.DOUBLE).castTo(dtype);
    }

    /** The per-step noise of {@code rows} sequences of {@code steps} steps [rows, steps·latent]. */
    INDArray noise(Random random, int rows, int steps) {
        return stepNoise.draw(random, rows, steps, dtype);
    }

    /** A training window's white noise, drawn before anything else of its sequence; null when the noise is smoothed. */
    INDArray whiteWindow(Random random, int rows) {
        return stepNoise.white() ? gaussian(random, rows, (long) (config.windowLength() - 1) * config.latentDim()) : null;
    }

    /**
     * Where this step's windows start in their sequences: frame 0 (the paper, and always without a
     * training horizon H); with one, frame 0 in half the steps and otherwise uniformly 1 … H − t,
     * so the critic also judges frames long after the start. Draws nothing without a horizon, so
     * those models' steps see the same random numbers as before it existed. Starts spread evenly over
     * 0 … H − t instead (issue 13, {@code laptop()}, seeds 1 and 2) kept the spread of the head across
     * samples the same from frame 0 to 499, but each sample's head held still: sway within 20 s 0.10 and
     * 0.43 of the data's, against 0.81 and 0.39 with half the windows at frame 0.
     */
    int windowStart(Random random) {
        int horizon = config.trainingHorizon();
        int t = config.windowLength();
        if (horizon <= t || random.nextBoolean()) {
            return 0;
        }
        return 1 + random.nextInt(horizon - t);
    }

    /**
     * The span critic's frame offsets in a span of S frames: 0, S − 1 and K − 2 distinct frames
     * between them, increasing; one pattern for the whole batch, fakes and reals alike.
     */
    int[] spanOffsets(Random random) {
        int span = config.spanFrames();
        int k = config.spanPoints();
        int[] pool = new int[span - 2];
        for (int j = 0; j < pool.length; j++) {
            pool[j] = j + 1;
        }
        int[] offsets = new int[k];
        for (int j = 0; j < k - 2; j++) { // a partial Fisher–Yates shuffle: K − 2 distinct inner frames
            int pick = j + random.nextInt(pool.length - j);
            int swap = pool[j];
            pool[j] = pool[pick];
            pool[pick] = swap;
            offsets[j + 1] = pool[j];
        }
        offsets[k - 1] = span - 1;
        java.util.Arrays.sort(offsets);
        return offsets;
    }

    /**
     * Where a generated span starts in its sequence: uniformly in 0 … H − S with a training horizon
     * H (so spans cover the frames the windows do), else 0.
     */
    int spanStart(Random random) {
        int room = config.trainingHorizon() - config.spanFrames();
        return room > 0 ? random.nextInt(room + 1) : 0;
    }

    /** The noise of {@code rows} sequences that run {@code start} steps, then a span's S − 1: before (null at 0) and span. */
    SequenceNoise spanNoise(Random random, int rows, int start) {
        int steps = config.spanFrames() - 1;
        INDArray all = noise(random, rows, start + steps);
        return split(all, start);
    }

    /** A training window's noise and, when it starts at frame start &gt; 0, the noise of the steps before it. */
    record SequenceNoise(INDArray before, INDArray window) {
    }

    /**
     * The noise of a training window starting at {@code start}: with white noise, {@code whiteWindow}
     * (drawn by the caller where earlier versions drew it, so a seed gives the same step as before)
     * and fresh noise before it; with smooth noise, one sequence of start + t − 1 steps, split, so the
     * window continues what came before it.
     */
    SequenceNoise sequence(Random random, int rows, int start, INDArray whiteWindow) {
        int lat = config.latentDim();
        if (whiteWindow != null) {
            return new SequenceNoise(start == 0 ? null : gaussian(random, rows, (long) start * lat), whiteWindow);
        }
        int steps = config.windowLength() - 1;
        return split(noise(random, rows, start + steps), start);
    }

    /** One sequence's noise [rows, steps·latent] split after {@code start} steps (before: null at 0). */
    private SequenceNoise split(INDArray all, int start) {
        if (start == 0) {
            return new SequenceNoise(null, all);
        }
        long at = (long) start * config.latentDim();
        return new SequenceNoise(all.get(NDArrayIndex.all(), NDArrayIndex.interval(0, at)).dup('c'),
                all.get(NDArrayIndex.all(), NDArrayIndex.interval(at, all.size(1))).dup('c'));
    }
}

package org.latentmotion.motion;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What the {@link Trainer} hands a model for one training step: the step's number and seed, and
 * the real batches the model asked for ({@link TrainableMotionModel#batchesPerStep()}), each with
 * its own seed. Every seed is derived from (trainer seed, what it is for, its number), so a
 * resumed run draws exactly what the uninterrupted run would have.
 *
 * <p>A batch's windows are read when first asked for and freed by {@link Batch#release()} or,
 * at the latest, when the step returns: a model that uses its batches one after another (a GAN's
 * critic steps) holds one batch in memory at a time.
 */
public final class TrainingStep {
    private final long index;
    private final long seed;
    private final List<Batch> batches;

    TrainingStep(long index, long seed, List<Batch> batches) {
        this.index = index;
        this.seed = seed;
        this.batches = List.copyOf(batches);
    }

    /** The step's number in the run, from 0 (a model with stages picks its stage from it). */
    public long index() {
        return index;
    }

    /** The seed of this step's own draws (a GAN's generator noise). */
    public long seed() {
        return seed;
    }

    /**
     * The real batches of this step, in order: {@link TrainableMotionModel#batchesPerStep()} of them,
     * except in the first step after resuming a checkpoint that a trainer before the training
     * contract wrote between two critic steps, which gets only the ones that step still owed.
     */
    public List<Batch> batches() {
        return batches;
    }

    /** Batch {@code k} of this step (0-based), with a message naming the count when out of range. */
    public Batch batch(int k) {
        if (k < 0 || k >= batches.size()) {
            throw new IndexOutOfBoundsException("training step " + index + ": batch " + k + " asked for, the step has "
                    + batches.size());
        }
        return batches.get(k);
    }

    /** Frees every batch's windows (the trainer calls it when the step returns). */
    void releaseAll() {
        for (Batch b : batches) {
            b.release();
        }
    }

    @Override
    public String toString() {
        return "TrainingStep " + index + " (seed " + seed + ", " + batches.size() + " real batches)";
    }

    /** One real batch of windows [B, t, L, D] float32, its number in the run and its seed. */
    public static final class Batch {
        private final long index;
        private final long seed;
        private final int[] windowIndices;
        private final Supplier<INDArray> read;
        private INDArray windows;

        Batch(long index, long seed, int[] windowIndices, Supplier<INDArray> read) {
            this.index = index;
            this.seed = seed;
            this.windowIndices = Objects.requireNonNull(windowIndices, "windowIndices").clone();
            this.read = Objects.requireNonNull(read, "read");
        }

        /** The batch's number among all real batches of the run, from 0 (for StyleVideoGan: the critic step). */
        public long index() {
            return index;
        }

        /** The seed of the draws that go with this batch (a critic step's fakes and interpolation weights). */
        public long seed() {
            return seed;
        }

        /**
         * Which training windows the batch holds, in its order: row b of {@link #windows()} is window
         * {@code windowIndices()[b]} of the trainer's {@link org.latentmotion.wplus.Windows} (see
         * {@link org.latentmotion.wplus.Windows#position(int)}), so a model can look up what it keeps
         * per frame, e.g. the key points a StyleFaceV-style model learns its pose from. A copy.
         */
        public int[] windowIndices() {
            return windowIndices.clone();
        }

        /** The windows [B, t, L, D], read on first use; do not keep them past {@link #release()}. */
        public INDArray windows() {
            if (windows == null) {
                windows = read.get();
            }
            return windows;
        }

        /** Frees the windows now (a later {@link #windows()} reads them again). */
        public void release() {
            if (windows != null) {
                if (!windows.wasClosed()) {
                    windows.close();
                }
                windows = null;
            }
        }

        @Override
        public String toString() {
            return "Batch " + index + " (seed " + seed + ")";
        }
    }
}

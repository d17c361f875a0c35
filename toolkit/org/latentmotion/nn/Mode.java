package org.latentmotion.nn;

/**
 * How layers with batch statistics behave in one forward pass: {@code training} normalises with
 * the batch; {@code updateStatistics} also moves the running statistics (off for gradient checks
 * and for re-evaluations of the same batch).
 */
public record Mode(boolean training, boolean updateStatistics) {
    public static final Mode TRAIN = new Mode(true, true);
    public static final Mode TRAIN_FROZEN = new Mode(true, false);
    public static final Mode EVAL = new Mode(false, false);
}

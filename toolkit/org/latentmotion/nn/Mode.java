package org.latentmotion.nn;

/**
 * How layers with batch statistics behave in one forward pass: {@code training} normalises with
 * the batch; {@code updateStatistics} also moves the running statistics, by
 * {@code statisticsMomentum} (off for gradient checks and for re-evaluations of the same batch).
 */
public record Mode(boolean training, boolean updateStatistics, double statisticsMomentum) {
    public static final Mode TRAIN = new Mode(true, true, BatchNorm.MOMENTUM);
    public static final Mode TRAIN_FROZEN = new Mode(true, false, 0);
    public static final Mode EVAL = new Mode(false, false, 0);
    /**
     * Training-mode normalisation whose batch statistics replace the running ones (momentum 1):
     * one large batch re-estimates them for weights that were never trained as such, e.g. a
     * weight average (SWA's {@code update_bn}).
     */
    public static final Mode CALIBRATE = new Mode(true, true, 1.0);

    public Mode {
        if (!(statisticsMomentum >= 0 && statisticsMomentum <= 1)) {
            throw new IllegalArgumentException("statistics momentum must be in [0, 1], found " + statisticsMomentum);
        }
    }
}

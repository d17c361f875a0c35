package org.latentmotion.motion.mocogan;

import java.util.Locale;

/**
 * Figures of one training step of {@link MoCoGanHd} (NaN where the step does not compute them: a
 * critic step has no generator loss and no mutual-information term, a generator step no penalty).
 * Its own record, not {@code motion.StepStats}: that one's finiteness check requires the gradient
 * angle penalty's angle, which MoCoGAN-HD does not have, and it has no place for the
 * mutual-information term, which MoCoGAN-HD's generator loss has.
 *
 * @param criticLoss        the relativistic LSGAN loss of the critic + λ_GP·GP
 * @param generatorLoss     the relativistic LSGAN loss of the generator + λ_MI·(−mean cos)
 * @param adversarial       the relativistic LSGAN part of the step's loss
 * @param gradientPenalty   GP, averaged over the critic's scales
 * @param mutualInformation −mean cos(ε̂_t, ε_t): −1 when the LSTM's states give back the noise exactly
 * @param scoreGap          mean D(real) − mean D(fake), averaged over scales (critic steps)
 */
public record MoCoGanStepStats(double criticLoss, double generatorLoss, double adversarial, double gradientPenalty,
                               double mutualInformation, double scoreGap) {

    /** True if every figure the step computed is finite. */
    public boolean isFinite(boolean criticStep) {
        if (criticStep) {
            return Double.isFinite(criticLoss) && Double.isFinite(adversarial) && Double.isFinite(gradientPenalty);
        }
        return Double.isFinite(generatorLoss) && Double.isFinite(adversarial) && Double.isFinite(mutualInformation);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("MoCoGanStepStats[");
        String[] names = {"criticLoss", "generatorLoss", "adversarial", "gradientPenalty", "mutualInformation", "scoreGap"};
        double[] values = {criticLoss, generatorLoss, adversarial, gradientPenalty, mutualInformation, scoreGap};
        String sep = "";
        for (int i = 0; i < names.length; i++) {
            if (!Double.isNaN(values[i])) {
                b.append(sep).append(names[i]).append('=').append(String.format(Locale.ROOT, "%.5g", values[i]));
                sep = ", ";
            }
        }
        return b.append(']').toString();
    }
}

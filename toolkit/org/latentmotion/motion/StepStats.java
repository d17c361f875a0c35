package org.latentmotion.motion;

/**
 * Figures of one training step of {@link StyleVideoGan} (NaN where the step does not compute
 * them: a critic step has no generator loss and no angle, a generator step no gradient penalty).
 *
 * @param criticLoss      mean D(fake) − mean D(real) + λ_GP·GP
 * @param generatorLoss   −mean D(fake) + λ_GAP·L_GAP
 * @param wasserstein     mean D(real) − mean D(fake), the critic's Wasserstein estimate
 * @param gradientPenalty GP = mean (‖∇ D(x̂)‖ − 1)² at the interpolates x̂
 * @param angleLoss       L_GAP = mean (max(0, π/4 − φ))²
 * @param angle           mean φ = atan(‖∂d/∂s‖ / ‖∂d/∂i‖) over the batch, radians
 * @param gradNormS       mean ‖∂d/∂s‖ over the batch
 * @param gradNormI       mean ‖∂d/∂i‖ over the batch
 */
public record StepStats(double criticLoss, double generatorLoss, double wasserstein, double gradientPenalty,
                        double angleLoss, double angle, double gradNormS, double gradNormI) {

    /** True if every figure the step computed is finite (NaN marks "not computed" only if the step never sets it). */
    public boolean isFinite(boolean criticStep) {
        if (criticStep) {
            return Double.isFinite(criticLoss) && Double.isFinite(wasserstein) && Double.isFinite(gradientPenalty);
        }
        return Double.isFinite(generatorLoss) && Double.isFinite(angleLoss) && Double.isFinite(angle);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("StepStats[");
        append(b, "criticLoss", criticLoss);
        append(b, "generatorLoss", generatorLoss);
        append(b, "wasserstein", wasserstein);
        append(b, "gradientPenalty", gradientPenalty);
        append(b, "angleLoss", angleLoss);
        append(b, "angle", angle);
        append(b, "gradNormS", gradNormS);
        append(b, "gradNormI", gradNormI);
        if (b.charAt(b.length() - 1) == ' ') {
            b.setLength(b.length() - 2);
        }
        return b.append(']').toString();
    }

    private static void append(StringBuilder b, String name, double v) {
        if (!Double.isNaN(v)) {
            b.append(name).append('=').append(String.format("%.5g", v)).append(", ");
        }
    }
}

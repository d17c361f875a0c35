package org.latentmotion.motion;

import java.util.List;

/**
 * Figures of one critic or generator step of a GAN such as {@link StyleVideoGan} (NaN where the
 * step does not compute them: a critic step has no generator loss and no angle, a generator step
 * no gradient penalty). {@link #report} turns a training step's critic and generator figures
 * into the {@link StepReport} the trainer records.
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

    /**
     * The report of a GAN's training step (its critic steps, then a generator step) for the
     * {@code figures} the model declares, named as the history names them: {@code critic},
     * {@code wasserstein}, {@code gp} (means over {@code critic}, NaN when there were none),
     * {@code generator}, {@code gap}, {@code angle}, {@code gradNormS}, {@code gradNormI} (from
     * {@code generator}).
     *
     * @throws IllegalArgumentException naming a declared figure that is none of these
     */
    public static StepReport report(List<Figure> figures, List<StepStats> critic, StepStats generator) {
        StepReport r = StepReport.empty();
        for (Figure f : figures) {
            double v = switch (f.name()) {
                case "critic" -> mean(critic, StepStats::criticLoss);
                case "wasserstein" -> mean(critic, StepStats::wasserstein);
                case "gp" -> mean(critic, StepStats::gradientPenalty);
                case "generator" -> generator.generatorLoss();
                case "gap" -> generator.angleLoss();
                case "angle" -> generator.angle();
                case "gradNormS" -> generator.gradNormS();
                case "gradNormI" -> generator.gradNormI();
                default -> throw new IllegalArgumentException("step stats: no figure '" + f.name() + "'; expected critic,"
                        + " wasserstein, gp, generator, gap, angle, gradNormS or gradNormI");
            };
            r = r.with(f.name(), v);
        }
        return r;
    }

    /** The mean in order of the steps (a running sum, then one division), NaN for no steps. */
    private static double mean(List<StepStats> steps, java.util.function.ToDoubleFunction<StepStats> figure) {
        double sum = 0;
        for (StepStats s : steps) {
            sum += figure.applyAsDouble(s);
        }
        return steps.isEmpty() ? Double.NaN : sum / steps.size();
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

package org.latentmotion.motion;

import java.util.Objects;

/**
 * One number a model reports at every training step (see {@link TrainableMotionModel#figures()}):
 * its column in the {@link TrainingHistory}, the legend label and chart it is drawn on, and
 * whether the {@link Trainer} watches it (a watched figure that becomes NaN, infinite or larger
 * in magnitude than the divergence limit stops the run and restores the last good state).
 *
 * <pre>{@code
 * var figures = List.of(
 *         Figure.loss("reconstruction"),             // watched, on the Losses chart
 *         Figure.shown("gp", "GP", "Penalties"),     // drawn on its own chart, not watched
 *         Figure.recorded("gradNorm"));              // in the history only
 * }</pre>
 *
 * @param name    the history column (letters, digits, '_', ' ' or '.'; no comma: checkpoints store it in CSV)
 * @param label   the legend label on charts
 * @param chart   the title of the chart it is drawn on; empty: not drawn
 * @param watched whether a bad value stops the run
 */
public record Figure(String name, String label, String chart, boolean watched) {

    /** The chart losses are drawn on. */
    public static final String LOSSES = "Losses";

    /** Checks the name (it becomes a CSV column and a table column). */
    public Figure {
        Objects.requireNonNull(name, "figure name");
        Objects.requireNonNull(label, "figure label");
        Objects.requireNonNull(chart, "figure chart");
        if (name.isBlank() || !name.matches("[\\p{L}\\p{N}_ .-]+")) {
            throw new IllegalArgumentException("figure name: expected letters, digits, '_', '-', '.' or spaces, found '"
                    + name + "'");
        }
        if (name.equals("step") || name.equals("epoch") || name.equals("seconds")) {
            throw new IllegalArgumentException("figure name: '" + name + "' is a column the trainer writes itself");
        }
    }

    /** A loss: watched, drawn on the {@value #LOSSES} chart under its name. */
    public static Figure loss(String name) {
        return new Figure(name, name, LOSSES, true);
    }

    /** A figure drawn on {@code chart} as {@code label}, not watched (an estimate, a penalty, an angle). */
    public static Figure shown(String name, String label, String chart) {
        return new Figure(name, label, chart, false);
    }

    /** A figure kept in the history only (a gradient norm, say). */
    public static Figure recorded(String name) {
        return new Figure(name, name, "", false);
    }

    /** True if some chart draws it. */
    public boolean drawn() {
        return !chart.isEmpty();
    }
}

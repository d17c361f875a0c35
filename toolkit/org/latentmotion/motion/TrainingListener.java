package org.latentmotion.motion;

/**
 * Hears a {@link Trainer} run: once at the start, after every training step (with the figures
 * the model reported for it; for StyleVideoGan a step is a generator step and its critic steps),
 * and once at the end however the run ended. Called on the training thread, so a
 * listener may stop the run by interrupting it ({@code Thread.currentThread().interrupt()}).
 */
public interface TrainingListener {

    /** Before the first step; {@code plannedSteps} counts the training steps of the whole run. */
    default void started(TrainingHistory history, long plannedSteps) {
    }

    /** After training step {@code step.step()} (not after a step whose watched figure diverged). */
    void step(TrainingHistory.Step step, TrainingHistory history);

    /** After the last step, with {@link TrainingHistory#outcome()} set. */
    default void finished(TrainingHistory history) {
    }
}

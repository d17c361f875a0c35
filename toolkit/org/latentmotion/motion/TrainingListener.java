package org.latentmotion.motion;

/**
 * Hears a {@link Trainer} run: once at the start, after every generator step (with that step's
 * figures), and once at the end however the run ended. Called on the training thread, so a
 * listener may stop the run by interrupting it ({@code Thread.currentThread().interrupt()}).
 */
public interface TrainingListener {

    /** Before the first step; {@code plannedSteps} counts generator steps of the whole run. */
    default void started(TrainingHistory history, long plannedSteps) {
    }

    /** After generator step {@code step.step()} and its critic steps. */
    void step(TrainingHistory.Step step, TrainingHistory history);

    /** After the last step, with {@link TrainingHistory#outcome()} set. */
    default void finished(TrainingHistory history) {
    }
}

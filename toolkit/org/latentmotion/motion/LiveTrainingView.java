package org.latentmotion.motion;

/**
 * How a {@link Trainer} shows a run live when a notebook is attached: a progress bar and loss
 * curves redrawn in place. The presentation layer provides one (found with
 * {@link java.util.ServiceLoader}), so this package knows nothing of notebooks; without a
 * provider a run is simply not shown.
 */
public interface LiveTrainingView {

    /** Whether a notebook front end is attached (a trainer then shows itself unless told {@code live(false)}). */
    boolean interactive();

    /** A listener that shows one run under {@code title}. */
    TrainingListener open(String title);
}

package org.latentmotion.display;

import org.latentmotion.motion.LiveTrainingDisplay;
import org.latentmotion.motion.LiveTrainingView;
import org.latentmotion.motion.TrainingListener;

/**
 * The live view a {@code Trainer} shows in a notebook (registered for {@link java.util.ServiceLoader}
 * in {@code META-INF/services}): shown when the current display sink is interactive.
 */
public final class NotebookTrainingView implements LiveTrainingView {

    @Override
    public boolean interactive() {
        return Notebook.sink().isInteractive();
    }

    @Override
    public TrainingListener open(String title) {
        return new LiveTrainingDisplay(title);
    }
}

package org.latentmotion.motion;

import org.latentmotion.progress.LiveChart;
import org.latentmotion.progress.Progress;

/**
 * The listener a {@link Trainer} adds when someone watches: a progress count and two live charts
 * — the losses (critic, generator, Wasserstein estimate) and the regularisers (gradient penalty,
 * gradient angle penalty, angle φ in radians). It reports through {@link Progress} and
 * {@link LiveChart}, so in a notebook the display layer draws a progress bar with rate and ETA and
 * two plots redrawn in place; elsewhere the reports are counted and dropped.
 */
public final class LiveTrainingDisplay implements TrainingListener {
    private final String label;
    private Progress bar;
    private LiveChart losses;
    private LiveChart regularisers;

    /** A display whose progress bar carries {@code label}; bar and charts are created when training starts. */
    public LiveTrainingDisplay(String label) {
        this.label = label;
    }

    @Override
    public void started(TrainingHistory history, long plannedSteps) {
        bar = Progress.start(label, plannedSteps);
        bar.step(history.size());
        losses = LiveChart.create("StyleVideoGAN losses", "generator step", "loss");
        regularisers = LiveChart.create("GP, GAP and the gradient angle φ", "generator step", "value");
        for (TrainingHistory.Step s : history.steps()) { // a resumed run shows its past too
            add(s);
        }
        losses.refresh();
        regularisers.refresh();
    }

    @Override
    public void step(TrainingHistory.Step s, TrainingHistory history) {
        add(s);
        bar.step(history.size());
        losses.refresh();
        regularisers.refresh();
    }

    private void add(TrainingHistory.Step s) {
        losses.add("critic", s.step(), s.criticLoss());
        losses.add("generator", s.step(), s.generatorLoss());
        losses.add("wasserstein", s.step(), s.wasserstein());
        regularisers.add("GP", s.step(), s.gradientPenalty());
        regularisers.add("GAP", s.step(), s.angleLoss());
        regularisers.add("angle φ (rad)", s.step(), s.angle());
    }

    @Override
    public void finished(TrainingHistory history) {
        if (bar != null) {
            bar.finish();
            losses.finish();
            regularisers.finish();
        }
    }

    /** The loss chart (for tests and for showing again). */
    public LiveChart losses() {
        return losses;
    }

    /** The regulariser chart (gradient penalty, GAP, angle φ), or null before training has started. */
    public LiveChart regularisers() {
        return regularisers;
    }

    /** The progress count over the planned steps, or null before training has started. */
    public Progress progress() {
        return bar;
    }
}

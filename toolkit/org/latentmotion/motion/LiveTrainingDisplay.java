package org.latentmotion.motion;

import org.latentmotion.display.LivePlot;
import org.latentmotion.display.ProgressBar;

/**
 * The listener a {@link Trainer} adds in a notebook: a progress bar with rate and ETA and two
 * live plots redrawn in place — the losses (critic, generator, Wasserstein estimate) and the
 * regularisers (gradient penalty, gradient angle penalty, angle φ in radians). Outside a
 * notebook the display layer discards the updates, so this costs next to nothing.
 */
public final class LiveTrainingDisplay implements TrainingListener {
    private final String label;
    private ProgressBar bar;
    private LivePlot losses;
    private LivePlot regularisers;

    public LiveTrainingDisplay(String label) {
        this.label = label;
    }

    @Override
    public void started(TrainingHistory history, long plannedSteps) {
        bar = ProgressBar.start(label, plannedSteps);
        bar.step(history.size());
        losses = LivePlot.create("StyleVideoGAN losses", "generator step", "loss");
        regularisers = LivePlot.create("GP, GAP and the gradient angle φ", "generator step", "value");
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

    /** The loss plot (for tests and for showing again). */
    public LivePlot losses() {
        return losses;
    }

    public LivePlot regularisers() {
        return regularisers;
    }

    public ProgressBar progress() {
        return bar;
    }
}

package org.latentmotion.motion;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.latentmotion.progress.LiveChart;
import org.latentmotion.progress.Progress;

/**
 * The listener a {@link Trainer} adds when someone watches: a progress count and one live chart
 * per {@link Figure#chart()} of the model's figures (StyleVideoGan: the losses — critic,
 * generator, Wasserstein estimate — and the regularisers — gradient penalty, gradient angle
 * penalty, angle φ in radians; a reconstruction model: its reconstruction loss). It reports
 * through {@link Progress} and {@link LiveChart}, so in a notebook the display layer draws a
 * progress bar with rate and ETA and the plots redrawn in place; elsewhere the reports are
 * counted and dropped.
 */
public final class LiveTrainingDisplay implements TrainingListener {
    private final String label;
    private Progress bar;
    private final Map<String, LiveChart> charts = new LinkedHashMap<>();
    private List<Figure> drawn = List.of();

    /** A display whose progress bar carries {@code label}; bar and charts are created when training starts. */
    public LiveTrainingDisplay(String label) {
        this.label = label;
    }

    @Override
    public void started(TrainingHistory history, long plannedSteps) {
        bar = Progress.start(label, plannedSteps);
        bar.step(history.size());
        List<Figure> shown = new ArrayList<>();
        for (Figure f : history.figures()) {
            if (f.drawn()) {
                shown.add(f);
                charts.computeIfAbsent(f.chart(), title -> LiveChart.create(title, "step",
                        title.equals(Figure.LOSSES) ? "loss" : "value"));
            }
        }
        drawn = shown;
        for (TrainingHistory.Step s : history.steps()) { // a resumed run shows its past too
            add(s);
        }
        charts.values().forEach(LiveChart::refresh);
    }

    @Override
    public void step(TrainingHistory.Step s, TrainingHistory history) {
        add(s);
        bar.step(history.size());
        charts.values().forEach(LiveChart::refresh);
    }

    private void add(TrainingHistory.Step s) {
        for (Figure f : drawn) {
            charts.get(f.chart()).add(f.label(), s.step(), s.value(f.name()));
        }
    }

    @Override
    public void finished(TrainingHistory history) {
        if (bar != null) {
            bar.finish();
            charts.values().forEach(LiveChart::finish);
        }
    }

    /** The live charts by title, in the order of the figures (empty before training has started). */
    public Map<String, LiveChart> charts() {
        return Collections.unmodifiableMap(charts);
    }

    /** The chart of the losses ({@value Figure#LOSSES}), or null before training has started or when no figure is drawn there. */
    public LiveChart losses() {
        return charts.get(Figure.LOSSES);
    }

    /**
     * StyleVideoGan's regulariser chart (gradient penalty, GAP, angle φ), or null before training
     * has started or for a model without it.
     *
     * @deprecated charts follow the model's figures now: use {@link #charts()}
     */
    @Deprecated
    public LiveChart regularisers() {
        return charts.get(StyleVideoGan.REGULARISERS);
    }

    /** The progress count over the planned steps, or null before training has started. */
    public Progress progress() {
        return bar;
    }
}

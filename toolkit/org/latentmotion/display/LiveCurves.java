package org.latentmotion.display;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.latentmotion.motion.Figure;
import org.latentmotion.motion.TrainingHistory;

/**
 * The curves a finished {@link LivePlot} left on screen, so that a training history displayed
 * after its live run does not draw the same curves a second time (issue 17: a cell ending in
 * {@code Trainer...fit()} showed every plot twice, live and again in the returned history).
 *
 * <p>A history is matched by content, not by name: each of its charts must have been finished
 * live with the same series, the same number of points and the same last value. A match is used
 * once, so displaying the history again later (another cell) draws its curves.
 */
final class LiveCurves {
    /** The last point of one series as a live plot drew it. */
    record Last(int points, double y) {
    }

    /** Chart title → series label → its last point, for plots finished on screen and not yet claimed. */
    private static final Map<String, Map<String, Last>> FINISHED = new LinkedHashMap<>();

    private LiveCurves() {
    }

    /** Records that a live plot titled {@code title} was finished on screen showing {@code series}. */
    static synchronized void finished(String title, Map<String, Last> series) {
        FINISHED.put(title, Map.copyOf(series));
    }

    /**
     * True, and the matching plots forgotten, if every chart of {@code history} is on screen as a
     * finished live plot showing exactly its curves; false (nothing forgotten) otherwise.
     */
    static synchronized boolean claim(TrainingHistory history) {
        List<String> titles = TrainingCharts.titles(history);
        if (titles.isEmpty() || history.size() == 0) {
            return false;
        }
        for (String title : titles) {
            if (!expected(history, title).equals(FINISHED.get(title))) {
                return false;
            }
        }
        titles.forEach(FINISHED::remove);
        return true;
    }

    /** The last points a live plot of {@code title} shows at the end of {@code history}'s run. */
    private static Map<String, Last> expected(TrainingHistory history, String title) {
        Map<String, Last> series = new LinkedHashMap<>();
        for (Figure f : history.figures()) {
            if (!f.drawn() || !f.chart().equals(title)) {
                continue;
            }
            int points = 0;
            double last = Double.NaN;
            for (double v : history.column(f.name())) {
                if (Double.isFinite(v)) {
                    points++;
                    last = v;
                }
            }
            if (points > 0) {
                series.put(f.label(), new Last(points, last));
            }
        }
        return series;
    }
}

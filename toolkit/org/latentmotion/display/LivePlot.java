package org.latentmotion.display;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.latentmotion.progress.LiveChart;

/**
 * A line plot that grows while a cell runs (a training curve): points are added as they come and
 * {@link #refresh()} redraws the one notebook output in place, at most about twice a second.
 * The first refresh shows the plot; {@link #finish()} (or {@code close()}) draws the final state.
 *
 * <pre>{@code
 * var plot = LivePlot.create("losses", "step", "loss");
 * for (int step = 0; step < 100; step++) { plot.add("critic", step, Math.exp(-step / 30.0)); plot.refresh(); }
 * plot.finish();
 * }</pre>
 *
 * <p>Code below the display layer draws curves through {@link LiveChart#create}, which becomes
 * one of these in a notebook ({@link NotebookWatcher}).
 */
public final class LivePlot implements Displayable, LiveChart {
    /** Minimum time between two redraws (a 720×360 PNG costs tens of milliseconds). */
    static final long MIN_INTERVAL_NANOS = 500_000_000L;

    private final XYChart chart;
    private final LiveOutput output;
    private final Map<String, double[][]> series = new LinkedHashMap<>();
    private final Map<String, Integer> sizes = new LinkedHashMap<>();
    private boolean dirty;
    private long points;

    LivePlot(XYChart chart, DisplaySink sink, LongSupplier clock) {
        this.chart = chart;
        this.output = new LiveOutput(sink, clock, MIN_INTERVAL_NANOS);
    }

    /** An empty live plot with notebook-sized defaults ({@link Charts#xy}). */
    public static LivePlot create(String title, String xLabel, String yLabel) {
        return new LivePlot(Charts.xy(title, xLabel, yLabel), Notebook.sink(), System::nanoTime);
    }

    /** Adds a point to {@code seriesName} (created on first use). NaN and infinite y are kept out of the plot. */
    @Override
    public synchronized LivePlot add(String seriesName, double x, double y) {
        if (!Double.isFinite(x) || !Double.isFinite(y)) {
            return this; // XChart cannot draw them; a NaN loss should not erase the curve so far
        }
        double[][] xy = series.computeIfAbsent(seriesName, k -> new double[][] {new double[64], new double[64]});
        int n = sizes.getOrDefault(seriesName, 0);
        if (n == xy[0].length) {
            xy[0] = java.util.Arrays.copyOf(xy[0], 2 * n);
            xy[1] = java.util.Arrays.copyOf(xy[1], 2 * n);
        }
        xy[0][n] = x;
        xy[1][n] = y;
        sizes.put(seriesName, n + 1);
        points++;
        dirty = true;
        return this;
    }

    /** Redraws the plot in place if something changed and the last redraw is old enough. */
    @Override
    public synchronized LivePlot refresh() {
        redraw(false);
        return this;
    }

    /**
     * Draws the final state now, whatever the throttle says. Returns nothing, so a cell ending
     * in {@code plot.finish();} does not show the plot a second time; for the same reason a
     * training history displayed next leaves out curves this plot already shows ({@link LiveCurves}).
     */
    @Override
    public synchronized void finish() {
        redraw(true);
        if (output.shown()) {
            Map<String, LiveCurves.Last> last = new LinkedHashMap<>();
            series.forEach((name, xy) -> last.put(name, new LiveCurves.Last(sizes.get(name), xy[1][sizes.get(name) - 1])));
            LiveCurves.finished(chart.getTitle(), last);
        }
    }

    @Override
    public void close() {
        finish();
    }

    /** The underlying chart, with all points added so far. */
    public synchronized XYChart chart() {
        syncChart();
        return chart;
    }

    /** Names of the series so far, in order of first use. */
    public synchronized List<String> seriesNames() {
        return new ArrayList<>(series.keySet());
    }

    /** Number of finite points added over all series. */
    public synchronized long points() {
        return points;
    }

    /** The y values of one series, in the order added. */
    public synchronized double[] y(String seriesName) {
        double[][] xy = series.get(seriesName);
        if (xy == null) {
            throw new IllegalArgumentException("no series '" + seriesName + "' in this plot; series are " + series.keySet());
        }
        return java.util.Arrays.copyOf(xy[1], sizes.get(seriesName));
    }

    private void redraw(boolean force) {
        if (!output.watched()) {
            return; // nobody watches: skip the PNG encoding
        }
        if (!output.shown()) {
            if (points == 0 && !force) {
                return;
            }
            dirty = false;
            output.show(this);
            return;
        }
        if (dirty && output.redraw(this, force)) {
            dirty = false;
        }
    }

    private void syncChart() {
        for (var e : series.entrySet()) {
            int n = sizes.get(e.getKey());
            double[] x = java.util.Arrays.copyOf(e.getValue()[0], n);
            double[] y = java.util.Arrays.copyOf(e.getValue()[1], n);
            if (chart.getSeriesMap().containsKey(e.getKey())) {
                chart.updateXYSeries(e.getKey(), x, y, null);
            } else {
                XYSeries s = chart.addSeries(e.getKey(), x, y);
                s.setMarker(SeriesMarkers.NONE);
            }
        }
    }

    @Override
    public synchronized void renderTo(MimeBundle bundle) {
        bundle.text(toString());
        if (bundle.wants(MimeBundle.PNG) && points > 0) {
            syncChart();
            bundle.png(Charts.toImage(chart));
        }
    }

    @Override
    public synchronized String toString() {
        StringBuilder s = new StringBuilder("LivePlot '").append(chart.getTitle()).append("'");
        if (series.isEmpty()) {
            return s.append(" (no points yet)").toString();
        }
        s.append(':');
        for (var e : series.entrySet()) {
            int n = sizes.get(e.getKey());
            s.append(' ').append(e.getKey()).append('[').append(n).append(" pts, last ")
                    .append(String.format(java.util.Locale.ROOT, "%.4g", e.getValue()[1][n - 1])).append(']');
        }
        return s.toString();
    }
}

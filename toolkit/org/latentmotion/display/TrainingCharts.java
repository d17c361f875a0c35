package org.latentmotion.display;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.latentmotion.motion.Figure;
import org.latentmotion.motion.TrainingHistory;

/**
 * Charts of a training run: one chart per {@link Figure#chart()} of the figures the model reports
 * (StyleVideoGan: the losses, and the regularisers; a reconstruction model: its loss), against
 * the training step.
 *
 * <pre>{@code
 * var history = Trainer.of(gan, windows).maxSteps(10).fit();
 * var losses = TrainingCharts.losses(history);          // critic, Wasserstein estimate, generator
 * var all = TrainingCharts.charts(history);             // every chart, by title
 * TrainingCharts.curvesImage(history)                   // all of them, one above the other, as one picture
 * }</pre>
 */
public final class TrainingCharts {
    /** Width of each chart in pixels. */
    public static final int WIDTH = 720;
    /** Height of each chart in pixels. */
    public static final int HEIGHT = 300;

    private TrainingCharts() {
    }

    /** Every chart of the history's figures by title, in the order of the figures. */
    public static Map<String, XYChart> charts(TrainingHistory history) {
        return charts(history, WIDTH, HEIGHT);
    }

    /** The figures drawn on the {@value Figure#LOSSES} chart (StyleVideoGan: critic, Wasserstein estimate, generator). */
    public static XYChart losses(TrainingHistory history) {
        return chart(history, Figure.LOSSES, WIDTH, HEIGHT);
    }

    /**
     * StyleVideoGan's second chart: the gradient penalty, the gradient angle penalty and the
     * angle φ (rad); empty for a model that draws no second chart.
     *
     * @deprecated charts follow the model's figures now: use {@link #charts(TrainingHistory)}
     */
    @Deprecated
    public static XYChart regularisers(TrainingHistory history) {
        List<String> titles = new ArrayList<>(titles(history));
        titles.remove(Figure.LOSSES);
        return chart(history, titles.isEmpty() ? "Gradient penalty, angle penalty and φ" : titles.get(0), WIDTH, HEIGHT);
    }

    /** Every chart, one above the other, as one picture. */
    public static BufferedImage curvesImage(TrainingHistory history) {
        return curvesImage(history, WIDTH, HEIGHT);
    }

    static Map<String, XYChart> charts(TrainingHistory history, int width, int height) {
        Map<String, XYChart> out = new LinkedHashMap<>();
        for (String title : titles(history)) {
            out.put(title, chart(history, title, width, height));
        }
        return out;
    }

    /** Titles of the charts the figures are drawn on, in order of first appearance. */
    static List<String> titles(TrainingHistory history) {
        Set<String> t = new LinkedHashSet<>();
        for (Figure f : history.figures()) {
            if (f.drawn()) {
                t.add(f.chart());
            }
        }
        return new ArrayList<>(t);
    }

    static XYChart chart(TrainingHistory history, String title, int width, int height) {
        XYChart chart = chart(title, title.equals(Figure.LOSSES) ? "loss" : "value", width, height);
        double[] x = history.column("step");
        if (x.length > 0) {
            for (Figure f : history.figures()) {
                if (f.chart().equals(title)) {
                    series(chart, f.label(), x, history.column(f.name()));
                }
            }
        }
        return chart;
    }

    static BufferedImage curvesImage(TrainingHistory history, int width, int height) {
        List<BufferedImage> parts = new ArrayList<>();
        for (XYChart c : charts(history, width, height).values()) {
            parts.add(Charts.toImage(c));
        }
        int total = parts.stream().mapToInt(BufferedImage::getHeight).sum();
        BufferedImage out = new BufferedImage(width, Math.max(1, total), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        int y = 0;
        for (BufferedImage p : parts) {
            g.drawImage(p, 0, y, null);
            y += p.getHeight();
        }
        g.dispose();
        return out;
    }

    private static XYChart chart(String title, String y, int width, int height) {
        return Charts.xy(title, "step", y, width, height); // the live plots' style, so the final curves look the same
    }

    private static void series(XYChart chart, String name, double[] x, double[] y) {
        // XChart rejects NaN-only series; skip steps where a figure was not computed
        int n = 0;
        for (double v : y) {
            if (Double.isFinite(v)) {
                n++;
            }
        }
        if (n == 0) {
            return;
        }
        double[] xs = new double[n];
        double[] ys = new double[n];
        int j = 0;
        for (int i = 0; i < y.length; i++) {
            if (Double.isFinite(y[i])) {
                xs[j] = x[i];
                ys[j++] = y[i];
            }
        }
        XYSeries s = chart.addSeries(name, xs, ys);
        s.setMarker(SeriesMarkers.NONE);
    }
}

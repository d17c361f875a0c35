package org.latentmotion.display;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.latentmotion.motion.TrainingHistory;

/**
 * Charts of a training run: the losses and the regularisers over generator steps.
 *
 * <pre>{@code
 * var history = Trainer.of(gan, windows).maxSteps(10).fit();
 * var losses = TrainingCharts.losses(history);          // critic, generator, Wasserstein estimate
 * var penalties = TrainingCharts.regularisers(history); // gradient penalty, gradient angle penalty, angle φ
 * TrainingCharts.curvesImage(history)                   // both, one above the other, as one picture
 * }</pre>
 */
public final class TrainingCharts {
    /** Width of each chart in pixels. */
    public static final int WIDTH = 720;
    /** Height of each chart in pixels. */
    public static final int HEIGHT = 300;

    private TrainingCharts() {
    }

    /** The critic loss, the generator loss and the Wasserstein estimate against the generator step. */
    public static XYChart losses(TrainingHistory history) {
        return losses(history, WIDTH, HEIGHT);
    }

    /** The gradient penalty, the gradient angle penalty and the angle φ (rad) against the generator step. */
    public static XYChart regularisers(TrainingHistory history) {
        return regularisers(history, WIDTH, HEIGHT);
    }

    /** {@link #losses} above {@link #regularisers}, as one picture. */
    public static BufferedImage curvesImage(TrainingHistory history) {
        return curvesImage(history, WIDTH, HEIGHT);
    }

    static XYChart losses(TrainingHistory history, int width, int height) {
        XYChart chart = chart("Losses", "loss", width, height);
        double[] x = history.column("step");
        if (x.length > 0) {
            series(chart, "critic", x, history.column("critic"));
            series(chart, "generator", x, history.column("generator"));
            series(chart, "wasserstein", x, history.column("wasserstein"));
        }
        return chart;
    }

    static XYChart regularisers(TrainingHistory history, int width, int height) {
        XYChart chart = chart("Gradient penalty, angle penalty and φ", "value", width, height);
        double[] x = history.column("step");
        if (x.length > 0) {
            series(chart, "GP", x, history.column("gp"));
            series(chart, "GAP", x, history.column("gap"));
            series(chart, "angle φ (rad)", x, history.column("angle"));
        }
        return chart;
    }

    static BufferedImage curvesImage(TrainingHistory history, int width, int height) {
        BufferedImage a = BitmapEncoder.getBufferedImage(losses(history, width, height));
        BufferedImage b = BitmapEncoder.getBufferedImage(regularisers(history, width, height));
        BufferedImage out = new BufferedImage(width, a.getHeight() + b.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.drawImage(a, 0, 0, null);
        g.drawImage(b, 0, a.getHeight(), null);
        g.dispose();
        return out;
    }

    private static XYChart chart(String title, String y, int width, int height) {
        XYChart c = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle("generator step")
                .yAxisTitle(y).build();
        c.getStyler().setMarkerSize(0);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        return c;
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

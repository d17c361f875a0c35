package org.latentmotion.display;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.latentmotion.metrics.DifferenceSpectrum;
import org.latentmotion.metrics.EvaluationReport;
import org.latentmotion.metrics.LoopingScore;
import org.latentmotion.metrics.MotionComparison;

/**
 * Charts of the measurements in {@code metrics}: a looping score's lag correlation, the looping
 * scores of an evaluation, the spectra of frame-to-frame change, motion statistics against the
 * real ones. Each returns a plain XChart chart (or an image of several) that a cell shows as its
 * value:
 * <pre>{@code
 * var report = Evaluation.against(data).run("StyleVideoGAN", gan);
 * MetricCharts.loopingScores(report)      // the looping score of every long sample, per model
 * }</pre>
 */
public final class MetricCharts {
    private MetricCharts() {
    }

    /** ρ(τ) of one sample with the decorrelation level, the threshold and the strongest return marked. */
    public static XYChart lagCorrelation(LoopingScore score) {
        double[] rho = score.correlation();
        double[] lags = new double[rho.length];
        for (int i = 0; i < lags.length; i++) {
            lags[i] = i;
        }
        double threshold = score.threshold();
        double decorrelation = score.decorrelationLevel();
        XYChart c = Charts.line("Looping: lag correlation of " + (score.label().isEmpty() ? "the sample" : score.label())
                + " — " + score.verdict(), "lag τ (frames)", "ρ(τ)", "ρ(τ)", lags, rho);
        Charts.addLine(c, "threshold " + threshold, new double[] {0, lags.length - 1}, new double[] {threshold, threshold});
        Charts.addLine(c, "decorrelated below " + decorrelation, new double[] {0, lags.length - 1},
                new double[] {decorrelation, decorrelation});
        if (score.period() > 0) {
            c.addSeries("strongest return", new double[] {score.period()}, new double[] {score.score()});
        }
        return c;
    }

    /** The looping score of every long sample of an evaluation, one series per model group, with the threshold. */
    public static XYChart loopingScores(EvaluationReport report) {
        XYChart c = Charts.xy("Looping score of each long sample", "run", "looping score");
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        int run = 0;
        double threshold = LoopingScore.DEFAULT_THRESHOLD;
        for (String g : report.groups()) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (List<LoopingScore> loops : report.loopingScores(g)) {
                for (LoopingScore s : loops) {
                    xs.add((double) run);
                    ys.add(Double.isNaN(s.score()) ? 0.0 : s.score());
                    threshold = s.threshold();
                }
                run++;
            }
            if (!xs.isEmpty()) {
                c.addSeries(g, xs, ys);
            }
        }
        XYSeries t = c.addSeries("threshold", new double[] {-0.5, Math.max(run, 1) - 0.5}, new double[] {threshold, threshold});
        t.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        t.setMarker(SeriesMarkers.NONE);
        return c;
    }

    /**
     * The spectra of frame-to-frame change: one panel per series (up to 8, four to a row), change
     * power against frequency on a log scale, one line per source.
     */
    public static BufferedImage spectrum(DifferenceSpectrum spectrum) {
        List<String> names = spectrum.series();
        int shown = Math.min(names.size(), 8);
        int cols = Math.min(shown, 4);
        int rows = (shown + cols - 1) / cols;
        int w = Charts.WIDTH * 2 / cols + (cols == 1 ? 0 : 40);
        int h = 260;
        BufferedImage img = new BufferedImage(cols * w, rows * h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        for (int i = 0; i < shown; i++) {
            XYChart chart = Charts.xy(names.get(i), "Hz", "change power", w, h);
            chart.getStyler().setYAxisLogarithmic(true);
            chart.getStyler().setLegendVisible(i == 0);
            chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
            double[] f = spectrum.frequencies();
            for (String label : spectrum.sources()) {
                double[] p = spectrum.power(label, names.get(i));
                // log axis: skip the zero-frequency bin and clamp exact zeros
                double[] x = Arrays.copyOfRange(f, 1, f.length);
                double[] y = new double[x.length];
                for (int k = 0; k < y.length; k++) {
                    y[k] = Math.max(p[k + 1], 1e-12);
                }
                Charts.addLine(chart, label, x, y);
            }
            g.drawImage(Charts.toImage(chart), (i % cols) * w, (i / cols) * h, null);
        }
        g.dispose();
        return img;
    }

    /** Generated vs real motion statistics: each statistic's generated mean divided by the real mean (1 = match). */
    public static CategoryChart motionStatistics(MotionComparison comparison) {
        CategoryChart c = new CategoryChartBuilder().width(720).height(360)
                .title("Motion statistics: generated / real (1 = match)").xAxisTitle("").yAxisTitle("ratio of means").build();
        List<String> names = new ArrayList<>();
        List<Double> ratio = new ArrayList<>();
        for (int i = 0; i < MotionComparison.STATISTICS.size(); i++) {
            double r = comparison.meanRatio(i);
            if (Double.isFinite(r)) {
                names.add(MotionComparison.STATISTICS.get(i));
                ratio.add(r);
            }
        }
        if (!names.isEmpty()) {
            c.addSeries("generated / real", names, ratio);
        }
        c.getStyler().setLegendVisible(false);
        return c;
    }
}

package org.latentmotion.display;

import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * XChart charts sized and styled for a notebook cell: 720×360, white background, lines without
 * markers, legend below the plot (never over the data). Returns plain XChart objects, so anything XChart offers still
 * works on them.
 */
public final class Charts {
    /** Default chart width in pixels (fits a notebook column without scaling). */
    public static final int WIDTH = 720;
    /** Default chart height in pixels. */
    public static final int HEIGHT = 360;

    private Charts() {
    }

    /** An empty line chart with notebook-sized defaults. */
    public static XYChart xy(String title, String xLabel, String yLabel) {
        return xy(title, xLabel, yLabel, WIDTH, HEIGHT);
    }

    /** An empty line chart of the given size, styled like {@link #xy(String, String, String)}. */
    public static XYChart xy(String title, String xLabel, String yLabel, int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("chart size must be positive, found " + width + "×" + height);
        }
        XYChart chart = new XYChartBuilder()
                .width(width).height(height)
                .title(title == null ? "" : title)
                .xAxisTitle(xLabel == null ? "" : xLabel)
                .yAxisTitle(yLabel == null ? "" : yLabel)
                .build();
        XYStyler s = chart.getStyler();
        s.setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderVisible(false);
        s.setPlotGridLinesColor(new Color(0xE5E5E5));
        s.setLegendPosition(Styler.LegendPosition.OutsideS);
        s.setLegendLayout(Styler.LegendLayout.Horizontal);
        s.setLegendBorderColor(new Color(0xDDDDDD));
        s.setChartTitleBoxVisible(false);
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        s.setMarkerSize(4);
        s.setAntiAlias(true);
        return chart;
    }

    /** A one-series line chart of {@code y} against {@code x}. */
    public static XYChart line(String title, String xLabel, String yLabel, String series, double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("x and y must have the same length, found " + x.length + " and " + y.length);
        }
        XYChart chart = xy(title, xLabel, yLabel);
        addLine(chart, series, x, y);
        return chart;
    }

    /** Adds a marker-less line series (XChart refuses empty series, so those are skipped). */
    public static XYSeries addLine(XYChart chart, String series, double[] x, double[] y) {
        if (x.length == 0) {
            return null;
        }
        XYSeries s = chart.addSeries(series, x, y);
        s.setMarker(SeriesMarkers.NONE);
        return s;
    }

    /** The chart drawn into an image, at its own size. */
    public static BufferedImage toImage(Chart<?, ?> chart) {
        return BitmapEncoder.getBufferedImage(chart);
    }
}

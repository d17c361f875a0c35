package org.latentmotion.display;

import java.awt.Color;
import java.awt.Font;
import java.awt.font.FontRenderContext;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
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
 * markers, legend below the plot (never over the data; moved to the right or into one column
 * when a row would not fit: {@link #fitLegend}). Returns plain XChart objects, so anything XChart
 * offers still works on them.
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

    /** The chart drawn into an image, at its own size, its legend first made to fit ({@link #fitLegend}). */
    public static BufferedImage toImage(Chart<?, ?> chart) {
        fitLegend(chart);
        return BitmapEncoder.getBufferedImage(chart);
    }

    /**
     * Makes a legend outside the plot fit inside the chart; XChart draws a legend in one row or
     * one column whatever its size, so five long series names in a row below a 720 px chart ran
     * off its edge (issue 17). In order, the first that fits: the legend as placed; one column to
     * the right of the plot (if it takes at most 40 % of the width); one column below the plot
     * (if it takes at most half the height); the same with the legend font shrunk step by step to
     * 8 pt. Legends inside the plot, hidden legends and charts without series are left alone.
     * Returns {@code chart}.
     */
    public static <C extends Chart<?, ?>> C fitLegend(C chart) {
        Styler s = chart.getStyler();
        Styler.LegendPosition position = s.getLegendPosition();
        boolean outside = position == Styler.LegendPosition.OutsideS || position == Styler.LegendPosition.OutsideE;
        if (!s.isLegendVisible() || !outside || chart.getSeriesMap().isEmpty()) {
            return chart;
        }
        List<String> names = new ArrayList<>(chart.getSeriesMap().keySet());
        for (float size = s.getLegendFont().getSize2D(); size >= 8; size -= 1) {
            Font font = s.getLegendFont().deriveFont(size);
            if (size == s.getLegendFont().getSize2D() && fits(chart, names, font, position, s.getLegendLayout())) {
                return chart;
            }
            if (fits(chart, names, font, Styler.LegendPosition.OutsideE, Styler.LegendLayout.Vertical)) {
                return place(chart, font, Styler.LegendPosition.OutsideE, Styler.LegendLayout.Vertical);
            }
            if (fits(chart, names, font, Styler.LegendPosition.OutsideS, Styler.LegendLayout.Vertical)) {
                return place(chart, font, Styler.LegendPosition.OutsideS, Styler.LegendLayout.Vertical);
            }
        }
        // nothing fits (dozens of series): one column below at the smallest size, the plot gets what is left
        return place(chart, s.getLegendFont().deriveFont(8f), Styler.LegendPosition.OutsideS, Styler.LegendLayout.Vertical);
    }

    private static <C extends Chart<?, ?>> C place(C chart, Font font, Styler.LegendPosition position, Styler.LegendLayout layout) {
        chart.getStyler().setLegendFont(font);
        chart.getStyler().setLegendPosition(position);
        chart.getStyler().setLegendLayout(layout);
        return chart;
    }

    /**
     * Whether a legend of {@code names} in {@code font} fits, measured as XChart lays it out: an
     * entry is the series' line sample, a padding and the text; entries are separated and
     * surrounded by the legend padding; the chart keeps its own padding on every side.
     */
    private static boolean fits(Chart<?, ?> chart, List<String> names, Font font, Styler.LegendPosition position,
            Styler.LegendLayout layout) {
        Styler s = chart.getStyler();
        FontRenderContext frc = new FontRenderContext(null, true, false);
        double pad = s.getLegendPadding();
        double sample = s.getLegendSeriesLineLength() + pad;
        double widest = 0;
        double sumWidths = 0;
        double lineHeight = 0;
        for (String n : names) {
            Rectangle2D b = font.getStringBounds(n.isEmpty() ? " " : n, frc);
            widest = Math.max(widest, sample + b.getWidth());
            sumWidths += sample + b.getWidth();
            lineHeight = Math.max(lineHeight, Math.max(b.getHeight(), 14)); // the line sample box is at least ~14 px
        }
        double legendWidth = layout == Styler.LegendLayout.Horizontal ? sumWidths + pad * (names.size() + 1) : widest + 2 * pad;
        double legendHeight = layout == Styler.LegendLayout.Horizontal ? lineHeight + 2 * pad
                : names.size() * lineHeight + (names.size() + 1) * pad;
        double width = chart.getWidth() - 2.0 * s.getChartPadding();
        double height = chart.getHeight() - 2.0 * s.getChartPadding();
        if (position == Styler.LegendPosition.OutsideE) {
            return legendWidth <= width * 0.4 && legendHeight <= height * 0.8;
        }
        return legendWidth <= width && legendHeight <= height / 2;
    }
}

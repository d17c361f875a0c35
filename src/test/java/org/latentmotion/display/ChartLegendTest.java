package org.latentmotion.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.geom.Rectangle2D;
import java.lang.reflect.Field;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.internal.chartpart.Legend_;
import org.knowm.xchart.style.Styler;

/**
 * A legend of five series fits inside the chart (issue 17: cut off). Where XChart drew the legend
 * is read from its own layout after painting (the legend's bounds), not from our estimate.
 */
class ChartLegendTest {
    static final List<String> FIVE = List.of("coarse (layers 0–3)", "middle (layers 4–7)", "fine (layers 8–17)",
            "StyleVideoGAN sample, seed 42", "naive offset to actor 101");

    @Test
    void fiveSeriesInARowBelowRunOffTheChartAsXChartDrawsThem() throws Exception {
        XYChart chart = fiveSeries(Charts.WIDTH, Charts.HEIGHT);
        BitmapEncoder.getBufferedImage(chart); // XChart as is, no fitting
        Rectangle2D legend = legendBounds(chart);
        System.out.println("five series, one row below, as XChart draws it: legend " + legend);
        assertTrue(legend.getMinX() < 0 || legend.getMaxX() > chart.getWidth(), "the unfitted legend fits already: " + legend);
    }

    @Test
    void fiveSeriesFitOnceDrawnThroughCharts() throws Exception {
        for (int[] size : new int[][] {{Charts.WIDTH, Charts.HEIGHT}, {720, 210}, {480, 300}, {1000, 360}}) {
            XYChart chart = fiveSeries(size[0], size[1]);
            Charts.toImage(chart);
            Rectangle2D legend = legendBounds(chart);
            System.out.printf("%d×%d: legend %s %s at %s%n", size[0], size[1], chart.getStyler().getLegendPosition(),
                    chart.getStyler().getLegendLayout(), legend);
            assertInside(chart, legend);
        }
    }

    @Test
    void aLegendThatFitsIsLeftWhereItWas() throws Exception {
        XYChart chart = Charts.xy("two", "x", "y");
        Charts.addLine(chart, "real", new double[] {0, 1}, new double[] {0, 1});
        Charts.addLine(chart, "generated", new double[] {0, 1}, new double[] {1, 0});
        Charts.toImage(chart);
        assertEquals(Styler.LegendPosition.OutsideS, chart.getStyler().getLegendPosition());
        assertEquals(Styler.LegendLayout.Horizontal, chart.getStyler().getLegendLayout());
        assertEquals(11, chart.getStyler().getLegendFont().getSize());
        assertInside(chart, legendBounds(chart));
    }

    @Test
    void manySeriesShrinkTheFontAndStayInside() throws Exception {
        XYChart chart = Charts.xy("ten", "x", "y", 720, 360);
        for (int i = 0; i < 10; i++) {
            Charts.addLine(chart, "actor " + (100 + i) + " transferred with the offset trick", new double[] {0, 1}, new double[] {i, -i});
        }
        Charts.toImage(chart);
        Rectangle2D legend = legendBounds(chart);
        System.out.println("ten long series: " + chart.getStyler().getLegendPosition() + " " + chart.getStyler().getLegendFont().getSize() + " pt at " + legend);
        assertInside(chart, legend);
        assertFalse(chart.getStyler().getLegendFont().getSize() > 11);
    }

    private static XYChart fiveSeries(int width, int height) {
        XYChart chart = Charts.xy("Motion: distance from the mean code", "time (s)", "L2 distance", width, height);
        for (int i = 0; i < FIVE.size(); i++) {
            Charts.addLine(chart, FIVE.get(i), new double[] {0, 1, 2}, new double[] {i, i + 1, i});
        }
        return chart;
    }

    private static void assertInside(XYChart chart, Rectangle2D legend) {
        assertTrue(legend.getMinX() >= 0 && legend.getMinY() >= 0 && legend.getMaxX() <= chart.getWidth()
                && legend.getMaxY() <= chart.getHeight(), "legend " + legend + " outside the " + chart.getWidth() + "×" + chart.getHeight() + " chart");
        assertTrue(legend.getWidth() > 0 && legend.getHeight() > 0, "legend drawn: " + legend);
    }

    /**
     * The legend's box in chart pixels as XChart laid it out in the last paint: its size
     * ({@code getBounds()}) at its offsets (fields that are not public).
     */
    static Rectangle2D legendBounds(Chart<?, ?> chart) throws Exception {
        Field f = Chart.class.getDeclaredField("legend");
        f.setAccessible(true);
        Legend_<?, ?> legend = (Legend_<?, ?>) f.get(chart);
        Rectangle2D size = legend.getBounds();
        return new Rectangle2D.Double(offset(legend, "xOffset"), offset(legend, "yOffset"), size.getWidth(), size.getHeight());
    }

    private static double offset(Legend_<?, ?> legend, String name) throws Exception {
        Field f = Legend_.class.getDeclaredField(name);
        f.setAccessible(true);
        return f.getDouble(legend);
    }
}

package org.latentmotion.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import org.knowm.xchart.XYChart;
import org.junit.jupiter.api.Test;

class ChartsTest {

    @Test
    void notebookSizedChartWithTitles() {
        XYChart chart = Charts.xy("scree", "component", "variance");
        assertEquals(720, chart.getWidth());
        assertEquals(360, chart.getHeight());
        assertEquals("scree", chart.getTitle());
        assertEquals("component", chart.getXAxisTitle());
        assertEquals("variance", chart.getYAxisTitle());
    }

    @Test
    void lineChartDrawsIntoAnImageThatIsNotBlank() {
        XYChart chart = Charts.line("sine", "t", "y", "sin", new double[] {0, 1, 2, 3}, new double[] {0, 0.8, 0.9, 0.1});
        BufferedImage image = Charts.toImage(chart);
        assertEquals(720, image.getWidth());
        int first = image.getRGB(0, 0);
        boolean varied = false;
        for (int y = 0; y < image.getHeight() && !varied; y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                if (image.getRGB(x, y) != first) {
                    varied = true;
                    break;
                }
            }
        }
        assertTrue(varied, "the chart image has content");
    }

    @Test
    void mismatchedLengthsAreRejectedWithBothSizes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Charts.line("t", "x", "y", "s", new double[3], new double[4]));
        assertTrue(e.getMessage().contains("3") && e.getMessage().contains("4"));
    }
}

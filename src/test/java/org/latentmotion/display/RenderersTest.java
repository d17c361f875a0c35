package org.latentmotion.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class RenderersTest {

    @Test
    void aRenderedBundleShowsAsItself() {
        BufferedImage image = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
        MimeBundle pngOnly = Notebook.render(image, MimeBundle.PNG);
        MimeBundle shown = Renderers.render(pngOnly);
        assertEquals(pngOnly.get(MimeBundle.PNG), shown.get(MimeBundle.PNG));
        assertEquals(pngOnly.get(MimeBundle.TEXT), shown.get(MimeBundle.TEXT), "its text, not 'MimeBundle[...]'");
        assertEquals("image 2×2", shown.get(MimeBundle.TEXT), "a short summary, not the raster's toString");
        assertEquals(2, ((java.util.Map<?, ?>) shown.metadata().get(MimeBundle.PNG)).get("width"));
    }

    @Test
    void valuesWithoutARendererShowTheirText() {
        MimeBundle b = Renderers.render(new StringBuilder("plain"));
        assertEquals(List.of(MimeBundle.TEXT), List.copyOf(b.data().keySet()));
        assertEquals("plain", b.get(MimeBundle.TEXT));
        assertEquals("null", Renderers.render(null).get(MimeBundle.TEXT), "never an empty output");
    }

    @Test
    void subclassesOfARegisteredTypeUseItsRenderer() {
        class Tiny extends BufferedImage {
            Tiny() {
                super(1, 1, BufferedImage.TYPE_INT_ARGB);
            }
        }
        assertTrue(Renderers.render(new Tiny()).has(MimeBundle.PNG));
        assertFalse(Renderers.render(new Tiny(), MimeBundle.TEXT).has(MimeBundle.PNG), "PNG only when asked");
    }

    @Test
    void chartsShowTitleAndSeriesAsText() {
        var chart = new org.knowm.xchart.XYChartBuilder().width(300).height(200).title("losses").build();
        chart.addSeries("critic", new double[] {0, 1}, new double[] {2, 1});
        MimeBundle b = Renderers.render(chart);
        assertEquals("XYChart 'losses' 300×200, series [critic]", b.get(MimeBundle.TEXT));
        assertTrue(b.has(MimeBundle.PNG));
    }
}

package org.latentmotion.display;

import java.awt.image.RenderedImage;
import org.knowm.xchart.internal.chartpart.Chart;
import tech.tablesaw.api.Table;

/**
 * Renderers for the third-party types a notebook shows most (images, tables, charts) and, one
 * registration class per package, for the toolkit's own values below this layer.
 */
final class StandardRenderers {
    private StandardRenderers() {
    }

    static void registerAll() {
        // A bundle made by render(...) shows as itself (IJava habit: `render(chart, "image/png")` as a cell's value).
        Renderers.register(MimeBundle.class, (made, bundle) -> {
            made.data().forEach(bundle::put);
            made.metadata().forEach(bundle::metadata);
        });
        Renderers.register(RenderedImage.class, (image, bundle) -> {
            bundle.text("image " + image.getWidth() + "×" + image.getHeight()); // not BufferedImage's raster dump
            bundle.png(image);
        });
        Renderers.register(Table.class, (table, bundle) -> {
            bundle.text(Tables.toText(table));
            bundle.html(Tables.toHtml(table));
        });
        Renderers.register(Chart.class, (chart, bundle) -> {
            bundle.text(describe(chart));
            if (bundle.wants(MimeBundle.PNG)) {
                bundle.png(Charts.toImage(chart));
            }
        });
        WplusRenderers.register();
        PcaRenderers.register();
        MotionRenderers.register();
        ToyRenderers.register();
        VideoRenderers.register();
        MetricsRenderers.register();
        TransferRenderers.register();
        SynthesisRenderers.register();
    }

    /** A chart's text/plain: its title and series, never {@code XYChart@1a2b}. */
    static String describe(Chart<?, ?> chart) {
        String title = chart.getTitle() == null || chart.getTitle().isBlank() ? "untitled" : chart.getTitle();
        return chart.getClass().getSimpleName() + " '" + title + "' " + chart.getWidth() + "×" + chart.getHeight()
                + ", series " + chart.getSeriesMap().keySet();
    }
}

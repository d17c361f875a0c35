package org.latentmotion.display;

import org.latentmotion.pca.LatentPca;

/** How the values of {@code pca} show themselves: a fitted PCA as its scree plot beside its top components. */
final class PcaRenderers {
    private PcaRenderers() {
    }

    static void register() {
        Renderers.register(LatentPca.class, (pca, bundle) -> {
            bundle.text(pca.toString() + "\n" + Tables.toText(pca.componentTable(10)));
            if (bundle.wants(MimeBundle.HTML)) {
                bundle.html("<div class=\"lm-pca\"><b>" + Tables.escape(pca.toString()) + "</b>"
                        + "<div style=\"display:flex;gap:12px;align-items:flex-start\">"
                        + MimeBundle.imgTag(Charts.toImage(PcaCharts.scree(pca)),
                                // the chart gives way to the table (min-width:0), never the table to the page edge
                                "max-width:65%;min-width:0;flex:0 1 auto;height:auto")
                        + Tables.toHtml(pca.componentTable(10)) + "</div></div>");
            } else if (bundle.wants(MimeBundle.PNG)) {
                bundle.png(Charts.toImage(PcaCharts.scree(pca)));
            }
        });
    }
}

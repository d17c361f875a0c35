package org.latentmotion.display;

import org.knowm.xchart.CategoryChart;
import org.latentmotion.metrics.DifferenceSpectrum;
import org.latentmotion.metrics.EvaluationReport;
import org.latentmotion.metrics.LoopingScore;
import org.latentmotion.metrics.MotionComparison;

/**
 * How the measurements of {@code metrics} show in a notebook. The rest of that package
 * (LatentFrechet, IdentityConsistency, TransferArtifacts) shows as its one-line text.
 */
final class MetricsRenderers {
    private MetricsRenderers() {
    }

    static void register() {
        // The summary table with the protocol below it, and the looping scores as a plot.
        Renderers.register(EvaluationReport.class, (report, bundle) -> {
            bundle.text(report + "\n" + Tables.toText(report.summary()));
            bundle.html(Tables.toHtml(report.summary()) + "<p style=\"font-size:smaller\">"
                    + Tables.escape(report.protocol()) + "</p>");
            if (bundle.wants(MimeBundle.PNG)) {
                bundle.png(Charts.toImage(MetricCharts.loopingScores(report)));
            }
        });
        // The verdict, and the lag correlation it was read from.
        Renderers.register(LoopingScore.class, (score, bundle) -> {
            if (bundle.wants(MimeBundle.PNG)) {
                bundle.png(Charts.toImage(MetricCharts.lagCorrelation(score)));
            }
        });
        // One HTML block: the spectra (an inline image) above the table.
        Renderers.register(DifferenceSpectrum.class, (spectrum, bundle) -> {
            if (bundle.wants(MimeBundle.PNG) || bundle.wants(MimeBundle.HTML)) {
                bundle.html("<div>" + MimeBundle.imgTag(MetricCharts.spectrum(spectrum), "max-width:100%")
                        + Tables.toHtml(spectrum.table()) + "</div>");
            }
        });
        // The table of statistics, and the ratios of means as a bar chart when there are any.
        Renderers.register(MotionComparison.class, (comparison, bundle) -> {
            TableOutput.write(bundle, comparison + "\n" + Tables.toText(comparison.table()), comparison::table);
            if (bundle.wants(MimeBundle.PNG)) {
                CategoryChart chart = MetricCharts.motionStatistics(comparison);
                if (!chart.getSeriesMap().isEmpty()) {
                    bundle.png(Charts.toImage(chart));
                }
            }
        });
    }
}

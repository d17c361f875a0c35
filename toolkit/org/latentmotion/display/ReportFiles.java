package org.latentmotion.display;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.latentmotion.metrics.EvaluationReport;

/**
 * Evaluation reports as files in the figures folder ({@link Figures#dir()}), for notes and
 * committed results:
 * <pre>{@code
 * var report = Evaluation.against(data).run("StyleVideoGAN", gan);
 * ReportFiles.save(report, "evaluation-notebook")   // evaluation-notebook.md, -runs.csv, -looping.png
 * }</pre>
 */
public final class ReportFiles {
    private ReportFiles() {
    }

    /**
     * Writes {@code name}.md (the summary as Markdown, with the protocol), {@code name}-runs.csv
     * (every run's numbers) and {@code name}-looping.png (the {@link MetricCharts#loopingScores
     * looping scores}) to the figures folder, each atomically; returns the Markdown file's path.
     */
    public static Path save(EvaluationReport report, String name) {
        Path md = Figures.path(name + ".md");
        Figures.writeAtomically(md, report.markdown().getBytes(StandardCharsets.UTF_8));
        Figures.writeAtomically(Figures.path(name + "-runs.csv"),
                report.runs().write().toString("csv").getBytes(StandardCharsets.UTF_8));
        Figures.writeAtomically(Figures.path(name + "-looping.png"),
                MimeBundle.encodePng(Charts.toImage(MetricCharts.loopingScores(report))));
        return md;
    }
}

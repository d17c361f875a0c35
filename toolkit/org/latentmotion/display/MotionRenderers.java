package org.latentmotion.display;

import org.latentmotion.motion.StyleVideoGan;
import org.latentmotion.motion.StyleVideoGanConfig;
import org.latentmotion.motion.TrainableMotionModel;
import org.latentmotion.motion.TrainingHistory;
import tech.tablesaw.api.Table;

/** How the values of {@code motion} show themselves: a model's parts and settings, a training run's curves. */
final class MotionRenderers {
    private MotionRenderers() {
    }

    static void register() {
        Renderers.register(StyleVideoGan.class, MotionRenderers::styleVideoGan);
        Renderers.register(TrainableMotionModel.class, MotionRenderers::trainableModel);
        Renderers.register(TrainingHistory.class, MotionRenderers::trainingHistory);
    }

    /** Parameter counts of generator and critic, then every setting of the config. */
    private static void styleVideoGan(StyleVideoGan gan, MimeBundle bundle) {
        StyleVideoGanConfig config = gan.config();
        bundle.text(gan.toString() + "\n" + config);
        if (bundle.wants(MimeBundle.HTML)) {
            StringBuilder h = new StringBuilder("<div><b>StyleVideoGan</b> — ")
                    .append(Tables.escape(String.format("%d critic + %d generator steps", gan.criticSteps(),
                            gan.generatorSteps())))
                    .append(Tables.openTable()).append("<thead><tr><th>part</th><th>parameters</th><th>shape</th></tr></thead><tbody>");
            row(h, "generator (H, P, T)", gan.generatorParameterCount(), "i ∈ ℝ^" + config.latentDim() + ", s ∈ ℝ^"
                    + config.latentDim() + "×(t−1) → " + config.layers() + "×" + config.width() + " per frame");
            row(h, "critic (E + temporal conv)", gan.criticParameterCount(), config.windowLength() + " × " + config.layers() + "×"
                    + config.width() + " → 1");
            h.append("</tbody></table>");
            settings(h, config.toProperties());
            h.append("</div>");
            bundle.html(h.toString());
        }
    }

    /** Any other trainable model: its type and reference, parameter counts by part, then every setting. */
    private static void trainableModel(TrainableMotionModel model, MimeBundle bundle) {
        bundle.text(model + "\n" + model.config().toProperties());
        if (bundle.wants(MimeBundle.HTML)) {
            StringBuilder h = new StringBuilder("<div><b>").append(Tables.escape(model.type().name())).append("</b> — ")
                    .append(Tables.escape(model.config().reference()))
                    .append(Tables.openTable()).append("<thead><tr><th>part</th><th>parameters</th></tr></thead><tbody>");
            model.parameterCounts().forEach((part, n) -> h.append("<tr>").append(Tables.cell("td", part))
                    .append(Tables.cell("td", human(n))).append("</tr>"));
            h.append("</tbody></table>");
            settings(h, model.config().toProperties());
            bundle.html(h.append("</div>").toString());
        }
    }

    private static void settings(StringBuilder h, String properties) {
        h.append(Tables.openTable()).append("<thead><tr><th>setting</th><th>value</th></tr></thead><tbody>");
        for (String line : properties.split("\n")) {
            int eq = line.indexOf('=');
            if (eq < 0) {
                continue;
            }
            h.append("<tr>").append(Tables.cell("td", line.substring(0, eq)))
                    .append(Tables.cell("td", line.substring(eq + 1))).append("</tr>");
        }
        h.append("</tbody></table>");
    }

    private static void row(StringBuilder h, String part, long count, String shape) {
        h.append("<tr>").append(Tables.cell("td", part)).append(Tables.cell("td", human(count)))
                .append(Tables.cell("td", shape)).append("</tr>");
    }

    private static String human(long n) {
        return n >= 1_000_000 ? String.format("%.2fM", n / 1e6) : n >= 1000 ? String.format("%.1fk", n / 1e3) : Long.toString(n);
    }

    /**
     * The headline, the model's charts (unless its live plots just showed them), the last 10
     * steps and the provenance (folded).
     */
    private static void trainingHistory(TrainingHistory history, MimeBundle bundle) {
        bundle.text(history.toString());
        if (bundle.wants(MimeBundle.HTML)) {
            StringBuilder html = new StringBuilder("<div>");
            html.append("<p><b>").append(Tables.escape(history.headline())).append("</b></p>");
            if (history.size() > 0 && history.figures().stream().anyMatch(org.latentmotion.motion.Figure::drawn)) {
                if (LiveCurves.claim(history)) { // the run's live plots, just above, already show these curves
                    html.append("<p style=\"color:#555\">Curves: the live plots above show this run to its last step.</p>");
                } else {
                    html.append(MimeBundle.imgTag(TrainingCharts.curvesImage(history), "max-width:100%"));
                }
            }
            Table t = history.table();
            if (t.rowCount() > 10) {
                t = t.last(10);
                t.setName("Last 10 steps");
            }
            html.append(Tables.toHtml(t));
            if (!history.provenance().isEmpty()) {
                html.append("<details><summary>provenance</summary><pre>").append(Tables.escape(history.provenance()))
                        .append("</pre></details>");
            }
            bundle.html(html.append("</div>").toString());
        }
    }
}

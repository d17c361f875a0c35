package org.latentmotion.metrics;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.latentmotion.display.Charts;
import org.latentmotion.display.Displayable;
import org.latentmotion.display.Figures;
import org.latentmotion.display.MimeBundle;
import org.latentmotion.display.Tables;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The result of an {@link Evaluation}: every run's numbers, a Table-1-like summary (mean ± std
 * over runs per group), the looping scores of all long samples as a plot, and files in
 * {@code figures/}.
 */
public final class EvaluationReport implements Displayable {
    public static final String FD_SHORT = "FD W+ frames (short)";
    public static final String FD_LONG = "FD W+ frames (long)";
    public static final String FVD_SHORT = "FVD W+ clips (short)";
    public static final String FVD_LONG = "FVD W+ clips (long)";
    public static final String ACD = "ACD (long)";
    public static final String LOOPING = "looping long samples (%)";
    public static final String MOTION = "motion statistics W1/σ (long)";

    /** One model × seed: its metric values and the looping scores of its long samples. */
    record Run(Map<String, Double> values, List<LoopingScore> loops) {
    }

    private record Entry(String group, int model, long seed, Run run) {
    }

    private final String protocol;
    private final List<Entry> entries = new ArrayList<>();

    EvaluationReport(String protocol) {
        this.protocol = protocol;
    }

    void add(String group, int model, long seed, Run run) {
        entries.add(new Entry(group, model, seed, run));
    }

    /** Group labels in order. */
    public List<String> groups() {
        Set<String> g = new LinkedHashSet<>();
        entries.forEach(e -> g.add(e.group));
        return new ArrayList<>(g);
    }

    /** Metric names in order. */
    public List<String> metrics() {
        Set<String> m = new LinkedHashSet<>();
        entries.forEach(e -> m.addAll(e.run.values.keySet()));
        return new ArrayList<>(m);
    }

    /** The values of {@code metric} over the runs of {@code group}. */
    public double[] values(String group, String metric) {
        return entries.stream().filter(e -> e.group.equals(group)).mapToDouble(
                e -> e.run.values.getOrDefault(metric, Double.NaN)).toArray();
    }

    public double mean(String group, String metric) {
        double[] v = values(group, metric);
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    public double std(String group, String metric) {
        double[] v = values(group, metric);
        if (v.length < 2) {
            return 0;
        }
        double m = mean(group, metric);
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / (v.length - 1));
    }

    /**
     * Runs of {@code group} whose long samples loop (at least half of them looping), and the number
     * of runs: the paper's "k of N models loop".
     */
    public int[] loopingRuns(String group) {
        int n = 0;
        int k = 0;
        for (Entry e : entries) {
            if (e.group.equals(group)) {
                n++;
                long looped = e.run.loops.stream().filter(LoopingScore::looping).count();
                k += 2 * looped >= e.run.loops.size() && looped > 0 ? 1 : 0;
            }
        }
        return new int[] {k, n};
    }

    /** One row per group: metric mean ± std over runs, and "looping runs k/N". */
    public Table summary() {
        StringColumn group = StringColumn.create("model");
        IntColumn runs = IntColumn.create("runs");
        List<StringColumn> cols = new ArrayList<>();
        for (String m : metrics()) {
            cols.add(StringColumn.create(m));
        }
        StringColumn loopRuns = StringColumn.create("looping runs");
        for (String g : groups()) {
            group.append(g);
            int[] lr = loopingRuns(g);
            runs.append(lr[1]);
            List<String> ms = metrics();
            for (int i = 0; i < ms.size(); i++) {
                cols.get(i).append(format(mean(g, ms.get(i)), std(g, ms.get(i))));
            }
            loopRuns.append(lr[0] + "/" + lr[1]);
        }
        Table t = Table.create("Evaluation (mean ± std over runs)", group, runs);
        cols.forEach(t::addColumns);
        t.addColumns(loopRuns);
        return t;
    }

    private static String format(double mean, double std) {
        if (!Double.isFinite(mean)) {
            return "–";
        }
        int digits = Math.abs(mean) >= 100 ? 1 : Math.abs(mean) >= 1 ? 2 : 4;
        return String.format("%." + digits + "f ± %." + digits + "f", mean, std);
    }

    /** Every run's numbers: group, model index, seed, then one column per metric. */
    public Table runs() {
        StringColumn group = StringColumn.create("model");
        IntColumn model = IntColumn.create("model index");
        LongColumn seed = LongColumn.create("seed");
        Map<String, DoubleColumn> cols = new LinkedHashMap<>();
        for (String m : metrics()) {
            cols.put(m, DoubleColumn.create(m));
        }
        for (Entry e : entries) {
            group.append(e.group);
            model.append(e.model);
            seed.append(e.seed);
            cols.forEach((m, c) -> c.append(e.run.values.getOrDefault(m, Double.NaN)));
        }
        Table t = Table.create("Evaluation runs", group, model, seed);
        cols.values().forEach(t::addColumns);
        return t;
    }

    /** The looping score of every long sample, per group, with the threshold. */
    public XYChart loopingChart() {
        XYChart c = Charts.xy("Looping score of each long sample", "run", "looping score");
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        int run = 0;
        double threshold = LoopingScore.DEFAULT_THRESHOLD;
        for (String g : groups()) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (Entry e : entries) {
                if (!e.group.equals(g)) {
                    continue;
                }
                for (LoopingScore s : e.run.loops) {
                    xs.add((double) run);
                    ys.add(Double.isNaN(s.score()) ? 0.0 : s.score());
                    threshold = s.threshold();
                }
                run++;
            }
            if (!xs.isEmpty()) {
                c.addSeries(g, xs, ys);
            }
        }
        XYSeries t = c.addSeries("threshold", new double[] {-0.5, Math.max(run, 1) - 0.5}, new double[] {threshold, threshold});
        t.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        t.setMarker(SeriesMarkers.NONE);
        return c;
    }

    /** A Markdown rendering of the summary (for notes and committed result tables). */
    public String markdown() {
        Table s = summary();
        StringBuilder md = new StringBuilder();
        md.append('|');
        s.columnNames().forEach(n -> md.append(' ').append(n).append(" |"));
        md.append("\n|");
        s.columnNames().forEach(n -> md.append("---|"));
        md.append('\n');
        for (int r = 0; r < s.rowCount(); r++) {
            md.append('|');
            for (int c = 0; c < s.columnCount(); c++) {
                md.append(' ').append(s.column(c).getString(r)).append(" |");
            }
            md.append('\n');
        }
        md.append("\nProtocol: ").append(protocol).append('\n');
        return md.toString();
    }

    /**
     * Writes {@code name}.md (summary), {@code name}-runs.csv (every run) and {@code name}-looping.png
     * to the figures folder, each atomically; returns the Markdown path.
     */
    public Path save(String name) {
        Path md = Figures.path(name + ".md");
        Figures.writeAtomically(md, markdown().getBytes(StandardCharsets.UTF_8));
        Figures.writeAtomically(Figures.path(name + "-runs.csv"), runs().write().toString("csv").getBytes(StandardCharsets.UTF_8));
        BufferedImage img = Charts.toImage(loopingChart());
        Figures.writeAtomically(Figures.path(name + "-looping.png"), MimeBundle.encodePng(img));
        return md;
    }

    public String protocol() {
        return protocol;
    }

    @Override
    public void renderTo(MimeBundle bundle) {
        bundle.text(toString() + "\n" + summary().print());
        bundle.html(Tables.toHtml(summary()) + "<p style=\"font-size:smaller\">" + Tables.escape(protocol) + "</p>");
        if (bundle.wants(MimeBundle.PNG)) {
            bundle.png(Charts.toImage(loopingChart()));
        }
    }

    @Override
    public String toString() {
        return "EvaluationReport: " + entries.size() + " runs in " + groups().size() + " groups " + groups() + "; " + protocol;
    }
}

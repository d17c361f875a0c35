package org.latentmotion.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The result of an {@link Evaluation}: every run's numbers, a Table-1-like summary (mean ± std
 * over runs per group, under a first row of the same numbers between two disjoint halves of the
 * real set: the noise floor, {@link RealHalves#LABEL}) and the looping scores of all long samples. The display layer shows it
 * (summary table and the plot of looping scores, {@code MetricCharts.loopingScores}) and saves it
 * to {@code figures/} ({@code ReportFiles.save}).
 */
public final class EvaluationReport {
    /** W+ frame distance (FID's analogue) of the short samples. */
    public static final String FD_SHORT = "FD W+ frames (short)";
    /** W+ frame distance of the long samples. */
    public static final String FD_LONG = "FD W+ frames (long)";
    /** W+ clip distance (FVD's analogue) of the short samples. */
    public static final String FVD_SHORT = "FVD W+ clips (short)";
    /** W+ clip distance of the long samples. */
    public static final String FVD_LONG = "FVD W+ clips (long)";
    /** Identity consistency (average content distance) within the long samples. */
    public static final String ACD = "ACD (long)";
    /** Share of long samples that loop. */
    public static final String LOOPING = "looping long samples (%)";
    /** Mean W1 / real std of the motion statistics of the long samples' segments. */
    public static final String MOTION = "motion statistics W1/σ (long)";

    /** One model × seed: its metric values and the looping scores of its long samples. */
    record Run(Map<String, Double> values, List<LoopingScore> loops) {
    }

    private record Entry(String group, int model, long seed, Run run) {
    }

    private final String protocol;
    private final List<Entry> entries = new ArrayList<>();
    private final List<Entry> noiseFloor = new ArrayList<>();

    EvaluationReport(String protocol) {
        this.protocol = protocol;
    }

    void add(String group, int model, long seed, Run run) {
        entries.add(new Entry(group, model, seed, run));
    }

    void addNoiseFloor(long seed, Run run) {
        noiseFloor.add(new Entry(RealHalves.LABEL, 0, seed, run));
    }

    /**
     * The values of {@code metric} between the two halves of the real set, one per seed (NaN
     * where the halves are too short for it, and for the looping share, which is not a distance).
     */
    public double[] noiseFloorValues(String metric) {
        return noiseFloor.stream().mapToDouble(e -> e.run.values.getOrDefault(metric, Double.NaN)).toArray();
    }

    /** Mean of {@link #noiseFloorValues} over the seeds: what a model's {@code metric} is read against. */
    public double noiseFloor(String metric) {
        return meanOf(noiseFloorValues(metric));
    }

    /** Group labels in order (the models'; the noise floor is not a group). */
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

    /** Mean of {@code metric} over the runs of {@code group} (NaN if a run lacks it or the group has no runs). */
    public double mean(String group, String metric) {
        return meanOf(values(group, metric));
    }

    private static double meanOf(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static double stdOf(double[] v) {
        if (v.length < 2) {
            return 0;
        }
        double m = meanOf(v);
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / (v.length - 1));
    }

    /**
     * Sample standard deviation (divided by n − 1) of {@code metric} over the runs of {@code group}; 0 for fewer than 2
     * runs.
     */
    public double std(String group, String metric) {
        return stdOf(values(group, metric));
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

    /**
     * One row per group: metric mean ± std over runs, and "looping runs k/N"; the first row is the
     * noise floor (the real halves against each other, mean ± std over seeds).
     */
    public Table summary() {
        StringColumn group = StringColumn.create("model");
        IntColumn runs = IntColumn.create("runs");
        List<StringColumn> cols = new ArrayList<>();
        for (String m : metrics()) {
            cols.add(StringColumn.create(m));
        }
        StringColumn loopRuns = StringColumn.create("looping runs");
        if (!noiseFloor.isEmpty()) {
            group.append(RealHalves.LABEL);
            runs.append(noiseFloor.size());
            List<String> ms = metrics();
            for (int i = 0; i < ms.size(); i++) {
                double[] v = noiseFloorValues(ms.get(i));
                cols.get(i).append(format(meanOf(v), stdOf(v)));
            }
            loopRuns.append("–");
        }
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

    /** Every run's numbers: group, model index, seed, then one column per metric; the noise floor's rows (one per seed) first. */
    public Table runs() {
        StringColumn group = StringColumn.create("model");
        IntColumn model = IntColumn.create("model index");
        LongColumn seed = LongColumn.create("seed");
        Map<String, DoubleColumn> cols = new LinkedHashMap<>();
        for (String m : metrics()) {
            cols.put(m, DoubleColumn.create(m));
        }
        List<Entry> all = new ArrayList<>(noiseFloor);
        all.addAll(entries);
        for (Entry e : all) {
            group.append(e.group);
            model.append(e.model);
            seed.append(e.seed);
            cols.forEach((m, c) -> c.append(e.run.values.getOrDefault(m, Double.NaN)));
        }
        Table t = Table.create("Evaluation runs", group, model, seed);
        cols.values().forEach(t::addColumns);
        return t;
    }

    /** The looping scores of the long samples of each run of {@code group}, runs in the order they ran. */
    public List<List<LoopingScore>> loopingScores(String group) {
        List<List<LoopingScore>> runs = new ArrayList<>();
        for (Entry e : entries) {
            if (e.group.equals(group)) {
                runs.add(List.copyOf(e.run.loops));
            }
        }
        return runs;
    }

    /** The summary as a Markdown table with the protocol below it (for notes and committed result tables). */
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
     * How the runs were measured: the real set, sample counts and lengths, PCA components, draws, identity features and
     * seeds.
     */
    public String protocol() {
        return protocol;
    }

    @Override
    public String toString() {
        return "EvaluationReport: " + entries.size() + " runs in " + groups().size() + " groups " + groups()
                + " and the real-vs-real noise floor; " + protocol;
    }
}

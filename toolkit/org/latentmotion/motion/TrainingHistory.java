package org.latentmotion.motion;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * What a {@link Trainer} run did: one row per training step with the figures the model reports
 * ({@link TrainableMotionModel#figures()}: a GAN's critic and generator losses, a reconstruction
 * stage's loss), how the run ended, and where the model came from.
 *
 * <p>The columns are {@code step}, {@code epoch}, the model's figures in its order, and
 * {@code seconds}; for {@link StyleVideoGan} the figures are {@code critic}, {@code wasserstein},
 * {@code gp} (the means over the step's critic steps), {@code generator}, {@code gap},
 * {@code angle}, {@code gradNormS} and {@code gradNormI}. {@link #table()} gives every row as a
 * Tablesaw table, {@link #column(String)} one column over all steps; in a notebook it displays as
 * its curves (the display layer's {@code TrainingCharts}, one chart per {@link Figure#chart()})
 * above the last steps.
 */
public final class TrainingHistory {

    /** How a run ended. */
    public enum Outcome {
        /** Every planned step ran. */
        COMPLETED,
        /** The thread was interrupted (Ctrl-C, kernel interrupt); stopped at a step boundary. */
        INTERRUPTED,
        /** A loss became NaN/infinite or exceeded the divergence limit; the last good state was restored. */
        DIVERGED,
        /** The trainer's time limit was reached; stopped at a step boundary with the model intact. */
        TIME_LIMIT,
        /** Still running (seen by listeners). */
        RUNNING
    }

    private static final String STEP = "step";
    private static final String EPOCH = "epoch";
    private static final String SECONDS = "seconds";

    private final List<Figure> figures;
    /** step, epoch, figures…, seconds */
    private final String[] columns;
    private final List<double[]> rows = new ArrayList<>();
    private Outcome outcome = Outcome.RUNNING;
    private String message = "";
    private String provenance = "";
    private long plannedSteps;

    TrainingHistory(List<Figure> figures) {
        this.figures = List.copyOf(figures);
        columns = new String[figures.size() + 3];
        columns[0] = STEP;
        columns[1] = EPOCH;
        for (int f = 0; f < figures.size(); f++) {
            String name = figures.get(f).name();
            if (Arrays.asList(columns).subList(0, f + 2).contains(name)) {
                throw new IllegalArgumentException("training history: figure '" + name + "' named twice in " + names(figures));
            }
            columns[f + 2] = name;
        }
        columns[columns.length - 1] = SECONDS;
    }

    private static List<String> names(List<Figure> figures) {
        return figures.stream().map(Figure::name).toList();
    }

    /**
     * One training step's figures.
     *
     * <p>The accessors named for StyleVideoGAN's figures ({@link #criticLoss()} …) are from when
     * the history knew only that model; they return NaN for a model that reports no such figure.
     */
    public static final class Step {
        private final long step;
        private final double epoch;
        private final double seconds;
        private final Map<String, Double> figures;

        Step(long step, double epoch, Map<String, Double> figures, double seconds) {
            this.step = step;
            this.epoch = epoch;
            this.seconds = seconds;
            this.figures = Collections.unmodifiableMap(new LinkedHashMap<>(figures));
        }

        /** The step's number, from 1. */
        public long step() {
            return step;
        }

        /** Real batches consumed so far, in epochs (batches per epoch: windows / batch). */
        public double epoch() {
            return epoch;
        }

        /** Wall time of the run when the step ended, in seconds (continued across resumes). */
        public double seconds() {
            return seconds;
        }

        /** The figure {@code name} of this step (NaN if the step did not compute it). */
        public double value(String name) {
            Double v = figures.get(name);
            if (v == null) {
                throw new IllegalArgumentException("training step " + step + ": no figure '" + name + "', found "
                        + figures.keySet());
            }
            return v;
        }

        /** Every figure of the step by name, in the model's order. */
        public Map<String, Double> values() {
            return figures;
        }

        private double orNaN(String name) {
            return figures.getOrDefault(name, Double.NaN);
        }

        /**
         * StyleVideoGAN's mean critic loss over the step's critic steps.
         *
         * @deprecated use {@code value("critic")}
         */
        @Deprecated
        public double criticLoss() {
            return orNaN("critic");
        }

        /**
         * StyleVideoGAN's mean Wasserstein estimate.
         *
         * @deprecated use {@code value("wasserstein")}
         */
        @Deprecated
        public double wasserstein() {
            return orNaN("wasserstein");
        }

        /**
         * StyleVideoGAN's mean gradient penalty.
         *
         * @deprecated use {@code value("gp")}
         */
        @Deprecated
        public double gradientPenalty() {
            return orNaN("gp");
        }

        /**
         * StyleVideoGAN's generator loss.
         *
         * @deprecated use {@code value("generator")}
         */
        @Deprecated
        public double generatorLoss() {
            return orNaN("generator");
        }

        /**
         * StyleVideoGAN's gradient angle penalty.
         *
         * @deprecated use {@code value("gap")}
         */
        @Deprecated
        public double angleLoss() {
            return orNaN("gap");
        }

        /**
         * StyleVideoGAN's mean gradient angle φ (radians).
         *
         * @deprecated use {@code value("angle")}
         */
        @Deprecated
        public double angle() {
            return orNaN("angle");
        }

        /**
         * StyleVideoGAN's mean ‖∂d/∂s‖.
         *
         * @deprecated use {@code value("gradNormS")}
         */
        @Deprecated
        public double gradNormS() {
            return orNaN("gradNormS");
        }

        /**
         * StyleVideoGAN's mean ‖∂d/∂i‖.
         *
         * @deprecated use {@code value("gradNormI")}
         */
        @Deprecated
        public double gradNormI() {
            return orNaN("gradNormI");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Step s && s.step == step && Double.compare(s.epoch, epoch) == 0
                    && Double.compare(s.seconds, seconds) == 0 && s.figures.equals(figures);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(step) * 31 + figures.hashCode();
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "step %d (epoch %.2f):", step, epoch));
            String sep = " ";
            for (Map.Entry<String, Double> e : figures.entrySet()) {
                if (!Double.isNaN(e.getValue())) {
                    b.append(sep).append(e.getKey()).append(' ').append(String.format(Locale.ROOT, "%.4g", e.getValue()));
                    sep = ", ";
                }
            }
            return b.toString();
        }
    }

    private Step stepOf(double[] r) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int f = 0; f < figures.size(); f++) {
            m.put(columns[f + 2], r[f + 2]);
        }
        return new Step((long) r[0], r[1], m, r[r.length - 1]);
    }

    /** Records step {@code step} with the model's report; a report that misses or adds a figure is an error. */
    synchronized Step add(long step, double epoch, StepReport report, double seconds) {
        Map<String, Double> given = report.values();
        if (!given.keySet().equals(new java.util.HashSet<>(names(figures)))) {
            throw new IllegalStateException("training step " + step + ": the model declared figures " + names(figures)
                    + " but reported " + given.keySet());
        }
        double[] r = new double[columns.length];
        r[0] = step;
        r[1] = epoch;
        for (int f = 0; f < figures.size(); f++) {
            r[f + 2] = given.get(columns[f + 2]);
        }
        r[r.length - 1] = seconds;
        rows.add(r);
        return stepOf(r);
    }

    synchronized void truncateTo(long steps) {
        while (!rows.isEmpty() && rows.get(rows.size() - 1)[0] > steps) {
            rows.remove(rows.size() - 1);
        }
    }

    void finish(Outcome how, String why) {
        this.outcome = how;
        this.message = why == null ? "" : why;
    }

    void provenance(String text) {
        this.provenance = text;
    }

    void plannedSteps(long n) {
        this.plannedSteps = n;
    }

    /** The figures of each step, as the model declared them (names, chart labels, charts). */
    public List<Figure> figures() {
        return figures;
    }

    /** Number of recorded steps. */
    public synchronized int size() {
        return rows.size();
    }

    /**
     * Row {@code i} (0 = the first step recorded); throws {@link IndexOutOfBoundsException}
     * outside 0 … size − 1.
     */
    public synchronized Step row(int i) {
        return stepOf(rows.get(i));
    }

    /** The last recorded step, or null if none ran. */
    public synchronized Step last() {
        return rows.isEmpty() ? null : stepOf(rows.get(rows.size() - 1));
    }

    /** Every recorded step in order, as a snapshot (later steps do not appear in it). */
    public synchronized List<Step> steps() {
        List<Step> out = new ArrayList<>(rows.size());
        for (double[] r : rows) {
            out.add(stepOf(r));
        }
        return out;
    }

    /** The column names: "step", "epoch", the model's figures, "seconds". */
    public List<String> columns() {
        return List.of(columns);
    }

    /** One column over all steps ("step", "epoch", a figure such as "critic" or "generator", "seconds"). */
    public synchronized double[] column(String name) {
        int c = Arrays.asList(columns).indexOf(name);
        if (c < 0) {
            throw new IllegalArgumentException("training history: no column '" + name + "', expected one of "
                    + Arrays.toString(columns));
        }
        double[] out = new double[rows.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = rows.get(i)[c];
        }
        return out;
    }

    /** How the run ended, or {@link Outcome#RUNNING} while it is still going. */
    public Outcome outcome() {
        return outcome;
    }

    /** Why the run ended, in words (empty when it simply completed). */
    public String message() {
        return message;
    }

    /** Where the trained model came from: model, config, data, seed, platform (Tribuo-style provenance). */
    public String provenance() {
        return provenance;
    }

    /** Steps the run was set to make in total (including steps done before a resume); 0 before it starts. */
    public long plannedSteps() {
        return plannedSteps;
    }

    /** Every step as a table: step, epoch, the model's figures, seconds. */
    public synchronized Table table() {
        Table t = Table.create("Training history");
        t.addColumns(IntColumn.create(STEP));
        for (int c = 1; c < columns.length; c++) {
            t.addColumns(DoubleColumn.create(columns[c]));
        }
        for (double[] r : rows) {
            t.intColumn(0).append((int) r[0]);
            for (int c = 1; c < columns.length; c++) {
                t.doubleColumn(c).append(r[c]);
            }
        }
        return t;
    }

    // CSV for checkpoints (full precision, round-trips exactly)
    synchronized String toCsv() {
        StringBuilder b = new StringBuilder(String.join(",", columns)).append('\n');
        for (double[] r : rows) {
            for (int c = 0; c < r.length; c++) {
                b.append(c == 0 ? "" : ",").append(Double.toString(r[c]));
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** Reads {@link #toCsv()}'s text for a model that reports {@code figures} (its header must name them, in order). */
    static TrainingHistory fromCsv(String csv, List<Figure> figures) {
        TrainingHistory h = new TrainingHistory(figures);
        String header = String.join(",", h.columns);
        String[] lines = csv.split("\n");
        if (lines.length == 0 || !lines[0].equals(header)) {
            throw new IllegalArgumentException("training history CSV: expected header " + header + " (the model's figures), found "
                    + (lines.length == 0 ? "nothing" : lines[0]));
        }
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            String[] f = lines[i].split(",");
            if (f.length != h.columns.length) {
                throw new IllegalArgumentException("training history CSV line " + (i + 1) + ": expected "
                        + h.columns.length + " values, found " + f.length);
            }
            double[] r = new double[f.length];
            for (int c = 0; c < f.length; c++) {
                try {
                    r[c] = Double.parseDouble(f[c]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("training history CSV line " + (i + 1) + ", column " + h.columns[c]
                            + ": expected a number, found '" + f[c] + "'", e);
                }
            }
            h.rows.add(r);
        }
        return h;
    }

    /** One line: steps done of planned, how the run ended and why, and its wall time. */
    public String headline() {
        Step l = last();
        String status = switch (outcome) {
            case COMPLETED -> "completed";
            case INTERRUPTED -> "interrupted";
            case DIVERGED -> "diverged";
            case TIME_LIMIT -> "time limit reached";
            case RUNNING -> "running";
        };
        return String.format(Locale.ROOT, "TrainingHistory: %d of %d steps, %s%s%s", size(), plannedSteps,
                status, message.isEmpty() ? "" : " — " + message,
                l == null ? "" : String.format(Locale.ROOT, " (%.1f s)", l.seconds()));
    }

    @Override
    public String toString() {
        Step l = last();
        return headline() + (l == null ? "" : "\nlast " + l);
    }
}

package org.latentmotion.motion;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * What a {@link Trainer} run did: one row per generator step (the critic figures are the mean
 * over that step's critic steps), how the run ended, and where the model came from.
 *
 * <p>{@link #table()} gives every row as a Tablesaw table, {@link #column(String)} one figure over
 * all steps; in a notebook it displays as its loss curves (the display layer's
 * {@code TrainingCharts}) above the last steps.
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

    /** Column names, in the order of {@link #row(int)} and the checkpoint's CSV. */
    static final String[] COLUMNS = {"step", "epoch", "critic", "wasserstein", "gp", "generator", "gap", "angle",
        "gradNormS", "gradNormI", "seconds"};

    private final List<double[]> rows = new ArrayList<>();
    private Outcome outcome = Outcome.RUNNING;
    private String message = "";
    private String provenance = "";
    private long plannedSteps;

    TrainingHistory() {
    }

    /** One generator step's figures. */
    public record Step(long step, double epoch, double criticLoss, double wasserstein, double gradientPenalty,
            double generatorLoss, double angleLoss, double angle, double gradNormS, double gradNormI,
            double seconds) {

        double[] values() {
            return new double[] {step, epoch, criticLoss, wasserstein, gradientPenalty, generatorLoss, angleLoss,
                angle, gradNormS, gradNormI, seconds};
        }

        static Step of(double[] v) {
            return new Step((long) v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10]);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT,
                    "step %d (epoch %.2f): critic %.4g (W %.4g, GP %.3g), generator %.4g, GAP %.3g, φ %.3f rad",
                    step, epoch, criticLoss, wasserstein, gradientPenalty, generatorLoss, angleLoss, angle);
        }
    }

    synchronized void add(Step s) {
        rows.add(s.values());
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

    /** Number of recorded generator steps. */
    public synchronized int size() {
        return rows.size();
    }

    /**
     * Row {@code i} (0 = the first generator step recorded); throws {@link IndexOutOfBoundsException}
     * outside 0 … size − 1.
     */
    public synchronized Step row(int i) {
        return Step.of(rows.get(i));
    }

    /** The last recorded step, or null if none ran. */
    public synchronized Step last() {
        return rows.isEmpty() ? null : Step.of(rows.get(rows.size() - 1));
    }

    /** Every recorded step in order, as a snapshot (later steps do not appear in it). */
    public synchronized List<Step> steps() {
        List<Step> out = new ArrayList<>(rows.size());
        for (double[] r : rows) {
            out.add(Step.of(r));
        }
        return out;
    }

    /** One column over all steps ("critic", "generator", "gp", "gap", "angle", ...). */
    public synchronized double[] column(String name) {
        int c = Arrays.asList(COLUMNS).indexOf(name);
        if (c < 0) {
            throw new IllegalArgumentException("training history: no column '" + name + "', expected one of "
                    + Arrays.toString(COLUMNS));
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

    /** Where the trained model came from: config, data, seed, platform (Tribuo-style provenance). */
    public String provenance() {
        return provenance;
    }

    /** Generator steps the run was set to make in total (including steps done before a resume); 0 before it starts. */
    public long plannedSteps() {
        return plannedSteps;
    }

    /** Every step as a table. */
    public synchronized Table table() {
        Table t = Table.create("Training history");
        t.addColumns(IntColumn.create("step"));
        for (int c = 1; c < COLUMNS.length; c++) {
            t.addColumns(DoubleColumn.create(COLUMNS[c]));
        }
        for (double[] r : rows) {
            t.intColumn(0).append((int) r[0]);
            for (int c = 1; c < COLUMNS.length; c++) {
                t.doubleColumn(c).append(r[c]);
            }
        }
        return t;
    }

    // CSV for checkpoints (full precision, round-trips exactly)
    synchronized String toCsv() {
        StringBuilder b = new StringBuilder(String.join(",", COLUMNS)).append('\n');
        for (double[] r : rows) {
            for (int c = 0; c < r.length; c++) {
                b.append(c == 0 ? "" : ",").append(Double.toString(r[c]));
            }
            b.append('\n');
        }
        return b.toString();
    }

    static TrainingHistory fromCsv(String csv) {
        TrainingHistory h = new TrainingHistory();
        String[] lines = csv.split("\n");
        if (lines.length == 0 || !lines[0].equals(String.join(",", COLUMNS))) {
            throw new IllegalArgumentException("training history CSV: expected header " + String.join(",", COLUMNS)
                    + ", found " + (lines.length == 0 ? "nothing" : lines[0]));
        }
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            String[] f = lines[i].split(",");
            if (f.length != COLUMNS.length) {
                throw new IllegalArgumentException("training history CSV line " + (i + 1) + ": expected "
                        + COLUMNS.length + " values, found " + f.length);
            }
            double[] r = new double[f.length];
            for (int c = 0; c < f.length; c++) {
                r[c] = Double.parseDouble(f[c]);
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
        return String.format(Locale.ROOT, "TrainingHistory: %d of %d generator steps, %s%s%s", size(), plannedSteps,
                status, message.isEmpty() ? "" : " — " + message,
                l == null ? "" : String.format(Locale.ROOT, " (%.1f s)", l.seconds()));
    }

    @Override
    public String toString() {
        Step l = last();
        return headline() + (l == null ? "" : "\nlast " + l);
    }
}

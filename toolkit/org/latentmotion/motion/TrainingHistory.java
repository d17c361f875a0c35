package org.latentmotion.motion;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.latentmotion.display.Displayable;
import org.latentmotion.display.MimeBundle;
import org.latentmotion.display.Tables;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * What a {@link Trainer} run did: one row per generator step (the critic figures are the mean
 * over that step's critic steps), how the run ended, and where the model came from.
 *
 * <p>Displays as a loss plot (critic, generator, Wasserstein estimate; GP, GAP and the angle φ
 * below) with a summary table; {@link #table()} gives every row as a Tablesaw table.
 */
public final class TrainingHistory implements Displayable {

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

    public synchronized Step row(int i) {
        return Step.of(rows.get(i));
    }

    /** The last recorded step, or null if none ran. */
    public synchronized Step last() {
        return rows.isEmpty() ? null : Step.of(rows.get(rows.size() - 1));
    }

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

    /** The loss curves (critic, generator, Wasserstein) above the regularisers (GP, GAP, φ). */
    public BufferedImage plot() {
        return plot(720, 300);
    }

    BufferedImage plot(int width, int height) {
        XYChart losses = chart("Losses", "loss", width, height);
        XYChart reg = chart("Gradient penalty, angle penalty and φ", "value", width, height);
        double[] x = column("step");
        if (x.length > 0) {
            series(losses, "critic", x, column("critic"));
            series(losses, "generator", x, column("generator"));
            series(losses, "wasserstein", x, column("wasserstein"));
            series(reg, "GP", x, column("gp"));
            series(reg, "GAP", x, column("gap"));
            series(reg, "angle φ (rad)", x, column("angle"));
        }
        BufferedImage a = BitmapEncoder.getBufferedImage(losses);
        BufferedImage b = BitmapEncoder.getBufferedImage(reg);
        BufferedImage out = new BufferedImage(width, a.getHeight() + b.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.drawImage(a, 0, 0, null);
        g.drawImage(b, 0, a.getHeight(), null);
        g.dispose();
        return out;
    }

    private static XYChart chart(String title, String y, int width, int height) {
        XYChart c = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle("generator step")
                .yAxisTitle(y).build();
        c.getStyler().setMarkerSize(0);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        return c;
    }

    private static void series(XYChart chart, String name, double[] x, double[] y) {
        // XChart rejects NaN-only series; skip steps where a figure was not computed
        int n = 0;
        for (double v : y) {
            if (Double.isFinite(v)) {
                n++;
            }
        }
        if (n == 0) {
            return;
        }
        double[] xs = new double[n];
        double[] ys = new double[n];
        int j = 0;
        for (int i = 0; i < y.length; i++) {
            if (Double.isFinite(y[i])) {
                xs[j] = x[i];
                ys[j++] = y[i];
            }
        }
        XYSeries s = chart.addSeries(name, xs, ys);
        s.setMarker(SeriesMarkers.NONE);
    }

    @Override
    public void renderTo(MimeBundle bundle) {
        bundle.text(toString());
        if (bundle.wants(MimeBundle.HTML)) {
            StringBuilder html = new StringBuilder("<div>");
            html.append("<p><b>").append(Tables.escape(headline())).append("</b></p>");
            if (size() > 0 && bundle.wants(MimeBundle.HTML)) {
                html.append(MimeBundle.imgTag(plot(), "max-width:100%"));
            }
            Table t = table();
            if (t.rowCount() > 10) {
                t = t.last(10);
                t.setName("Last 10 steps");
            }
            html.append(Tables.toHtml(t));
            if (!provenance.isEmpty()) {
                html.append("<details><summary>provenance</summary><pre>").append(Tables.escape(provenance))
                        .append("</pre></details>");
            }
            bundle.html(html.append("</div>").toString());
        }
    }

    String headline() {
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

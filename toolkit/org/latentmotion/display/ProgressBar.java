package org.latentmotion.display;

import java.util.Locale;
import java.util.function.LongSupplier;
import org.latentmotion.progress.Progress;

/**
 * A progress bar that redraws itself in place in the notebook: label, bar, count, rate and time
 * left. Redraws are throttled to a few per second; when nobody is watching (no notebook front
 * end) it only counts.
 *
 * <pre>{@code
 * try (var bar = ProgressBar.start("epochs", 20)) {
 *     for (int e = 0; e < 20; e++) { Thread.sleep(100); bar.advance(1); }   // the work of one epoch, then a tick
 * }
 * }</pre>
 *
 * <p>Code below the display layer counts through {@link Progress#start}, which becomes one of
 * these in a notebook ({@link NotebookWatcher}).
 */
public final class ProgressBar implements Displayable, Progress {
    /** Minimum time between two redraws. */
    static final long MIN_INTERVAL_NANOS = 200_000_000L;

    private final String label;
    private final long total;
    private final LiveOutput output;
    private final LongSupplier clock;
    private final long startNanos;
    private long done;
    private long drawnDone = -1;
    private boolean finished;
    private long endNanos;

    ProgressBar(String label, long total, DisplaySink sink, LongSupplier clock) {
        this.label = label == null ? "" : label;
        this.total = total;
        this.clock = clock;
        this.startNanos = clock.getAsLong();
        this.output = new LiveOutput(sink, clock, MIN_INTERVAL_NANOS);
        if (output.watched()) {
            output.show(this);
            drawnDone = 0;
        }
    }

    /** Shows a bar for {@code total} steps (0 or less: unknown total, count and rate only). */
    public static ProgressBar start(String label, long total) {
        return new ProgressBar(label, total, Notebook.sink(), System::nanoTime);
    }

    /** Sets the number of steps done (redraws at most a few times per second). */
    @Override
    public synchronized ProgressBar step(long doneSoFar) {
        if (doneSoFar < 0) {
            throw new IllegalArgumentException("steps done must be >= 0, found " + doneSoFar);
        }
        done = doneSoFar;
        maybeRedraw(false);
        return this;
    }

    /** Adds {@code n} steps done. */
    @Override
    public synchronized ProgressBar advance(long n) {
        return step(done + n);
    }

    /** Marks the work as ended (at whatever count was reached) and draws the final state. */
    @Override
    public synchronized void finish() {
        if (finished) {
            return;
        }
        finished = true;
        endNanos = clock.getAsLong();
        maybeRedraw(true);
    }

    @Override
    public void close() {
        finish();
    }

    @Override
    public synchronized long done() {
        return done;
    }

    /** Steps the bar counts to. */
    public long total() {
        return total;
    }

    /** Text shown before the bar ("" if none was given). */
    public String label() {
        return label;
    }

    /** Steps per second so far. */
    public synchronized double rate() {
        double seconds = elapsedSeconds();
        return seconds <= 0 ? 0 : done / seconds;
    }

    /** Estimated seconds left, NaN when unknown. */
    public synchronized double etaSeconds() {
        double r = rate();
        if (total <= 0 || r <= 0) {
            return Double.NaN;
        }
        return Math.max(0, total - done) / r;
    }

    private double elapsedSeconds() {
        long now = finished ? endNanos : clock.getAsLong();
        return (now - startNanos) / 1e9;
    }

    private void maybeRedraw(boolean force) {
        if (!output.shown() || (done == drawnDone && !force)) {
            return;
        }
        if (output.redraw(this, force)) {
            drawnDone = done;
        }
    }

    @Override
    public synchronized void renderTo(MimeBundle bundle) {
        bundle.text(toString());
        if (bundle.wants(MimeBundle.HTML)) {
            double fraction = fraction();
            String color = finished && total > 0 && done < total ? "#d9822b" : "#2f7ed8";
            StringBuilder html = new StringBuilder();
            html.append("<div class=\"lm-progress\" style=\"font-family:monospace;font-size:13px;display:flex;align-items:center;gap:8px\">");
            if (!label.isEmpty()) {
                html.append("<span>").append(Tables.escape(label)).append("</span>");
            }
            html.append("<div style=\"width:240px;height:12px;background:#e6e6e6;border-radius:3px;overflow:hidden\">");
            if (!Double.isNaN(fraction)) {
                html.append(String.format(Locale.ROOT, "<div style=\"width:%.1f%%;height:100%%;background:%s\"></div>",
                        100 * fraction, color));
            }
            html.append("</div><span>").append(Tables.escape(status())).append("</span></div>");
            bundle.html(html.toString());
        }
    }

    private double fraction() {
        return total > 0 ? Math.min(1.0, (double) done / total) : Double.NaN;
    }

    /** "50/100 (50%) · 12.5/s · 4s left" (or "· 8s" when finished). */
    private String status() {
        StringBuilder s = new StringBuilder();
        s.append(done);
        if (total > 0) {
            s.append('/').append(total).append(String.format(Locale.ROOT, " (%.0f%%)", 100 * fraction()));
        }
        s.append(" · ").append(formatRate(rate()));
        if (finished) {
            s.append(" · ").append(formatDuration(elapsedSeconds()));
            if (total > 0 && done < total) {
                s.append(" · stopped");
            }
        } else {
            double eta = etaSeconds();
            if (!Double.isNaN(eta)) {
                s.append(" · ").append(formatDuration(eta)).append(" left");
            }
        }
        return s.toString();
    }

    static String formatRate(double perSecond) {
        if (perSecond >= 1 || perSecond == 0) {
            return String.format(Locale.ROOT, "%.1f/s", perSecond);
        }
        return String.format(Locale.ROOT, "%.1fs/step", 1 / perSecond);
    }

    static String formatDuration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }

    @Override
    public synchronized String toString() {
        int width = 20;
        StringBuilder s = new StringBuilder();
        if (!label.isEmpty()) {
            s.append(label).append(' ');
        }
        double f = fraction();
        if (!Double.isNaN(f)) {
            int filled = (int) Math.round(f * width);
            s.append('[').append("#".repeat(filled)).append(".".repeat(width - filled)).append("] ");
        }
        return s.append(status()).toString();
    }
}

package org.latentmotion.display;

import java.util.function.LongSupplier;

/**
 * One notebook output that a running cell shows once and then redraws in place, no more often
 * than a minimum interval: what {@link ProgressBar} and {@link LivePlot} share. The owner decides
 * what changed; this decides whether a redraw is due and sends it.
 */
final class LiveOutput {
    private final DisplaySink sink;
    private final LongSupplier clock;
    private final long minIntervalNanos;
    private String displayId;
    private long lastDrawNanos;

    LiveOutput(DisplaySink sink, LongSupplier clock, long minIntervalNanos) {
        this.sink = sink;
        this.clock = clock;
        this.minIntervalNanos = minIntervalNanos;
    }

    /** True if someone sees the output (no front end: skip the rendering altogether). */
    boolean watched() {
        return sink.isInteractive();
    }

    /** True once {@link #show} has run. */
    boolean shown() {
        return displayId != null;
    }

    /** Shows {@code value} as a new output now. */
    void show(Object value) {
        lastDrawNanos = clock.getAsLong();
        displayId = sink.display(Renderers.render(value));
    }

    /**
     * Redraws the output with {@code value} if it is shown and either {@code force} is set or the
     * minimum interval has passed since the last draw; true if it did.
     */
    boolean redraw(Object value, boolean force) {
        if (displayId == null) {
            return false;
        }
        long now = clock.getAsLong();
        if (!force && now - lastDrawNanos < minIntervalNanos) {
            return false;
        }
        lastDrawNanos = now;
        sink.update(displayId, Renderers.render(value));
        return true;
    }
}

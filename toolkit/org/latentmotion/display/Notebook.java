package org.latentmotion.display;

import java.util.Objects;

/**
 * IJava's notebook display API: {@code display}, {@code updateDisplay} and {@code render}.
 * Cells import these statically; toolkit code (live training plots, progress bars) calls them
 * too, so they work from inside a running cell.
 */
public final class Notebook {
    private static volatile DisplaySink sink = DisplaySink.NONE;

    private Notebook() {
    }

    /** Installs where displays go; the kernel calls this once at start. */
    public static void install(DisplaySink newSink) {
        sink = Objects.requireNonNull(newSink, "sink");
    }

    /** Where displays go now: the kernel's output, or {@link DisplaySink#NONE} outside a notebook. */
    public static DisplaySink sink() {
        return sink;
    }

    /** Shows {@code value} now, returning a display id for {@link #updateDisplay}. */
    public static String display(Object value) {
        return sink.display(Renderers.render(value));
    }

    /** Shows {@code value} restricted to the given MIME types. */
    public static String display(Object value, String... mimeTypes) {
        return sink.display(Renderers.render(value, mimeTypes));
    }

    /** Replaces the content of display {@code id} with {@code value}. */
    public static void updateDisplay(String id, Object value) {
        sink.update(id, Renderers.render(value));
    }

    /** Replaces the content of display {@code id} with {@code value}, restricted to the given MIME types. */
    public static void updateDisplay(String id, Object value, String... mimeTypes) {
        sink.update(id, Renderers.render(value, mimeTypes));
    }

    /** The MIME bundle for {@code value}, without showing it. */
    public static MimeBundle render(Object value, String... mimeTypes) {
        return Renderers.render(value, mimeTypes);
    }
}

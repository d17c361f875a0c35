package org.latentmotion.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.UnresolvedReferenceException;

/**
 * Turns JShell's compile diagnostics and the exceptions cell code throws into tracebacks that
 * point at cell lines ("in cell [5], line 3"), not at JShell's wrapper classes. It remembers
 * where each snippet came from ({@link #remember}); JShell names a snippet's frames
 * {@code #<snippet id>}, which is how a stack frame is mapped back to its cell and line.
 */
final class CellTracebacks {
    /**
     * Where a snippet came from: its cell and the offset of its first character there. JShell
     * numbers a snippet's lines from that character, so frame line 1 is the line holding it.
     */
    private record Origin(int cell, CellSource text, int start) {
        /** The 0-based cell line of the snippet's 1-based line {@code snippetLine}, clamped to the cell. */
        int cellLine(int snippetLine) {
            int line = text.lineIndexOf(start) + Math.max(1, snippetLine) - 1;
            return Math.min(line, text.lineCount() - 1);
        }
    }

    private final JShell shell;
    private final Map<String, Origin> origins = new ConcurrentHashMap<>();

    CellTracebacks(JShell shell) {
        this.shell = shell;
    }

    /** Records that {@code snippet} is the cell's text from offset {@code start} on. */
    void remember(Snippet snippet, int cell, CellSource text, int start) {
        origins.put(snippet.id(), new Origin(cell, text, start));
    }

    /** The exception a cell ends with when it is interrupted. */
    static CellException interruptedCell() {
        return new CellException.InterruptedCell("the cell was interrupted",
                List.of(Ansi.red("Interrupted") + ": the cell was stopped; variables keep the values they had."));
    }

    /** True for the exception a stopped cell thread ends with ({@code Thread.stop}). */
    static boolean isThreadDeath(Exception e) {
        return e instanceof EvalException ev ? "java.lang.ThreadDeath".equals(ev.getExceptionClassName())
                : "java.lang.ThreadDeath".equals(e.getClass().getName());
    }

    /** A snippet's first line, quoted, for messages. */
    static String describe(Snippet snippet) {
        String src = snippet.source().strip();
        int nl = src.indexOf('\n');
        return "'" + (nl < 0 ? src : src.substring(0, nl) + " …") + "'";
    }

    /** The message for a declaration that compiled but needs something not declared yet. */
    String recoverable(Snippet snippet) {
        return describe(snippet) + " is declared but cannot be used until "
                + String.join(", ", shell.unresolvedDependencies((DeclarationSnippet) snippet).toList()) + " exists.";
    }

    /**
     * A rejected snippet's errors, each with its cell line, column and a caret under the column.
     * {@code start} is the snippet's offset in the cell, {@code end} the end of its text there.
     */
    CellException compilationError(Snippet snippet, int cellNumber, CellSource text, int start, int end) {
        List<String> lines = new ArrayList<>();
        String first = null;
        CellException.Location location = null;
        for (Diag d : shell.diagnostics(snippet).toList()) {
            if (!d.isError()) {
                continue;
            }
            long pos = Math.max(0, d.getPosition() == Diag.NOPOS ? d.getStartPosition() : d.getPosition());
            int offset = (int) Math.min(start + pos, Math.max(start, end));
            int line = text.lineOf(offset);
            int column = text.columnOf(offset);
            String message = d.getMessage(Locale.ROOT);
            if (first == null) {
                first = "line " + line + ", column " + column + ": " + message.lines().findFirst().orElse("");
                location = new CellException.Location(cellNumber, line, column);
            }
            lines.add(Ansi.red("Compilation error") + " in cell [" + cellNumber + "], line " + line
                    + ", column " + column + ":");
            message.lines().forEach(l -> lines.add("    " + l));
            lines.add("  " + text.line(line - 1));
            lines.add("  " + caretIndent(text.line(line - 1), column) + Ansi.red("^"));
        }
        if (first == null) {
            first = "the snippet was rejected: " + describe(snippet);
            lines.add(Ansi.red("Compilation error") + ": " + first);
            location = new CellException.Location(cellNumber, text.lineOf(start), text.columnOf(start));
        }
        return new CellException.CompilationException(first, lines, location);
    }

    /** Spaces up to {@code column}, keeping the line's tabs so the caret lands under it in any tab width. */
    private static String caretIndent(String line, int column) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < column - 1; i++) {
            s.append(i < line.length() && line.charAt(i) == '\t' ? '\t' : ' ');
        }
        return s.toString();
    }

    /**
     * An exception thrown by cell code: its headline, the user's own line (the innermost frame
     * that is cell code), then the stack with the kernel's and JShell's frames left out and cell
     * frames named by cell and line.
     */
    CellException evaluationError(Exception e) {
        List<String> lines = new ArrayList<>();
        if (e instanceof UnresolvedReferenceException u) {
            String msg = "attempted to use " + describe(u.getSnippet()) + ", which cannot be used until "
                    + String.join(", ", shell.unresolvedDependencies(u.getSnippet()).toList()) + " is declared";
            lines.add(Ansi.red("UnresolvedReference") + ": " + msg);
            return new CellException.EvaluationException(msg, lines, null);
        }
        String className = e instanceof EvalException ev ? ev.getExceptionClassName() : e.getClass().getName();
        String message = e.getMessage();
        String headline = className + (message == null ? "" : ": " + message);
        lines.add(Ansi.red(simpleName(className)) + (message == null ? "" : ": " + message));
        CellException.Location location = null;
        for (StackTraceElement frame : e.getStackTrace()) {
            Origin o = origin(frame);
            if (o != null) {
                int line = o.cellLine(frame.getLineNumber());
                location = new CellException.Location(o.cell, line + 1, 0);
                lines.add("  " + Ansi.bold("in cell [" + o.cell + "], line " + (line + 1)) + ":  " + o.text.line(line).strip());
                break;
            }
        }
        appendTrace(e, lines, "");
        return new CellException.EvaluationException(headline, lines, location);
    }

    private void appendTrace(Throwable t, List<String> lines, String prefix) {
        if (!prefix.isEmpty()) {
            String cls = t instanceof EvalException ev ? ev.getExceptionClassName() : t.getClass().getName();
            lines.add(prefix + cls + (t.getMessage() == null ? "" : ": " + t.getMessage()));
        }
        for (StackTraceElement frame : t.getStackTrace()) {
            if (isInternal(frame)) {
                continue;
            }
            Origin o = origin(frame);
            if (o != null) {
                int line = o.cellLine(frame.getLineNumber());
                String method = frame.getMethodName().isEmpty() ? "" : frame.getMethodName() + " ";
                lines.add("    at " + method + "(cell [" + o.cell + "], line " + (line + 1) + ")");
            } else {
                lines.add("    " + Ansi.dim("at " + frame));
            }
        }
        if (t.getCause() != null && t.getCause() != t) {
            appendTrace(t.getCause(), lines, "Caused by: ");
        }
    }

    private Origin origin(StackTraceElement frame) {
        String file = frame.getFileName();
        if (file != null && file.startsWith("#")) {
            return origins.get(file.substring(1));
        }
        return null;
    }

    private static boolean isInternal(StackTraceElement frame) {
        String c = frame.getClassName();
        return c.startsWith("jdk.jshell.") || c.startsWith("org.latentmotion.kernel.")
                || c.startsWith("jdk.internal.reflect.") || c.startsWith("java.lang.reflect.Method")
                || c.startsWith("io.github.spencerpark.");
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }
}

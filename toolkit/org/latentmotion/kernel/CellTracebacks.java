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
    /** Where a snippet came from, so stack frames and diagnostics can name cell lines. */
    private record Origin(int cell, int firstLine, String[] cellLines) {
    }

    private final JShell shell;
    private final Map<String, Origin> origins = new ConcurrentHashMap<>();

    CellTracebacks(JShell shell) {
        this.shell = shell;
    }

    /** Records that {@code snippet}'s first line is line {@code firstLine} (0-based) of cell {@code cell}. */
    void remember(Snippet snippet, int cell, int firstLine, String[] cellLines) {
        origins.put(snippet.id(), new Origin(cell, firstLine, cellLines));
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

    /** The number of line breaks in {@code s} before index {@code upTo}. */
    static int countLines(String s, int upTo) {
        int n = 0;
        for (int i = 0; i < upTo && i < s.length(); i++) {
            if (s.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
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

    /** A rejected snippet's errors, each with its cell line, column and a caret under the column. */
    CellException compilationError(Snippet snippet, String source, int cellNumber, int snippetLine, String[] cellLines) {
        List<String> lines = new ArrayList<>();
        String first = null;
        for (Diag d : shell.diagnostics(snippet).toList()) {
            if (!d.isError()) {
                continue;
            }
            long pos = Math.max(0, d.getPosition() == Diag.NOPOS ? d.getStartPosition() : d.getPosition());
            int line = snippetLine + countLines(source, (int) pos);
            int lineStart = source.lastIndexOf('\n', (int) Math.min(pos, source.length()) - 1) + 1;
            int column = (int) pos - lineStart + 1;
            String message = d.getMessage(Locale.ROOT);
            if (first == null) {
                first = "line " + (line + 1) + ", column " + column + ": " + message.lines().findFirst().orElse("");
            }
            lines.add(Ansi.red("Compilation error") + " in cell [" + cellNumber + "], line " + (line + 1)
                    + ", column " + column + ":");
            message.lines().forEach(l -> lines.add("    " + l));
            if (line < cellLines.length) {
                lines.add("  " + cellLines[line]);
                lines.add("  " + " ".repeat(Math.max(0, column - 1)) + Ansi.red("^"));
            }
        }
        if (first == null) {
            first = "the snippet was rejected: " + describe(snippet);
            lines.add(Ansi.red("Compilation error") + ": " + first);
        }
        return new CellException.CompilationException(first, lines);
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
            return new CellException.EvaluationException(msg, lines);
        }
        String className = e instanceof EvalException ev ? ev.getExceptionClassName() : e.getClass().getName();
        String message = e.getMessage();
        String headline = className + (message == null ? "" : ": " + message);
        lines.add(Ansi.red(simpleName(className)) + (message == null ? "" : ": " + message));
        for (StackTraceElement frame : e.getStackTrace()) {
            Origin o = origin(frame);
            if (o != null) {
                int line = o.firstLine + frame.getLineNumber() - 1;
                String src = line >= 0 && line < o.cellLines.length ? o.cellLines[line].strip() : "";
                lines.add("  " + Ansi.bold("in cell [" + o.cell + "], line " + (line + 1)) + ":  " + src);
                break;
            }
        }
        appendTrace(e, lines, "");
        return new CellException.EvaluationException(headline, lines);
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
                int line = o.firstLine + frame.getLineNumber() - 1;
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

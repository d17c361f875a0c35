package org.latentmotion.kernel;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Evaluates cells with JShell: splits a cell into magic lines and Java snippets, runs them in
 * order, keeps the last value, and turns compile errors and exceptions into readable
 * tracebacks that point at cell lines. All evaluation happens on the thread that calls
 * {@link #run}; the kernel owns that thread and interrupts it.
 */
final class CellEngine {
    /** Where a snippet came from, so stack frames and diagnostics can name cell lines. */
    private record Origin(int cell, int firstLine, String[] cellLines) {
    }

    /** What running a cell produced: the last value, if the last snippet has one. */
    record Result(boolean hasValue, Object value) {
        static final Result NONE = new Result(false, null);
    }

    private final JShell shell;
    private final CellExecutionControl control;
    private final CellLoaderDelegate loaderDelegate;
    private final Map<String, Origin> origins = new ConcurrentHashMap<>();
    private MavenResolver maven;
    private volatile boolean interruptRequested;
    private boolean skipRest;

    CellEngine() {
        CellLoaderDelegate delegate = new CellLoaderDelegate(CellEngine.class.getClassLoader());
        this.loaderDelegate = delegate;
        this.control = new CellExecutionControl(delegate);
        this.shell = JShell.builder()
                .executionEngine(CellExecutionControl.provider(control), Map.of())
                .compilerOptions("-Xlint:none")
                .build();
        // The compiler sees the kernel's classpath; the loader delegate skips it (the parent has it).
        shell.addToClasspath(System.getProperty("java.class.path", ""));
    }

    CellClassLoader classLoader() {
        return control.classLoader();
    }

    boolean inUserCode() {
        return control.inUserCode();
    }

    void requestInterrupt() {
        interruptRequested = true;
    }

    /** Runs the default imports (also warms up the compiler, the slow part of a first cell). */
    void importDefaults() {
        for (String statement : DefaultImports.statements()) {
            for (SnippetEvent e : shell.eval(statement)) {
                if (e.status() == Snippet.Status.REJECTED) {
                    System.err.println("latentmotion kernel: default import failed: " + statement);
                }
            }
        }
    }

    /** Evaluates a cell; {@code cellNumber} names it in error messages. */
    Result run(String cell, int cellNumber) throws CellException {
        interruptRequested = false;
        skipRest = false;
        String[] lines = cell.split("\\R", -1);
        Result result = Result.NONE;
        List<String> code = new ArrayList<>();
        int codeStartLine = 0;
        for (int i = 0; i < lines.length; i++) {
            String trimmed = lines[i].strip();
            if (trimmed.startsWith("%") && !trimmed.startsWith("%%")) {
                if (!String.join("\n", code).isBlank()) {
                    runCode(String.join("\n", code), cellNumber, codeStartLine, lines);
                }
                if (skipRest) {
                    return Result.NONE;
                }
                runMagic(trimmed.substring(1).strip(), cellNumber, i);
                result = Result.NONE;
                code.clear();
                codeStartLine = i + 1;
            } else {
                code.add(lines[i]);
            }
        }
        String rest = String.join("\n", code);
        if (!rest.isBlank()) {
            result = runCode(rest, cellNumber, codeStartLine, lines);
        }
        return result;
    }

    private Result runCode(String code, int cellNumber, int firstLine, String[] cellLines) throws CellException {
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        Result result = Result.NONE;
        String rest = code;
        int offset = 0;
        while (!rest.isBlank()) {
            checkInterrupted();
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
            int consumed = rest.length() - info.remaining().length();
            String source = info.completeness().isComplete() ? info.source() : rest;
            if (!info.completeness().isComplete()) {
                consumed = rest.length();
            }
            int snippetLine = firstLine + countLines(code, offset);
            control.takeLastValue();
            List<SnippetEvent> events = shell.eval(source);
            loaderDelegate.releaseOverwrittenVariables(); // a declared-again variable's old value is unreachable
            result = Result.NONE;
            for (SnippetEvent event : events) {
                if (event.causeSnippet() != null) {
                    continue; // a consequence of this snippet on earlier ones (redefinitions)
                }
                Snippet snippet = event.snippet();
                // JShell numbers a snippet's lines from its first non-blank character
                int lead = 0;
                while (lead < source.length() && Character.isWhitespace(source.charAt(lead))) {
                    lead++;
                }
                origins.put(snippet.id(), new Origin(cellNumber, snippetLine + countLines(source, lead), cellLines));
                if (event.status() == Snippet.Status.REJECTED) {
                    throw compilationError(snippet, source, cellNumber, snippetLine, cellLines);
                }
                if (event.exception() != null) {
                    throw evaluationError(event.exception());
                }
                if (event.status() == Snippet.Status.RECOVERABLE_DEFINED
                        || event.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
                    System.err.println(describe(snippet) + " is declared but cannot be used until "
                            + String.join(", ", shell.unresolvedDependencies((jdk.jshell.DeclarationSnippet) snippet).toList())
                            + " exists.");
                }
                Object value = control.takeLastValue();
                result = valueOf(snippet, value);
            }
            offset += consumed;
            rest = rest.substring(consumed);
            if (interruptRequested) {
                // The code saw the interrupt and ended cleanly (a training loop stopping at a step
                // boundary): keep its value, skip the rest of the cell.
                interruptRequested = false;
                skipRest = true;
                System.err.println("Interrupted: the code stopped cleanly; the rest of the cell was skipped.");
                return result;
            }
        }
        return result;
    }

    private static Result valueOf(Snippet snippet, Object value) {
        switch (snippet.subKind()) {
            case VAR_VALUE_SUBKIND:
            case TEMP_VAR_EXPRESSION_SUBKIND:
            case OTHER_EXPRESSION_SUBKIND:
            case ASSIGNMENT_SUBKIND:
                return new Result(true, value);
            case VAR_DECLARATION_WITH_INITIALIZER_SUBKIND:
                // `var data = ...` shows the value it made (but a declared null shows nothing)
                return value == null ? Result.NONE : new Result(true, value);
            default:
                return Result.NONE;
        }
    }

    private void checkInterrupted() throws CellException {
        if (interruptRequested) {
            throw interrupted();
        }
    }

    CellException interrupted() {
        interruptRequested = false;
        return new CellException.InterruptedCell("the cell was interrupted",
                List.of(Ansi.red("Interrupted") + ": the cell was stopped; variables keep the values they had."));
    }

    private static int countLines(String s, int upTo) {
        int n = 0;
        for (int i = 0; i < upTo && i < s.length(); i++) {
            if (s.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
    }

    private static String describe(Snippet snippet) {
        String src = snippet.source().strip();
        int nl = src.indexOf('\n');
        return "'" + (nl < 0 ? src : src.substring(0, nl) + " …") + "'";
    }

    // ---------------------------------------------------------------- errors

    private CellException compilationError(Snippet snippet, String source, int cellNumber, int snippetLine,
                                           String[] cellLines) {
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

    private CellException evaluationError(Exception e) {
        if (Boolean.getBoolean("latentmotion.kernel.debug")) { e.printStackTrace(); }
        if (interruptRequested) {
            return interrupted();
        }
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
        if ("java.lang.ThreadDeath".equals(className)) {
            return interrupted();
        }
        lines.add(Ansi.red(simpleName(className)) + (message == null ? "" : ": " + message));
        // The user's own line first: the innermost frame that is cell code.
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

    // ---------------------------------------------------------------- magics

    private void runMagic(String magic, int cellNumber, int line) throws CellException {
        String[] parts = magic.split("\\s+", 2);
        String name = parts[0];
        String args = parts.length > 1 ? parts[1].strip() : "";
        try {
            switch (name) {
                case "classpath" -> addToClasspath(args, false);
                case "jars" -> addToClasspath(args, true);
                case "maven" -> maven(args);
                case "load" -> load(args, cellNumber);
                default -> throw new IllegalArgumentException("unknown magic %" + name
                        + "; this kernel knows %classpath, %jars, %maven, %load");
            }
        } catch (CellException e) {
            throw e;
        } catch (Exception e) {
            String msg = e.getMessage() == null ? e.toString() : e.getMessage();
            throw new CellException.MagicException("%" + name + ": " + msg,
                    List.of(Ansi.red("%" + name + " failed") + " (cell [" + cellNumber + "], line " + (line + 1) + "): " + msg));
        }
    }

    /** Adds folders and jars (globs allowed; entries split on spaces or the path separator). */
    private void addToClasspath(String args, boolean jarsOnly) throws IOException {
        if (args.isBlank()) {
            throw new IllegalArgumentException("expected one or more paths, e.g. %classpath lib/*.jar");
        }
        Set<Path> entries = new LinkedHashSet<>();
        for (String arg : args.split("[\\s" + File.pathSeparator + "]+")) {
            String a = unquote(arg);
            if (a.isEmpty()) {
                continue;
            }
            List<Path> matched = expand(a);
            if (matched.isEmpty()) {
                throw new IllegalArgumentException("no file or folder matches '" + a + "' (working directory "
                        + Paths.get("").toAbsolutePath() + ")");
            }
            for (Path p : matched) {
                if (Files.isDirectory(p) && jarsOnly) {
                    try (DirectoryStream<Path> jars = Files.newDirectoryStream(p, "*.jar")) {
                        jars.forEach(entries::add);
                    }
                } else {
                    entries.add(p);
                }
            }
        }
        for (Path p : entries) {
            shell.addToClasspath(p.toAbsolutePath().normalize().toString());
        }
    }

    private static List<Path> expand(String pattern) throws IOException {
        if (pattern.startsWith("~/")) {
            pattern = System.getProperty("user.home") + pattern.substring(1);
        }
        List<Path> out = new ArrayList<>();
        if (!pattern.contains("*") && !pattern.contains("?")) {
            Path p = Paths.get(pattern);
            if (Files.exists(p)) {
                out.add(p);
            }
            return out;
        }
        Path path = Paths.get(pattern);
        Path dir = path.getParent() == null ? Paths.get("") : path.getParent();
        String glob = path.getFileName().toString();
        if (Files.isDirectory(dir.toAbsolutePath())) {
            try (DirectoryStream<Path> s = Files.newDirectoryStream(dir.toAbsolutePath(), glob)) {
                s.forEach(out::add);
            }
        }
        out.sort(null);
        return out;
    }

    private void maven(String args) throws Exception {
        if (args.isBlank()) {
            throw new IllegalArgumentException("expected group:artifact:version, e.g. %maven org.apache.commons:commons-math3:3.6.1");
        }
        if (maven == null) {
            maven = new MavenResolver();
        }
        for (String coords : args.split("\\s+")) {
            List<File> jars = maven.resolve(unquote(coords));
            for (File jar : jars) {
                shell.addToClasspath(jar.getAbsolutePath());
            }
            System.out.println("%maven " + coords + ": " + jars.size() + " jar" + (jars.size() == 1 ? "" : "s")
                    + " on the classpath");
        }
    }

    /** Runs Java code from a file (.java/.jsh: the whole text; .ipynb: its code cells in order). */
    private void load(String args, int cellNumber) throws Exception {
        Path file = Paths.get(unquote(args));
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no such file: " + file.toAbsolutePath());
        }
        String text = Files.readString(file);
        if (file.getFileName().toString().endsWith(".ipynb")) {
            @SuppressWarnings("deprecation") JsonObject nb = new JsonParser().parse(text).getAsJsonObject();
            JsonArray cells = nb.getAsJsonArray("cells");
            for (JsonElement c : cells) {
                JsonObject cell = c.getAsJsonObject();
                if ("code".equals(cell.get("cell_type").getAsString())) {
                    JsonElement src = cell.get("source");
                    StringBuilder s = new StringBuilder();
                    if (src.isJsonArray()) {
                        src.getAsJsonArray().forEach(l -> s.append(l.getAsString()));
                    } else {
                        s.append(src.getAsString());
                    }
                    run(s.toString(), cellNumber);
                }
            }
        } else {
            run(text, cellNumber);
        }
    }

    private static String unquote(String s) {
        s = s.strip();
        if (s.length() >= 2 && (s.startsWith("\"") && s.endsWith("\"") || s.startsWith("'") && s.endsWith("'"))) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }

    // ---------------------------------------------------------------- analysis

    /** Replaces magic lines by spaces so offsets still match the cell. */
    private static String blankMagics(String cell) {
        StringBuilder out = new StringBuilder(cell.length());
        for (String line : cell.split("(?<=\\n)", -1)) {
            String t = line.strip();
            if (t.startsWith("%")) {
                out.append(line.replaceAll("[^\\n]", " "));
            } else {
                out.append(line);
            }
        }
        return out.toString();
    }

    /** Completion candidates at {@code cursor}: replacements for [start, cursor). */
    CompletionResult complete(String cell, int cursor) {
        String code = blankMagics(cell);
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        int start = 0;
        String rest = code;
        while (true) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
            int consumed = rest.length() - info.remaining().length();
            if (!info.completeness().isComplete() || consumed <= 0 || start + consumed >= cursor || info.remaining().isBlank()) {
                break;
            }
            start += consumed;
            rest = rest.substring(consumed);
        }
        String chunk = code.substring(start, Math.min(code.length(), Math.max(cursor, start)));
        int[] anchor = new int[1];
        List<SourceCodeAnalysis.Suggestion> suggestions = analysis.completionSuggestions(chunk, cursor - start, anchor);
        Set<String> preferred = new LinkedHashSet<>();
        Set<String> others = new LinkedHashSet<>();
        for (SourceCodeAnalysis.Suggestion s : suggestions) {
            (s.matchesType() ? preferred : others).add(s.continuation());
        }
        preferred.addAll(others);
        return new CompletionResult(new ArrayList<>(preferred), start + anchor[0], cursor);
    }

    record CompletionResult(List<String> matches, int start, int end) {
    }

    /** "complete", "incomplete" or "invalid", for Jupyter's is_complete. */
    String completeness(String cell) {
        String rest = blankMagics(cell);
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        while (!rest.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
            switch (info.completeness()) {
                case DEFINITELY_INCOMPLETE:
                case CONSIDERED_INCOMPLETE:
                    return "incomplete";
                case UNKNOWN:
                    return "invalid";
                default:
                    break;
            }
            if (info.remaining().length() >= rest.length()) {
                break;
            }
            rest = info.remaining();
        }
        return "complete";
    }

    /** Documentation of the symbol at {@code cursor}, or null. */
    String documentation(String cell, int cursor) {
        String code = blankMagics(cell);
        List<SourceCodeAnalysis.Documentation> docs = shell.sourceCodeAnalysis().documentation(code, cursor, true);
        if (docs.isEmpty()) {
            return null;
        }
        StringBuilder s = new StringBuilder();
        for (SourceCodeAnalysis.Documentation d : docs) {
            s.append(d.signature()).append('\n');
            if (d.javadoc() != null && !d.javadoc().isBlank()) {
                s.append(d.javadoc().strip()).append("\n\n");
            }
        }
        return s.toString().strip();
    }

    void close() {
        shell.close();
    }

    /** A few ANSI styles: Jupyter front ends and nbconvert render them in tracebacks. */
    static final class Ansi {
        private Ansi() {
        }

        static String red(String s) {
            return "\u001b[1;31m" + s + "\u001b[0m";
        }

        static String bold(String s) {
            return "\u001b[1m" + s + "\u001b[0m";
        }

        static String dim(String s) {
            return "\u001b[2m" + s + "\u001b[0m";
        }
    }
}

package org.latentmotion.kernel;

import java.util.List;
import java.util.Map;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;

/**
 * Evaluates cells with JShell: splits a cell into magic lines ({@link CellMagics}) and Java
 * snippets, runs them in order, keeps the last value, and ends the cell with a traceback that
 * points at cell lines ({@link CellTracebacks}) or at the first interrupt between snippets.
 * Questions about code not yet run go to {@link #analysis()}. All evaluation happens on the
 * thread that calls {@link #run}; the kernel owns that thread and interrupts it.
 */
final class CellEngine {
    /** What running a cell produced: the last value, if the last snippet has one. */
    record Result(boolean hasValue, Object value) {
        static final Result NONE = new Result(false, null);
    }

    private final JShell shell;
    private final CellExecutionControl control;
    private final CellLoaderDelegate loaderDelegate;
    private final CellTracebacks tracebacks;
    private final CellMagics magics;
    private final CellAnalysis analysis;
    private volatile boolean interruptRequested;
    private boolean skipRest;

    CellEngine() {
        CellLoaderDelegate delegate = new CellLoaderDelegate(CellEngine.class.getClassLoader());
        this.loaderDelegate = delegate;
        this.control = new CellExecutionControl(delegate);
        this.shell = JShell.builder()
                .executionEngine(CellExecutionControl.provider(control), Map.of())
                .compilerOptions("-Xlint:none")
                .fileManager(IndexKeepingFileManager::new) // javac's class path index outlives a task
                .build();
        // The compiler sees the kernel's classpath; the loader delegate skips it (the parent has it).
        shell.addToClasspath(System.getProperty("java.class.path", ""));
        this.tracebacks = new CellTracebacks(shell);
        this.magics = new CellMagics(shell, this::run);
        this.analysis = new CellAnalysis(shell, new SourceDocs(SourcePath.forKernel(control.classLoader())));
    }

    CellClassLoader classLoader() {
        return control.classLoader();
    }

    boolean inUserCode() {
        return control.inUserCode();
    }

    /** Completion, completeness and documentation for code not yet run. */
    CellAnalysis analysis() {
        return analysis;
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

    /**
     * Compiles, loads and runs one throwaway expression and drops it again, leaving no variable
     * behind. Why: the default imports load only part of the compiler; a first cell on a cold
     * kernel otherwise also pays for loading and first running the rest (typing an expression,
     * generating and defining its class), some 200 ms before its result appears.
     */
    void warmUp() {
        control.takeLastValue();
        for (SnippetEvent e : shell.eval("java.util.List.of(1).size() + 1")) {
            if (e.causeSnippet() == null && e.snippet() != null && e.status().isDefined()) {
                shell.drop(e.snippet()); // the temporary variable it made
            }
        }
        control.takeLastValue();
        loaderDelegate.releaseOverwrittenVariables();
    }

    /** Evaluates a cell; {@code cellNumber} names it in error messages. */
    Result run(String cell, int cellNumber) throws CellException {
        interruptRequested = false;
        skipRest = false;
        CellSource text = new CellSource(cell);
        Result result = Result.NONE;
        int chunkStart = 0; // offset of the code not yet run (magic lines split the cell into chunks)
        for (int i = 0; i < text.lineCount(); i++) {
            String trimmed = text.line(i).strip();
            if (CellMagics.isMagicLine(trimmed)) {
                if (!cell.substring(chunkStart, text.lineStart(i)).isBlank()) {
                    runCode(text, chunkStart, text.lineStart(i), cellNumber);
                }
                if (skipRest) {
                    return Result.NONE;
                }
                magics.run(trimmed.substring(1).strip(), cellNumber, i);
                result = Result.NONE;
                chunkStart = text.nextLineStart(i);
            }
        }
        if (!cell.substring(chunkStart).isBlank()) {
            result = runCode(text, chunkStart, cell.length(), cellNumber);
        }
        return result;
    }

    /** Runs the code in the cell's characters [from, to), snippet by snippet. */
    private Result runCode(CellSource text, int from, int to, int cellNumber) throws CellException {
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        Result result = Result.NONE;
        String rest = text.text().substring(from, to);
        int restStart = from; // offset of rest in the cell
        while (!rest.isBlank()) {
            checkInterrupted();
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
            boolean complete = info.completeness().isComplete();
            int consumed = complete ? rest.length() - info.remaining().length() : rest.length();
            String source = complete ? info.source() : rest;
            // JShell is given the snippet from its first code character, past blank lines and
            // comments: its line map miscounts a source that starts with a line break (a comment
            // line after an earlier snippet was reported one line up), and numbers an expression's
            // lines from the expression, not from the comments before it. Offsets into the cell
            // stay exact whatever JShell is given.
            int lead = codeStart(source);
            String evalSource = source.substring(lead);
            int sourceStart = restStart + lead;
            int sourceEnd = restStart + consumed; // (JShell may append a ';' that is not in the cell)
            control.takeLastValue();
            // javac reads jars through interruptible channels, and the file manager keeps them open between
            // cells: a flag left set (the kernel only interrupts the cell's own code, and clears that) must not close them
            Thread.interrupted();
            List<SnippetEvent> events = shell.eval(evalSource);
            loaderDelegate.releaseOverwrittenVariables(); // a declared-again variable's old value is unreachable
            result = Result.NONE;
            for (SnippetEvent event : events) {
                if (event.causeSnippet() != null) {
                    continue; // a consequence of this snippet on earlier ones (redefinitions)
                }
                Snippet snippet = event.snippet();
                int within = evalSource.indexOf(snippet.source()); // one source may become several snippets
                int snippetStart = sourceStart + Math.max(0, within);
                tracebacks.remember(snippet, cellNumber, text, snippetStart);
                if (event.status() == Snippet.Status.REJECTED) {
                    throw tracebacks.compilationError(snippet, cellNumber, text, snippetStart, sourceEnd);
                }
                if (event.exception() != null) {
                    throw evaluationError(event.exception());
                }
                if (event.status() == Snippet.Status.RECOVERABLE_DEFINED
                        || event.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
                    System.err.println(tracebacks.recoverable(snippet));
                }
                Object value = control.takeLastValue();
                result = valueOf(snippet, value);
            }
            restStart += consumed;
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

    /** The index of the first character of {@code source} that is neither white space nor in a comment. */
    static int codeStart(String source) {
        int i = 0;
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (source.startsWith("//", i)) {
                int eol = source.indexOf('\n', i);
                i = eol < 0 ? n : eol + 1;
            } else if (source.startsWith("/*", i)) {
                int close = source.indexOf("*/", i + 2);
                if (close < 0) {
                    return i; // an unclosed comment is JShell's to report
                }
                i = close + 2;
            } else {
                break;
            }
        }
        return i;
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

    /** The exception an interrupted cell ends with; clears the pending interrupt. */
    CellException interrupted() {
        interruptRequested = false;
        return CellTracebacks.interruptedCell();
    }

    /** An exception from cell code: an interrupt if one was asked for (or the thread was stopped), else a traceback. */
    private CellException evaluationError(Exception e) {
        if (Boolean.getBoolean("latentmotion.kernel.debug")) { e.printStackTrace(); }
        if (interruptRequested || CellTracebacks.isThreadDeath(e)) {
            return interrupted();
        }
        return tracebacks.evaluationError(e);
    }

    void close() {
        shell.close();
    }
}

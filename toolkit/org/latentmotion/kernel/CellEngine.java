package org.latentmotion.kernel;

import java.util.ArrayList;
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
                .build();
        // The compiler sees the kernel's classpath; the loader delegate skips it (the parent has it).
        shell.addToClasspath(System.getProperty("java.class.path", ""));
        this.tracebacks = new CellTracebacks(shell);
        this.magics = new CellMagics(shell, this::run);
        this.analysis = new CellAnalysis(shell);
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
            if (CellMagics.isMagicLine(trimmed)) {
                if (!String.join("\n", code).isBlank()) {
                    runCode(String.join("\n", code), cellNumber, codeStartLine, lines);
                }
                if (skipRest) {
                    return Result.NONE;
                }
                magics.run(trimmed.substring(1).strip(), cellNumber, i);
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
            int snippetLine = firstLine + CellTracebacks.countLines(code, offset);
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
                tracebacks.remember(snippet, cellNumber, snippetLine + CellTracebacks.countLines(source, lead), cellLines);
                if (event.status() == Snippet.Status.REJECTED) {
                    throw tracebacks.compilationError(snippet, source, cellNumber, snippetLine, cellLines);
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

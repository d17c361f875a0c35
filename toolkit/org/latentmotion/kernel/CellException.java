package org.latentmotion.kernel;

import java.util.List;

/**
 * A cell that did not run to its end: a compile error, an exception from the cell's code, or an
 * interrupt. Carries the Jupyter traceback lines already formatted for the reader.
 */
class CellException extends Exception {
    /**
     * Where in the cell the error is: 1-based line and column. Column 0 means the line is known
     * but not the column: a stack frame records lines only.
     */
    record Location(int cell, int line, int column) {
    }

    private final List<String> traceback;
    private final Location location;

    CellException(String message, List<String> traceback) {
        this(message, traceback, null);
    }

    CellException(String message, List<String> traceback, Location location) {
        super(message);
        this.traceback = List.copyOf(traceback);
        this.location = location;
    }

    /** The kernel's own frames mean nothing to the reader; the traceback says it all. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }

    List<String> traceback() {
        return traceback;
    }

    /** The cell line (and column, for compile errors) the error points at, or null if it points at none. */
    Location location() {
        return location;
    }

    /** The cell's code does not compile. */
    static final class CompilationException extends CellException {
        CompilationException(String message, List<String> traceback, Location location) {
            super(message, traceback, location);
        }
    }

    /** The cell's code threw. */
    static final class EvaluationException extends CellException {
        EvaluationException(String message, List<String> traceback, Location location) {
            super(message, traceback, location);
        }
    }

    /** The user interrupted the cell. */
    static final class InterruptedCell extends CellException {
        InterruptedCell(String message, List<String> traceback) {
            super(message, traceback);
        }
    }

    /** A magic ({@code %classpath}, {@code %maven}, ...) failed. */
    static final class MagicException extends CellException {
        MagicException(String message, List<String> traceback) {
            super(message, traceback);
        }
    }
}

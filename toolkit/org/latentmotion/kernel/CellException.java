package org.latentmotion.kernel;

import java.util.List;

/**
 * A cell that did not run to its end: a compile error, an exception from the cell's code, or an
 * interrupt. Carries the Jupyter traceback lines already formatted for the reader.
 */
class CellException extends Exception {
    private final List<String> traceback;

    CellException(String message, List<String> traceback) {
        super(message);
        this.traceback = List.copyOf(traceback);
    }

    /** The kernel's own frames mean nothing to the reader; the traceback says it all. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }

    List<String> traceback() {
        return traceback;
    }

    /** The cell's code does not compile. */
    static final class CompilationException extends CellException {
        CompilationException(String message, List<String> traceback) {
            super(message, traceback);
        }
    }

    /** The cell's code threw. */
    static final class EvaluationException extends CellException {
        EvaluationException(String message, List<String> traceback) {
            super(message, traceback);
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

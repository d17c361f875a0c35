package org.latentmotion.wplus;

/**
 * A file that is not a well-formed NPY/NPZ array of a supported kind: bad magic, a header that
 * does not parse or lies about the data, an unsupported dtype, truncated data, non-finite
 * values. The message names the file and the problem; nothing half-read is ever returned.
 */
public class NpyFormatException extends RuntimeException {
    private final String file;
    private final String problem;

    /** A failure reading {@code file}; the message is "file: problem". */
    public NpyFormatException(String file, String problem) {
        super(file + ": " + problem);
        this.file = file;
        this.problem = problem;
    }

    /** A failure reading {@code file} caused by {@code cause} (an I/O or parse error underneath). */
    public NpyFormatException(String file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
        this.problem = problem;
    }

    /** The file (and for NPZ the member) that was being read. */
    public String file() {
        return file;
    }

    /** What is wrong with it, without the file name. */
    public String problem() {
        return problem;
    }
}

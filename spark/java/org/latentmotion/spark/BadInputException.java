package org.latentmotion.spark;

/**
 * An input file a job could not use (not an NPY file, a trajectory of the wrong shape, an
 * unreadable picture, a folder with no frames), naming the file. A task throws it on an
 * executor; Spark ships it back to the driver, where {@link SparkJobs} rethrows it as the job's
 * error in place of Spark's stage-failure report, so the notebook shows which file is bad.
 */
public final class BadInputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String file;

    /**
     * A bad input.
     *
     * @param file the input's path, as the job was given it
     * @param message what was expected and what was found, naming the file
     * @param cause the error reading it, or null
     */
    public BadInputException(String file, String message, Throwable cause) {
        super(message, cause);
        this.file = file;
    }

    /** The bad input's path, as the job was given it. */
    public String file() {
        return file;
    }
}

package org.latentmotion.spark;

import java.io.Serializable;

/**
 * One trajectory a render task handled: its input file, trajectory name, the video it wrote, frames,
 * bytes and time, or (output null) why the input could not be rendered.
 */
record RenderedFile(String input, String trajectory, String output, int frames, long bytes, long millis, String error)
        implements Serializable {
    /** The row of an input that could not be rendered. */
    static RenderedFile bad(String input, String error) {
        return new RenderedFile(input, null, null, 0, 0, 0, error);
    }
}

package org.latentmotion.spark;

import java.io.Serializable;

/** One video a render task wrote: its input file, trajectory name, output path, frames, bytes and time. */
record RenderedFile(String input, String trajectory, String output, int frames, long bytes, long millis)
        implements Serializable {
}

package org.latentmotion.spark;

import java.io.Serializable;

/**
 * One input an encode task handled: its path, the NPY it wrote, frames, W+ layers and time, or
 * (output null) why the input could not be encoded.
 */
record EncodedFile(String input, String output, int frames, int layers, long millis, String error)
        implements Serializable {
}

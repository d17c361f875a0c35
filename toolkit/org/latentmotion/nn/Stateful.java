package org.latentmotion.nn;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Something whose arrays are saved by name and read back: a network's parameters and buffers, an
 * optimiser's moments. Names are given a prefix so several parts share one file.
 */
public interface Stateful {
    /** Copies of every array, each named {@code prefix + its own name}. */
    Map<String, INDArray> state(String prefix);

    /** Overwrites every array from {@code state} (names prefixed); checks that all are there, with their shapes, first. */
    void load(Map<String, INDArray> state, String prefix);
}

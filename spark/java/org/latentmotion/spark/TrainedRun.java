package org.latentmotion.spark;

import java.io.Serializable;
import java.util.LinkedHashMap;

/** One model a {@link TrainManyJob} task trained: its preset, seed, outcome, final figures and checkpoint. */
record TrainedRun(String preset, long seed, String type, long steps, String outcome, double seconds,
        LinkedHashMap<String, Double> figures, String checkpoint) implements Serializable {
}

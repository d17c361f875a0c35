package org.latentmotion.motion;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Where a {@link Trainer} run stands, as saved in a checkpoint: its settings (seed, epochs, step
 * cap, checkpoint and snapshot periods, divergence limit), its position (critic and generator
 * steps done) and what it trains on. Typed, and checked when read: a missing, unknown or
 * unreadable key, or a value out of range, is an error naming the key, so a hand-edited or
 * truncated checkpoint cannot resume a different run without a word.
 */
record TrainerState(long seed, int epochs, long maxSteps, int checkpointEvery, double divergenceLimit,
                    int snapshotEvery, long criticSteps, long generatorSteps, String windows, String data,
                    String startedAt) {

    /** Keys the checkpoint file itself adds. */
    private static final List<String> FILE_KEYS = List.of("format");

    TrainerState {
        if (epochs < 0) {
            throw bad("epochs", epochs, "≥ 0");
        }
        if (maxSteps < 1) {
            throw bad("maxSteps", maxSteps, "≥ 1");
        }
        if (checkpointEvery < 0) {
            throw bad("checkpointEvery", checkpointEvery, "≥ 0");
        }
        if (!(divergenceLimit > 0)) {
            throw bad("divergenceLimit", divergenceLimit, "> 0");
        }
        if (snapshotEvery < 1) {
            throw bad("snapshotEvery", snapshotEvery, "≥ 1");
        }
        if (criticSteps < 0 || generatorSteps < 0) {
            throw bad(criticSteps < 0 ? "criticSteps" : "generatorSteps", Math.min(criticSteps, generatorSteps), "≥ 0");
        }
        if (windows == null || data == null || startedAt == null) {
            throw new IllegalArgumentException("trainer state: windows, data and startedAt must be given");
        }
    }

    private static IllegalArgumentException bad(String key, Object value, String expected) {
        return new IllegalArgumentException("trainer state " + key + ": expected " + expected + ", found " + value);
    }

    Properties toProperties() {
        Properties p = new Properties();
        p.putAll(RecordProperties.write(this));
        return p;
    }

    /** Reads what {@link #toProperties()} wrote; {@code what} names the file in errors. */
    static TrainerState parse(Properties p, String what) {
        Map<String, String> in = new LinkedHashMap<>();
        for (String key : p.stringPropertyNames()) {
            in.put(key, p.getProperty(key));
        }
        return RecordProperties.read(TrainerState.class, in, Map.of(), FILE_KEYS, what + ": trainer state");
    }
}

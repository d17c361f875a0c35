package org.latentmotion.motion;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Where a {@link Trainer} run stands, as saved in a checkpoint: the model type, the run's
 * settings (seed, epochs, step cap, checkpoint and snapshot periods, divergence limit), its
 * position (real batches consumed and training steps done) and what it trains on. Typed, and
 * checked when read: a missing, unknown or unreadable key, or a value out of range, is an error
 * naming the key, so a hand-edited or truncated checkpoint cannot resume a different run without
 * a word.
 *
 * <p>Checkpoints of format 1 (before the training contract) were StyleVideoGan's only and named
 * the position {@code criticSteps} and {@code generatorSteps}; they are read as
 * {@code batchesDone} and {@code stepsDone} of model type {@code StyleVideoGan}.
 */
record TrainerState(String model, long seed, int epochs, long maxSteps, int checkpointEvery, double divergenceLimit,
                    int snapshotEvery, long batchesDone, long stepsDone, String windows, String data,
                    String startedAt) {

    /** Keys the checkpoint file itself adds. */
    private static final List<String> FILE_KEYS = List.of("format");
    /** Format-1 names of the position, by their names now. */
    private static final Map<String, String> FORMAT_1_NAMES = Map.of("criticSteps", "batchesDone", "generatorSteps", "stepsDone");

    TrainerState {
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("trainer state model: expected a model type name, found " + model);
        }
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
        if (batchesDone < 0 || stepsDone < 0) {
            throw bad(batchesDone < 0 ? "batchesDone" : "stepsDone", Math.min(batchesDone, stepsDone), "≥ 0");
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

    /**
     * Reads what {@link #toProperties()} wrote, or a format-1 state ({@code format1}: old names,
     * no model type); {@code what} names the file in errors.
     */
    static TrainerState parse(Properties p, boolean format1, String what) {
        Map<String, String> in = new LinkedHashMap<>();
        for (String key : p.stringPropertyNames()) {
            String name = format1 ? FORMAT_1_NAMES.getOrDefault(key, key) : key;
            if (format1 && (FORMAT_1_NAMES.containsValue(key) || key.equals("model"))) {
                name = key + " (not a format-1 name)"; // refused below as unknown, as any foreign key
            }
            in.put(name, p.getProperty(key));
        }
        Map<String, Object> addedLater = format1 ? Map.of("model", StyleVideoGan.TYPE_NAME) : Map.of();
        return RecordProperties.read(TrainerState.class, in, addedLater, FILE_KEYS, what + ": trainer state");
    }
}

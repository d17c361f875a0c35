package org.latentmotion.motion;

import java.util.LinkedHashSet;
import java.util.Properties;
import java.util.Set;

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

    private static final Set<String> KEYS = Set.of("seed", "epochs", "maxSteps", "checkpointEvery", "divergenceLimit",
            "snapshotEvery", "criticSteps", "generatorSteps", "windows", "data", "startedAt");
    /** Keys the checkpoint file itself adds. */
    private static final Set<String> FILE_KEYS = Set.of("format");

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
        p.setProperty("seed", Long.toString(seed));
        p.setProperty("epochs", Integer.toString(epochs));
        p.setProperty("maxSteps", Long.toString(maxSteps));
        p.setProperty("checkpointEvery", Integer.toString(checkpointEvery));
        p.setProperty("divergenceLimit", Double.toString(divergenceLimit));
        p.setProperty("snapshotEvery", Integer.toString(snapshotEvery));
        p.setProperty("criticSteps", Long.toString(criticSteps));
        p.setProperty("generatorSteps", Long.toString(generatorSteps));
        p.setProperty("windows", windows);
        p.setProperty("data", data);
        p.setProperty("startedAt", startedAt);
        return p;
    }

    /** Reads what {@link #toProperties()} wrote; {@code what} names the file in errors. */
    static TrainerState parse(Properties p, String what) {
        Set<String> unknown = new LinkedHashSet<>(p.stringPropertyNames());
        unknown.removeAll(KEYS);
        unknown.removeAll(FILE_KEYS);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(what + ": unknown trainer state keys " + unknown);
        }
        try {
            return new TrainerState(longOf(p, "seed", what), (int) longOf(p, "epochs", what), longOf(p, "maxSteps", what),
                    (int) longOf(p, "checkpointEvery", what), doubleOf(p, "divergenceLimit", what),
                    (int) longOf(p, "snapshotEvery", what), longOf(p, "criticSteps", what),
                    longOf(p, "generatorSteps", what), text(p, "windows", what), text(p, "data", what),
                    text(p, "startedAt", what));
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith(what) ? e : new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
    }

    private static String text(Properties p, String key, String what) {
        String v = p.getProperty(key);
        if (v == null) {
            throw new IllegalArgumentException(what + ": trainer state has no " + key + " (a truncated or foreign checkpoint)");
        }
        return v;
    }

    private static long longOf(Properties p, String key, String what) {
        String v = text(p, key, what).trim();
        try {
            long x = Long.parseLong(v);
            if (!key.equals("seed") && !key.equals("maxSteps") && !key.equals("criticSteps") && !key.equals("generatorSteps")
                    && (x > Integer.MAX_VALUE || x < Integer.MIN_VALUE)) {
                throw new IllegalArgumentException(what + ": trainer state " + key + ": expected an int, found " + v);
            }
            return x;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + ": trainer state " + key + ": expected an integer, found '" + v + "'");
        }
    }

    private static double doubleOf(Properties p, String key, String what) {
        String v = text(p, key, what).trim();
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + ": trainer state " + key + ": expected a number, found '" + v + "'");
        }
    }
}

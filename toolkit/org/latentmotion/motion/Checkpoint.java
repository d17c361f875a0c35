package org.latentmotion.motion;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.latentmotion.wplus.AtomicFile;

/**
 * A training checkpoint: one file (a ZIP) holding the model as its
 * {@link TrainableMotionModel#save} wrote it ({@code model.npz}; for {@link StyleVideoGan}:
 * parameters, Adam state, EMA, running statistics, config), the trainer's position and settings
 * with the model's type name ({@code trainer.properties}) and the history so far
 * ({@code history.csv}). Written to a temporary file beside the target and moved into place, so a
 * crash mid-write never leaves a broken checkpoint or loses the previous one. Read back with the
 * {@link ModelType} registered under the recorded name ({@link ModelTypes}); checkpoints of
 * format 1, written before other models could be trained, are StyleVideoGan's and still read.
 */
public final class Checkpoint {
    static final String MODEL = "model.npz";
    static final String STATE = "trainer.properties";
    static final String HISTORY = "history.csv";
    static final String FORMAT = "latentmotion-trainer-checkpoint-2";
    /** StyleVideoGan only, the position named criticSteps / generatorSteps. */
    static final String FORMAT_1 = "latentmotion-trainer-checkpoint-1";

    private final TrainableMotionModel model;
    private final TrainerState state;
    private final TrainingHistory history;

    private Checkpoint(TrainableMotionModel model, TrainerState state, TrainingHistory history) {
        this.model = model;
        this.state = state;
        this.history = history;
    }

    /** The model as it was when the checkpoint was written. */
    public TrainableMotionModel model() {
        return model;
    }

    /**
     * The model as a {@code type} (e.g. {@code checkpoint.model(StyleVideoGan.class)}).
     *
     * @throws IllegalArgumentException naming both types if the checkpoint holds another kind of model
     */
    public <M extends TrainableMotionModel> M model(Class<M> type) {
        if (!type.isInstance(model)) {
            throw new IllegalArgumentException("checkpoint: expected a " + type.getSimpleName() + ", it holds a "
                    + state.model() + " (" + model.getClass().getName() + ")");
        }
        return type.cast(model);
    }

    /** The recorded model type name (see {@link ModelTypes}). */
    public String modelType() {
        return state.model();
    }

    TrainerState state() {
        return state;
    }

    /** The run's history up to the checkpoint. */
    public TrainingHistory history() {
        return history;
    }

    /** Training steps done when the checkpoint was written. */
    public long steps() {
        return state.stepsDone();
    }

    /**
     * Generator steps done when the checkpoint was written (StyleVideoGan's training steps).
     *
     * @deprecated every model's steps are counted alike now: use {@link #steps()}
     */
    @Deprecated
    public long generatorSteps() {
        return steps();
    }

    /** Writes {@code model}, trainer {@code state} and {@code history} to {@code path} atomically. */
    static void write(Path path, TrainableMotionModel model, TrainerState state, TrainingHistory history) {
        Objects.requireNonNull(path, "checkpoint path");
        if (!model.type().name().equals(state.model())) {
            throw new IllegalArgumentException("checkpoint: the state names model type " + state.model() + ", the model is a "
                    + model.type().name());
        }
        Path dir = path.toAbsolutePath().getParent();
        Path modelTmp = null;
        try {
            Files.createDirectories(dir);
            removeStaleTemporaries(dir, path.getFileName().toString());
            modelTmp = Files.createTempFile(dir, "." + path.getFileName() + "-model-", ".npz");
            model.save(modelTmp);
            Properties s = new Properties();
            s.putAll(state.toProperties());
            s.setProperty("format", FORMAT);
            Path modelFile = modelTmp;
            AtomicFile.write(path, raw -> {
                try (ZipOutputStream zip = new ZipOutputStream(raw)) {
                    zip.putNextEntry(new ZipEntry(MODEL));
                    Files.copy(modelFile, zip);
                    zip.closeEntry();
                    zip.putNextEntry(new ZipEntry(STATE));
                    StringWriter w = new StringWriter();
                    s.store(w, "latentmotion Trainer state");
                    zip.write(w.toString().getBytes(StandardCharsets.UTF_8));
                    zip.closeEntry();
                    zip.putNextEntry(new ZipEntry(HISTORY));
                    zip.write(history.toCsv().getBytes(StandardCharsets.UTF_8));
                    zip.closeEntry();
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("could not write checkpoint " + path, e);
        } finally {
            deleteQuietly(modelTmp);
        }
    }

    /**
     * Reads a checkpoint written by a {@link Trainer}, loading its model with the registered
     * {@link ModelType} of the recorded name.
     *
     * @throws IllegalArgumentException if the file is missing, is not a trainer checkpoint, or
     *     names a model type that is not registered
     */
    public static Checkpoint read(Path path) {
        Objects.requireNonNull(path, "checkpoint path");
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("checkpoint: expected a file written by Trainer, found no file at " + path);
        }
        Map<String, byte[]> entries = new HashMap<>();
        try (InputStream raw = Files.newInputStream(path); ZipInputStream zip = new ZipInputStream(raw)) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                zip.transferTo(b);
                entries.put(e.getName(), b.toByteArray());
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("checkpoint " + path + ": expected a ZIP written by Trainer, could not read it ("
                    + e.getMessage() + ")", e);
        }
        for (String name : new String[] {MODEL, STATE, HISTORY}) {
            if (!entries.containsKey(name)) {
                throw new IllegalArgumentException("checkpoint " + path + ": expected entries " + MODEL + ", " + STATE
                        + ", " + HISTORY + ", found " + entries.keySet());
            }
        }
        Properties state = new Properties();
        try {
            state.load(new StringReader(new String(entries.get(STATE), StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String format = state.getProperty("format");
        if (!FORMAT.equals(format) && !FORMAT_1.equals(format)) {
            throw new IllegalArgumentException("checkpoint " + path + ": expected format " + FORMAT + " (or " + FORMAT_1
                    + "), found " + format);
        }
        TrainerState trainerState = TrainerState.parse(state, FORMAT_1.equals(format), "checkpoint " + path);
        ModelType type;
        try {
            type = ModelTypes.named(trainerState.model());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("checkpoint " + path + ": " + e.getMessage(), e);
        }
        Path modelTmp = null;
        try {
            modelTmp = Files.createTempFile("latentmotion-checkpoint-", ".npz");
            Files.write(modelTmp, entries.get(MODEL));
            TrainableMotionModel model = type.load(modelTmp);
            if (!type.name().equals(model.type().name())) {
                throw new IllegalArgumentException("checkpoint " + path + ": model type " + type.name() + " loaded a model of type "
                        + model.type().name());
            }
            TrainingHistory history;
            try {
                history = TrainingHistory.fromCsv(new String(entries.get(HISTORY), StandardCharsets.UTF_8), model.figures());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("checkpoint " + path + ": " + e.getMessage(), e);
            }
            return new Checkpoint(model, trainerState, history);
        } catch (IOException e) {
            throw new UncheckedIOException("could not unpack the model of checkpoint " + path, e);
        } finally {
            deleteQuietly(modelTmp);
        }
    }

    /**
     * Deletes temporaries a killed writer of this checkpoint left behind: only this writer's own
     * name patterns ({@code .<name>-*.tmp}, {@code .<name>-model-*.npz}), and only files last
     * written before this JVM started, so a concurrent writer's files are never touched.
     */
    static int removeStaleTemporaries(Path dir, String name) {
        long started = ProcessHandle.current().info().startInstant().map(java.time.Instant::toEpochMilli)
                .orElse(java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime());
        String prefix = "." + name + "-";
        int removed = 0;
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String f = p.getFileName().toString();
                boolean ours = f.startsWith(prefix) && (f.endsWith(".tmp") || (f.startsWith(prefix + "model-") && f.endsWith(".npz")));
                if (ours && Files.isRegularFile(p) && Files.getLastModifiedTime(p).toMillis() < started) {
                    Files.deleteIfExists(p);
                    removed++;
                }
            }
        } catch (IOException e) {
            // cleaning is a courtesy: the checkpoint write itself must not fail for it
        }
        return removed;
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // a stray temp file is harmless; the checkpoint itself is what matters
            }
        }
    }

    @Override
    public String toString() {
        return "Checkpoint of a " + state.model() + " after " + state.stepsDone() + " steps (seed " + state.seed() + ", data "
                + state.data() + ")";
    }
}

package org.latentmotion.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.latentmotion.motion.ModelTypes;
import org.latentmotion.motion.TrainableMotionModel;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * A sweep of presets × seeds as Spark tasks, each training one model with the shared
 * {@link org.latentmotion.motion.Trainer}: the presets are untrained models of any registered
 * type (the driver saves each once; a task loads it by its type's name, so the type must be known
 * on the executors — a type listed in {@code META-INF/services}, as the toolkit's are). Each task
 * writes {@code <folder>/<preset>-seed<k>.model} and {@code <preset>-seed<k>.csv} (its metrics
 * row) atomically; the result is one row per (preset, seed), from the successful attempts only.
 *
 * <pre>{@code
 * Table runs = jobs.trainMany(Map.of("with gap", ganA, "without gap", ganB)).on(realFiles)
 *         .seeds(0, 1, 2, 3, 4).maxSteps(2500).into("file:///runs/looping");
 * }</pre>
 */
public final class TrainManyJob {
    private final SparkJobs jobs;
    private final Map<String, TrainableMotionModel> presets;
    private List<String> dataFiles;
    private long[] seeds = {0};
    private long maxSteps = 1000;

    TrainManyJob(SparkJobs jobs, Map<String, ? extends TrainableMotionModel> presets) {
        this.jobs = jobs;
        Objects.requireNonNull(presets, "presets");
        if (presets.isEmpty()) {
            throw new IllegalArgumentException("trainMany: expected at least one preset, found none");
        }
        Set<String> names = new LinkedHashSet<>();
        for (String label : presets.keySet()) {
            if (!label.matches("[A-Za-z0-9 ._=+-]+")) {
                throw new IllegalArgumentException("trainMany: preset name '" + label + "' becomes a file name; use"
                        + " letters, digits, spaces and . _ = + -");
            }
            if (!names.add(fileName(label))) {
                throw new IllegalArgumentException("trainMany: two presets have the file name " + fileName(label));
            }
        }
        this.presets = new LinkedHashMap<>(presets);
    }

    /** The training data: Hadoop paths of NPY trajectory files ([T, L, D] or [N, T, L, D]). */
    public TrainManyJob on(List<String> npyFiles) {
        Objects.requireNonNull(npyFiles, "npyFiles");
        if (npyFiles.isEmpty()) {
            throw new IllegalArgumentException("trainMany: expected training .npy files, found none");
        }
        dataFiles = List.copyOf(npyFiles);
        return this;
    }

    /** The training seeds; every preset is trained once per seed (default {0}). */
    public TrainManyJob seeds(long... s) {
        if (s.length == 0) {
            throw new IllegalArgumentException("trainMany: expected at least one seed");
        }
        Set<Long> distinct = new LinkedHashSet<>();
        for (long v : s) {
            if (!distinct.add(v)) {
                throw new IllegalArgumentException("trainMany: seed " + v + " is listed twice");
            }
        }
        seeds = s.clone();
        return this;
    }

    /**
     * Training steps per model (default 1000): every model trains exactly this many steps (unless
     * training stops early, e.g. on a diverging loss), however many epochs of the data that takes.
     */
    public TrainManyJob maxSteps(long n) {
        if (n < 1) {
            throw new IllegalArgumentException("trainMany: maxSteps: expected at least 1, found " + n);
        }
        maxSteps = n;
        return this;
    }

    /**
     * Runs the sweep, one task per (preset, seed), writing into {@code folder} (a Hadoop path);
     * returns one row per run: preset, seed, type, steps, outcome, seconds, checkpoint and the
     * final value of every training figure.
     */
    public Table into(String folder) {
        Objects.requireNonNull(folder, "folder");
        if (dataFiles == null) {
            throw new IllegalStateException("trainMany: say what to train on first: .on(npyFiles)");
        }
        HadoopConfiguration conf = jobs.hadoopConfiguration();
        List<TrainPartition.Run> runs = new ArrayList<>();
        for (var e : presets.entrySet()) {
            String type = e.getValue().type().name();
            ModelTypes.named(type); // fails here, naming the known types, if the type is not registered
            String model = new Path(new Path(folder, "presets"), fileName(e.getKey()) + ".model").toString();
            HadoopFiles.write(model, savedBytes(e.getValue()), conf.get());
            for (long seed : seeds) {
                runs.add(new TrainPartition.Run(e.getKey(), type, model, seed));
            }
        }
        List<TrainedRun> done = jobs.run("trainMany " + runs.size() + " runs", runs.size(), "runs",
                () -> jobs.context().parallelize(runs, runs.size())
                        .mapPartitions(new TrainPartition(dataFiles, maxSteps, folder, conf)).collect(),
                List::size);
        for (TrainedRun r : done) {
            String base = runName(folder, r.preset(), r.seed());
            HadoopFiles.deleteTemporaries(base + ".model", conf.get());
            HadoopFiles.deleteTemporaries(base + ".csv", conf.get());
        }
        return table(done);
    }

    private static byte[] savedBytes(TrainableMotionModel model) {
        try {
            java.nio.file.Path tmp = Files.createTempFile("latentmotion-preset-", ".model");
            try {
                model.save(tmp);
                return Files.readAllBytes(tmp);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("trainMany: could not save a preset: " + e.getMessage(), e);
        }
    }

    private static Table table(List<TrainedRun> done) {
        StringColumn preset = StringColumn.create("preset");
        LongColumn seed = LongColumn.create("seed");
        StringColumn type = StringColumn.create("type");
        LongColumn steps = LongColumn.create("steps");
        StringColumn outcome = StringColumn.create("outcome");
        DoubleColumn seconds = DoubleColumn.create("seconds");
        StringColumn checkpoint = StringColumn.create("checkpoint");
        Map<String, DoubleColumn> figures = new LinkedHashMap<>();
        for (TrainedRun r : done) {
            for (String f : r.figures().keySet()) {
                figures.computeIfAbsent(f, DoubleColumn::create);
            }
        }
        for (TrainedRun r : done) {
            preset.append(r.preset());
            seed.append(r.seed());
            type.append(r.type());
            steps.append(r.steps());
            outcome.append(r.outcome());
            seconds.append(r.seconds());
            checkpoint.append(r.checkpoint());
            for (var f : figures.entrySet()) {
                f.getValue().append(r.figures().getOrDefault(f.getKey(), Double.NaN));
            }
        }
        Table t = Table.create("trainMany: " + done.size() + " runs", preset, seed, type, steps, outcome, seconds);
        figures.values().forEach(t::addColumns);
        t.addColumns(checkpoint);
        return t.sortOn("preset", "seed");
    }

    private static String fileName(String label) {
        return label.trim().replace(' ', '_');
    }

    /** Where the run of {@code preset} with {@code seed} writes (without the extension). */
    static String runName(String folder, String preset, long seed) {
        return new Path(new Path(folder), fileName(preset) + "-seed" + seed).toString();
    }
}

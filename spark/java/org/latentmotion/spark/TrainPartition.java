package org.latentmotion.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.latentmotion.motion.ModelTypes;
import org.latentmotion.motion.Trainer;
import org.latentmotion.motion.TrainableMotionModel;
import org.latentmotion.motion.TrainingHistory;
import org.latentmotion.wplus.Trajectory;
import org.latentmotion.wplus.TrajectorySet;

/**
 * One partition of {@link TrainManyJob}: for each (preset, seed) it loads the preset's untrained
 * model by its registered type, trains it with the shared {@link Trainer} on the job's data,
 * and writes the trained model and its metrics row (a one-row CSV) atomically under names made
 * of the preset and the seed, so a retried task replaces its own files and adds none.
 */
final class TrainPartition implements FlatMapFunction<Iterator<TrainPartition.Run>, TrainedRun> {
    private static final long serialVersionUID = 1L;
    private final List<String> dataFiles;
    private final long maxSteps;
    private final String output;
    private final HadoopConfiguration conf;

    /** One task's work: a preset (label, model type, where its untrained model is) and a seed. */
    record Run(String preset, String type, String model, long seed) implements java.io.Serializable {
    }

    TrainPartition(List<String> dataFiles, long maxSteps, String output, HadoopConfiguration conf) {
        this.dataFiles = List.copyOf(dataFiles);
        this.maxSteps = maxSteps;
        this.output = output;
        this.conf = conf;
    }

    @Override
    public Iterator<TrainedRun> call(Iterator<Run> runs) throws IOException {
        List<TrainedRun> done = new ArrayList<>();
        TrajectorySet data = null;
        while (runs.hasNext()) {
            Run run = runs.next();
            if (data == null) {
                data = readData(conf.get());
            }
            TrainableMotionModel model = load(run, conf.get());
            long start = System.nanoTime();
            // the step count is the budget, not the preset's epochs: a short recording has few windows per epoch
            TrainingHistory history = Trainer.of(model, data.windows(model.config().windowLength())).seed(run.seed())
                    .epochs(Integer.MAX_VALUE).maxSteps(maxSteps).live(false).fit();
            double seconds = (System.nanoTime() - start) / 1e9;
            LinkedHashMap<String, Double> figures = new LinkedHashMap<>();
            for (var figure : history.figures()) {
                figures.put(figure.name(), last(history.column(figure.name())));
            }
            long steps = (long) last(history.column(history.columns().get(0))); // the step column
            String base = TrainManyJob.runName(output, run.preset(), run.seed());
            java.nio.file.Path local = Files.createTempFile("latentmotion-trained-", ".model");
            try {
                model.save(local);
                HadoopFiles.write(base + ".model", Files.readAllBytes(local), conf.get());
            } finally {
                Files.deleteIfExists(local);
            }
            TrainedRun row = new TrainedRun(run.preset(), run.seed(), run.type(), steps,
                    history.outcome().toString(), seconds, figures, base + ".model");
            HadoopFiles.write(base + ".csv", csv(row).getBytes(StandardCharsets.UTF_8), conf.get());
            done.add(row);
        }
        return done.iterator();
    }

    private static double last(double[] values) {
        return values.length == 0 ? Double.NaN : values[values.length - 1];
    }

    private TrajectorySet readData(Configuration c) {
        List<Trajectory> clips = new ArrayList<>();
        for (String f : dataFiles) {
            try {
                clips.addAll(TrajectoryFiles.read(f, 25, c));
            } catch (RuntimeException e) {
                throw new BadInputException(f, "trainMany: bad data file " + f + ": " + e.getMessage(), e);
            }
        }
        return TrajectorySet.of("trainMany data (" + dataFiles.size() + " files)", clips);
    }

    private static TrainableMotionModel load(Run run, Configuration c) throws IOException {
        java.nio.file.Path local = Files.createTempFile("latentmotion-preset-", ".model");
        try {
            Files.write(local, HadoopFiles.read(run.model(), c));
            return ModelTypes.named(run.type()).load(local);
        } catch (UncheckedIOException e) {
            throw new IllegalArgumentException("trainMany: could not read preset '" + run.preset() + "' from "
                    + run.model() + ": " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(local);
        }
    }

    /** The metrics row as CSV: a header line and one value line. */
    static String csv(TrainedRun r) {
        StringBuilder head = new StringBuilder("preset,seed,type,steps,outcome,seconds");
        StringBuilder row = new StringBuilder();
        row.append(quote(r.preset())).append(',').append(r.seed()).append(',').append(quote(r.type())).append(',')
                .append(r.steps()).append(',').append(r.outcome()).append(',')
                .append(String.format(Locale.ROOT, "%.3f", r.seconds()));
        for (var e : r.figures().entrySet()) {
            head.append(',').append(quote(e.getKey()));
            row.append(',').append(Double.toString(e.getValue()));
        }
        return head + "\n" + row + "\n";
    }

    private static String quote(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}

package org.latentmotion.metrics;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.latentmotion.motion.Checkpoint;
import org.latentmotion.motion.MotionModel;
import org.latentmotion.motion.TrainableMotionModel;
import org.latentmotion.motion.Trainer;
import org.latentmotion.motion.TrainingHistory;
import org.latentmotion.toy.FaceCodec;
import org.latentmotion.toy.FaceParameters;
import org.latentmotion.toy.MotionStatistics;
import org.latentmotion.toy.TalkingHead;
import org.latentmotion.wplus.Trajectory;

/**
 * The learns check for any {@link TrainableMotionModel}: train it with the shared {@link Trainer}
 * on the default world within a budget, sample clips, read them back with {@link FaceCodec#decode}
 * and compare the quickstart table's statistics with the ground truth, next to the noise floor of
 * the data's two halves. StyleVideoGAN's {@code TrainerLearnsTest}, the zoo models' tests and
 * {@code ZooLearnsCheckTest} (one table for every model) all read motion through this one list, and so does the
 * benchmarks' time-to-motion stage ({@code bench/run --only motion}), which judges Java- and PyTorch-trained
 * checkpoints by it (hence in the toolkit, not in the test tree; in metrics, above motion and toy, which it reads).
 */
public final class LearnsCheck {
    /**
     * Samples per learns check. Forty, not ten: the statistics of a few 500-frame clips scatter more than the bar
     * allows. Measured on one trained {@code laptop()} model (issue 13), four disjoint sets of ten samples read
     * pose variance 0.63, 0.73, 0.85 and 1.12 of the data's and blink rate 0.80–1.30; another model's blink rate
     * 1.02–2.65 (1.73 over all forty). Where a sample's head sits and how its slow sway runs change little
     * within 20 seconds, so ten clips are about ten draws of them.
     */
    public static final int SAMPLES = 40;
    /** Samples in the CI-scale checks, whose bars are scaled to a short run and looser than this scatter. */
    public static final int CI_SAMPLES = 10;
    /** Frames per sample. */
    public static final int FRAMES = 500;
    /** {@link #runKeepingBest}: steps between scored snapshots. */
    public static final int BEST_EVERY = 250;
    /** {@link #runKeepingBest}: the first scored snapshot, as a fraction of the run's steps. */
    public static final double BEST_FROM_FRACTION = 0.4;

    private LearnsCheck() {
    }

    /** A statistic of the quickstart's table: its name and how it is read. */
    public record Statistic(String name, ToDoubleFunction<MotionStatistics> read) {
        /** This statistic of {@code m}. */
        public double of(MotionStatistics m) {
            return read.applyAsDouble(m);
        }
    }

    /** Every statistic the bar covers, in table order. */
    public static final List<Statistic> STATISTICS = List.of(
            new Statistic("blinks per minute", MotionStatistics::blinksPerMinute),
            new Statistic("mean blink duration (frames)", MotionStatistics::meanBlinkFrames),
            new Statistic("mouth rhythm (Hz)", MotionStatistics::mouthRhythmHz),
            new Statistic("mouth rhythm prominence", LearnsCheck::rhythmProminence),
            new Statistic("mouth opening mean", MotionStatistics::mouthOpenMean),
            new Statistic("mouth opening std", MotionStatistics::mouthOpenStd),
            new Statistic("pose variance (rad²)", MotionStatistics::poseVariance),
            new Statistic("pose speed (rad/s)", MotionStatistics::poseSpeed),
            new Statistic("pose sway within " + MotionStatistics.SWAY_SECONDS + " s (rad²)", MotionStatistics::poseSway));

    /**
     * The mouth spectrum's peak over its median, 1–8 Hz: large for a syllable rhythm, near 1–3 for
     * coloured noise, whose peak frequency can land near the data's by chance (a rhythm ratio of
     * 0.9 with no rhythm to hear was measured).
     */
    public static double rhythmProminence(MotionStatistics m) {
        double[] hz = m.mouthSpectrumHz();
        double[] power = m.mouthSpectrumPower();
        List<Double> band = new ArrayList<>();
        double peak = 0;
        for (int k = 0; k < hz.length; k++) {
            if (hz[k] >= 1 && hz[k] <= 8) {
                band.add(power[k]);
                peak = Math.max(peak, power[k]);
            }
        }
        band.sort(null);
        return band.isEmpty() ? Double.NaN : peak / band.get(band.size() / 2);
    }

    /** {@code count} samples of {@code frames} frames, seeds 1000, 1001, …: the samples every check reads. */
    public static List<Trajectory> trajectories(MotionModel model, int count, int frames) {
        List<Trajectory> out = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            out.add(model.sample(frames, 1000 + k));
        }
        return out;
    }

    /** The statistics of {@link #trajectories}, decoded. */
    public static MotionStatistics samples(MotionModel model, int count, int frames) {
        return statistics(trajectories(model, count, frames));
    }

    /** The statistics of default-world trajectories, read back with {@link FaceCodec#decode}. */
    public static MotionStatistics statistics(List<Trajectory> clips) {
        List<FaceParameters> faces = new ArrayList<>();
        for (Trajectory t : clips) {
            faces.add(FaceCodec.decode(t));
        }
        return MotionStatistics.of(faces);
    }

    /** The statistics of the first and of the second half of every clip of the ground truth. */
    public static MotionStatistics[] halves(TalkingHead data) {
        List<FaceParameters> first = new ArrayList<>();
        List<FaceParameters> second = new ArrayList<>();
        for (FaceParameters clip : data.groundTruth()) {
            int mid = clip.frames() / 2;
            first.add(clip.slice(0, mid));
            second.add(clip.slice(mid, clip.frames()));
        }
        return new MotionStatistics[] {MotionStatistics.of(first), MotionStatistics.of(second)};
    }

    /** True if {@code ratio} is within ±{@code tolerance} (symmetric in log: 0.75 … 1/0.75 for 25 %). */
    public static boolean within(double ratio, double tolerance) {
        return Double.isFinite(ratio) && ratio >= 1 - tolerance && ratio <= 1 / (1 - tolerance);
    }

    /**
     * One training run's result: its column, what it generated, the truth it is compared with, a line for the report, the
     * model, and the steps and seconds its training took.
     */
    public record Run(String column, MotionStatistics generated, MotionStatistics reference, String line,
            TrainableMotionModel model, int steps, double seconds) {
        /** A model measured without a training record (trained elsewhere). */
        public Run(String column, MotionStatistics generated, MotionStatistics reference, TrainableMotionModel model) {
            this(column, generated, reference, "", model, 0, 0);
        }
    }

    /**
     * Trains a model made by {@code factory} (given the training seed) on {@code data}'s 25-frame
     * windows with the shared trainer for {@code steps} steps or {@code limit}, whichever first,
     * then samples and reads it.
     */
    public static Run run(Function<Long, ? extends TrainableMotionModel> factory, TalkingHead data, long seed, long steps,
            Duration limit, String column, String label) {
        return run(factory, data, seed, steps, limit, column, label, null, false);
    }

    /**
     * As {@link #run(Function, TalkingHead, long, long, Duration, String, String)}, but measures the snapshot that
     * {@link BestSnapshot#byClipFrechet} keeps (the lowest W+ clip Fréchet distance to {@code data}, scored every
     * {@value #BEST_EVERY} steps from step {@code steps}·{@value #BEST_FROM_FRACTION} and at the end) instead of the
     * last step: what the quickstart samples.
     */
    public static Run runKeepingBest(Function<Long, ? extends TrainableMotionModel> factory, TalkingHead data, long seed,
            long steps, Duration limit, String column, String label) {
        long t0 = System.nanoTime();
        TrainableMotionModel model = factory.apply(seed);
        BestSnapshot<TrainableMotionModel> best = BestSnapshot.byClipFrechet(model, data)
                .from(Math.max(1, (long) (steps * BEST_FROM_FRACTION))).every(BEST_EVERY);
        TrainingHistory history = trainer(model, data, seed, steps, limit).listener(best).fit();
        double seconds = (System.nanoTime() - t0) / 1e9;
        String line = trainedLine(label, history, seconds);
        TrainableMotionModel kept = model; // a run stopped before its first score is measured at its last step
        if (best.best() != null) {
            List<BestSnapshot.Score> scores = best.scores();
            line += String.format(Locale.ROOT, "; kept step %d of %s, clip FD %.1f (last step %.1f)", best.best().step(),
                    scores.stream().map(sc -> Long.toString(sc.step())).toList(), best.best().value(),
                    scores.get(scores.size() - 1).value());
            kept = best.model();
        }
        return new Run(column, samples(kept, SAMPLES, FRAMES), data.statistics(), line, kept, history.size(), seconds);
    }

    /**
     * As {@link #run(Function, TalkingHead, long, long, Duration, String, String)}, keeping the trained model in the
     * checkpoint {@code keep} (if not null); with {@code reuse}, a checkpoint already there of {@code steps} steps is read
     * instead of training again (so a report over trained models can be rerun without the hours of training).
     */
    public static Run run(Function<Long, ? extends TrainableMotionModel> factory, TalkingHead data, long seed, long steps,
            Duration limit, String column, String label, Path keep, boolean reuse) {
        if (keep != null && reuse && Files.exists(keep)) {
            Checkpoint kept = Checkpoint.read(keep);
            if (kept.steps() == steps) {
                TrainableMotionModel model = kept.model();
                double seconds = kept.history().last().seconds();
                String line = String.format(Locale.ROOT, "%s: %d training steps in %.0f s (read back from %s)", label,
                        kept.steps(), seconds, keep.getFileName());
                return new Run(column, samples(model, SAMPLES, FRAMES), data.statistics(), line, model, (int) kept.steps(),
                        seconds);
            }
        }
        long t0 = System.nanoTime();
        TrainableMotionModel model = factory.apply(seed);
        Trainer<TrainableMotionModel> trainer = trainer(model, data, seed, steps, limit);
        if (keep != null) {
            trainer.checkpointTo(keep); // written once, at the end
        }
        TrainingHistory history = trainer.fit();
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Run(column, samples(model, SAMPLES, FRAMES), data.statistics(), trainedLine(label, history, seconds),
                model, history.size(), seconds);
    }

    /** The shared trainer on {@code data}'s windows, for {@code steps} steps or {@code limit}, whichever first. */
    private static Trainer<TrainableMotionModel> trainer(TrainableMotionModel model, TalkingHead data, long seed, long steps,
            Duration limit) {
        return Trainer.of(model, data.windows(model.config().windowLength())).epochs(100_000).maxSteps(steps)
                .timeLimit(limit).seed(seed).live(false);
    }

    /** The report line of a run trained here: its label, steps, seconds and how it ended. */
    private static String trainedLine(String label, TrainingHistory history, double seconds) {
        return String.format(Locale.ROOT, "%s: %d training steps in %.0f s (%s)", label, history.size(), seconds,
                history.outcome());
    }

    /** Runs {@code jobs}, {@code parallel} at a time, in order. */
    public static List<Run> runAll(List<Callable<Run>> jobs, int parallel) {
        List<Run> results = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try {
            for (Future<Run> f : pool.invokeAll(jobs)) {
                results.add(f.get());
            }
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("a learns-check run failed", e);
        } finally {
            pool.shutdownNow();
        }
        return results;
    }

    /** A markdown table of every statistic: real, real vs real, and generated / real per run (✓ within ±tolerance). */
    public static Table table(List<Run> runs, MotionStatistics truth, MotionStatistics[] half, double tolerance) {
        StringBuilder md = new StringBuilder("| statistic | real | real vs real |");
        runs.forEach(r -> md.append(' ').append(r.column()).append(" |"));
        md.append("\n|---|---:|---:|");
        runs.forEach(r -> md.append("---:|"));
        md.append('\n');
        int within = 0;
        int total = 0;
        for (Statistic s : STATISTICS) {
            md.append(String.format(Locale.ROOT, "| %s | %.4g | %.2f |", s.name(), s.of(truth), s.of(half[1]) / s.of(half[0])));
            for (Run r : runs) {
                double ratio = s.of(r.generated()) / s.of(r.reference());
                boolean ok = within(ratio, tolerance);
                within += ok ? 1 : 0;
                total++;
                md.append(String.format(Locale.ROOT, " %.2f %s |", ratio, ok ? "✓" : "✗"));
            }
            md.append('\n');
        }
        // blink trains read only as "too many blinks" above; the data has none, so this is a value, not a ratio
        md.append(String.format(Locale.ROOT, "%nRepeated blinks (fraction of blinks that start within %.1f s of the eyes"
                + " reopening; not in the bar): real %.2f", MotionStatistics.REPEAT_BLINK_SECONDS,
                truth.repeatedBlinkFraction()));
        runs.forEach(r -> md.append(String.format(Locale.ROOT, ", %s %.2f", r.column(), r.generated().repeatedBlinkFraction())));
        md.append(".\n");
        return new Table(md.toString(), within, total);
    }

    /** A rendered table and how many of its ratios are within the tolerance. */
    public record Table(String markdown, int within, int total) {
    }
}

package org.latentmotion.motion;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.latentmotion.nn.NativeGarbage;
import org.latentmotion.nn.Scope;
import org.latentmotion.nn.StopGuard;
import org.latentmotion.progress.Watcher;
import org.latentmotion.wplus.TrajectorySet;
import org.latentmotion.wplus.Windows;

/**
 * Trains any {@link TrainableMotionModel} on sliding windows of W+ trajectories: epochs over the
 * windows in a seeded order, each training step given the real batches the model asks for
 * ({@link TrainableMotionModel#batchesPerStep()}; StyleVideoGan: one per critic step) and a seed
 * of its own. The trainer knows no model: what a step does, which figures it reports and how a
 * model is saved are the model's (see the contract's class comment).
 *
 * <pre>{@code
 * TrainingHistory h = Trainer.of(gan, data.windows(25)).epochs(20).seed(1).fit();
 * }</pre>
 *
 * <p>In a notebook, {@code fit()} shows a progress bar with ETA and the model's figures as live
 * charts redrawn in place. The run stops cleanly at a step boundary when its thread is
 * interrupted (Ctrl-C or the kernel's interrupt), keeping the model as it is and returning the
 * history so far (the interrupt flag is cleared, so the cell can go on to show it). When a
 * watched figure ({@link Figure#watched()}, a loss) becomes NaN or infinite or exceeds the
 * divergence limit, the model is restored to the last good snapshot and the history says why it
 * stopped.
 *
 * <p>Every random choice is derived from (seed, what for, index): the window order of epoch e,
 * the seed of real batch c, the seed of step g. With {@link #checkpointTo(Path)}, checkpoints are
 * written atomically; {@link #resume(Path, Windows)} continues a run of any registered model type
 * ({@link ModelTypes}) so that it ends exactly where the uninterrupted run would have.
 *
 * @param <M> the model's class, so {@link #model()} returns it as what it is
 */
public final class Trainer<M extends TrainableMotionModel> {
    private static final long DOMAIN_ORDER = 1;
    private static final long DOMAIN_BATCH = 2;
    private static final long DOMAIN_STEP = 3;

    private final M model;
    private final Windows windows;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private int epochs;
    private long seed;
    private long maxSteps = Long.MAX_VALUE;
    private Duration timeLimit;
    private int checkpointEvery;
    private Path checkpointTo;
    private Boolean live;
    private double divergenceLimit = 1e6;
    private int snapshotEvery = 10;

    // position, advanced by fit() and restored by resume()
    private long batchesDone;
    private long stepsDone;
    private TrainingHistory history;
    private String startedAt;

    private Trainer(M model, Windows windows) {
        this.model = model;
        this.windows = windows;
        this.epochs = model.config().epochs();
        this.seed = model.config().seed();
    }

    /**
     * A trainer for {@code model} on {@code windows}; epochs and seed default to the model's
     * config.
     *
     * @throws IllegalArgumentException if the windows do not match the model's window length,
     *     layer count or width, or the model asks for no batches per step
     */
    public static <M extends TrainableMotionModel> Trainer<M> of(M model, Windows windows) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(windows, "windows");
        checkFits(model, windows);
        if (model.batchesPerStep() < 1) {
            throw new IllegalArgumentException("trainer: " + model.type().name() + " asks for " + model.batchesPerStep()
                    + " real batches per step, expected at least 1");
        }
        return new Trainer<>(model, windows);
    }

    /**
     * Continues the run saved in {@code checkpoint} on the same {@code windows}: same seed,
     * epochs, step cap and checkpoint settings, the model with its optimizer state, and the
     * history so far. {@link #model()} is the restored model, read by the {@link ModelType}
     * registered under the checkpoint's type name.
     *
     * @throws IllegalArgumentException if the checkpoint is unreadable, names an unregistered
     *     model type, or was written for other windows
     */
    public static Trainer<TrainableMotionModel> resume(Path checkpoint, Windows windows) {
        return resume(checkpoint, windows, TrainableMotionModel.class);
    }

    /**
     * {@link #resume(Path, Windows)} for a model known to be a {@code type}, so {@link #model()}
     * returns it as one: {@code Trainer.resume(path, windows, StyleVideoGan.class).model().config()}.
     *
     * @throws IllegalArgumentException also if the checkpoint holds another kind of model
     */
    public static <M extends TrainableMotionModel> Trainer<M> resume(Path checkpoint, Windows windows, Class<M> type) {
        Checkpoint c = Checkpoint.read(checkpoint);
        TrainerState s = c.state();
        if (!describe(windows).equals(s.windows())) {
            throw new IllegalArgumentException("resume " + checkpoint + ": the checkpoint was trained on " + s.windows()
                    + ", found " + describe(windows));
        }
        M model;
        try {
            model = c.model(type);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("resume " + checkpoint + ": " + e.getMessage(), e);
        }
        Trainer<M> t = of(model, windows);
        long k = model.batchesPerStep();
        // format 1 may stop between critic steps: batchesDone − k·stepsDone of the next step's batches were used
        if (s.batchesDone() < s.stepsDone() * k || s.batchesDone() >= (s.stepsDone() + 1) * k) {
            throw new IllegalArgumentException("resume " + checkpoint + ": " + s.batchesDone() + " real batches after "
                    + s.stepsDone() + " steps of " + k + " batches each; expected " + s.stepsDone() * k
                    + (k > 1 ? " to " + ((s.stepsDone() + 1) * k - 1) : ""));
        }
        t.seed = s.seed();
        t.epochs = s.epochs();
        t.maxSteps = s.maxSteps();
        t.checkpointEvery = s.checkpointEvery();
        t.divergenceLimit = s.divergenceLimit();
        t.snapshotEvery = s.snapshotEvery();
        t.batchesDone = s.batchesDone();
        t.stepsDone = s.stepsDone();
        t.startedAt = s.startedAt();
        t.checkpointTo = checkpoint;
        t.history = c.history();
        return t;
    }

    /** Number of passes over the windows (default: the config's epochs). */
    public Trainer<M> epochs(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("epochs: expected at least 0, found " + n);
        }
        this.epochs = n;
        return this;
    }

    /** The seed every window order and step seed is derived from (default: the config's). */
    public Trainer<M> seed(long s) {
        this.seed = s;
        return this;
    }

    /**
     * Stops once the model has made {@code n} training steps in total, counting those of the run a
     * resumed trainer continues (a budget, e.g. for CI; not "n more steps").
     */
    public Trainer<M> maxSteps(long n) {
        if (n < 1) {
            throw new IllegalArgumentException("maxSteps: expected at least 1, found " + n);
        }
        this.maxSteps = n;
        return this;
    }

    /**
     * The old name of {@link #maxSteps(long)}, which says better that it is a total.
     *
     * @deprecated use {@link #maxSteps(long)}
     */
    @Deprecated
    public Trainer<M> steps(long n) {
        return maxSteps(n);
    }

    /**
     * Stops at the first step boundary after {@code limit} of training in this call to
     * {@link #fit()} (a wall-clock budget: a quickstart, a CI run); the history's outcome says so.
     */
    public Trainer<M> timeLimit(Duration limit) {
        Objects.requireNonNull(limit, "time limit");
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("timeLimit: expected a positive duration, found " + limit);
        }
        this.timeLimit = limit;
        return this;
    }

    /** Writes a checkpoint every {@code n} training steps (and at the end) to {@link #checkpointTo}. */
    public Trainer<M> checkpointEvery(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("checkpointEvery: expected at least 1 step, found " + n);
        }
        this.checkpointEvery = n;
        return this;
    }

    /** Where checkpoints go (one file, replaced atomically each time). */
    public Trainer<M> checkpointTo(Path path) {
        this.checkpointTo = Objects.requireNonNull(path, "checkpoint path");
        return this;
    }

    /** Adds a listener told of the start, every training step and the end (e.g. to log or evaluate). */
    public Trainer<M> listener(TrainingListener l) {
        listeners.add(Objects.requireNonNull(l, "listener"));
        return this;
    }

    /** Show (or not) the progress bar and live charts; by default shown when a notebook is attached. */
    public Trainer<M> live(boolean show) {
        this.live = show;
        return this;
    }

    /** A watched figure whose magnitude exceeds this stops the run as diverged (default 1e6). */
    public Trainer<M> divergenceLimit(double limit) {
        if (!(limit > 0)) {
            throw new IllegalArgumentException("divergenceLimit: expected a positive number, found " + limit);
        }
        this.divergenceLimit = limit;
        return this;
    }

    /** How often (training steps) the last good state is copied for restoring after a divergence (default 10). */
    public Trainer<M> snapshotEvery(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("snapshotEvery: expected at least 1, found " + n);
        }
        this.snapshotEvery = n;
        return this;
    }

    /** The model this trainer trains (in place). */
    public M model() {
        return model;
    }

    /** The windows it trains on. */
    public Windows windows() {
        return windows;
    }

    /** Batches of {@code batch} windows per epoch (the last partial batch is dropped). */
    public long batchesPerEpoch() {
        return Math.max(1, windows.size() / model.config().batch());
    }

    /** Training steps the whole run makes: epochs × batches per epoch / batches per step, capped by {@link #maxSteps}. */
    public long plannedSteps() {
        long batches = (long) epochs * batchesPerEpoch();
        long steps = batches == 0 ? 0 : Math.max(1, batches / model.batchesPerStep());
        return Math.min(maxSteps, steps);
    }

    /** Training steps done so far (by this trainer or, after resume, the run it continues). */
    public long stepsDone() {
        return stepsDone;
    }

    /**
     * Runs (or continues) training until the planned steps are done, the thread is
     * interrupted, or a watched figure diverges.
     */
    public TrainingHistory fit() {
        // guarded: a kernel interrupt waits for the step boundary (checked below) instead of stopping the
        // thread between a step and its bookkeeping, or inside native memory
        return StopGuard.call(this::fitGuarded);
    }

    private TrainingHistory fitGuarded() {
        long planned = plannedSteps();
        if (history == null) {
            history = new TrainingHistory(model.figures());
        }
        if (startedAt == null) {
            startedAt = Instant.now().toString();
        }
        requireFiniteData();
        model.prepare(windows, describe(windows) + ", trainer seed " + seed);
        history.plannedSteps(planned);
        history.provenance(provenance(planned));
        List<TrainingListener> all = new ArrayList<>(listeners);
        boolean show = live != null ? live : Watcher.current().watching();
        if (show) {
            all.add(0, new LiveTrainingDisplay(String.format(Locale.ROOT, "training %s (%d steps)", model.type().name(),
                    planned)));
        }
        for (TrainingListener l : all) {
            l.started(history, planned);
        }
        Run run = new Run(planned, all);
        try {
            run.steps();
            run.settle();
            if (checkpointTo != null) {
                writeCheckpoint();
            }
        } finally {
            Scope.releaseReusedMemory(); // the steps' reused memory (gigabytes at the paper's size) goes back
            history.finish(run.outcome, run.message);
            for (TrainingListener l : all) {
                l.finished(history);
            }
        }
        return history;
    }

    /** One call of {@link #fit()}: its clock, listeners, last good state, and how it ended. */
    private final class Run {
        private final long planned;
        private final List<TrainingListener> listeners;
        private final double secondsBefore = history.last() == null ? 0 : history.last().seconds();
        private final long t0 = System.nanoTime();
        private Snapshot good = new Snapshot(model.copy(), batchesDone, stepsDone);
        private TrainingHistory.Outcome outcome = TrainingHistory.Outcome.COMPLETED;
        private String message = "";
        // a step's arrays made outside its workspace are freed only by the collector, which a
        // small Java heap rarely runs: without this a long run's native memory grows without bound
        private final NativeGarbage garbage = new NativeGarbage();

        Run(long planned, List<TrainingListener> listeners) {
            this.planned = planned;
            this.listeners = listeners;
        }

        /** Training steps until the plan is done or something stops the run. */
        void steps() {
            while (stepsDone < planned) {
                if (Thread.currentThread().isInterrupted()) {
                    outcome = TrainingHistory.Outcome.INTERRUPTED;
                    return;
                }
                if (!step() || !afterStep()) {
                    return;
                }
            }
        }

        /** One training step, recorded and shown; false when a watched figure diverged. */
        private boolean step() {
            long g = stepsDone;
            long end = (g + 1) * model.batchesPerStep();
            List<TrainingStep.Batch> batches = new ArrayList<>();
            for (long c = batchesDone; c < end; c++) {
                long index = c;
                int[] picked = batchIndices(index);
                batches.add(new TrainingStep.Batch(index, mix(seed, DOMAIN_BATCH, index), picked,
                        () -> windows.batch(picked)));
            }
            TrainingStep step = new TrainingStep(g, mix(seed, DOMAIN_STEP, g), batches);
            StepReport report;
            try {
                report = model.trainStep(step);
            } finally {
                step.releaseAll();
            }
            garbage.collectIfGrown();
            batchesDone = end;
            stepsDone++;
            double seconds = secondsBefore + (System.nanoTime() - t0) / 1e9;
            TrainingHistory.Step row = history.add(stepsDone, (double) batchesDone / batchesPerEpoch(), report, seconds);
            String bad = badFigure(report);
            if (bad != null) {
                message = bad + " at step " + stepsDone;
                outcome = TrainingHistory.Outcome.DIVERGED;
                return false;
            }
            for (TrainingListener l : listeners) {
                l.step(row, history);
            }
            return true;
        }

        /** Checkpoint and snapshot when due; false when the time limit is reached. */
        private boolean afterStep() {
            if (Thread.currentThread().isInterrupted()) {
                // stop before writing: NIO channels refuse to write on an interrupted thread (ClosedByInterruptException);
                // fit() writes the checkpoint once settle() has taken the interrupt
                outcome = TrainingHistory.Outcome.INTERRUPTED;
                return false;
            }
            if (checkpointTo != null && checkpointEvery > 0 && stepsDone % checkpointEvery == 0) {
                writeCheckpoint();
            }
            if (stepsDone % snapshotEvery == 0) {
                good = new Snapshot(model.copy(), batchesDone, stepsDone);
            }
            if (timeLimit != null && stepsDone < planned && System.nanoTime() - t0 >= timeLimit.toNanos()) {
                outcome = TrainingHistory.Outcome.TIME_LIMIT;
                message = String.format(Locale.ROOT, "stopped after %s at step %d; the model is intact",
                        human(timeLimit), stepsDone);
                return false;
            }
            return true;
        }

        /** After the loop: an interrupt is consumed, a divergence rolls the model back to the last good state. */
        void settle() {
            if (outcome == TrainingHistory.Outcome.INTERRUPTED) {
                Thread.interrupted(); // handled: the run stops here and the cell may show its result
                message = "stopped at step " + stepsDone + "; the model is intact"
                        + (checkpointTo == null ? "" : ", checkpoint written");
            } else if (outcome == TrainingHistory.Outcome.DIVERGED) {
                model.restore(good.model);
                batchesDone = good.batchesDone;
                stepsDone = good.stepsDone;
                history.truncateTo(stepsDone);
                message += "; the model was restored to its state after step " + stepsDone;
            }
        }
    }

    /** The first watched figure of {@code report} that is NaN, infinite or beyond the divergence limit, in words; else null. */
    private String badFigure(StepReport report) {
        for (Figure f : model.figures()) {
            if (!f.watched()) {
                continue;
            }
            double v = report.value(f.name());
            if (Double.isNaN(v)) {
                return f.name() + " is NaN";
            }
            if (Double.isInfinite(v) || Math.abs(v) > divergenceLimit) {
                return String.format(Locale.ROOT, "%s diverged (%.4g, limit %.3g)", f.name(), v, divergenceLimit);
            }
        }
        return null;
    }

    /** Refuses data holding NaN or infinite codes before any step (a model would only learn NaN from it). */
    private void requireFiniteData() {
        TrajectorySet set = windows.source();
        for (int c = 0; c < set.size(); c++) {
            double sum = set.clip(c).codes().sumNumber().doubleValue();
            if (!Double.isFinite(sum)) {
                throw new IllegalArgumentException("training data '" + set.name() + "': expected finite W+ codes, clip " + c
                        + " (" + set.clip(c).source() + ") holds NaN or infinite values");
            }
        }
    }

    /** The windows of real batch {@code c}: a slice of the seeded order of its epoch (wrapping if fewer windows than a batch). */
    int[] batchIndices(long c) {
        int b = model.config().batch();
        long perEpoch = batchesPerEpoch();
        long epoch = c / perEpoch;
        int within = (int) (c % perEpoch);
        int[] order = windows.order(mix(seed, DOMAIN_ORDER, epoch));
        int[] out = new int[b];
        for (int j = 0; j < b; j++) {
            out[j] = order[(within * b + j) % order.length];
        }
        return out;
    }

    private void writeCheckpoint() {
        Checkpoint.write(checkpointTo, model, new TrainerState(model.type().name(), seed, epochs, maxSteps, checkpointEvery,
                divergenceLimit, snapshotEvery, batchesDone, stepsDone, describe(windows), windows.source().name(), startedAt),
                history);
    }

    static void checkFits(TrainableMotionModel model, Windows windows) {
        int t = model.config().windowLength();
        if (windows.length() != t || windows.layers() != model.layers() || windows.width() != model.width()) {
            throw new IllegalArgumentException("trainer: the model expects windows of [" + t + ", "
                    + model.layers() + ", " + model.width() + "] (frames, layers, width), found [" + windows.length()
                    + ", " + windows.layers() + ", " + windows.width() + "]");
        }
    }

    /** What the windows are, precisely enough to refuse resuming on other data. */
    static String describe(Windows w) {
        TrajectorySet s = w.source();
        return String.format(Locale.ROOT, "'%s' (%d clips, %d frames at %.4g fps), %d windows of %d frames, stride %d",
                s.name(), s.size(), s.totalFrames(), s.fps(), w.size(), w.length(), w.stride());
    }

    private String provenance(long planned) {
        return String.join("\n",
                "model: " + model.type().name() + " — " + model.config().reference(),
                "config: " + model.config(),
                "parameters: " + model.parameterCounts(),
                "data: " + describe(windows),
                "seed: " + seed + ", epochs: " + epochs + ", planned steps: " + planned
                        + (maxSteps == Long.MAX_VALUE ? "" : " (capped at " + maxSteps + ")"),
                "started: " + startedAt,
                "platform: Java " + System.getProperty("java.version") + ", " + System.getProperty("os.name") + " "
                        + System.getProperty("os.arch") + ", ND4J backend "
                        + org.nd4j.linalg.factory.Nd4j.getBackend().getClass().getSimpleName());
    }

    private static String human(Duration d) {
        long s = d.toSeconds();
        return s % 60 == 0 ? (s / 60) + " min" : s + " s";
    }

    /** A stateless 64-bit mix (SplitMix64 finaliser) of (seed, domain, index): one seed per step. */
    static long mix(long seed, long domain, long index) {
        long z = seed + 0x9E3779B97F4A7C15L * (index * 4 + domain + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private record Snapshot(TrainableMotionModel model, long batchesDone, long stepsDone) {
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Trainer of a %s: %d of %d steps done, %d epochs over %s, seed %d%s",
                model.type().name(), stepsDone, plannedSteps(), epochs, describe(windows), seed,
                checkpointTo == null ? "" : ", checkpoints to " + checkpointTo);
    }
}

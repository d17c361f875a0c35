package org.latentmotion.motion;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.latentmotion.nn.MemoryBudget;
import org.latentmotion.nn.Scope;
import org.latentmotion.nn.StopGuard;
import org.latentmotion.progress.Watcher;
import org.latentmotion.wplus.Trajectory;
import org.latentmotion.wplus.TrajectorySet;
import org.latentmotion.wplus.Windows;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Trains a {@link StyleVideoGan} on sliding windows of W+ trajectories: epochs over the windows
 * in a seeded order, {@code criticSteps} critic steps (one batch each) per generator step.
 *
 * <pre>{@code
 * TrainingHistory h = Trainer.of(gan, data.windows(25)).epochs(20).seed(1).fit();
 * }</pre>
 *
 * <p>In a notebook, {@code fit()} shows a progress bar with ETA and live loss plots redrawn in
 * place. The run stops cleanly at a step boundary when its thread is interrupted (Ctrl-C or
 * the kernel's interrupt), keeping the model as it is and returning the history so far (the
 * interrupt flag is cleared, so the cell can go on to show it). When a loss becomes NaN or
 * infinite or exceeds the divergence limit, the model is restored to the last good snapshot
 * and the history says why it stopped.
 *
 * <p>Every random choice is derived from (seed, step): the window order of epoch e, the noise
 * of critic step c and generator step g. With {@link #checkpointTo(Path)}, checkpoints are
 * written atomically; {@link #resume(Path, Windows)} continues a run so that it ends exactly
 * where the uninterrupted run would have.
 */
public final class Trainer {
    private static final long DOMAIN_ORDER = 1;
    private static final long DOMAIN_CRITIC = 2;
    private static final long DOMAIN_GENERATOR = 3;

    private final StyleVideoGan gan;
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
    private long criticDone;
    private long generatorDone;
    private TrainingHistory history;
    private String startedAt;

    private Trainer(StyleVideoGan gan, Windows windows) {
        this.gan = gan;
        this.windows = windows;
        this.epochs = gan.config().epochs();
        this.seed = gan.config().seed();
    }

    /**
     * A trainer for {@code gan} on {@code windows}; epochs and seed default to the model's
     * config.
     *
     * @throws IllegalArgumentException if the windows do not match the model's window length,
     *     layer count or width
     */
    public static Trainer of(StyleVideoGan gan, Windows windows) {
        Objects.requireNonNull(gan, "gan");
        Objects.requireNonNull(windows, "windows");
        checkFits(gan.config(), windows);
        return new Trainer(gan, windows);
    }

    /**
     * Continues the run saved in {@code checkpoint} on the same {@code windows}: same seed,
     * epochs, step cap and checkpoint settings, the model with its optimizer state, and the
     * history so far. {@link #model()} is the restored model.
     *
     * @throws IllegalArgumentException if the checkpoint is unreadable or was written for
     *     other windows
     */
    public static Trainer resume(Path checkpoint, Windows windows) {
        Checkpoint c = Checkpoint.read(checkpoint);
        TrainerState s = c.state();
        if (!describe(windows).equals(s.windows())) {
            throw new IllegalArgumentException("resume " + checkpoint + ": the checkpoint was trained on " + s.windows()
                    + ", found " + describe(windows));
        }
        Trainer t = of(c.model(), windows);
        t.seed = s.seed();
        t.epochs = s.epochs();
        t.maxSteps = s.maxSteps();
        t.checkpointEvery = s.checkpointEvery();
        t.divergenceLimit = s.divergenceLimit();
        t.snapshotEvery = s.snapshotEvery();
        t.criticDone = s.criticSteps();
        t.generatorDone = s.generatorSteps();
        t.startedAt = s.startedAt();
        t.checkpointTo = checkpoint;
        t.history = c.history();
        return t;
    }

    /** Number of passes over the windows (default: the config's epochs). */
    public Trainer epochs(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("epochs: expected at least 0, found " + n);
        }
        this.epochs = n;
        return this;
    }

    /** The seed every window order and noise sample is derived from (default: the config's). */
    public Trainer seed(long s) {
        this.seed = s;
        return this;
    }

    /**
     * Stops once the model has made {@code n} generator steps in total, counting those of the run a
     * resumed trainer continues (a budget, e.g. for CI; not "n more steps").
     */
    public Trainer maxSteps(long n) {
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
    public Trainer steps(long n) {
        return maxSteps(n);
    }

    /**
     * Stops at the first step boundary after {@code limit} of training in this call to
     * {@link #fit()} (a wall-clock budget: a quickstart, a CI run); the history's outcome says so.
     */
    public Trainer timeLimit(Duration limit) {
        Objects.requireNonNull(limit, "time limit");
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("timeLimit: expected a positive duration, found " + limit);
        }
        this.timeLimit = limit;
        return this;
    }

    /** Writes a checkpoint every {@code n} generator steps (and at the end) to {@link #checkpointTo}. */
    public Trainer checkpointEvery(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("checkpointEvery: expected at least 1 step, found " + n);
        }
        this.checkpointEvery = n;
        return this;
    }

    /** Where checkpoints go (one file, replaced atomically each time). */
    public Trainer checkpointTo(Path path) {
        this.checkpointTo = Objects.requireNonNull(path, "checkpoint path");
        return this;
    }

    /** Adds a listener told of the start, every generator step and the end (e.g. to log or evaluate). */
    public Trainer listener(TrainingListener l) {
        listeners.add(Objects.requireNonNull(l, "listener"));
        return this;
    }

    /** Show (or not) the progress bar and live plots; by default shown when a notebook is attached. */
    public Trainer live(boolean show) {
        this.live = show;
        return this;
    }

    /** A loss whose magnitude exceeds this stops the run as diverged (default 1e6). */
    public Trainer divergenceLimit(double limit) {
        if (!(limit > 0)) {
            throw new IllegalArgumentException("divergenceLimit: expected a positive number, found " + limit);
        }
        this.divergenceLimit = limit;
        return this;
    }

    /** How often (generator steps) the last good state is copied for restoring after a divergence (default 10). */
    public Trainer snapshotEvery(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("snapshotEvery: expected at least 1, found " + n);
        }
        this.snapshotEvery = n;
        return this;
    }

    /** The model this trainer trains (in place). */
    public StyleVideoGan model() {
        return gan;
    }

    /** The windows it trains on. */
    public Windows windows() {
        return windows;
    }

    /** Batches of {@code batch} windows per epoch (the last partial batch is dropped). */
    public long batchesPerEpoch() {
        return Math.max(1, windows.size() / gan.config().batch());
    }

    /** Generator steps the whole run makes: epochs × batches per epoch / critic steps, capped by {@link #maxSteps}. */
    public long plannedSteps() {
        long critic = (long) epochs * batchesPerEpoch();
        long steps = critic == 0 ? 0 : Math.max(1, critic / gan.config().criticSteps());
        return Math.min(maxSteps, steps);
    }

    /** Generator steps done so far (by this trainer or, after resume, the run it continues). */
    public long stepsDone() {
        return generatorDone;
    }

    /**
     * Runs (or continues) training until the planned steps are done, the thread is
     * interrupted, or the losses diverge.
     */
    public TrainingHistory fit() {
        // guarded: a kernel interrupt waits for the step boundary (checked below) instead of stopping the
        // thread between a step and its bookkeeping, or inside native memory
        return StopGuard.call(this::fitGuarded);
    }

    /** Arrays of [B·t, L·D] float32 a critic step holds at once, at least (real, fake, their difference, x̂, gradients…). */
    private static final int STEP_ARRAYS = 12;

    private TrainingHistory fitGuarded() {
        StyleVideoGanConfig cfg = gan.config();
        MemoryBudget.require("a training step at batch " + cfg.batch(), MemoryBudget.product(STEP_ARRAYS, cfg.batch(),
                cfg.windowLength(), (long) cfg.layers() * cfg.width(), 4), "use a smaller batch (paper() is 128, small() "
                + StyleVideoGanConfig.small().batch() + ")");
        long planned = plannedSteps();
        if (history == null) {
            history = new TrainingHistory();
        }
        if (startedAt == null) {
            startedAt = Instant.now().toString();
        }
        prepare();
        history.plannedSteps(planned);
        history.provenance(provenance(planned));
        List<TrainingListener> all = new ArrayList<>(listeners);
        boolean show = live != null ? live : Watcher.current().watching();
        if (show) {
            all.add(0, new LiveTrainingDisplay(String.format(Locale.ROOT, "training StyleVideoGAN (%d steps)", planned)));
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
        private Snapshot good = new Snapshot(gan.copy(), criticDone, generatorDone);
        private TrainingHistory.Outcome outcome = TrainingHistory.Outcome.COMPLETED;
        private String message = "";

        Run(long planned, List<TrainingListener> listeners) {
            this.planned = planned;
            this.listeners = listeners;
        }

        /** Generator steps, each after its critic steps, until the plan is done or something stops the run. */
        void steps() {
            while (generatorDone < planned) {
                CriticMeans critic = criticSteps();
                if (critic == null) {
                    return;
                }
                if (Thread.currentThread().isInterrupted()) {
                    outcome = TrainingHistory.Outcome.INTERRUPTED;
                    return;
                }
                if (!generatorStep(critic) || !afterStep()) {
                    return;
                }
            }
        }

        /** The critic steps before the next generator step, averaged; null when the run stops (interrupt, divergence). */
        private CriticMeans criticSteps() {
            CriticMeans means = new CriticMeans();
            while (criticDone < (generatorDone + 1) * gan.config().criticSteps()) {
                if (Thread.currentThread().isInterrupted()) {
                    outcome = TrainingHistory.Outcome.INTERRUPTED;
                    return null;
                }
                StepStats s;
                INDArray real = windows.batch(batchIndices(criticDone));
                try {
                    s = gan.criticStep(real, mix(seed, DOMAIN_CRITIC, criticDone));
                } finally {
                    real.close();
                }
                criticDone++;
                String bad = badLoss("critic loss", s.criticLoss());
                if (bad != null) {
                    message = bad + " at critic step " + criticDone + " (generator step " + (generatorDone + 1) + ")";
                    outcome = TrainingHistory.Outcome.DIVERGED;
                    return null;
                }
                means.add(s);
            }
            return means;
        }

        /** One generator step, recorded and shown; false when its loss diverged. */
        private boolean generatorStep(CriticMeans critic) {
            StepStats g = gan.generatorStep(mix(seed, DOMAIN_GENERATOR, generatorDone));
            generatorDone++;
            double seconds = secondsBefore + (System.nanoTime() - t0) / 1e9;
            TrainingHistory.Step step = new TrainingHistory.Step(generatorDone, (double) criticDone / batchesPerEpoch(),
                    critic.loss(), critic.wasserstein(), critic.gradientPenalty(), g.generatorLoss(),
                    g.angleLoss(), g.angle(), g.gradNormS(), g.gradNormI(), seconds);
            history.add(step);
            String bad = badLoss("generator loss", g.generatorLoss());
            if (bad != null) {
                message = bad + " at generator step " + generatorDone;
                outcome = TrainingHistory.Outcome.DIVERGED;
                return false;
            }
            for (TrainingListener l : listeners) {
                l.step(step, history);
            }
            return true;
        }

        /** Checkpoint and snapshot when due; false when the time limit is reached. */
        private boolean afterStep() {
            if (checkpointTo != null && checkpointEvery > 0 && generatorDone % checkpointEvery == 0) {
                writeCheckpoint();
            }
            if (generatorDone % snapshotEvery == 0) {
                good = new Snapshot(gan.copy(), criticDone, generatorDone);
            }
            if (timeLimit != null && generatorDone < planned && System.nanoTime() - t0 >= timeLimit.toNanos()) {
                outcome = TrainingHistory.Outcome.TIME_LIMIT;
                message = String.format(Locale.ROOT, "stopped after %s at generator step %d; the model is intact",
                        human(timeLimit), generatorDone);
                return false;
            }
            return true;
        }

        /** After the loop: an interrupt is consumed, a divergence rolls the model back to the last good state. */
        void settle() {
            if (outcome == TrainingHistory.Outcome.INTERRUPTED) {
                Thread.interrupted(); // handled: the run stops here and the cell may show its result
                message = "stopped at generator step " + generatorDone + ", critic step " + criticDone
                        + "; the model is intact" + (checkpointTo == null ? "" : ", checkpoint written");
            } else if (outcome == TrainingHistory.Outcome.DIVERGED) {
                gan.restore(good.model);
                criticDone = good.criticDone;
                generatorDone = good.generatorDone;
                history.truncateTo(generatorDone);
                message += "; the model was restored to its state after generator step " + generatorDone;
            }
        }
    }

    /** Running means of the critic steps before one generator step (NaN when there were none). */
    private static final class CriticMeans {
        private double loss;
        private double wasserstein;
        private double gradientPenalty;
        private int n;

        void add(StepStats s) {
            loss += s.criticLoss();
            wasserstein += s.wasserstein();
            gradientPenalty += s.gradientPenalty();
            n++;
        }

        double loss() {
            return n == 0 ? Double.NaN : loss / n;
        }

        double wasserstein() {
            return n == 0 ? Double.NaN : wasserstein / n;
        }

        double gradientPenalty() {
            return n == 0 ? Double.NaN : gradientPenalty / n;
        }
    }

    /** Checks the data and, on a fresh model, fits its W+ standardisation to (up to 2048 of) the training frames. */
    private void prepare() {
        TrajectorySet set = windows.source();
        for (int c = 0; c < set.size(); c++) {
            double sum = set.clip(c).codes().sumNumber().doubleValue();
            if (!Double.isFinite(sum)) {
                throw new IllegalArgumentException("training data '" + set.name() + "': expected finite W+ codes, clip " + c
                        + " (" + set.clip(c).source() + ") holds NaN or infinite values");
            }
        }
        if (!gan.normalizationFitted()) {
            Trajectory all = set.allFrames();
            long[] picks = java.util.Arrays.stream(evenlySpaced(all.frames(), 2048)).asLongStream().toArray();
            gan.fitNormalization(all.codes().get(NDArrayIndex.indices(picks), NDArrayIndex.all(), NDArrayIndex.all()).dup('c'));
        }
        if (!gan.changeWhiteningFitted()) {
            gan.fitChangeWhitening(windows.batch(evenlySpaced(windows.size(), 256)));
        }
        gan.dataSource(describe(windows) + ", trainer seed " + seed);
    }

    /** min(n, most) indices spread evenly over 0 … n − 1 (k·n / count). */
    private static int[] evenlySpaced(int n, int most) {
        int count = Math.min(n, most);
        int[] picks = new int[count];
        for (int k = 0; k < count; k++) {
            picks[k] = (int) ((long) k * n / count);
        }
        return picks;
    }

    /** The windows of critic step {@code c}: a slice of the seeded order of its epoch (wrapping if fewer windows than a batch). */
    int[] batchIndices(long c) {
        int b = gan.config().batch();
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

    private String badLoss(String what, double v) {
        if (Double.isNaN(v)) {
            return what + " is NaN";
        }
        if (Double.isInfinite(v) || Math.abs(v) > divergenceLimit) {
            return String.format(Locale.ROOT, "%s diverged (%.4g, limit %.3g)", what, v, divergenceLimit);
        }
        return null;
    }

    private void writeCheckpoint() {
        Checkpoint.write(checkpointTo, gan, new TrainerState(seed, epochs, maxSteps, checkpointEvery, divergenceLimit,
                snapshotEvery, criticDone, generatorDone, describe(windows), windows.source().name(), startedAt), history);
    }

    static void checkFits(StyleVideoGanConfig cfg, Windows windows) {
        if (windows.length() != cfg.windowLength() || windows.layers() != cfg.layers() || windows.width() != cfg.width()) {
            throw new IllegalArgumentException("trainer: the model expects windows of [" + cfg.windowLength() + ", "
                    + cfg.layers() + ", " + cfg.width() + "] (frames, layers, width), found [" + windows.length()
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
                "model: StyleVideoGan",
                "config: " + gan.config(),
                "data: " + describe(windows),
                "seed: " + seed + ", epochs: " + epochs + ", planned generator steps: " + planned
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

    private record Snapshot(StyleVideoGan model, long criticDone, long generatorDone) {
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Trainer: %d of %d generator steps done, %d epochs over %s, seed %d%s",
                generatorDone, plannedSteps(), epochs, describe(windows), seed,
                checkpointTo == null ? "" : ", checkpoints to " + checkpointTo);
    }
}

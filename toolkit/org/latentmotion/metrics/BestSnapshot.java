package org.latentmotion.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.ToDoubleFunction;
import org.latentmotion.motion.TrainableMotionModel;
import org.latentmotion.motion.TrainingHistory;
import org.latentmotion.motion.TrainingListener;
import org.latentmotion.wplus.Trajectory;
import org.latentmotion.wplus.TrajectorySet;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.Table;

/**
 * Keeps the best snapshot of a training run by a score you have without ground truth — by default
 * the W+ clip Fréchet distance of the model's samples to the training clips, lower is better. A short
 * GAN run does not settle: its motion swings from one checkpoint to the next (blink rate 1.5, 2.7, 1.1
 * times the actor's 100 steps apart in issue 13's time-to-motion table), so the last step is one draw
 * from that swing; this listener scores the model every {@code every} steps from step {@code from}
 * and at the end, and keeps a copy of the best-scoring state.
 *
 * <pre>{@code
 * BestSnapshot<StyleVideoGan> best = BestSnapshot.byClipFrechet(gan, data).from(1000).every(250);
 * Trainer.of(gan, data.windows(25)).maxSteps(2500).listener(best).fit();
 * StyleVideoGan keep = best.model();   // a copy; gan itself stays at its last step, to train on
 * best.table();                        // step, score and which one was kept
 * }</pre>
 *
 * <p>Measured on the default world (issue 13, {@code TrainerLearnsTest#snapshots}, {@code laptop()},
 * snapshots every 250 steps to 2500): across 21 snapshots of three seeds the clip distance ranks the
 * total deviation from the ground truth's motion statistics with Spearman 0.74. Scoring costs the
 * samples (by default 10 × 500 frames) and one distance, a few seconds at {@code laptop()}'s size, and
 * counts against the trainer's time limit. The kept copy holds the model's whole state (weights,
 * optimiser, EMA): at {@code paper()}'s size hundreds of megabytes.
 *
 * @param <M> the model's type, so that {@link #model()} is one
 */
public final class BestSnapshot<M extends TrainableMotionModel> implements TrainingListener {
    /** One scored snapshot. */
    public record Score(long step, double value) {
    }

    /**
     * Samples per score of {@link #byClipFrechet(TrainableMotionModel, TrajectorySet)}: a ranking of snapshots needs
     * fewer than a bar's statistics, and it is paid at every score.
     */
    public static final int CLIP_SAMPLES = 10;

    private final M model;
    private final ToDoubleFunction<? super M> score;
    private long from = 1;
    private long every = 250;
    private final List<Score> scores = new ArrayList<>();
    private M best;
    private Score bestScore;

    private BestSnapshot(M model, ToDoubleFunction<? super M> score) {
        this.model = Objects.requireNonNull(model, "model");
        this.score = Objects.requireNonNull(score, "score");
    }

    /**
     * Scores {@code model} with {@code score} (lower is better; NaN never wins), e.g. a distance of its
     * samples to held-out clips.
     */
    public static <M extends TrainableMotionModel> BestSnapshot<M> by(M model, ToDoubleFunction<? super M> score) {
        return new BestSnapshot<>(model, score);
    }

    /**
     * Scores {@code model} by the W+ clip Fréchet distance ({@link LatentFrechet#clips}, 16 principal
     * components of {@code real}, windows of the default 25 frames) of {@code samples} samples of
     * {@code frames} frames (seeds 1000…, the learns check's) to {@code real}, usually the training data.
     *
     * @throws IllegalArgumentException if the model's codes are not {@code real}'s shape, or the samples
     *                                  are shorter than a clip
     */
    public static <M extends TrainableMotionModel> BestSnapshot<M> byClipFrechet(M model, TrajectorySet real,
                                                                               int samples, int frames) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(real, "real");
        if (model.layers() != real.layers() || model.width() != real.width()) {
            throw new IllegalArgumentException("BestSnapshot: the model makes W+ codes [" + model.layers() + ", "
                    + model.width() + "] but the real clips are [" + real.layers() + ", " + real.width() + "]");
        }
        if (samples < 1) {
            throw new IllegalArgumentException("BestSnapshot: expected at least 1 sample, found " + samples);
        }
        LatentFrechet distance = LatentFrechet.of(real, 16).seed(5);
        if (frames < distance.window()) {
            throw new IllegalArgumentException("BestSnapshot: samples of " + frames + " frames are shorter than a clip ("
                    + distance.window() + " frames)");
        }
        return by(model, m -> {
            List<Trajectory> clips = LearnsCheck.trajectories(m, samples, frames);
            return distance.clips(clips);
        });
    }

    /** {@link #byClipFrechet(TrainableMotionModel, TrajectorySet, int, int)} with {@value #CLIP_SAMPLES} samples of 500 frames. */
    public static <M extends TrainableMotionModel> BestSnapshot<M> byClipFrechet(M model, TrajectorySet real) {
        return byClipFrechet(model, real, CLIP_SAMPLES, LearnsCheck.FRAMES);
    }

    /** The first step scored (default 1; the end of the run is always scored). */
    public BestSnapshot<M> from(long step) {
        if (step < 1) {
            throw new IllegalArgumentException("from: expected a step ≥ 1, found " + step);
        }
        from = step;
        return this;
    }

    /** Steps between scores, counted from step 0 (default 250: steps 250, 500, … that are ≥ from). */
    public BestSnapshot<M> every(long steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("every: expected at least 1 step, found " + steps);
        }
        every = steps;
        return this;
    }

    @Override
    public void step(TrainingHistory.Step step, TrainingHistory history) {
        if (step.step() >= from && step.step() % every == 0) {
            scoreNow(step.step());
        }
    }

    @Override
    public void finished(TrainingHistory history) {
        TrainingHistory.Step last = history.last();
        if (last == null) {
            return;
        }
        // an interrupted run stops now; a diverged one was restored to a state scored or not, as it was; a run that
        // threw is reported to listeners as it stood, so "completed" counts only with every planned step done
        boolean ranToItsEnd = history.outcome() == TrainingHistory.Outcome.TIME_LIMIT
                || history.outcome() == TrainingHistory.Outcome.COMPLETED && last.step() >= history.plannedSteps();
        if (ranToItsEnd && (scores.isEmpty() || scores.get(scores.size() - 1).step() != last.step())) {
            scoreNow(last.step());
        }
    }

    private void scoreNow(long step) {
        double value = score.applyAsDouble(model);
        Score s = new Score(step, value);
        scores.add(s);
        if (!Double.isNaN(value) && (bestScore == null || value < bestScore.value())) {
            @SuppressWarnings("unchecked") // copy() returns the model's own class
            M copy = (M) model.copy();
            best = copy;
            bestScore = s;
        }
    }

    /**
     * A copy of the model as it was at its best-scoring snapshot.
     *
     * @throws IllegalStateException if no snapshot has been scored (yet)
     */
    public M model() {
        if (best == null) {
            throw new IllegalStateException("BestSnapshot: no snapshot scored yet" + (scores.isEmpty()
                    ? " (the first is at step " + Math.max(from, every * ((from + every - 1) / every)) + " or the run's end)"
                    : " with a finite score"));
        }
        return best;
    }

    /** The kept snapshot's step and score, or null before one is kept. */
    public Score best() {
        return bestScore;
    }

    /** Every score so far, in step order. */
    public List<Score> scores() {
        return List.copyOf(scores);
    }

    /** One row per scored snapshot: step, score, and whether it is the one kept. */
    public Table table() {
        LongColumn step = LongColumn.create("step");
        DoubleColumn value = DoubleColumn.create("score");
        BooleanColumn kept = BooleanColumn.create("kept");
        for (Score s : scores) {
            step.append(s.step());
            value.append(s.value());
            kept.append(s == bestScore);
        }
        return Table.create("snapshots", step, value, kept);
    }

    @Override
    public String toString() {
        return bestScore == null ? "BestSnapshot[none kept, " + scores.size() + " scored]"
                : String.format(Locale.ROOT, "BestSnapshot[step %d, score %.4g, of %d scored]", bestScore.step(),
                        bestScore.value(), scores.size());
    }
}

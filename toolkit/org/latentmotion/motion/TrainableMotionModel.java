package org.latentmotion.motion;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.latentmotion.wplus.Windows;

/**
 * A {@link MotionModel} the {@link Trainer} can train: the one contract the step loop,
 * checkpoints, the NaN and divergence stop, the live charts and exact resume use, so none of
 * them has code for a particular model.
 *
 * <p>A run, as the trainer drives it:
 * <ol>
 *   <li>{@link #prepare} once per {@code fit()}, with all training windows: fit what the model
 *       derives from data (standardisation, whitening) if it has not yet, record where the data
 *       came from, refuse work that cannot fit in memory;</li>
 *   <li>{@link #trainStep} again and again, each with the {@link #batchesPerStep()} real batches
 *       it asked for, their seeds and a seed of its own; it returns the {@link #figures()} of
 *       the step, which the history records and the live charts draw;</li>
 *   <li>{@link #copy()} every few steps, and {@link #restore} from that copy when a watched
 *       figure becomes NaN, infinite or too large;</li>
 *   <li>{@link #save} into checkpoints; {@link #type()} names the {@link ModelType} that reads it
 *       back, so {@link Trainer#resume} continues any registered model exactly.</li>
 * </ol>
 *
 * <p>What an implementation must keep: the same step with the same batches and seeds does the
 * same thing; {@link #save} holds everything a later step depends on (weights, optimiser
 * moments, running statistics, noise positions), so a loaded model continues exactly as the one
 * that kept running; a step whose figures are not finite should change nothing (the trainer
 * restores the last good copy anyway). A model with several stages (a reconstruction stage, then
 * an adversarial one) picks its stage from {@link TrainingStep#index()} and reports NaN for the
 * figures of the stage it is not in.
 */
public interface TrainableMotionModel extends MotionModel {

    /** What kind of model this is: the name checkpoints record and the loader that reads {@link #save}'s file. */
    ModelType type();

    /** The settings the model was made with (batch, window length, default epochs and seed, ...). */
    MotionModelConfig config();

    /** W+ layers L, as the config says. */
    @Override
    default int layers() {
        return config().layers();
    }

    /** W+ width D, as the config says. */
    @Override
    default int width() {
        return config().width();
    }

    /** Frames per second of samples, as the config says. */
    @Override
    default double fps() {
        return config().fps();
    }

    /** Real batches one training step consumes, at least 1 (StyleVideoGan: its critic steps). */
    int batchesPerStep();

    /**
     * The figures every step reports, in the history's column order: their names, legends,
     * charts, and which the trainer watches.
     */
    List<Figure> figures();

    /**
     * Readies the model for training on {@code windows} (called at the start of every
     * {@code fit()}, before the first step): fits buffers derived from data if they are not set,
     * and records {@code source} (what the data is and the trainer's seed) to save with the model.
     * A model that needs nothing of the data does nothing. Refuse work that cannot be done here,
     * before any step runs.
     */
    void prepare(Windows windows, String source);

    /** One training step; returns a value for each of {@link #figures()} (NaN: not computed by this step). */
    StepReport trainStep(TrainingStep step);

    /** A deep copy: weights, optimiser state, statistics, counters. */
    TrainableMotionModel copy();

    /**
     * Makes this model equal to {@code snapshot}, a {@link #copy()} of it (the trainer's restore
     * after a divergence).
     *
     * @throws IllegalArgumentException if {@code snapshot} is not a copy of a model of this type and config
     */
    void restore(TrainableMotionModel snapshot);

    /** Writes everything a later step depends on to one file, atomically; {@code type().load(path)} reads it. */
    void save(Path path);

    /** Trainable numbers by part (e.g. generator, critic), in a stable order. */
    Map<String, Long> parameterCounts();

    /** Trainable numbers over all parts. */
    default long parameterCount() {
        return parameterCounts().values().stream().mapToLong(Long::longValue).sum();
    }
}

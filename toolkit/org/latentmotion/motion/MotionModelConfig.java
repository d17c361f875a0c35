package org.latentmotion.motion;

/**
 * What every trainable motion model's settings share, and what the {@link Trainer} reads of them:
 * the batch, the window length, the W+ shape and frame rate, the default epochs and seed, a text form for files and
 * provenance, and where the model comes from. A config is immutable; a model keeps the one it
 * was made with ({@link TrainableMotionModel#config()}).
 */
public interface MotionModelConfig {

    /** Windows per real batch (B). */
    int batch();

    /** Frames per training window (t): the trainer refuses windows of another length. */
    int windowLength();

    /** W+ layers L of the codes the model reads and writes. */
    int layers();

    /** Width D of each W+ layer. */
    int width();

    /** Frames per second of the training data and of samples. */
    double fps();

    /** Passes over the training windows a run makes unless the trainer is told otherwise. */
    int epochs();

    /** The seed of the initial weights, and the trainer's default seed. */
    long seed();

    /** Every setting as {@code name=value} lines, as the model's files store them. */
    String toProperties();

    /**
     * Where the model comes from, in one line (e.g. "StyleVideoGAN (Fox, Tewari, Elgharib,
     * Theobalt, arXiv:2107.07224, 2021)"), for provenance and for the reader of a comparison table.
     */
    String reference();
}

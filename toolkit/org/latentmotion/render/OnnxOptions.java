package org.latentmotion.render;

import java.util.Locale;
import java.util.Objects;

/**
 * How an ONNX model of this package (a {@link Synthesizer}, {@link Encoder} or {@link Mapping})
 * is run: device, threads, batch size and the pixel value range when the model's metadata does
 * not state it. Immutable; defaults: {@link Device#AUTO}, intra-op threads = the machine's
 * cores, a batch that suits the image size ({@link #batchFor}).
 *
 * <pre>{@code
 * var opts = OnnxOptions.builder().device(Device.CPU).threads(1).batch(4).build();
 * }</pre>
 *
 * <p>The options idiom of the toolkit (as {@code VideoOptions}): every setting is a field of the
 * {@link Builder}, declared once with its default; the options keep a private copy of the
 * builder that made them, read by the accessors and copied again by {@link #toBuilder()}.
 *
 * <p>Was {@code SynthesizerOptions} (a name that hid that encoders and mapping networks take it
 * too); that name remains as a deprecated alias. Not final only for that alias.
 */
public sealed class OnnxOptions permits SynthesizerOptions {
    /** Largest batch the automatic choice makes, and the pixels one automatic batch may hold. */
    public static final int AUTO_BATCH_MAX = 8;
    public static final long AUTO_BATCH_PIXELS = 1L << 16; // 256²

    /** The settings: a private copy of the builder that made these options, never handed out. */
    private final Builder settings;

    OnnxOptions(Builder builder) {
        this.settings = builder.copy();
    }

    /** Device AUTO, one thread per core, automatic batch, pixel range from the model's metadata. */
    public static OnnxOptions defaults() {
        return builder().build();
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these options, to make a variant. */
    public Builder toBuilder() {
        return settings.copy();
    }

    /** Where the model should run (AUTO: CUDA when it loads, else the CPU). */
    public Device device() {
        return settings.device;
    }

    /** Intra-op threads ONNX Runtime uses. */
    public int threads() {
        return settings.threads;
    }

    /** Frames per model call as set, or 0 for automatic ({@link #batchFor}). */
    public int batch() {
        return settings.batch;
    }

    /** True if the batch is chosen by image size ({@link #batchFor}). */
    public boolean batchIsAutomatic() {
        return settings.batch == 0;
    }

    /**
     * The batch for images of {@code height} × {@code width}: the one set, else
     * {@value #AUTO_BATCH_MAX} frames, fewer for big frames so a batch holds at most 2^16
     * pixels (64²: 8, 128²: 4, 256² and up: 1; unknown size: 1). Why: at 64² a batch of 8
     * rendered the test StyleGAN2 fastest (603 frames/s against 368 at batch 1 and 514 at 32,
     * figures/benchmarks.md); at 256² a config-f StyleGAN2 rendered no faster at batch 4 than at
     * batch 1 (bench/render/resolution-speed.txt, on a shared, loaded machine), and the
     * activations of a batch grow with its pixels. 1024² was not measured.
     */
    public int batchFor(int height, int width) {
        if (settings.batch > 0) {
            return settings.batch;
        }
        if (height < 1 || width < 1) {
            return 1;
        }
        long fit = AUTO_BATCH_PIXELS / ((long) height * width);
        return (int) Math.max(1, Math.min(AUTO_BATCH_MAX, fit));
    }

    /** The pixel value range given by the caller, or null to read it from the model's metadata. */
    public ValueRange range() {
        return settings.range;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s[device=%s, threads=%d, batch=%s, range=%s]", getClass().getSimpleName(),
                device(), threads(), batchIsAutomatic() ? "automatic" : Integer.toString(batch()),
                range() == null ? "from model metadata" : range());
    }

    /** The settings with their defaults; {@link #build()} makes immutable options of them. */
    public static sealed class Builder implements Cloneable permits SynthesizerOptions.Builder {
        private Device device = Device.AUTO;
        private int threads = Runtime.getRuntime().availableProcessors();
        private int batch; // 0: automatic, by image size
        private ValueRange range;

        Builder() {
        }

        /** Where to run the model (default {@link Device#AUTO}); not null. */
        public Builder device(Device device) {
            this.device = Objects.requireNonNull(device, "device");
            return this;
        }

        /** Intra-op threads (default: the machine's cores); throws if below 1. */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads: expected at least 1, found " + threads);
            }
            this.threads = threads;
            return this;
        }

        /** Frames per model call: bigger batches run faster per frame and use more memory. */
        public Builder batch(int batch) {
            if (batch < 1) {
                throw new IllegalArgumentException("batch: expected at least 1, found " + batch);
            }
            this.batch = batch;
            return this;
        }

        /** States the model's pixel range (overrides the model's metadata). */
        public Builder range(ValueRange range) {
            this.range = range;
            return this;
        }

        /** The options (immutable; later changes to this builder do not reach them). */
        public OnnxOptions build() {
            return new OnnxOptions(this);
        }

        /** A full copy: a shallow one, since every setting is an immutable value. */
        final Builder copy() {
            try {
                return (Builder) clone();
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }
    }
}

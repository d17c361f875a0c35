package org.latentmotion.render;

import java.util.Locale;

/**
 * How an ONNX model (a {@link Synthesizer}, {@link Encoder} or {@link Mapping}) is run: device,
 * threads, batch size and the pixel value range when the model's metadata does not state it.
 * Immutable; defaults: {@link Device#AUTO}, intra-op threads = the machine's cores, a batch that
 * suits the image size ({@link #batchFor}).
 *
 * <pre>{@code
 * var opts = SynthesizerOptions.builder().device(Device.CPU).threads(1).batch(4).build();
 * }</pre>
 */
public final class SynthesizerOptions {
    private final Device device;
    private final int threads;
    private final int batch;
    private final ValueRange range;

    private SynthesizerOptions(Builder b) {
        this.device = b.device;
        this.threads = b.threads;
        this.batch = b.batch;
        this.range = b.range;
    }

    public static SynthesizerOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.device = device;
        b.threads = threads;
        b.batch = batch;
        b.range = range;
        return b;
    }

    public Device device() {
        return device;
    }

    /** Intra-op threads ONNX Runtime uses. */
    public int threads() {
        return threads;
    }

    /** Largest batch the automatic choice makes, and the pixels one automatic batch may hold. */
    public static final int AUTO_BATCH_MAX = 8;
    public static final long AUTO_BATCH_PIXELS = 1L << 16; // 256²

    /** Frames per model call as set, or 0 for automatic ({@link #batchFor}). */
    public int batch() {
        return batch;
    }

    /** True if the batch is chosen by image size ({@link #batchFor}). */
    public boolean batchIsAutomatic() {
        return batch == 0;
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
        if (batch > 0) {
            return batch;
        }
        if (height < 1 || width < 1) {
            return 1;
        }
        long fit = AUTO_BATCH_PIXELS / ((long) height * width);
        return (int) Math.max(1, Math.min(AUTO_BATCH_MAX, fit));
    }

    /** The pixel value range given by the caller, or null to read it from the model's metadata. */
    public ValueRange range() {
        return range;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "SynthesizerOptions[device=%s, threads=%d, batch=%s, range=%s]",
                device, threads, batch == 0 ? "automatic" : Integer.toString(batch), range == null ? "from model metadata" : range);
    }

    public static final class Builder {
        private Device device = Device.AUTO;
        private int threads = Runtime.getRuntime().availableProcessors();
        private int batch; // 0: automatic, by image size
        private ValueRange range;

        private Builder() {
        }

        public Builder device(Device device) {
            this.device = java.util.Objects.requireNonNull(device, "device");
            return this;
        }

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

        public SynthesizerOptions build() {
            return new SynthesizerOptions(this);
        }
    }
}

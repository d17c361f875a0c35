package org.latentmotion.render;

import java.util.Locale;

/**
 * How an ONNX model (a {@link Synthesizer} or an {@link Encoder}) is run: device, threads,
 * batch size and the pixel value range when the model's metadata does not state it.
 * Immutable; defaults: {@link Device#AUTO}, intra-op threads = the machine's cores, 8 per batch.
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

    /** Frames per model call: bigger batches run faster per frame and use more memory. */
    public int batch() {
        return batch;
    }

    /** The pixel value range given by the caller, or null to read it from the model's metadata. */
    public ValueRange range() {
        return range;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "SynthesizerOptions[device=%s, threads=%d, batch=%d, range=%s]",
                device, threads, batch, range == null ? "from model metadata" : range);
    }

    public static final class Builder {
        private Device device = Device.AUTO;
        private int threads = Runtime.getRuntime().availableProcessors();
        private int batch = 8;
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

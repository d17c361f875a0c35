package org.latentmotion.render;

/**
 * The old name of {@link OnnxOptions}, kept so notebooks written before the rename still compile
 * (including {@code SynthesizerOptions opts = SynthesizerOptions.builder()...build();}).
 *
 * @deprecated these options configure every ONNX model of this package (synthesizers, encoders,
 *     mapping networks): use {@link OnnxOptions}, which takes the same settings.
 */
@Deprecated(since = "0.1.0")
public final class SynthesizerOptions extends OnnxOptions {
    private SynthesizerOptions(Builder builder) {
        super(builder);
    }

    /** @deprecated use {@link OnnxOptions#defaults()} */
    @Deprecated(since = "0.1.0")
    public static SynthesizerOptions defaults() {
        return builder().build();
    }

    /** @deprecated use {@link OnnxOptions#builder()} */
    @Deprecated(since = "0.1.0")
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Builder toBuilder() {
        return (Builder) super.toBuilder(); // made by a SynthesizerOptions.Builder, so a copy of one
    }

    /** @deprecated use {@link OnnxOptions.Builder} */
    @Deprecated(since = "0.1.0")
    public static final class Builder extends OnnxOptions.Builder {
        private Builder() {
        }

        @Override
        public Builder device(Device device) {
            super.device(device);
            return this;
        }

        @Override
        public Builder threads(int threads) {
            super.threads(threads);
            return this;
        }

        @Override
        public Builder batch(int batch) {
            super.batch(batch);
            return this;
        }

        @Override
        public Builder range(ValueRange range) {
            super.range(range);
            return this;
        }

        @Override
        public SynthesizerOptions build() {
            return new SynthesizerOptions(this);
        }
    }
}

package org.latentmotion.video;

import java.util.Locale;

/**
 * How a {@link Video} is made: frame rate, render batch, format, quality, poster frames and
 * display width. Immutable; {@link #builder()} / {@link #toBuilder()} make variants. The options
 * idiom of the toolkit (as {@code OnnxOptions}): every setting is a field of the {@link Builder},
 * declared once with its default; the options keep a private copy of the builder that made them.
 *
 * <pre>{@code
 * var opts = VideoOptions.builder().format(VideoFormat.GIF).fps(12.5).build();
 * }</pre>
 */
public final class VideoOptions {
    /** The slowest frame rate the encoders take (one frame per 10 s; MP4 timing is in milliseconds). */
    public static final double MIN_FPS = 0.1;
    /** The fastest frame rate the encoders take (MP4 frame numbering and GIF delays break far above it). */
    public static final double MAX_FPS = 1000;

    /** Throws unless {@code fps} is within [{@value #MIN_FPS}, {@value #MAX_FPS}], naming the range. */
    public static void requireSupportedFps(double fps) {
        if (!(fps >= MIN_FPS && fps <= MAX_FPS)) {
            throw new IllegalArgumentException("fps: the video encoders take " + MIN_FPS + " to " + (int) MAX_FPS
                    + " frames per second, found " + fps);
        }
    }

    /** The settings: a private copy of the builder that made these options, never handed out. */
    private final Builder settings;

    private VideoOptions(Builder builder) {
        this.settings = builder.copy();
    }

    /**
     * The trajectory's own fps, batches of 16, {@link VideoFormat#MP4}, the format's default quality, 8 posters,
     * automatic display width.
     */
    public static VideoOptions defaults() {
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

    /** Frames per second: NaN means "the trajectory's own fps". */
    public double fps() {
        return settings.fps;
    }

    /** Frames rendered per call to the renderer (then encoded and dropped). */
    public int batch() {
        return settings.batch;
    }

    /** How the video is encoded. */
    public VideoFormat format() {
        return settings.format;
    }

    /**
     * The quality setting the encoder gets: the one given, else QP 16 for JCodec (measured:
     * ~39 dB PSNR at 256², where QP 18–22 lose 4–6 dB) and CRF 20 for ffmpeg (~41 dB).
     */
    public int quality() {
        return settings.quality >= 0 ? settings.quality : (settings.format == VideoFormat.MP4_FFMPEG ? 20 : 16);
    }

    /** Evenly spaced frames kept as pictures (for a poster, a frame strip, a quick look). */
    public int posters() {
        return settings.posters;
    }

    /** Width in CSS pixels the inline player shows; 0 = automatic (small frames are enlarged). */
    public int displayWidth() {
        return settings.displayWidth;
    }

    /** Shorthand for {@code toBuilder().format(f).build()}. */
    public VideoOptions withFormat(VideoFormat f) {
        return toBuilder().format(f).build();
    }

    /** Shorthand for {@code toBuilder().fps(f).build()}. */
    public VideoOptions withFps(double f) {
        return toBuilder().fps(f).build();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "VideoOptions[fps=%s, batch=%d, format=%s, quality=%d, posters=%d, displayWidth=%s]",
                Double.isNaN(fps()) ? "from trajectory" : fps(), batch(), format(), quality(), posters(),
                displayWidth() == 0 ? "auto" : displayWidth());
    }

    /** The settings with their defaults; {@link #build()} makes immutable options of them. */
    public static final class Builder implements Cloneable {
        private double fps = Double.NaN;
        private int batch = 16;
        private VideoFormat format = VideoFormat.MP4;
        /** H.264 QP (JCodec) or CRF (ffmpeg), 10–51, lower is better; -1 picks the format's default. */
        private int quality = -1;
        private int posters = 8;
        private int displayWidth = 0;

        private Builder() {
        }

        /** Frames per second of the video (default: the trajectory's own); throws outside 0.1 to 1000. */
        public Builder fps(double fps) {
            requireSupportedFps(fps);
            this.fps = fps;
            return this;
        }

        /**
         * Frames rendered per call to the renderer (default 16): more is faster and holds more frames in memory; throws
         * if below 1.
         */
        public Builder batch(int batch) {
            if (batch < 1) {
                throw new IllegalArgumentException("batch: expected at least 1, found " + batch);
            }
            this.batch = batch;
            return this;
        }

        /** How the video is encoded (default {@link VideoFormat#MP4}); not null. */
        public Builder format(VideoFormat format) {
            this.format = java.util.Objects.requireNonNull(format, "format");
            return this;
        }

        /**
         * H.264 QP (JCodec) or CRF (ffmpeg), lower is better (default: 16 for JCodec, 20 for ffmpeg); throws outside
         * 10–51.
         */
        public Builder quality(int quality) {
            if (quality < 10 || quality > 51) {
                throw new IllegalArgumentException("quality (H.264 QP/CRF): expected 10–51, found " + quality);
            }
            this.quality = quality;
            return this;
        }

        /** Evenly spaced frames kept as pictures (default 8); throws if below 1. */
        public Builder posters(int posters) {
            if (posters < 1) {
                throw new IllegalArgumentException("posters: expected at least 1, found " + posters);
            }
            this.posters = posters;
            return this;
        }

        /**
         * Width in CSS pixels of the inline player (default 0: automatic, small frames enlarged); throws if negative.
         */
        public Builder displayWidth(int pixels) {
            if (pixels < 0) {
                throw new IllegalArgumentException("displayWidth: expected ≥ 0 (0 = automatic), found " + pixels);
            }
            this.displayWidth = pixels;
            return this;
        }

        /** The options (immutable; later changes to this builder do not reach them). */
        public VideoOptions build() {
            return new VideoOptions(this);
        }

        /** A full copy: a shallow one, since every setting is an immutable value. */
        private Builder copy() {
            try {
                return (Builder) clone();
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }
    }
}

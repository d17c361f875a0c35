package org.latentmotion.metrics;

import java.util.Objects;

/**
 * What a feature extractor's ONNX model expects: spatial size, frames per clip (1 for an image
 * model), memory layout, value range, and how frames are resized to that size. The toolkit
 * hands frames over as float RGB in [-1, 1] (StyleGAN's convention) at any size; the extractor
 * resizes and rescales them as this spec says.
 *
 * <p>Presets follow the references: {@link #fid()} (pytorch-fid's Inception) and
 * {@link #fvd()} / {@link #fvd(int)} (the FVD reference's I3D).
 */
public final class InputSpec {
    /** Memory layout of the model input (N batch, T time, C channels, H, W). */
    public enum Layout { NCHW, NHWC, NCTHW, NTHWC, NTCHW }

    /** How frames are resized to the model's size. */
    public enum Resize {
        /** Bilinear with half-pixel centres, no antialiasing: PyTorch {@code F.interpolate(bilinear, align_corners=False)}, as pytorch-fid. */
        BILINEAR,
        /** TF1 {@code tf.image.resize_bilinear} (no half-pixel centres, no antialiasing), as the FVD reference. */
        BILINEAR_TF_LEGACY,
        /** No resizing: frames must already have the model's size. */
        NONE
    }

    private final int frames;
    private final int height;
    private final int width;
    private final Layout layout;
    private final double low;
    private final double high;
    private final Resize resize;
    private final String inputName;
    private final String outputName;

    private InputSpec(Builder b) {
        this.frames = b.frames;
        this.height = b.height;
        this.width = b.width;
        this.layout = b.layout;
        this.low = b.low;
        this.high = b.high;
        this.resize = b.resize;
        this.inputName = b.inputName;
        this.outputName = b.outputName;
    }

    /** An image model's input: [N, 3, height, width] in [0, 1], bilinear; change with the builder. */
    public static Builder image(int height, int width) {
        return new Builder(1, height, width, Layout.NCHW);
    }

    /** A clip model's input: [N, frames, height, width, 3] in [-1, 1], bilinear (TF legacy). */
    public static Builder clip(int frames, int height, int width) {
        return new Builder(frames, height, width, Layout.NTHWC).range(-1, 1).resize(Resize.BILINEAR_TF_LEGACY);
    }

    /**
     * pytorch-fid's InceptionV3 (pool3, 2048 features) exported to ONNX: 299×299, NCHW, range
     * [0, 1], bilinear resize with half-pixel centres (pytorch-fid resizes inside the model this
     * way, so resizing here first is the same operation).
     */
    public static InputSpec fid() {
        return image(299, 299).build();
    }

    /** The FVD reference's I3D (Kinetics-400, 400 logits) on 16-frame clips; see {@link #fvd(int)}. */
    public static InputSpec fvd() {
        return fvd(16);
    }

    /**
     * The FVD reference's I3D on clips of {@code frames} frames (16 as in the FVD paper; 25 is
     * StyleVideoGAN's window): 224×224, NTHWC, range [-1, 1], TF1 legacy bilinear resize.
     */
    public static InputSpec fvd(int frames) {
        return clip(frames, 224, 224).build();
    }

    /** Frames per clip; 1 for an image model. */
    public int frames() {
        return frames;
    }

    /** True for a clip model (a layout with a time axis: NCTHW, NTHWC or NTCHW). */
    public boolean isClip() {
        return layout == Layout.NCTHW || layout == Layout.NTHWC || layout == Layout.NTCHW;
    }

    /** Height in pixels that frames are resized to. */
    public int height() {
        return height;
    }

    /** Width in pixels that frames are resized to. */
    public int width() {
        return width;
    }

    /** Memory layout of the model input. */
    public Layout layout() {
        return layout;
    }

    /** The value the toolkit's −1 is mapped to (lower end of the model's range). */
    public double low() {
        return low;
    }

    /** The value the toolkit's +1 is mapped to (upper end of the model's range). */
    public double high() {
        return high;
    }

    /** How frames are resized to the model's size. */
    public Resize resize() {
        return resize;
    }

    /** The model input to feed, or null for "the model's only input". */
    public String inputName() {
        return inputName;
    }

    /** The model output to read, or null for "the model's first output". */
    public String outputName() {
        return outputName;
    }

    /** The input shape with a batch of {@code n}, in this spec's layout. */
    long[] shape(long n) {
        return switch (layout) {
            case NCHW -> new long[] {n, 3, height, width};
            case NHWC -> new long[] {n, height, width, 3};
            case NCTHW -> new long[] {n, 3, frames, height, width};
            case NTHWC -> new long[] {n, frames, height, width, 3};
            case NTCHW -> new long[] {n, frames, 3, height, width};
        };
    }

    /** A builder holding this spec's settings, to change some of them. */
    public Builder toBuilder() {
        return new Builder(frames, height, width, layout).range(low, high).resize(resize).inputName(inputName)
                .outputName(outputName);
    }

    @Override
    public String toString() {
        String dims = java.util.Arrays.toString(shape(-1)).replace("-1", "N");
        return "InputSpec" + dims + " " + layout + ", range [" + fmt(low) + ", " + fmt(high) + "], resize " + resize
                + (inputName == null ? "" : ", input '" + inputName + "'")
                + (outputName == null ? "" : ", output '" + outputName + "'");
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    /** Builder; {@link #build()} validates. */
    public static final class Builder {
        private int frames;
        private int height;
        private int width;
        private Layout layout;
        private double low = 0;
        private double high = 1;
        private Resize resize = Resize.BILINEAR;
        private String inputName;
        private String outputName;

        private Builder(int frames, int height, int width, Layout layout) {
            this.frames = frames;
            this.height = height;
            this.width = width;
            this.layout = layout;
        }

        /**
         * Memory layout of the model input (default NCHW for {@link InputSpec#image},
         * NTHWC for {@link InputSpec#clip}); not null.
         */
        public Builder layout(Layout l) {
            this.layout = Objects.requireNonNull(l, "layout");
            return this;
        }

        /** The value range the model expects (the toolkit's [-1, 1] frames are mapped onto it linearly). */
        public Builder range(double lo, double hi) {
            this.low = lo;
            this.high = hi;
            return this;
        }

        /**
         * How frames are resized (default {@link Resize#BILINEAR} for {@link InputSpec#image},
         * {@link Resize#BILINEAR_TF_LEGACY} for {@link InputSpec#clip}); not null.
         */
        public Builder resize(Resize r) {
            this.resize = Objects.requireNonNull(r, "resize");
            return this;
        }

        /** Frames per clip for a clip layout (at least 1, checked by {@link #build()}); image layouts always get 1. */
        public Builder frames(int n) {
            this.frames = n;
            return this;
        }

        /** The model input to feed (default null: the model's only input). */
        public Builder inputName(String name) {
            this.inputName = name;
            return this;
        }

        /** The model output to read (default null: the model's first output). */
        public Builder outputName(String name) {
            this.outputName = name;
            return this;
        }

        /**
         * The spec; throws if the size is not positive, the range is not finite with low &lt; high, or a clip layout
         * has no frames.
         */
        public InputSpec build() {
            if (height < 1 || width < 1) {
                throw new IllegalArgumentException("input spec: expected a positive size, found " + height + "×" + width);
            }
            if (!(Double.isFinite(low) && Double.isFinite(high) && high > low)) {
                throw new IllegalArgumentException("input spec: expected a range low < high, found [" + low + ", " + high + "]");
            }
            boolean clip = layout == Layout.NCTHW || layout == Layout.NTHWC || layout == Layout.NTCHW;
            if (clip && frames < 1) {
                throw new IllegalArgumentException("input spec: a clip model needs at least 1 frame, found " + frames);
            }
            if (!clip) {
                frames = 1;
            }
            return new InputSpec(this);
        }
    }
}

package org.latentmotion.video;

/**
 * RGB ↔ Y'CbCr in ITU-R BT.601, limited ("video") range: Y' in 16–235, Cb/Cr in 16–240.
 *
 * <p>Why: JCodec converts with the JPEG (full-range) matrix and writes no colour description,
 * so browsers and ffmpeg, which assume limited range for H.264, stretch the picture (more
 * contrast and saturation). Converting ourselves to limited range — and saying so in the
 * stream's VUI — makes every player agree.
 */
final class Bt601 {
    private Bt601() {
    }

    static int y(int r, int g, int b) {
        return clamp8((int) Math.round(16 + 0.256788 * r + 0.504129 * g + 0.097906 * b));
    }

    static int cb(int r, int g, int b) {
        return clamp8((int) Math.round(128 - 0.148223 * r - 0.290993 * g + 0.439216 * b));
    }

    static int cr(int r, int g, int b) {
        return clamp8((int) Math.round(128 + 0.439216 * r - 0.367788 * g - 0.071427 * b));
    }

    /** Packs limited-range Y'CbCr back to 0xRRGGBB. */
    static int rgb(int y, int cb, int cr) {
        double yy = 1.164383 * (y - 16);
        int r = clamp8((int) Math.round(yy + 1.596027 * (cr - 128)));
        int g = clamp8((int) Math.round(yy - 0.391762 * (cb - 128) - 0.812968 * (cr - 128)));
        int b = clamp8((int) Math.round(yy + 2.017232 * (cb - 128)));
        return (r << 16) | (g << 8) | b;
    }

    static int clamp8(int v) {
        return v < 0 ? 0 : (v > 255 ? 255 : v);
    }
}

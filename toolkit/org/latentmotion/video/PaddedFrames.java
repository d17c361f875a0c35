package org.latentmotion.video;

import java.awt.image.BufferedImage;
import java.util.Arrays;

/**
 * The frames an MP4 encoder takes: all {@code width}×{@code height} (at least 2×2), each read as
 * ARGB pixels grown to the size the codec needs (even for 4:2:0 chroma; whole 16×16 macroblocks
 * for JCodec's H.264) by repeating the last column and row. Repeating the edge, not padding with
 * black, keeps the edge pixels' colour where 4:2:0 averages them with the padding. One buffer,
 * reused for every frame.
 */
final class PaddedFrames {
    final int width;
    final int height;
    final int paddedWidth;
    final int paddedHeight;
    private final int[] pixels;

    PaddedFrames(int width, int height, int paddedWidth, int paddedHeight) {
        if (width < 2 || height < 2) {
            throw new IllegalArgumentException("MP4 frames: expected at least 2×2 pixels, found " + width + "×" + height);
        }
        if (paddedWidth < width || paddedHeight < height) {
            throw new IllegalArgumentException("padded size " + paddedWidth + "×" + paddedHeight + " is smaller than the frames, "
                    + width + "×" + height);
        }
        this.width = width;
        this.height = height;
        this.paddedWidth = paddedWidth;
        this.paddedHeight = paddedHeight;
        this.pixels = new int[paddedWidth * paddedHeight];
    }

    /** The even size 4:2:0 needs: {@code n}, or {@code n + 1} if odd. */
    static int even(int n) {
        return (n + 1) & ~1;
    }

    /**
     * Frame number {@code index}'s pixels, row-major at stride {@link #paddedWidth}; pixel (x, y)
     * beyond the frame is pixel (min(x, width − 1), min(y, height − 1)). The array is reused by
     * the next call.
     *
     * @throws IllegalArgumentException if the frame is not width×height
     */
    int[] read(BufferedImage frame, long index) {
        if (frame.getWidth() != width || frame.getHeight() != height) {
            throw new IllegalArgumentException("frame " + index + ": expected " + width + "×" + height
                    + ", found " + frame.getWidth() + "×" + frame.getHeight());
        }
        frame.getRGB(0, 0, width, height, pixels, 0, paddedWidth);
        for (int y = 0; y < height; y++) {
            int row = y * paddedWidth;
            Arrays.fill(pixels, row + width, row + paddedWidth, pixels[row + width - 1]);
        }
        int lastRow = (height - 1) * paddedWidth;
        for (int y = height; y < paddedHeight; y++) {
            System.arraycopy(pixels, lastRow, pixels, y * paddedWidth, paddedWidth);
        }
        return pixels;
    }
}

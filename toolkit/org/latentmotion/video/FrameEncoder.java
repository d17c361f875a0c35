package org.latentmotion.video;

import java.awt.image.BufferedImage;

/**
 * Turns frames into an encoded file one frame at a time, so a long video never has all its
 * frames in memory. {@link #finish()} returns the file's bytes; {@link #close()} after
 * {@code finish} is a no-op, before it abandons the output.
 */
public interface FrameEncoder extends AutoCloseable {

    /** Encodes the next frame; every frame must have the size the encoder was opened with. */
    void encode(BufferedImage frame);

    /** Completes the file and returns it. */
    byte[] finish();

    /** The MIME type of the bytes {@link #finish()} returns. */
    String mimeType();

    @Override
    void close();

    /** An encoder for {@code format}: frames of {@code width}×{@code height} at {@code fps}. */
    static FrameEncoder open(VideoFormat format, int width, int height, double fps, int quality) {
        return switch (format) {
            case MP4 -> new JCodecMp4Encoder(width, height, fps, quality);
            case MP4_FFMPEG -> new FfmpegMp4Encoder(width, height, fps, quality);
            case GIF -> new GifEncoder(width, height, fps);
        };
    }
}

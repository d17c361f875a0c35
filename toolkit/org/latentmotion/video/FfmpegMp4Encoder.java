package org.latentmotion.video;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * H.264 in MP4 by the machine's ffmpeg (libx264, yuv420p, +faststart): frames are piped to it
 * as raw RGB as they come, so nothing accumulates in the JVM.
 */
final class FfmpegMp4Encoder implements FrameEncoder {
    private final PaddedFrames padded;
    private final Path file;
    private final Process process;
    private final OutputStream stdin;
    private final Ffmpeg.Drain stderr;
    private final byte[] row;
    private boolean done;
    private long frames;

    FfmpegMp4Encoder(int width, int height, double fps, int quality) {
        // yuv420p needs even sizes: odd frames get their last column/row repeated.
        this.padded = new PaddedFrames(width, height, PaddedFrames.even(width), PaddedFrames.even(height));
        try {
            this.file = Files.createTempFile("latentmotion-", ".mp4");
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a temporary MP4 file", e);
        }
        process = Ffmpeg.start(List.of("-hide_banner", "-loglevel", "error", "-y",
                "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", padded.paddedWidth + "x" + padded.paddedHeight,
                "-r", String.format(Locale.ROOT, "%.6f", fps), "-i", "-",
                "-c:v", "libx264", "-preset", "medium", "-crf", Integer.toString(quality),
                "-pix_fmt", "yuv420p", "-colorspace", "smpte170m", "-color_primaries", "smpte170m",
                "-color_trc", "smpte170m", "-color_range", "tv", "-movflags", "+faststart",
                "-f", "mp4", file.toString()));
        stdin = process.getOutputStream();
        stderr = new Ffmpeg.Drain(process.getErrorStream());
        row = new byte[padded.paddedWidth * 3];
    }

    @Override
    public void encode(BufferedImage frame) {
        if (done) {
            throw new IllegalStateException("this ffmpeg encoder has finished");
        }
        int[] rgb = padded.read(frame, frames);
        int w = padded.paddedWidth;
        try {
            for (int y = 0; y < padded.paddedHeight; y++) {
                for (int x = 0; x < w; x++) {
                    int p = rgb[y * w + x];
                    row[3 * x] = (byte) (p >> 16);
                    row[3 * x + 1] = (byte) (p >> 8);
                    row[3 * x + 2] = (byte) p;
                }
                stdin.write(row);
            }
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("ffmpeg stopped taking frames at frame " + frames + ": " + stderr.text(), e);
        }
        frames++;
    }

    @Override
    public byte[] finish() {
        if (done) {
            throw new IllegalStateException("this ffmpeg encoder has finished");
        }
        done = true;
        try {
            stdin.close();
            int code = process.waitFor();
            stderr.join(2000);
            if (code != 0) {
                throw new IllegalStateException("ffmpeg failed with exit code " + code + ": " + stderr.text());
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read ffmpeg's output", e);
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while ffmpeg was finishing", e);
        } finally {
            deleteQuietly();
        }
    }

    @Override
    public String mimeType() {
        return "video/mp4";
    }

    @Override
    public void close() {
        if (!done) {
            done = true;
            process.destroyForcibly();
            deleteQuietly();
        }
    }

    private void deleteQuietly() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a temp file left behind is harmless
        }
    }
}

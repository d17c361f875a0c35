package org.latentmotion.video;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.jcodec.api.FrameGrab;
import org.jcodec.api.JCodecException;
import org.jcodec.common.io.ByteBufferSeekableByteChannel;
import org.jcodec.common.model.Picture;

/** Decodes a video's bytes back to frames, one at a time (for checks, frame strips, encoders). */
final class VideoDecoder {
    private VideoDecoder() {
    }

    /** Calls {@code sink} with each frame of {@code video}, in order; returns the count. */
    static long forEach(Video video, Consumer<BufferedImage> sink) {
        return switch (video.format()) {
            case MP4 -> jcodec(video.bytes(), video.width(), video.height(), sink);
            case MP4_FFMPEG -> ffmpeg(video.bytes(), video.width(), video.height(), sink);
            case GIF -> gif(video.bytes(), sink);
        };
    }

    /** H.264 MP4 through JCodec's decoder; samples are read as limited-range BT.601. */
    static long jcodec(byte[] mp4, int width, int height, Consumer<BufferedImage> sink) {
        try {
            FrameGrab grab = FrameGrab.createFrameGrab(ByteBufferSeekableByteChannel.readFromByteBuffer(ByteBuffer.wrap(mp4)));
            long n = 0;
            for (Picture p; (p = grab.getNativeFrame()) != null; n++) {
                sink.accept(toImage(p, width, height));
            }
            return n;
        } catch (IOException e) {
            throw new UncheckedIOException("could not decode the MP4", e);
        } catch (JCodecException e) {
            throw new IllegalStateException("JCodec could not read the MP4: " + e.getMessage(), e);
        }
    }

    static BufferedImage toImage(Picture p, int width, int height) {
        int pw = p.getWidth();
        int cw = pw >> 1;
        byte[] yp = p.getPlaneData(0);
        byte[] up = p.getPlaneData(1);
        byte[] vp = p.getPlaneData(2);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int c = (y >> 1) * cw + (x >> 1);
                row[x] = Bt601.rgb(yp[y * pw + x] + 128, up[c] + 128, vp[c] + 128);
            }
            img.setRGB(0, y, width, 1, row, 0, width);
        }
        return img;
    }

    /** Any MP4 through ffmpeg (an independent decoder: it honours the stream's colour tags). */
    static long ffmpeg(byte[] mp4, int width, int height, Consumer<BufferedImage> sink) {
        Path tmp = null;
        try {
            tmp = Files.createTempFile("latentmotion-decode-", ".mp4");
            Files.write(tmp, mp4);
            // crop undoes the even-size padding the encoder may have added
            Process p = Ffmpeg.start(List.of("-hide_banner", "-loglevel", "error", "-i", tmp.toString(),
                    "-vf", "format=rgb24,crop=" + width + ":" + height + ":0:0", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"));
            Ffmpeg.Drain err = new Ffmpeg.Drain(p.getErrorStream());
            p.getOutputStream().close();
            long n = 0;
            byte[] frame = new byte[width * height * 3];
            try (InputStream in = p.getInputStream(); DataInputStream data = new DataInputStream(in)) {
                while (true) {
                    try {
                        data.readFully(frame);
                    } catch (EOFException end) {
                        break;
                    }
                    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
                    int[] px = new int[width * height];
                    for (int i = 0; i < px.length; i++) {
                        px[i] = ((frame[3 * i] & 255) << 16) | ((frame[3 * i + 1] & 255) << 8) | (frame[3 * i + 2] & 255);
                    }
                    img.setRGB(0, 0, width, height, px, 0, width);
                    sink.accept(img);
                    n++;
                }
            }
            int code = p.waitFor();
            if (code != 0) {
                throw new IllegalStateException("ffmpeg could not decode the video (exit " + code + "): " + err.text());
            }
            return n;
        } catch (IOException e) {
            throw new UncheckedIOException("could not decode the video with ffmpeg", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while decoding", e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // harmless
                }
            }
        }
    }

    static long gif(byte[] gif, Consumer<BufferedImage> sink) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(gif))) {
            Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("gif");
            ImageReader reader = readers.next();
            reader.setInput(in);
            long n = 0;
            for (int i = 0; ; i++, n++) {
                BufferedImage frame;
                try {
                    frame = reader.read(i);
                } catch (IndexOutOfBoundsException end) {
                    break;
                }
                BufferedImage rgb = new BufferedImage(frame.getWidth(), frame.getHeight(), BufferedImage.TYPE_INT_RGB);
                rgb.getGraphics().drawImage(frame, 0, 0, null);
                sink.accept(rgb);
            }
            reader.dispose();
            return n;
        } catch (IOException e) {
            throw new UncheckedIOException("could not decode the GIF", e);
        }
    }
}

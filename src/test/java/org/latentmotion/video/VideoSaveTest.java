package org.latentmotion.video;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code video.save(path)} writes exactly where asked, in the format the extension names: the
 * video's own bytes when they already are that format, else the frames encoded again; a name
 * with another extension is refused before anything is written.
 */
class VideoSaveTest {
    static final int W = 24, H = 16, FRAMES = 12;

    /** Frames whose red level ramps 0 → 240, so a re-encoded copy can be checked frame by frame. */
    static Video ramp(VideoFormat format) {
        List<BufferedImage> frames = new ArrayList<>();
        for (int t = 0; t < FRAMES; t++) {
            BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
            int red = 240 * t / (FRAMES - 1);
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    img.setRGB(x, y, (red << 16) | (60 << 8) | 90);
                }
            }
            frames.add(img);
        }
        return Video.of(frames, 20, VideoOptions.builder().format(format).build());
    }

    @Test
    void theSameFormatIsTheVideosOwnBytesAtThatPath(@TempDir Path dir) throws Exception {
        Video mp4 = ramp(VideoFormat.MP4);
        Path file = dir.resolve("sub").resolve("clip.MP4");
        Files.createDirectories(file.getParent());
        assertEquals(file, mp4.save(file));
        assertArrayEquals(mp4.bytes(), Files.readAllBytes(file));
        Video gif = ramp(VideoFormat.GIF);
        assertArrayEquals(gif.bytes(), Files.readAllBytes(gif.save(dir.resolve("clip.gif").toString())));
        try (var s = Files.list(dir)) {
            assertEquals(2, s.count(), "the two files and no temporary ones");
        }
    }

    @Test
    void anMp4SavedAsGifIsAnAnimatedGifOfTheSameFrames(@TempDir Path dir) throws Exception {
        Video mp4 = ramp(VideoFormat.MP4);
        Path file = mp4.save(dir.resolve("clip.gif"));
        byte[] bytes = Files.readAllBytes(file);
        assertEquals("GIF89a", new String(bytes, 0, 6, java.nio.charset.StandardCharsets.US_ASCII));
        ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(in);
            assertEquals(FRAMES, reader.getNumImages(true), "frames in the GIF");
            for (int t : new int[] {0, FRAMES / 2, FRAMES - 1}) {
                BufferedImage frame = reader.read(t);
                assertEquals(W, frame.getWidth());
                int red = (frame.getRGB(W / 2, H / 2) >> 16) & 255;
                // the MP4 round trip and the GIF palette each cost a few levels
                assertTrue(Math.abs(red - 240 * t / (FRAMES - 1)) <= 12, "frame " + t + " red " + red);
            }
        } finally {
            reader.dispose();
        }
    }

    @Test
    void aGifSavedAsMp4IsAnMp4OfTheSameFrames(@TempDir Path dir) throws Exception {
        Video gif = ramp(VideoFormat.GIF);
        byte[] bytes = Files.readAllBytes(gif.save(dir.resolve("clip.mp4")));
        assertEquals("ftyp", new String(bytes, 4, 4, java.nio.charset.StandardCharsets.US_ASCII), "an MP4 file");
        List<BufferedImage> decoded = new ArrayList<>();
        if (VideoFormat.best() == VideoFormat.MP4_FFMPEG) { // .mp4 is written by ffmpeg when there is one
            VideoDecoder.ffmpeg(bytes, W, H, decoded::add);
        } else {
            VideoDecoder.jcodec(bytes, W, H, decoded::add);
        }
        assertEquals(FRAMES, decoded.size(), "frames in the MP4");
        int red = (decoded.get(FRAMES - 1).getRGB(W / 2, H / 2) >> 16) & 255;
        assertTrue(Math.abs(red - 240) <= 12, "last frame red " + red);
    }

    @Test
    void anotherExtensionIsRefusedBeforeAnythingIsWritten(@TempDir Path dir) throws Exception {
        Video mp4 = ramp(VideoFormat.MP4);
        var e = assertThrows(IllegalArgumentException.class, () -> mp4.save(dir.resolve("clip.avi")));
        assertTrue(e.getMessage().contains("expected a name ending in .mp4 or .gif") && e.getMessage().contains("\".avi\""), e.getMessage());
        var none = assertThrows(IllegalArgumentException.class, () -> mp4.save(dir.resolve("clip")));
        assertTrue(none.getMessage().contains("no extension"), none.getMessage());
        try (var s = Files.list(dir)) {
            assertFalse(s.findAny().isPresent(), "nothing written");
        }
    }
}

package org.latentmotion.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A user's own frames and video files, read one frame at a time, with errors before any work. */
class FootageTest {
    @TempDir
    Path dir;

    private Path folderOf(List<BufferedImage> frames, String pattern) throws IOException {
        Path folder = Files.createDirectories(dir.resolve("frames"));
        for (int i = 0; i < frames.size(); i++) {
            ImageIO.write(frames.get(i), "png", folder.resolve(String.format(pattern, i + 1)).toFile());
        }
        return folder;
    }

    @Test
    void aFolderReadsInNameOrderWithNumbersComparedAsNumbers() throws IOException {
        List<BufferedImage> frames = TestFrames.frames(48, 32, 12);
        Path folder = folderOf(frames, "frame%d.png"); // frame1 … frame12: frame10 must not come before frame2
        Files.writeString(folder.resolve("notes.txt"), "not a frame");
        Footage f = Footage.fromFolder(folder, 12.5);
        assertEquals(12, f.frames());
        assertEquals(48, f.width());
        assertEquals(32, f.height());
        assertEquals(12.5, f.fps());
        List<BufferedImage> back = f.decode();
        for (int i = 0; i < frames.size(); i++) {
            assertEquals(0, maxDifference(frames.get(i), back.get(i)), "frame " + i + " (PNG is lossless)");
        }
        assertEquals(0, maxDifference(frames.get(0), f.firstFrame()));
        Video v = f.toVideo();
        assertEquals(12, v.frames());
        assertEquals(12.5, v.fps());
        assertTrue(f.toString().contains("12 frames") && f.toString().contains("48×32"), f.toString());
    }

    @Test
    void naturalOrder() {
        List<String> names = new ArrayList<>(List.of("f10.png", "f2.png", "f1.png", "f002.png", "g1.png", "f1a.png"));
        names.sort(Footage::compareNatural);
        assertEquals(List.of("f1.png", "f1a.png", "f002.png", "f2.png", "f10.png", "g1.png"), names);
    }

    @Test
    void folderErrorsNameWhatIsWrongBeforeAnyWork() throws IOException {
        var missing = assertThrows(IllegalArgumentException.class, () -> Footage.fromFolder(dir.resolve("nope"), 25));
        assertTrue(missing.getMessage().contains("found nothing"), missing.getMessage());

        Path empty = Files.createDirectories(dir.resolve("empty"));
        var none = assertThrows(IllegalArgumentException.class, () -> Footage.fromFolder(empty, 25));
        assertTrue(none.getMessage().contains("found none (the folder is empty)"), none.getMessage());
        Files.writeString(empty.resolve("readme.txt"), "x");
        none = assertThrows(IllegalArgumentException.class, () -> Footage.fromFolder(empty, 25));
        assertTrue(none.getMessage().contains("[readme.txt]"), none.getMessage());

        Path mixed = folderOf(TestFrames.frames(48, 32, 3), "%04d.png");
        ImageIO.write(TestFrames.frame(40, 32, 0), "png", mixed.resolve("0004.png").toFile());
        var sizes = assertThrows(IllegalArgumentException.class, () -> Footage.fromFolder(mixed, 25));
        assertTrue(sizes.getMessage().contains("48×32 like 0001.png") && sizes.getMessage().contains("0004.png 40×32"),
                sizes.getMessage());

        Files.delete(mixed.resolve("0004.png"));
        Files.writeString(mixed.resolve("0002.png"), "this is not a PNG");
        var unreadable = assertThrows(IllegalArgumentException.class, () -> Footage.fromFolder(mixed, 25));
        assertTrue(unreadable.getMessage().contains("0002.png") && unreadable.getMessage().contains("no image reader"),
                unreadable.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Footage.fromFolder(mixed, 0));
    }

    @Test
    void aVideoFileThroughFfmpegKeepsItsFpsFramesAndPictures() {
        assumeTrue(Ffmpeg.available(), "ffmpeg is not on the PATH");
        List<BufferedImage> frames = TestFrames.frames(64, 48, 20);
        Video made = Video.of(frames, 20, VideoOptions.builder().format(VideoFormat.MP4_FFMPEG).quality(12).build());
        Path mp4 = made.save(dir.resolve("talk.mp4"));
        Footage f = Footage.fromVideoFile(mp4);
        assertEquals(20, f.frames());
        assertEquals(20.0, f.fps(), 1e-9);
        assertEquals(64, f.width());
        assertEquals(48, f.height());
        List<BufferedImage> back = f.decode();
        assertEquals(20, back.size());
        for (int i = 0; i < frames.size(); i++) {
            double psnr = TestFrames.psnr(frames.get(i), back.get(i));
            assertTrue(psnr > 30, "frame " + i + " decoded at " + psnr + " dB: order or colours wrong");
        }
        // frame order: each decoded frame is closest to the frame with its own index
        assertTrue(TestFrames.psnr(frames.get(5), back.get(5)) > TestFrames.psnr(frames.get(5), back.get(15)));
    }

    @Test
    void videoErrorsSayWhatWasExpected() throws IOException {
        var folder = assertThrows(IllegalArgumentException.class, () -> Footage.fromVideoFile(dir));
        assertTrue(folder.getMessage().contains("Footage.fromFolder"), folder.getMessage());
        Path text = Files.writeString(dir.resolve("talk.mp4"), "not a video at all");
        String before = Ffmpeg.searchPath;
        Ffmpeg.searchPath = Files.createDirectories(dir.resolve("no-tools")).toString();
        try {
            var noFfmpeg = assertThrows(IllegalStateException.class, () -> Footage.fromVideoFile(text));
            assertTrue(noFfmpeg.getMessage().contains("expected an ffprobe executable on the PATH, found none")
                    && noFfmpeg.getMessage().contains("Footage.fromFolder"), noFfmpeg.getMessage());
        } finally {
            Ffmpeg.searchPath = before;
        }
        assumeTrue(Ffmpeg.available(), "ffmpeg is not on the PATH");
        var junk = assertThrows(IllegalArgumentException.class, () -> Footage.fromVideoFile(text));
        assertTrue(junk.getMessage().contains("talk.mp4") && junk.getMessage().contains("ffprobe cannot read it"),
                junk.getMessage());
    }

    private static int maxDifference(BufferedImage a, BufferedImage b) {
        int max = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int s = 0; s < 24; s += 8) {
                    max = Math.max(max, Math.abs(((p >> s) & 255) - ((q >> s) & 255)));
                }
            }
        }
        return max;
    }
}

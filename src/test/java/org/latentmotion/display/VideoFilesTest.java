package org.latentmotion.display;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentmotion.video.Video;

class VideoFilesTest {

    @Test
    void savesIntoTheFiguresFolderWithTheFormatsExtension(@TempDir Path dir) throws Exception {
        Video video = Video.of(List.of(new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB),
                new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB)), 25);
        String before = System.getProperty("latentmotion.figures");
        System.setProperty("latentmotion.figures", dir.toString());
        try {
            Path file = VideoFiles.save(video, "two-black-frames");
            assertEquals(dir.resolve("two-black-frames.mp4"), file);
            assertArrayEquals(video.bytes(), Files.readAllBytes(file));
            assertEquals(dir.resolve("named.gif"), VideoFiles.save(video, "named.gif"), "an extension given is kept");
        } finally {
            if (before == null) {
                System.clearProperty("latentmotion.figures");
            } else {
                System.setProperty("latentmotion.figures", before);
            }
        }
    }
}

package org.latentmotion.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentmotion.video.Footage;

/** One call saves a picture (or a numbered folder of them), read back pixel for pixel. */
class ImageFilesTest {
    @TempDir
    Path dir;

    static BufferedImage picture(int seed) {
        BufferedImage img = new BufferedImage(20, 10, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 10; y++) {
            for (int x = 0; x < 20; x++) {
                img.setRGB(x, y, (x * 12 + seed) << 16 | (y * 25) << 8 | (seed * 40 & 255));
            }
        }
        return img;
    }

    static void assertSamePixels(BufferedImage a, BufferedImage b) {
        assertEquals(a.getWidth(), b.getWidth());
        assertEquals(a.getHeight(), b.getHeight());
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                assertEquals(a.getRGB(x, y) & 0xffffff, b.getRGB(x, y) & 0xffffff, "pixel " + x + "," + y);
            }
        }
    }

    @Test
    void savesIntoTheFiguresFolderInOneCall() throws Exception {
        String old = System.getProperty("latentmotion.figures");
        System.setProperty("latentmotion.figures", dir.toString());
        try {
            Path png = ImageFiles.save(picture(1), "strip");
            assertEquals(dir.resolve("strip.png"), png);
            assertSamePixels(picture(1), ImageIO.read(png.toFile()));
            Path jpg = ImageFiles.save(picture(2), "strip.jpg");
            assertTrue(Files.size(jpg) > 100 && ImageIO.read(jpg.toFile()).getWidth() == 20);
            Path grid = ImageGrid.of(List.of(picture(1), picture(2)), 2).save("grid");
            assertEquals(ImageGrid.of(List.of(picture(1), picture(2)), 2).image().getWidth(),
                    ImageIO.read(grid.toFile()).getWidth());
            var e = assertThrows(IllegalArgumentException.class, () -> ImageFiles.save(picture(1), "strip.tiff"));
            assertTrue(e.getMessage().contains(".png"), e.getMessage());
        } finally {
            if (old == null) {
                System.clearProperty("latentmotion.figures");
            } else {
                System.setProperty("latentmotion.figures", old);
            }
        }
    }

    @Test
    void aNumberedFolderReadsBackAsFootageAndIsNeverMixedWithAnother() {
        Path folder = dir.resolve("mine");
        ImageFiles.saveAll(IntStream.range(0, 12).mapToObj(ImageFilesTest::picture), folder);
        assertTrue(Files.exists(folder.resolve("0000.png")) && Files.exists(folder.resolve("0011.png")));
        Footage f = Footage.fromFolder(folder, 25);
        assertEquals(12, f.frames());
        List<BufferedImage> back = f.decode();
        for (int i = 0; i < 12; i++) {
            assertSamePixels(picture(i), back.get(i));
        }
        var again = assertThrows(IllegalArgumentException.class, () -> ImageFiles.saveAll(List.of(picture(0)), folder));
        assertTrue(again.getMessage().contains("0000.png") && again.getMessage().contains("new folder"), again.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ImageFiles.saveAll(Stream.empty(), dir.resolve("none")));
    }
}

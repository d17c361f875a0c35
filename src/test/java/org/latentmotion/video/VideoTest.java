package org.latentmotion.video;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentmotion.display.MimeBundle;
import org.latentmotion.display.Notebook;
import org.latentmotion.display.VideoPlayer;
import org.latentmotion.wplus.FrameRenderer;
import org.latentmotion.wplus.Trajectory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Building videos streaming, grids, strips, files and the inline player. */
class VideoTest {

    /**
     * A renderer whose picture encodes the code: frame colour from code[0][0] (set to t / T),
     * so the test knows which frame it is looking at. Counts the frames it made.
     */
    static class CodeColourRenderer implements FrameRenderer {
        final int size;
        long rendered;

        CodeColourRenderer(int size) {
            this.size = size;
        }

        @Override
        public int layers() {
            return 2;
        }

        @Override
        public int width() {
            return 4;
        }

        @Override
        public BufferedImage[] renderFrames(INDArray codes) {
            BufferedImage[] out = new BufferedImage[(int) codes.size(0)];
            for (int i = 0; i < out.length; i++) {
                int level = (int) Math.round(255 * codes.getDouble(i, 0, 0));
                int tint = (int) Math.round(255 * codes.getDouble(i, 1, 0));
                out[i] = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
                int[] px = ((java.awt.image.DataBufferInt) out[i].getRaster().getDataBuffer()).getData();
                java.util.Arrays.fill(px, (level << 16) | (tint << 8) | (255 - level));
                rendered++;
            }
            return out;
        }
    }

    static Trajectory ramp(int frames, double tint) {
        INDArray codes = Nd4j.zeros(DataType.FLOAT, frames, 2, 4);
        for (int t = 0; t < frames; t++) {
            codes.putScalar(new long[] {t, 0, 0}, t / (double) Math.max(1, frames - 1));
            codes.putScalar(new long[] {t, 1, 0}, tint);
        }
        return Trajectory.of(codes, 25, "ramp");
    }

    @Test
    void rendersATrajectoryWithItsFpsAndPosters() {
        CodeColourRenderer r = new CodeColourRenderer(32);
        Video v = Video.render(ramp(50, 0.5), r);
        assertEquals(50, v.frames());
        assertEquals(50, r.rendered);
        assertEquals(25.0, v.fps());
        assertEquals(2.0, v.durationSeconds(), 1e-9);
        assertEquals(32, v.width());
        assertEquals(VideoOptions.defaults().posters(), v.posters().size());
        assertEquals(0, v.posters().firstKey());
        assertEquals(49, v.posters().lastKey());
        // the last poster is the last frame: full red
        assertEquals(255, (v.posters().lastEntry().getValue().getRGB(3, 3) >> 16) & 255);
        byte[] b = v.bytes();
        assertEquals("ftyp", new String(b, 4, 4, java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Test
    void frameRatesTheEncodersCannotTakeAreRefusedNamingTheRange() {
        for (double fps : new double[] {1e-300, 1e-6, 0.05, 1e9, 5000, Double.NaN, Double.POSITIVE_INFINITY}) {
            for (VideoFormat format : VideoFormat.values()) {
                var e = assertThrows(IllegalArgumentException.class,
                        () -> Video.of(TestFrames.frames(16, 16, 3), fps, VideoOptions.builder().format(format).build()),
                        format + " at " + fps);
                assertTrue(e.getMessage().contains("0.1 to 1000 frames per second"), e.getMessage());
            }
            assertThrows(IllegalArgumentException.class, () -> VideoOptions.builder().fps(fps));
        }
        for (double fps : new double[] {VideoOptions.MIN_FPS, 7.3, VideoOptions.MAX_FPS}) {
            assertEquals(fps, Video.of(TestFrames.frames(16, 16, 3), fps).fps(), 1e-12);
        }
    }

    @Test
    void aWrongShapeTrajectoryIsNamed() {
        Trajectory t = Trajectory.of(Nd4j.zeros(DataType.FLOAT, 3, 18, 512), 25, "x");
        var e = assertThrows(IllegalArgumentException.class, () -> Video.render(t, new CodeColourRenderer(8)));
        assertTrue(e.getMessage().contains("expects codes [T, 2, 4], found [3, 18, 512]"), e.getMessage());
    }

    @Test
    void gridTilesTrajectoriesInLockstep() {
        CodeColourRenderer r = new CodeColourRenderer(16);
        List<Trajectory> four = List.of(ramp(12, 0.0), ramp(10, 0.3), ramp(12, 0.6), ramp(12, 1.0));
        Video v = Video.grid(four, r, 2);
        assertEquals(10, v.frames(), "as long as the shortest");
        assertEquals(2 * 16 + 2, v.width());
        assertEquals(2 * 16 + 2, v.height());
        BufferedImage first = v.poster();
        assertEquals(0, (first.getRGB(5, 5) >> 8) & 255);                 // tile 0: tint 0
        assertEquals(255, (first.getRGB(16 + 2 + 5, 16 + 2 + 5) >> 8) & 255); // tile 3: tint 1
        assertEquals(255, first.getRGB(16, 5) & 255);                        // the white gap
    }

    @Test
    void frameStripUsesPostersOrDecodes() {
        Video v = Video.render(ramp(40, 0.2), new CodeColourRenderer(16));
        BufferedImage strip = v.frameStrip(8); // exactly the posters
        assertEquals(8 * 16 + 7 * 2, strip.getWidth());
        BufferedImage decoded = v.frameStrip(5); // frames 0, 10, 20, 29, 39: needs decoding
        assertEquals(5 * 16 + 4 * 2, decoded.getWidth());
        int red = (decoded.getRGB(2 * 18 + 8, 8) >> 16) & 255; // frame 20 of 39: level ≈ 131
        assertTrue(Math.abs(red - Math.round(255 * 20 / 39.0)) <= 4, "decoded frame 20 red = " + red);
    }

    @Test
    void savesAtomicallyAndShowsInline(@TempDir Path dir) throws Exception {
        Video v = Video.render(ramp(10, 0.7), new CodeColourRenderer(16));
        Path file = v.save(dir.resolve("clip.mp4"));
        assertArrayEquals(v.bytes(), Files.readAllBytes(file));
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count(), "no temporary files left");
        }
        MimeBundle b = Notebook.render(v);
        String html = b.get(MimeBundle.HTML);
        assertTrue(html.contains("<video controls loop autoplay muted playsinline"), html.substring(0, 80));
        assertTrue(html.contains("data:video/mp4;base64,"));
        assertTrue(b.get(MimeBundle.TEXT).contains("10 frames, 16×16, 25.00 fps"), b.get(MimeBundle.TEXT));
        Video gif = Video.render(ramp(10, 0.7), new CodeColourRenderer(16), VideoOptions.builder().format(VideoFormat.GIF).build());
        assertTrue(VideoPlayer.html(gif).contains("<img src=\"data:image/gif;base64,"));
        assertTrue(Files.size(gif.save(dir.resolve("clip.gif"))) == gif.size());
    }

    @Test
    void writerWithUnknownLengthKeepsFewSpreadPosters() {
        VideoOptions o = VideoOptions.builder().posters(4).build();
        try (Video.Writer w = Video.writer(16, 16, 25, o)) {
            CodeColourRenderer r = new CodeColourRenderer(16);
            Trajectory t = ramp(100, 0.1);
            for (BufferedImage f : r.renderFrames(t.codes())) {
                w.add(f);
            }
            Video v = w.finish();
            assertEquals(100, v.frames());
            assertTrue(v.posters().size() <= 8, "posters " + v.posters().keySet());
            assertTrue(v.posters().lastKey() >= 50, "spread over the video: " + v.posters().keySet());
        }
    }

    @Test
    void interruptStopsAtABatchBoundaryAndKeepsTheFramesSoFar() {
        CodeColourRenderer r = new CodeColourRenderer(8) {
            @Override
            public BufferedImage[] renderFrames(INDArray codes) {
                BufferedImage[] out = super.renderFrames(codes);
                if (rendered >= 32) {
                    Thread.currentThread().interrupt();
                }
                return out;
            }
        };
        try {
            Video v = Video.render(ramp(100, 0.1), r, VideoOptions.builder().batch(16).build());
            assertEquals(32, v.frames());
            assertTrue(v.toString().contains("interrupted after 32 of 100 frames"), v.toString());
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt stays visible to the caller");
        } finally {
            Thread.interrupted();
        }
    }
}

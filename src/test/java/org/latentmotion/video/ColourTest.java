package org.latentmotion.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jcodec.api.awt.AWTSequenceEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Colour fidelity of the default encoder: decoded frames against their source frames, decoded
 * by JCodec (our limited-range reading) and by ffmpeg (an independent decoder that honours the
 * stream's colour tags, as browsers do).
 */
class ColourTest {
    static final int W = 128;
    static final int H = 120; // not a multiple of 16: exercises cropping
    static final int N = 30;

    @Test
    void jcodecMp4DecodesToTheSourceColours() {
        List<BufferedImage> src = TestFrames.frames(W, H, N);
        Video v = Video.of(src, 25);
        assertEquals(VideoFormat.MP4, v.format());
        List<BufferedImage> own = new ArrayList<>();
        VideoDecoder.jcodec(v.bytes(), W, H, own::add);
        assertEquals(N, own.size());
        double ownPsnr = meanPsnr(src, own);
        double ceiling = TestFrames.yuv420Ceiling(src.get(0));
        System.out.printf("JCodec MP4 (corrected), %d bytes: PSNR %.2f dB decoded by JCodec (4:2:0 ceiling %.2f dB)%n",
                v.size(), ownPsnr, ceiling);
        assertTrue(ownPsnr >= 35, "PSNR " + ownPsnr);
        assertTrue(ownPsnr >= ceiling - 5, "PSNR " + ownPsnr + " vs the 4:2:0 ceiling " + ceiling);
        if (Ffmpeg.available()) {
            List<BufferedImage> ff = new ArrayList<>();
            VideoDecoder.ffmpeg(v.bytes(), W, H, ff::add);
            assertEquals(N, ff.size());
            double ffPsnr = meanPsnr(src, ff);
            System.out.printf("JCodec MP4 (corrected): PSNR %.2f dB decoded by ffmpeg%n", ffPsnr);
            assertTrue(ffPsnr >= 35, "PSNR (ffmpeg decode) " + ffPsnr);
        }
    }

    /** The problem being fixed, measured: JCodec's stock encoder, decoded by ffmpeg. */
    @Test
    void stockJcodecEncoderIsWorse(@TempDir Path dir) throws Exception {
        assumeTrue(Ffmpeg.available(), "needs ffmpeg as the independent decoder");
        List<BufferedImage> src = TestFrames.frames(W, H, N);
        Path f = dir.resolve("stock.mp4");
        AWTSequenceEncoder enc = AWTSequenceEncoder.createSequenceEncoder(f.toFile(), 25);
        for (BufferedImage img : src) {
            enc.encodeImage(img);
        }
        enc.finish();
        List<BufferedImage> ff = new ArrayList<>();
        VideoDecoder.ffmpeg(Files.readAllBytes(f), W, H, ff::add);
        double stock = meanPsnr(src, ff);
        List<BufferedImage> ours = new ArrayList<>();
        VideoDecoder.ffmpeg(Video.of(src, 25).bytes(), W, H, ours::add);
        double corrected = meanPsnr(src, ours);
        System.out.printf("stock JCodec AWTSequenceEncoder: PSNR %.2f dB; corrected: %.2f dB (both decoded by ffmpeg)%n",
                stock, corrected);
        assertTrue(corrected > stock + 3, "corrected " + corrected + " vs stock " + stock);
    }

    @Test
    void ffmpegMp4KeepsColoursToo() {
        assumeTrue(Ffmpeg.available(), "ffmpeg not on PATH");
        List<BufferedImage> src = TestFrames.frames(W + 1, H + 1, 10); // odd size: padded for yuv420p, cropped back
        Video v = Video.of(src, 25, VideoOptions.builder().format(VideoFormat.MP4_FFMPEG).build());
        List<BufferedImage> back = v.decode();
        assertEquals(10, back.size());
        double psnr = meanPsnr(src, back);
        System.out.printf("ffmpeg libx264 MP4, %d bytes: PSNR %.2f dB%n", v.size(), psnr);
        assertTrue(psnr >= 35, "PSNR " + psnr);
    }

    @Test
    void gifIsLosslessEnoughAndLoops() {
        List<BufferedImage> src = TestFrames.frames(W, H, 6);
        Video v = Video.of(src, 10, VideoOptions.builder().format(VideoFormat.GIF).build());
        assertEquals("image/gif", v.mimeType());
        List<BufferedImage> back = v.decode();
        assertEquals(6, back.size());
        double psnr = meanPsnr(src, back);
        System.out.printf("GIF, %d bytes: PSNR %.2f dB%n", v.size(), psnr);
        assertTrue(psnr >= 25, "PSNR " + psnr);
        String header = new String(v.bytes(), 0, 6, java.nio.charset.StandardCharsets.US_ASCII);
        assertEquals("GIF89a", header);
        assertTrue(new String(v.bytes(), java.nio.charset.StandardCharsets.ISO_8859_1).contains("NETSCAPE2.0"), "loops");
    }

    static double meanPsnr(List<BufferedImage> a, List<BufferedImage> b) {
        double s = 0;
        for (int i = 0; i < a.size(); i++) {
            s += TestFrames.psnr(a.get(i), b.get(i));
        }
        return s / a.size();
    }
}

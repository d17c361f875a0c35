package org.latentmotion.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.latentmotion.wplus.FrameRenderer;
import org.latentmotion.wplus.Trajectory;
import org.nd4j.linalg.api.ndarray.INDArray;

/** FID/FVD protocols with the tiny test extractors and a renderer that paints a blob where the code says. */
class RenderedFrechetTest {
    static final FrameRenderer BLOBS = new FrameRenderer() {
        public int layers() {
            return 2;
        }

        public int width() {
            return 4;
        }

        public BufferedImage[] renderFrames(INDArray codes) {
            BufferedImage[] out = new BufferedImage[(int) codes.size(0)];
            for (int i = 0; i < out.length; i++) {
                BufferedImage im = new BufferedImage(40, 36, BufferedImage.TYPE_INT_RGB);
                Graphics2D g = im.createGraphics();
                g.setColor(Color.DARK_GRAY);
                g.fillRect(0, 0, 40, 36);
                int x = (int) (20 + 12 * Math.tanh(codes.getDouble(i, 0, 0)));
                int y = (int) (18 + 10 * Math.tanh(codes.getDouble(i, 0, 1)));
                g.setColor(new Color(Color.HSBtoRGB((float) Math.abs(Math.tanh(codes.getDouble(i, 1, 0))), 0.8f, 0.9f)));
                g.fillOval(x - 6, y - 6, 12, 12);
                g.dispose();
                out[i] = im;
            }
            return out;
        }
    };

    static Trajectory walk(long seed, int frames, double scale) {
        java.util.Random r = new java.util.Random(seed);
        float[] c = new float[frames * 8];
        for (int t = 1; t < frames; t++) {
            for (int j = 0; j < 8; j++) {
                c[t * 8 + j] = (float) (c[(t - 1) * 8 + j] * 0.95 + scale * r.nextGaussian());
            }
        }
        return Trajectory.of(c, frames, 2, 4, 25, "walk " + seed);
    }

    @Test
    void drawsFramesAndClipsAndMeasuresDistance() {
        try (var image = FeatureExtractor.open(FeatureExtractorTest.MODELS.resolve("test_image_features.onnx"),
                FeatureExtractorTest.imageSpec());
                var clip = FeatureExtractor.open(FeatureExtractorTest.MODELS.resolve("test_clip_features.onnx"),
                        FeatureExtractorTest.clipSpec())) {
            // One trajectory exactly one clip long: every draw is that clip, so every feature row is its features.
            Trajectory one = walk(1, 8, 0.3);
            INDArray rows = RenderedFrechet.fvd(clip, BLOBS).samples(3).batch(2).features(List.of(one), 5);
            INDArray pixels = Frames.toArray(Arrays.asList(BLOBS.renderFrames(one.codes())));
            INDArray direct = clip.features(pixels.reshape(1, 8, 3, 36, 40));
            for (int i = 0; i < 3; i++) {
                assertEquals(0.0, rows.getRow(i).sub(direct.getRow(0)).amaxNumber().doubleValue(), 1e-6);
            }
            List<Trajectory> real = new ArrayList<>();
            List<Trajectory> same = new ArrayList<>();
            List<Trajectory> wild = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                real.add(walk(10 + i, 60, 0.3));
                same.add(walk(20 + i, 60, 0.3));
                wild.add(walk(30 + i, 60, 1.5));
            }
            RenderedFrechet fid = RenderedFrechet.fid(image, BLOBS).samples(120).seed(2);
            double near = fid.between(real, same);
            double far = fid.between(real, wild);
            assertTrue(far > 2 * near, "FID-like: same process " + near + ", wilder process " + far);
            double fvdNear = RenderedFrechet.fvd(clip, BLOBS).samples(40).between(real, same);
            double fvdFar = RenderedFrechet.fvd(clip, BLOBS).samples(40).between(real, wild);
            assertTrue(fvdFar > fvdNear, "FVD-like: " + fvdNear + " vs " + fvdFar);
            var e = assertThrows(IllegalArgumentException.class, () -> RenderedFrechet.fid(clip, BLOBS));
            assertTrue(e.getMessage().contains("clip model"));
            e = assertThrows(IllegalArgumentException.class,
                    () -> RenderedFrechet.fvd(clip, BLOBS).features(List.of(walk(1, 5, 0.3)), 1));
            assertTrue(e.getMessage().contains("8 frames"), e.getMessage());
        }
    }
}

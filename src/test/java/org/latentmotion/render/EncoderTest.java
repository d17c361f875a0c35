package org.latentmotion.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.latentmotion.video.Video;
import org.latentmotion.wplus.Npy;
import org.latentmotion.wplus.Trajectory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The pSp-style encoder export against PyTorch, and encoding frames and videos. */
class EncoderTest {
    static final Path MODELS = SynthesizerTest.MODELS;

    @Test
    void matchesPyTorchOnTheReferenceImages() {
        try (Encoder e = Synthesizers.testPspEncoder()) {
            assertEquals(64, e.inputSize());
            assertEquals(10, e.layers());
            INDArray x = Npy.read(MODELS.resolve("psp/reference_input.npy"));
            INDArray expected = Npy.read(MODELS.resolve("psp/reference_w.npy"));
            INDArray actual = e.encodeTensor(x);
            assertArrayEquals(expected.shape(), actual.shape());
            double maxDiff = actual.sub(expected).amaxNumber().doubleValue();
            System.out.printf("psp ONNX vs PyTorch: max |diff| = %.2e%n", maxDiff);
            assertTrue(maxDiff < 1e-4, "max |diff| " + maxDiff);
        }
    }

    @Test
    void encodesFramesOfAnySizeAndAVideo() {
        try (Encoder e = Synthesizers.testPspEncoder(); Synthesizer g = Synthesizers.testStyleGan2()) {
            Trajectory t = Trajectory.of(Nd4j.rand(DataType.FLOAT, 6, 10, 512).subi(0.5).muli(2), 10, "random");
            BufferedImage[] frames = g.renderFrames(t.codes());
            // a 64² frame and the same frame enlarged to 200²: resizing brings both to the input size
            List<BufferedImage> list = new ArrayList<>(List.of(frames));
            BufferedImage big = new BufferedImage(256, 256, BufferedImage.TYPE_INT_RGB);
            big.getGraphics().drawImage(frames[0], 0, 0, 256, 256, null);
            list.add(big);
            Trajectory enc = e.encode(list, 10);
            assertEquals(7, enc.frames());
            assertEquals(10, enc.layers());
            double same = enc.frame(0).sub(enc.frame(6)).norm2Number().doubleValue();
            double other = enc.frame(0).sub(enc.frame(1)).norm2Number().doubleValue();
            assertTrue(same < other, "a frame and its enlargement encode closer (" + same + ") than two frames (" + other + ")");

            Video v = g.render(t);
            Trajectory fromVideo = e.encode(v);
            assertEquals(6, fromVideo.frames());
            assertEquals(10.0, fromVideo.fps());
            assertTrue(fromVideo.source().contains("psp.onnx"));
        }
    }

    @Test
    void encodesAFolderOfFramesInOneLineAsTheFramesThemselves(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        try (Encoder e = Synthesizers.testPspEncoder(); Synthesizer g = Synthesizers.testStyleGan2()) {
            BufferedImage[] frames = g.renderFrames(Nd4j.rand(DataType.FLOAT, 5, 10, 512).subi(0.5).muli(2));
            for (int i = 0; i < frames.length; i++) {
                javax.imageio.ImageIO.write(frames[i], "png", dir.resolve(String.format("%03d.png", i)).toFile());
            }
            Trajectory fromFolder = e.encode(org.latentmotion.video.Footage.fromFolder(dir, 12));
            Trajectory fromList = e.encode(List.of(frames), 12);
            assertEquals(0.0, fromFolder.codes().sub(fromList.codes()).amaxNumber().doubleValue(), 0.0);
            assertEquals(12.0, fromFolder.fps());
            assertTrue(fromFolder.source().contains("psp.onnx") && fromFolder.source().contains(dir.getFileName().toString()),
                    fromFolder.source());
        }
    }

    @Test
    void nonSquareFramesAreCentreCroppedWithAWarning() {
        List<String> warned = new ArrayList<>();
        var before = Encoder.warnings;
        Encoder.warnings = warned::add;
        try (Encoder e = Synthesizers.testPspEncoder(); Synthesizer g = Synthesizers.testStyleGan2()) {
            BufferedImage[] frames = g.renderFrames(Nd4j.rand(DataType.FLOAT, 2, 10, 512).subi(0.5).muli(2));
            // frame 0 in the middle of a 96×64 canvas with other content left and right
            BufferedImage wide = new BufferedImage(96, 64, BufferedImage.TYPE_INT_RGB);
            var gr = wide.getGraphics();
            gr.drawImage(frames[1], 0, 0, null);
            gr.drawImage(frames[1], 32, 0, null);
            gr.drawImage(frames[0], 16, 0, null);
            gr.dispose();
            Trajectory square = e.encode(List.of(frames[0]), 25);
            assertTrue(warned.isEmpty(), warned.toString());
            Trajectory cropped = e.encode(List.of(wide), 25);
            assertEquals(0.0, cropped.codes().sub(square.codes()).amaxNumber().doubleValue(), 1e-6,
                    "the centre crop of the wide frame is frame 0 itself");
            assertEquals(1, warned.size());
            assertTrue(warned.get(0).contains("1 of 1 frames are not square (e.g. 96×64): centre-cropped to 64×64")
                    && warned.get(0).contains("aligned square face crops"), warned.get(0));
        } finally {
            Encoder.warnings = before;
        }
    }

    @Test
    void aChannelsLastEncoderIsRefusedAtOpen() throws Exception {
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Encoder.open(MappingTest.TEST_MODELS.resolve("odd/encoder_channels_last.onnx")));
        assertTrue(e.getMessage().contains("expected input 'image' of shape [N, 3, S, S]")
                && e.getMessage().contains("found [N, 8, 8, 3] (channels last"), e.getMessage());
    }
}

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
}

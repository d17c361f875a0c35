package org.latentmotion.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.latentmotion.display.Figures;
import org.latentmotion.wplus.Npy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The tiny ONNX extractors and PyTorch references come from datasets/models/features/make_test_extractors.py. */
class FeatureExtractorTest {
    static final Path MODELS = Figures.projectRoot().resolve("datasets/models/features");
    static final Path FIXTURES = Figures.projectRoot().resolve("src/test/resources/metrics/extractors");

    static InputSpec imageSpec() {
        return InputSpec.image(32, 32).build(); // NCHW, [0, 1], PyTorch bilinear
    }

    static InputSpec clipSpec() {
        return InputSpec.clip(8, 24, 24).build(); // NTHWC, [-1, 1], TF legacy bilinear
    }

    static void assertClose(INDArray expected, INDArray actual, double tol) {
        assertEquals(List.of(expected.shape()[0], expected.shape()[1]), List.of(actual.shape()[0], actual.shape()[1]));
        double maxErr = expected.sub(actual).amaxNumber().doubleValue();
        double scale = expected.amaxNumber().doubleValue();
        assertTrue(maxErr <= tol * scale, "max abs error " + maxErr + " (scale " + scale + ")");
    }

    @Test
    void imageFeaturesMatchPyTorchAfterResizeAndRescale() {
        INDArray frames = Npy.read(FIXTURES.resolve("image_frames.npy"));
        INDArray expected = Npy.read(FIXTURES.resolve("image_features.npy"));
        try (var ex = FeatureExtractor.open(MODELS.resolve("test_image_features.onnx"), imageSpec()).batch(2)) {
            assertClose(expected, ex.features(frames), 1e-5);
        }
    }

    @Test
    void clipFeaturesMatchPyTorchWithTfLegacyResizeAndNthwcLayout() {
        INDArray clips = Npy.read(FIXTURES.resolve("clip_frames.npy"));
        INDArray expected = Npy.read(FIXTURES.resolve("clip_features.npy"));
        try (var ex = FeatureExtractor.open(MODELS.resolve("test_clip_features.onnx"), clipSpec())) {
            assertClose(expected, ex.features(clips), 1e-5);
            // The other resize mode gives different features: the mode matters and is applied.
            var other = FeatureExtractor.open(MODELS.resolve("test_clip_features.onnx"),
                    clipSpec().toBuilder().resize(InputSpec.Resize.BILINEAR).build());
            double diff = expected.sub(other.features(clips)).amaxNumber().doubleValue();
            other.close();
            assertTrue(diff > 1e-4, "half-pixel resize should differ from TF legacy, diff " + diff);
        }
    }

    @Test
    void bufferedImagesGoThroughTheSamePath() {
        BufferedImage a = new BufferedImage(48, 40, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 40; y++) {
            for (int x = 0; x < 48; x++) {
                a.setRGB(x, y, (x * 5) << 16 | (y * 6) << 8 | ((x + y) * 2));
            }
        }
        INDArray arr = Frames.toArray(List.of(a));
        assertEquals(-1f + 5 * 3 / 127.5f, arr.getFloat(0, 0, 2, 3), 1e-6); // red at x=3
        try (var ex = FeatureExtractor.open(MODELS.resolve("test_image_features.onnx"), imageSpec())) {
            assertClose(ex.features(arr), ex.features(List.of(a)), 1e-7);
        }
    }

    @Test
    void checksTheModelInterfaceAndInputsBeforeRunning() {
        Path image = MODELS.resolve("test_image_features.onnx");
        var e = assertThrows(IllegalArgumentException.class,
                () -> FeatureExtractor.open(image, InputSpec.image(299, 299).build()));
        assertTrue(e.getMessage().contains("[?, 3, 32, 32]") && e.getMessage().contains("299"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> FeatureExtractor.open(image, imageSpec().toBuilder().inputName("video").build()));
        assertTrue(e.getMessage().contains("images"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FeatureExtractor.open(MODELS.resolve("nope.onnx"), imageSpec()));
        assertTrue(e.getMessage().contains("nope.onnx"), e.getMessage());
        try (var ex = FeatureExtractor.open(image, imageSpec())) {
            e = assertThrows(IllegalArgumentException.class, () -> ex.features(Nd4j.rand(2, 4, 10, 10)));
            assertTrue(e.getMessage().contains("[2, 4, 10, 10]"), e.getMessage());
            ex.close();
            assertThrows(IllegalStateException.class, () -> ex.features(Nd4j.rand(1, 3, 32, 32)));
        }
        assertTrue(InputSpec.fvd().toString().startsWith("InputSpec[N, 16, 224, 224, 3] NTHWC, range [-1, 1], resize BILINEAR_TF_LEGACY"),
                InputSpec.fvd().toString());
        assertTrue(InputSpec.fid().toString().startsWith("InputSpec[N, 3, 299, 299] NCHW, range [0, 1], resize BILINEAR"),
                InputSpec.fid().toString());
        assertEquals(25, InputSpec.fvd(25).frames());
    }
}

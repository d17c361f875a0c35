package org.latentmotion.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentmotion.toy.FaceCodec;
import org.latentmotion.toy.FaceParameters;
import org.latentmotion.toy.TalkingHead;
import org.latentmotion.toy.ToyWorld;
import org.latentmotion.wplus.KeypointReader;
import org.latentmotion.wplus.Npz;
import org.latentmotion.wplus.Trajectory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The toy face's key-point detector: the ONNX export against PyTorch, the reader on rendered
 * toy-world frames against the face's own parameters (it must see blinks, mouth opening and head
 * turns), a user's model with another input size and range, and refusals of models that are not
 * key-point models.
 */
class KeypointModelTest {
    static final Path MODELS = SynthesizerTest.MODELS;
    static final Path REFERENCE = MODELS.resolve("toyface/keypoints-reference.npz");
    static final Path OTHER_SIZE = MappingTest.TEST_MODELS.resolve("keypoints/keypoints-96-unit.onnx");
    static final OnnxOptions ONE_THREAD = MappingTest.ONE_THREAD;
    static final List<String> NAMES = List.of("leftEyeCentre", "leftUpperLid", "leftLowerLid", "rightEyeCentre",
            "rightUpperLid", "rightLowerLid", "noseTip", "leftMouthCorner", "rightMouthCorner", "upperLip", "lowerLip", "chin");
    /** Pixels per unit of the [-1, 1] coordinates at 128 × 128. */
    static final double PX = 64.0;

    static Synthesizer face;
    static KeypointModel points;

    @BeforeAll
    static void open() {
        face = Synthesizers.toyFace(ONE_THREAD);
        points = KeypointModels.toyFace(ONE_THREAD);
    }

    @AfterAll
    static void close() {
        points.close();
        face.close();
    }

    @Test
    void theShippedModelStatesItsPointsAndMatchesPyTorch() {
        assertEquals(NAMES, points.keypointNames());
        assertEquals(128, points.inputHeight());
        assertEquals(128, points.inputWidth());
        assertEquals(ValueRange.MINUS_ONE_TO_ONE, points.range());
        var table = points.interfaceTable().toString();
        assertTrue(table.contains("12: leftEyeCentre, leftUpperLid") && table.contains("resized to 128×128"), table);
        INDArray images = Npz.read(REFERENCE, "image");
        INDArray expected = Npz.read(REFERENCE, "keypoints");
        INDArray truth = Npz.read(REFERENCE, "truth");
        INDArray actual = points.detect(images);
        assertArrayEquals(expected.shape(), actual.shape());
        assertArrayEquals(new long[] {images.size(0), 12, 2}, actual.shape());
        double maxDiff = Points.maxAbs(actual, expected);
        double meanPx = Points.meanDistance(actual, truth) * PX;
        System.out.printf(Locale.ROOT, "key points ONNX Runtime vs PyTorch: max |diff| = %.2e; vs the geometry: mean %.2f px%n",
                maxDiff, meanPx);
        assertTrue(maxDiff < 1e-4, "max |diff| " + maxDiff);
        assertTrue(meanPx < 2.0, "mean distance to the renderer's geometry " + meanPx + " px");
    }

    @Test
    void picturesGiveThePointsOfTheTensorUpTo8BitRounding() {
        Trajectory two = Trajectory.of(Nd4j.stack(0, ToyWorld.neutralActor(1), FaceCodec.set(ToyWorld.neutralActor(2),
                "mouthOpen", 0.7)), 25, "two actors");
        INDArray fromTensor = points.detect(face.synthesize(two.codes()), face.range());
        BufferedImage[] pictures = face.renderFrames(two.codes());
        INDArray fromPictures = points.detect(List.of(pictures));
        double px = Points.maxAbs(fromTensor, fromPictures) * PX;
        assertTrue(px < 0.5, "8-bit pictures moved a point by " + px + " px");
        // a picture twice the size is resized to the model's input first
        BufferedImage big = new BufferedImage(256, 256, BufferedImage.TYPE_INT_RGB);
        big.getGraphics().drawImage(pictures[1], 0, 0, 256, 256, null);
        INDArray fromBig = points.detect(List.of(pictures[0], big));
        double bigPx = Points.maxAbs(fromBig.slice(1), fromPictures.slice(1)) * PX;
        assertTrue(bigPx < 1.5, "the enlarged picture's points moved by " + bigPx + " px");
    }

    @Test
    void theReaderSeesBlinksMouthOpeningAndHeadTurnsOfATalkingHead() {
        KeypointReader reader = points.on(face);
        assertEquals("toy-face key points", reader.name());
        assertEquals(NAMES, reader.keypointNames());
        assertTrue(reader.toString().contains("keypoints.onnx") && reader.toString().contains("toyface.onnx")
                && reader.toString().contains("12 points"), reader.toString());

        TalkingHead head = ToyWorld.talkingHead().actor(5).seconds(12).fps(25).generate();
        Trajectory clip = head.allFrames();
        FaceParameters truth = head.allGroundTruth();
        reader.read(clip.slice(0, 8)); // warm up both sessions before timing
        long t0 = System.nanoTime();
        INDArray p = reader.read(clip);
        double seconds = (System.nanoTime() - t0) / 1e9;
        long t1 = System.nanoTime();
        face.synthesize(clip.codes()).close();
        double renderSeconds = (System.nanoTime() - t1) / 1e9;
        System.out.printf(Locale.ROOT, "reader.read: %d frames in %.2f s = %.1f frames/s (render + detect, 1 thread); "
                + "rendering alone %.1f frames/s, so detecting %.1f frames/s%n", clip.frames(), seconds, clip.frames() / seconds,
                clip.frames() / renderSeconds, clip.frames() / (seconds - renderSeconds));
        assertArrayEquals(new long[] {clip.frames(), 12, 2}, p.shape());

        double[] leftLids = gap(p, 1, 2);
        double[] rightLids = gap(p, 4, 5);
        double[] lips = gap(p, 9, 10);
        double[] eyeOpen = truth.get("eyeOpen");
        double[] mouthOpen = truth.get("mouthOpen");
        double eyes = correlation(add(leftLids, rightLids), eyeOpen);
        double mouth = correlation(lips, mouthOpen);
        double yaw = correlation(column(p, 6, 0), truth.get("yaw"));
        System.out.printf(Locale.ROOT, "talking head, %d frames: corr(lid gap, eyeOpen) = %.4f, corr(lip gap, mouthOpen) = "
                + "%.4f, corr(nose tip x, yaw) = %.4f%n", clip.frames(), eyes, mouth, yaw);
        assertTrue(eyes > 0.95, "lid gap against eyeOpen: correlation " + eyes);
        assertTrue(mouth > 0.95, "lip gap against mouthOpen: correlation " + mouth);
        assertTrue(yaw > 0.9, "nose tip x against yaw: correlation " + yaw);
    }

    @Test
    void headPointsMoveWithYawAndStayWithTheHead() {
        int steps = 9;
        INDArray actor = ToyWorld.neutralActor(4);
        INDArray codes = Nd4j.create(DataType.FLOAT, steps, 18, 512);
        double[] yaw = new double[steps];
        for (int i = 0; i < steps; i++) {
            yaw[i] = -0.5 + i / (double) (steps - 1);
            codes.putSlice(i, FaceCodec.set(actor, "yaw", yaw[i]));
        }
        INDArray p = points.on(face).read(Trajectory.of(codes, 25, "turning head"));
        double[] nose = column(p, 6, 0);
        double[] eyes = add(column(p, 0, 0), column(p, 3, 0));
        for (int i = 1; i < steps; i++) {
            assertTrue(nose[i] > nose[i - 1] + 0.5 / PX, "the nose tip moves right as the head turns right: x "
                    + nose[i - 1] + " then " + nose[i] + " at yaw " + yaw[i]);
        }
        assertTrue(correlation(eyes, yaw) > 0.98, "eye centres follow yaw: " + correlation(eyes, yaw));
        // the nose sticks out, so it moves further than the eyes between the extremes
        double noseShift = nose[steps - 1] - nose[0];
        double eyeShift = (eyes[steps - 1] - eyes[0]) / 2;
        assertTrue(noseShift > eyeShift, "nose shift " + noseShift * PX + " px against eye shift " + eyeShift * PX + " px");
    }

    @Test
    void aUsersModelWithAnotherInputSizeAndRangeReadsTheSamePoints() {
        try (KeypointModel other = KeypointModel.load(OTHER_SIZE, ONE_THREAD)) {
            assertEquals(96, other.inputHeight());
            assertEquals(ValueRange.ZERO_TO_ONE, other.range());
            assertEquals(NAMES, other.keypointNames());
            assertEquals("key points by keypoints-96-unit.onnx", other.on(face).name());
            assertTrue(other.on(face).toString().contains("resized to 96×96"), other.on(face).toString());
            TalkingHead head = ToyWorld.talkingHead().actor(2).seconds(2).fps(25).generate();
            INDArray mine = other.on(face).read(head.allFrames());
            INDArray shipped = points.on(face).read(head.allFrames());
            double meanPx = Points.meanDistance(mine, shipped) * PX;
            System.out.printf(Locale.ROOT, "96×96 [0, 1] model against the shipped one on the same frames: mean %.2f px%n", meanPx);
            assertTrue(meanPx < 1.5, "mean distance " + meanPx + " px");
        }
    }

    @Test
    void aSynthesisModelIsNotAKeypointModel() {
        var e = assertThrows(IllegalArgumentException.class, () -> KeypointModel.load(MODELS.resolve("toyface/toyface.onnx"),
                ONE_THREAD));
        assertTrue(e.getMessage().contains("key-point model toyface.onnx: expected input 'w' of shape [N, 3, H, W]")
                && e.getMessage().contains("found [N, 18, 512] (W+ codes: that is a synthesis model)"), e.getMessage());
    }

    @Test
    void anEncoderIsNotAKeypointModel() {
        var e = assertThrows(IllegalArgumentException.class, () -> KeypointModel.load(MODELS.resolve("psp/psp.onnx"),
                ONE_THREAD));
        assertTrue(e.getMessage().contains("key-point model psp.onnx: expected output")
                && e.getMessage().contains("of shape [N, K, 2] ((x, y) of K points), found [N, 10, 512]"), e.getMessage());
    }

    @Test
    void aMissingFileIsNamed(@TempDir Path dir) {
        var e = assertThrows(IllegalArgumentException.class, () -> KeypointModel.load(dir.resolve("nope.onnx")));
        assertTrue(e.getMessage().contains("key-point model: expected an .onnx file at") && e.getMessage().contains("nope.onnx")
                && e.getMessage().contains("no such file"), e.getMessage());
    }

    @Test
    void badImagesAndAClosedModelAreRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> points.detect(Nd4j.zeros(DataType.FLOAT, 2, 128, 128, 3)));
        assertTrue(e.getMessage().contains("expected images [N, 3, H, W], found [2, 128, 128, 3]"), e.getMessage());
        var wrongCodes = assertThrows(IllegalArgumentException.class,
                () -> points.on(face).read(Trajectory.of(Nd4j.zeros(DataType.FLOAT, 3, 14, 512), 25, "other")));
        assertTrue(wrongCodes.getMessage().contains("expects codes [T, 18, 512], found trajectory [3, 14, 512]"),
                wrongCodes.getMessage());
        KeypointModel m = KeypointModels.toyFace(ONE_THREAD);
        assertTrue(m.toString().contains("toy-face key points") && m.toString().contains("12 points (leftEyeCentre"),
                m.toString());
        m.close();
        var closed = assertThrows(IllegalStateException.class, () -> m.detect(Nd4j.zeros(DataType.FLOAT, 1, 3, 128, 128)));
        assertTrue(closed.getMessage().contains("KeypointModel keypoints.onnx is closed"), closed.getMessage());
        assertTrue(m.toString().endsWith(", closed]"), m.toString());
    }

    @Test
    void resizingMatchesPyTorchsBilinearAndAveragesLargeReductions() {
        // F.interpolate([[0, 1]], size=4, mode="bilinear", align_corners=False) gives 0, 0.25, 0.75, 1 along x
        float[] two = new float[3 * 1 * 2];
        for (int c = 0; c < 3; c++) {
            two[c * 2 + 1] = 1f;
        }
        float[] four = KeypointResize.resize(two, 0, 1, 2, 1, 4);
        assertArrayEquals(new float[] {0f, 0.25f, 0.75f, 1f}, java.util.Arrays.copyOfRange(four, 0, 4), 1e-6f);
        // 8 × 8 to 2 × 2: two halvings, each output pixel the mean of its 4 × 4 block
        float[] big = new float[3 * 64];
        for (int i = 0; i < big.length; i++) {
            big[i] = i % 64;
        }
        float[] small = KeypointResize.resize(big, 0, 8, 8, 2, 2);
        float[] blockMeans = {
            (0 + 1 + 2 + 3 + 8 + 9 + 10 + 11 + 16 + 17 + 18 + 19 + 24 + 25 + 26 + 27) / 16f,
            (4 + 5 + 6 + 7 + 12 + 13 + 14 + 15 + 20 + 21 + 22 + 23 + 28 + 29 + 30 + 31) / 16f,
            (32 + 33 + 34 + 35 + 40 + 41 + 42 + 43 + 48 + 49 + 50 + 51 + 56 + 57 + 58 + 59) / 16f,
            (36 + 37 + 38 + 39 + 44 + 45 + 46 + 47 + 52 + 53 + 54 + 55 + 60 + 61 + 62 + 63) / 16f};
        assertArrayEquals(blockMeans, java.util.Arrays.copyOfRange(small, 8, 12), 1e-5f);
    }

    // ------------------------------------------------------------------ helpers

    /** Distance in [-1, 1] units between points a and b of every frame. */
    static double[] gap(INDArray p, int a, int b) {
        int t = (int) p.size(0);
        double[] g = new double[t];
        for (int i = 0; i < t; i++) {
            double dx = p.getDouble(i, b, 0) - p.getDouble(i, a, 0);
            double dy = p.getDouble(i, b, 1) - p.getDouble(i, a, 1);
            g[i] = Math.hypot(dx, dy);
        }
        return g;
    }

    static double[] column(INDArray p, int k, int xy) {
        double[] c = new double[(int) p.size(0)];
        for (int i = 0; i < c.length; i++) {
            c[i] = p.getDouble(i, k, xy);
        }
        return c;
    }

    static double[] add(double[] a, double[] b) {
        double[] s = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            s[i] = a[i] + b[i];
        }
        return s;
    }

    static double correlation(double[] a, double[] b) {
        double ma = java.util.Arrays.stream(a).average().orElse(0);
        double mb = java.util.Arrays.stream(b).average().orElse(0);
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.sqrt(saa * sbb);
    }

    /** Small reductions over point arrays [N, K, 2]. */
    static final class Points {
        static double maxAbs(INDArray a, INDArray b) {
            return a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        }

        /** Mean over frames and points of the Euclidean distance between a and b. */
        static double meanDistance(INDArray a, INDArray b) {
            INDArray d = a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE));
            return org.nd4j.linalg.ops.transforms.Transforms.sqrt(d.mul(d).sum(2), false).meanNumber().doubleValue();
        }
    }
}

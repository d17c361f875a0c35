package org.latentmotion.toy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.latentmotion.wplus.Npz;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The ground-truth reader against the pixels the shipped ONNX model draws (plain ONNX Runtime, so
 * this does not depend on the render package): mouth opening measured from dark mouth-interior
 * pixels, eye opening from white sclera pixels, head yaw from where the eyes sit.
 */
class ToyFacePixelsTest {
    static final Path MODEL = Path.of("datasets/models/toyface/toyface.onnx");
    static OrtEnvironment env;
    static OrtSession session;

    @BeforeAll
    static void open() throws OrtException {
        env = OrtEnvironment.getEnvironment();
        session = env.createSession(MODEL.toString(), new OrtSession.SessionOptions());
    }

    @AfterAll
    static void close() throws OrtException {
        session.close();
    }

    /** Images [N][3][H][W] in [-1, 1]. */
    static float[][][][] draw(INDArray codes) throws OrtException {
        long n = codes.size(0);
        float[] data = codes.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat();
        try (OnnxTensor w = OnnxTensor.createTensor(env, FloatBuffer.wrap(data), new long[] {n, 18, 512});
                OrtSession.Result r = session.run(Map.of("w", w))) {
            return (float[][][][]) r.get(0).getValue();
        }
    }

    /** Sum over pixels and channels of |a - b| (in [0, 1] units): how much of the picture changed. */
    static double changed(float[][][] a, float[][][] b) {
        double sum = 0;
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < a[0].length; y++) {
                for (int x = 0; x < a[0][0].length; x++) {
                    sum += Math.abs(a[c][y][x] - b[c][y][x]) / 2;
                }
            }
        }
        return sum;
    }

    /** The horizontal centroid of the change between two images. */
    static double changeCentreX(float[][][] a, float[][][] b) {
        double sum = 0;
        double weight = 0;
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < a[0].length; y++) {
                for (int x = 0; x < a[0][0].length; x++) {
                    double d = Math.abs(a[c][y][x] - b[c][y][x]);
                    sum += d * x;
                    weight += d;
                }
            }
        }
        return sum / weight;
    }

    static INDArray withValue(INDArray codes, String name, double value) {
        INDArray out = codes.dup('c');
        FaceCodec face = FaceCodec.spec();
        for (int i = 0; i < out.size(0); i++) {
            INDArray row = out.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i));
            float[] code = row.dup('c').data().asFloat();
            ToyWorld.setValue(face, code, name, value);
            row.assign(Nd4j.create(code, new long[] {18, 512}, 'c'));
        }
        return out;
    }

    static INDArray series(long actor, String name, double[] values) {
        INDArray codes = Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, values.length, 18, 512);
        FaceCodec face = FaceCodec.spec();
        for (int i = 0; i < values.length; i++) {
            float[] code = ToyWorld.neutralCode(actor);
            ToyWorld.setValue(face, code, name, values[i]);
            codes.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i)).assign(Nd4j.create(code, new long[] {18, 512}, 'c'));
        }
        return codes;
    }

    @Test
    void onnxRuntimeDrawsWhatPytorchDrew() throws OrtException {
        Map<String, INDArray> ref = Npz.read(Path.of("datasets/models/toyface/toyface-reference.npz"));
        float[][][][] got = draw(ref.get("w"));
        INDArray expected = ref.get("image");
        assertEquals(expected.size(0), got.length);
        double max = 0;
        for (int n = 0; n < got.length; n++) {
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 128; y++) {
                    for (int x = 0; x < 128; x++) {
                        max = Math.max(max, Math.abs(got[n][c][y][x] - expected.getDouble(n, c, y, x)));
                    }
                }
            }
        }
        assertTrue(max < 2e-3, "max |ORT - PyTorch| = " + max);
    }

    @Test
    void mouthPixelsGrowWithTheDecodedMouthOpening() throws OrtException {
        double[] asked = {0.02, 0.15, 0.3, 0.45, 0.6, 0.8};
        for (long actor : new long[] {1, 2}) {
            INDArray codes = series(actor, "mouthOpen", asked);
            double[] decoded = FaceCodec.decode(codes, 25).get("mouthOpen");
            assertTrue(isIncreasing(decoded), Arrays.toString(decoded));
            float[][][][] img = draw(codes);
            float[][][][] shut = draw(withValue(codes, "mouthOpen", 0.0));
            double[] change = new double[img.length];
            for (int i = 0; i < img.length; i++) {
                change[i] = changed(img[i], shut[i]);
            }
            assertTrue(isIncreasing(change), "actor " + actor + ": pixels changed by the mouth " + Arrays.toString(change)
                    + " for decoded mouthOpen " + Arrays.toString(decoded));
            assertTrue(change[change.length - 1] > 50, Arrays.toString(change));
        }
    }

    @Test
    void eyePixelsGrowWithTheDecodedEyeOpeningAndEyesMoveWithYaw() throws OrtException {
        double[] asked = {0.02, 0.2, 0.4, 0.6, 0.8, 0.95};
        INDArray codes = series(4, "eyeOpen", asked);
        double[] decoded = FaceCodec.decode(codes, 25).get("eyeOpen");
        assertTrue(isIncreasing(decoded), Arrays.toString(decoded));
        float[][][][] img = draw(codes);
        float[][][][] shut = draw(withValue(codes, "eyeOpen", 0.0));
        double[] change = new double[img.length];
        for (int i = 0; i < img.length; i++) {
            change[i] = changed(img[i], shut[i]);
        }
        assertTrue(isIncreasing(change), "pixels changed by the eyes " + Arrays.toString(change));

        double[] yaws = {-0.5, -0.25, 0.0, 0.25, 0.5};
        INDArray turned = withValue(series(5, "yaw", yaws), "eyeOpen", 0.9);
        float[][][][] open = draw(turned);
        float[][][][] closed = draw(withValue(turned, "eyeOpen", 0.0));
        double[] cx = new double[yaws.length];
        for (int i = 0; i < yaws.length; i++) {
            cx[i] = changeCentreX(open[i], closed[i]);
        }
        assertTrue(isIncreasing(cx), "eye centre x " + Arrays.toString(cx) + " for yaw " + Arrays.toString(yaws));
    }

    @Test
    void talkingHeadMouthPixelsFollowTheGroundTruth() throws OrtException {
        TalkingHead head = ToyWorld.talkingHead().actor(3).seconds(3).generate();
        INDArray codes = head.clip(0).codes().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 50)).dup('c');
        double[] truth = Arrays.copyOf(head.groundTruth(0).get("mouthOpen"), 50);
        float[][][][] img = draw(codes);
        float[][][][] shut = draw(withValue(codes, "mouthOpen", 0.0));
        double[] change = new double[img.length];
        for (int i = 0; i < img.length; i++) {
            change[i] = changed(img[i], shut[i]);
        }
        double r = correlation(truth, change);
        assertTrue(r > 0.9, "correlation of ground-truth mouthOpen and pixels changed by the mouth over 50 frames: " + r);
    }

    static boolean isIncreasing(double[] v) {
        for (int i = 1; i < v.length; i++) {
            if (!(v[i] > v[i - 1])) {
                return false;
            }
        }
        return true;
    }

    static double correlation(double[] a, double[] b) {
        double ma = Arrays.stream(a).average().orElse(0);
        double mb = Arrays.stream(b).average().orElse(0);
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
}

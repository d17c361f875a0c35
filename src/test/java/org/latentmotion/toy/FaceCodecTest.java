package org.latentmotion.toy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.latentmotion.wplus.Npz;
import org.latentmotion.wplus.Trajectory;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The Java ground-truth reader against what PyTorch's toy face read (fixture written by make_toyface.py). */
class FaceCodecTest {
    static final Path REFERENCE = Path.of("datasets/models/toyface/toyface-reference.npz");

    @Test
    void decodeMatchesTheParametersThePytorchModelRead() {
        Map<String, INDArray> ref = Npz.read(REFERENCE);
        INDArray w = ref.get("w");
        INDArray expected = ref.get("parameters"); // [N, P]
        FaceParameters got = FaceCodec.decode(w, 25);
        List<String> names = FaceCodec.spec().names();
        assertEquals(expected.size(1), names.size());
        for (int n = 0; n < w.size(0); n++) {
            for (int p = 0; p < names.size(); p++) {
                double e = expected.getDouble(n, p);
                double g = got.get(names.get(p), n);
                assertEquals(e, g, 1e-5 + 1e-5 * Math.abs(e), "code " + n + ", " + names.get(p));
            }
        }
    }

    @Test
    void directionsAreOrthonormalAndStateAndIdentityAreSeparate() {
        INDArray d = FaceCodec.spec().directions();
        INDArray gram = d.mmul(d.transpose());
        INDArray eye = Nd4j.eye(d.size(0)).castTo(gram.dataType());
        assertTrue(gram.sub(eye).amaxNumber().doubleValue() < 1e-5, "D D^T = I");
        assertEquals(9, FaceCodec.spec().names(FaceCodec.Kind.STATE).size());
        assertTrue(FaceCodec.spec().names(FaceCodec.Kind.STATE).containsAll(
                List.of("yaw", "pitch", "roll", "mouthOpen", "smile", "eyeOpen", "browRaise", "gazeX", "gazeY")));
    }

    @Test
    void parameterLatentRoundTrip() {
        for (FaceCodec.Parameter p : FaceCodec.spec().parameters()) {
            double v = p.lo() + 0.3 * (p.hi() - p.lo());
            assertEquals(v, p.valueOf(p.latentOf(v)), 1e-9, p.name());
        }
    }

    @Test
    void movingAlongADirectionChangesOnlyThatParameter() {
        INDArray code = ToyWorld.neutralActor(3);
        FaceParameters before = FaceCodec.decode(code, 25);
        FaceCodec face = FaceCodec.spec();
        INDArray moved = code.dup();
        for (int l : face.parameter("mouthOpen").layers()) {
            moved.getRow(l).addi(face.direction("mouthOpen").mul(2.0));
        }
        FaceParameters after = FaceCodec.decode(moved, 25);
        for (String n : face.names()) {
            if (n.equals("mouthOpen")) {
                assertTrue(after.get(n, 0) > before.get(n, 0) + 0.05, "mouth opens");
            } else {
                assertEquals(before.get(n, 0), after.get(n, 0), 1e-5, n + " unchanged");
            }
        }
    }

    @Test
    void badShapesAndNaNAreRejectedWithWhatWasExpected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FaceCodec.decode(Nd4j.zeros(2, 14, 512), 25));
        assertTrue(e.getMessage().contains("[N, 18, 512]") && e.getMessage().contains("[2, 14, 512]"), e.getMessage());
        INDArray nan = Nd4j.zeros(1, 18, 512);
        nan.putScalar(new long[] {0, 5, 3}, Float.NaN);
        assertThrows(IllegalArgumentException.class, () -> FaceCodec.decode(Trajectory.of(nan, 25, "nan")));
        assertThrows(IllegalArgumentException.class, () -> FaceCodec.spec().parameter("nose"));
    }
}

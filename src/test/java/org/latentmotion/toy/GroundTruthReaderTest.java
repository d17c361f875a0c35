package org.latentmotion.toy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.latentmotion.wplus.GroundTruthReader;
import org.latentmotion.wplus.Trajectory;
import org.latentmotion.wplus.TrajectorySet;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The toy world's codec as a {@link GroundTruthReader}, checked against the ground truth the world generated. */
class GroundTruthReaderTest {
    private static final TalkingHead HEAD = ToyWorld.talkingHead().actor(5).seconds(6).cuts(1).jitter(0).generate();

    @Test
    void aTalkingHeadCarriesTheCodecAndItsSplitsKeepIt() {
        assertSame(FaceCodec.spec(), HEAD.groundTruthReader().orElseThrow());
        TrajectorySet.Split split = HEAD.split(0.5);
        assertSame(FaceCodec.spec(), split.train().groundTruthReader().orElseThrow());
        assertSame(FaceCodec.spec(), split.test().groundTruthReader().orElseThrow());
        TrajectorySet plain = TrajectorySet.of("plain", HEAD.clips());
        assertTrue(plain.groundTruthReader().isEmpty());
        assertSame(FaceCodec.spec(), plain.withGroundTruthReader(FaceCodec.spec()).groundTruthReader().orElseThrow());
        assertEquals(plain.totalFrames(), plain.withGroundTruthReader(FaceCodec.spec()).totalFrames());
    }

    @Test
    void motionIsTheGeneratedStateParameters() {
        FaceCodec codec = FaceCodec.spec();
        assertEquals(codec.names(FaceCodec.Kind.STATE), codec.motionChannels());
        assertTrue(codec.readsFaceMotion());
        Map<String, double[]> motion = codec.motion(HEAD.clip(0));
        assertEquals(codec.motionChannels(), List.copyOf(motion.keySet()));
        for (String name : codec.motionChannels()) {
            assertArrayEquals(HEAD.groundTruth(0).get(name), motion.get(name), 1e-6, name);
        }
    }

    @Test
    void identityIsTheIdentityParametersScaledToTheirRange() {
        FaceCodec codec = FaceCodec.spec();
        Trajectory clip = HEAD.clip(1);
        INDArray id = codec.identity(clip);
        List<String> names = codec.names(FaceCodec.Kind.IDENTITY);
        assertArrayEquals(new long[] {clip.frames(), names.size()}, id.shape());
        for (int j = 0; j < names.size(); j++) {
            FaceCodec.Parameter p = codec.parameter(names.get(j));
            double[] truth = HEAD.groundTruth(1).get(names.get(j));
            for (int t = 0; t < clip.frames(); t += 17) {
                assertEquals((truth[t] - p.lo()) / (p.hi() - p.lo()), id.getDouble(t, j), 1e-5, names.get(j) + " at " + t);
            }
        }
        // one actor throughout: the identity does not move
        assertEquals(0.0, id.std(0).maxNumber().doubleValue(), 1e-5);
        assertEquals("toy-face identity parameters", codec.identityName());
        var e = assertThrows(IllegalArgumentException.class,
                () -> codec.identity(Trajectory.of(Nd4j.zeros(3, 14, 512), 25, "other")));
        assertTrue(e.getMessage().contains("[18, 512]") && e.getMessage().contains("[14, 512]"), e.getMessage());
    }

    @Test
    void identityIsExactlyWhatTheMetricsToyFeaturesRead() {
        // Evaluation's default ACD features now come from the reader: they must be the same numbers
        Trajectory clip = HEAD.clip(0);
        var toyFeatures = org.latentmotion.metrics.IdentityFeatures.toyFace();
        assertEquals(toyFeatures.of(clip), FaceCodec.spec().identity(clip));
        assertEquals(toyFeatures.name(), FaceCodec.spec().identityName());
    }

    @Test
    void aReaderWithoutFaceMotionIsNotTakenForOne() {
        GroundTruthReader keypoints = new GroundTruthReader() {
            @Override
            public String name() {
                return "keypoints";
            }

            @Override
            public INDArray identity(Trajectory sample) {
                return Nd4j.zeros(sample.frames(), 1);
            }

            @Override
            public List<String> motionChannels() {
                return List.of("jawX", "jawY");
            }

            @Override
            public Map<String, double[]> motion(Trajectory sample) {
                return Map.of();
            }
        };
        assertFalse(keypoints.readsFaceMotion());
        assertEquals("keypoints identity", keypoints.identityName());
    }

    @Test
    @SuppressWarnings("deprecation")
    void theOldNameStillReadsTheSameCodec() {
        ToyFace old = ToyFace.spec();
        assertSame(old, ToyFace.spec());
        assertEquals(FaceCodec.spec().names(), old.names());
        assertEquals(FaceCodec.spec().toString(), old.toString());
        assertEquals(FaceCodec.spec().directions(), old.directions());
    }
}

package org.latentmotion.wplus;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What the frames of W+ codes really show, read by an instrument that is not the model being
 * judged: who is on screen (identity features) and how they move (named motion channels such as
 * head pose, mouth and eye opening). Metrics compare generated motion with real motion through it.
 *
 * <p>The default world's {@code toy.FaceCodec} implements it exactly (it reads the parameters the
 * toy face draws), and a toy {@code TalkingHead} carries it. For your own StyleGAN, implement it
 * with your own instrument — a key-point detector and a face-recognition network on rendered
 * frames, say — and attach it to your data with {@link TrajectorySet#withGroundTruthReader}; the
 * evaluation then measures identity consistency with it and turns on motion statistics.
 *
 * <p>It lives on the ground floor ({@code wplus}) so that the worlds that know a truth
 * ({@code toy}, your code) and the metrics that use one ({@code metrics}) need not know each other.
 */
public interface GroundTruthReader {

    /** Channel names the motion statistics read (blinks, mouth rhythm, head pose in radians). */
    List<String> FACE_MOTION = List.of("yaw", "pitch", "roll", "mouthOpen", "eyeOpen");

    /** What reads the truth, for tables ("toy face", "68 landmarks"). */
    String name();

    /** Who is on screen in each frame of {@code sample}: features [T, F] (same person, same features). */
    INDArray identity(Trajectory sample);

    /** A short name of the identity features, for reports. */
    default String identityName() {
        return name() + " identity";
    }

    /** Names of the motion channels {@link #motion} returns. */
    List<String> motionChannels();

    /** Every motion channel of {@link #motionChannels()} over the frames of {@code sample}. */
    Map<String, double[]> motion(Trajectory sample);

    /** True if the channels of {@link #FACE_MOTION} are among the motion channels. */
    default boolean readsFaceMotion() {
        return motionChannels().containsAll(FACE_MOTION);
    }
}

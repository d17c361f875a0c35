package org.latentmotion.wplus;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Key points of the face in each frame of W+ codes, read by an instrument outside the model being
 * trained: render the frames, run a key-point detector on the images. It is the pose supervision
 * of a StyleFaceV-style model (seed 004 trains its pose extractor to predict a few key face points
 * that a pre-trained landmark detector finds), so points carry where the head is and the state of
 * the mouth and eyes, and as little of who the person is as possible.
 *
 * <p>The default world ships one ({@code render.KeypointModel} on the toy face); for your own
 * StyleGAN, wrap any ONNX key-point model the same way, or implement this interface with your own
 * instrument. It lives on the ground floor ({@code wplus}), like {@link GroundTruthReader}, so the
 * models that learn from key points ({@code motion}) and the renderers that find them
 * ({@code render}) need not know each other.
 */
public interface KeypointReader {

    /** What reads the points, for tables and checkpoints ("toy-face key points", "68 landmarks"). */
    String name();

    /** The names of the K points, in the order {@link #read} returns them. */
    List<String> keypointNames();

    /** Number of points K. */
    default int keypoints() {
        return keypointNames().size();
    }

    /**
     * The points of every frame of {@code frames}: float32 [T, K, 2], (x, y) in image coordinates
     * scaled to [−1, 1] (x to the right, y down), the same scale whatever the image size.
     */
    INDArray read(Trajectory frames);
}

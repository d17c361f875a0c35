package org.latentmotion.motion.stylefacev;

import java.util.List;

import org.latentmotion.wplus.KeypointReader;
import org.latentmotion.wplus.Trajectory;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Test instrument for synthetic codes: two "key points" per frame, the first four numbers of the
 * first layer, and optionally a wrong frame count (to test the model's check of the reader).
 */
final class FirstNumbersKeypoints implements KeypointReader {
    private final int missingFrames;

    FirstNumbersKeypoints(int missingFrames) {
        this.missingFrames = missingFrames;
    }

    @Override
    public String name() {
        return missingFrames == 0 ? "first numbers (test)" : "a reader that drops frames (test)";
    }

    @Override
    public List<String> keypointNames() {
        return List.of("a", "b");
    }

    @Override
    public INDArray read(Trajectory frames) {
        int n = frames.frames() - missingFrames;
        return frames.codes().get(NDArrayIndex.interval(0, n), NDArrayIndex.point(0), NDArrayIndex.interval(0, 4))
                .dup('c').reshape('c', n, 2, 2);
    }
}

package org.latentmotion.motion.stylefacev;

import java.util.List;

import org.latentmotion.toy.FaceCodec;
import org.latentmotion.toy.FaceParameters;
import org.latentmotion.wplus.KeypointReader;
import org.latentmotion.wplus.Trajectory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Test instrument: key points of the toy face computed from its exact parameters (FaceCodec.decode)
 * by simple geometry, standing in for a key-point model on rendered frames. Eleven points on a
 * unit face (eye centres, upper and lower lids, nose tip, mouth corners, lips), opened by eyeOpen
 * and mouthOpen, widened by smile, turned by yaw, pitch and roll and projected orthographically.
 * Only state parameters move them, as the paper's key face points carry little identity.
 */
final class ToyFaceKeypoints implements KeypointReader {
    static final List<String> NAMES = List.of("leftEye", "rightEye", "leftUpperLid", "leftLowerLid", "rightUpperLid",
            "rightLowerLid", "noseTip", "leftMouthCorner", "rightMouthCorner", "upperLip", "lowerLip");

    @Override
    public String name() {
        return "toy-face geometry (test)";
    }

    @Override
    public List<String> keypointNames() {
        return NAMES;
    }

    @Override
    public INDArray read(Trajectory frames) {
        FaceParameters p = FaceCodec.decode(frames);
        int n = p.frames();
        INDArray out = Nd4j.create(DataType.FLOAT, n, NAMES.size(), 2);
        for (int t = 0; t < n; t++) {
            double eye = p.get("eyeOpen", t);
            double mouth = p.get("mouthOpen", t);
            double smile = p.get("smile", t);
            double[][] pts = {
                    {-0.3, -0.2, 0.3}, {0.3, -0.2, 0.3},
                    {-0.3, -0.2 - 0.06 * eye, 0.32}, {-0.3, -0.2 + 0.06 * eye, 0.32},
                    {0.3, -0.2 - 0.06 * eye, 0.32}, {0.3, -0.2 + 0.06 * eye, 0.32},
                    {0, 0.05, 0.5},
                    {-0.22 - 0.04 * smile, 0.35 - 0.04 * smile, 0.3}, {0.22 + 0.04 * smile, 0.35 - 0.04 * smile, 0.3},
                    {0, 0.33 - 0.08 * mouth, 0.33}, {0, 0.37 + 0.08 * mouth, 0.33}};
            double yaw = p.get("yaw", t);
            double pitch = p.get("pitch", t);
            double roll = p.get("roll", t);
            for (int k = 0; k < pts.length; k++) {
                double x = pts[k][0];
                double y = pts[k][1];
                double z = pts[k][2];
                double x1 = x * Math.cos(yaw) + z * Math.sin(yaw);
                double z1 = -x * Math.sin(yaw) + z * Math.cos(yaw);
                double y2 = y * Math.cos(pitch) - z1 * Math.sin(pitch);
                double xr = x1 * Math.cos(roll) - y2 * Math.sin(roll);
                double yr = x1 * Math.sin(roll) + y2 * Math.cos(roll);
                out.putScalar(new long[] {t, k, 0}, 0.6 * xr);
                out.putScalar(new long[] {t, k, 1}, 0.6 * yr);
            }
        }
        return out;
    }
}

package org.latentmotion.motion.stylefacev;

import org.latentmotion.nn.Linear;
import org.latentmotion.nn.Ops;
import org.latentmotion.nn.ParameterSet;
import org.latentmotion.nn.Var;

/**
 * StyleFaceV's decomposition and recomposition (seed 004, "Decomposition and Recomposition"), on
 * whitened principal coordinates x [N, k] of W+ frames:
 * <pre>
 *   a = E_a(x)          appearance encoder: Mlp(k → hidden → appearanceDim)
 *   p = E_p(x)          pose encoder:       Mlp(k → hidden → poseDim)
 *   l̂ = F(p)            key-point head:     Linear(poseDim → 2K), the paper's key face point predictor (Eq. 3)
 *   x̂ = R([a, p])       recomposer:         Mlp(appearanceDim + poseDim → hidden → k)
 * </pre>
 * E_p and the head are the {@code pose} parameters ({@code pose_encoder.*}, {@code keypoint_head.*}),
 * E_a and R the {@code appearance} parameters ({@code appearance_encoder.*}, {@code recomposer.*}):
 * stage 1 trains the first group alone, stage 2 both.
 */
final class Decomposition {
    private final Mlp appearanceEncoder;
    private final Mlp poseEncoder;
    private final Linear keypointHead;
    private final Mlp recomposer;

    Decomposition(StyleFaceVConfig c, int keypoints, ParameterSet pose, ParameterSet appearance) {
        double s = c.leakySlope();
        poseEncoder = new Mlp(pose, "pose_encoder", s, c.components(), c.hidden(), c.poseDim());
        keypointHead = new Linear(pose, "keypoint_head", c.poseDim(), 2 * keypoints);
        appearanceEncoder = new Mlp(appearance, "appearance_encoder", s, c.components(), c.hidden(), c.appearanceDim());
        recomposer = new Mlp(appearance, "recomposer", s, c.appearanceDim() + c.poseDim(), c.hidden(), c.components());
    }

    /** E_a: x [N, k] → a [N, appearanceDim]. */
    Var appearance(Var x) {
        return appearanceEncoder.forward(x);
    }

    /** E_p: x [N, k] → p [N, poseDim]. */
    Var pose(Var x) {
        return poseEncoder.forward(x);
    }

    /** F: p [N, poseDim] → standardised key points [N, 2K]. */
    Var keypoints(Var pose) {
        return keypointHead.forward(pose);
    }

    /** R: a [N, appearanceDim] and p [N, poseDim] → whitened coordinates [N, k]. */
    Var recompose(Var appearance, Var pose) {
        return recomposer.forward(Ops.concat(1, appearance, pose));
    }
}

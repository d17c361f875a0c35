package org.latentmotion.metrics;

import java.util.List;
import java.util.Objects;
import org.latentmotion.toy.FaceParameters;
import org.latentmotion.toy.FaceCodec;
import org.latentmotion.wplus.Trajectory;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How much a motion moved to a new actor breaks, measured with the toy face's ground truth (the
 * paper's Fig. 4 artifacts, as numbers). A transfer should keep every state parameter (pose,
 * mouth, eyes, brows) of the source motion, frame by frame, and show the new actor's identity:
 * <ul>
 * <li><b>state error</b>: mean |state parameter of the result − of the source motion|, each
 * divided by its valid range;</li>
 * <li><b>saturated</b>: share of frame × state parameter values pinned within 2 % of an end of
 * their valid range (a mouth that cannot open further, eyes stuck shut);</li>
 * <li><b>identity error</b>: mean L2 distance of the result's identity parameters (each scaled
 * to [0, 1]) from the new actor's.</li>
 * </ul>
 */
public final class TransferArtifacts {
    private final double stateError;
    private final double saturated;
    private final double identityError;
    private final String label;

    private TransferArtifacts(double stateError, double saturated, double identityError, String label) {
        this.stateError = stateError;
        this.saturated = saturated;
        this.identityError = identityError;
        this.label = label;
    }

    /**
     * Measures {@code result}, the transfer of {@code source} onto the actor with code
     * {@code newActor} [18, 512] (toy-face codes).
     */
    public static TransferArtifacts of(Trajectory source, Trajectory result, INDArray newActor, String label) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(newActor, "newActor");
        if (source.frames() != result.frames()) {
            throw new IllegalArgumentException("transfer artifacts: the result has " + result.frames()
                    + " frames, the source motion " + source.frames());
        }
        FaceCodec face = FaceCodec.spec();
        FaceParameters s = FaceCodec.decode(source);
        FaceParameters r = FaceCodec.decode(result);
        INDArray actorFeatures = IdentityFeatures.toyFace().of(Trajectory.of(newActor.reshape(1, face.layers(), face.width()),
                source.fps(), "new actor"));
        INDArray resultFeatures = IdentityFeatures.toyFace().of(result);
        List<String> state = face.names(FaceCodec.Kind.STATE);
        double err = 0;
        long sat = 0;
        long n = 0;
        for (String name : state) {
            FaceCodec.Parameter p = face.parameter(name);
            double range = p.hi() - p.lo();
            double[] a = s.get(name);
            double[] b = r.get(name);
            for (int t = 0; t < a.length; t++) {
                err += Math.abs(a[t] - b[t]) / range;
                double q = (b[t] - p.lo()) / range;
                sat += (q < 0.02 || q > 0.98) ? 1 : 0;
                n++;
            }
        }
        double id = IdentityConsistency.meanDistanceTo(resultFeatures, actorFeatures.getRow(0));
        return new TransferArtifacts(err / n, (double) sat / n, id, label);
    }

    /** Mean absolute state-parameter error, as a fraction of each parameter's valid range (0 is a perfect transfer). */
    public double stateError() {
        return stateError;
    }

    /** Share (0 to 1) of frame × state-parameter values within 2 % of an end of their valid range. */
    public double saturated() {
        return saturated;
    }

    /**
     * Mean L2 distance of the result's scaled identity parameters from the new actor's (0: the actor's identity
     * exactly).
     */
    public double identityError() {
        return identityError;
    }

    @Override
    public String toString() {
        return String.format("%s: state error %.4f (of range), saturated %.2f %%, identity error %.4f", label, stateError,
                100 * saturated, identityError);
    }
}

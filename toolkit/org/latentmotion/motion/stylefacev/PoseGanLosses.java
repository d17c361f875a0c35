package org.latentmotion.motion.stylefacev;

import java.util.List;

import org.latentmotion.nn.Autograd;
import org.latentmotion.nn.Broadcasts;
import org.latentmotion.nn.Ops;
import org.latentmotion.nn.Var;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The pose sampler's adversarial losses (seed 004, Eq. 10, as the official code trains them): the
 * relativistic average LSGAN on both critics' scores, a gradient penalty on the 3-D critic, and
 * the diversity loss for the sampler. With D_r, D_f one critic's scores of real and fake pairs and
 * m(·) the mean over batch and pairs/patches:
 * <pre>
 *   critic:  ½ [ m((D_r − m(D_f) − 1)²) + m((D_f − m(D_r))²) ]  for the 2-D and for the 3-D critic, summed,
 *            + λ_GP · mean_{b,t} (‖∂ Σ D₃(x̂) / ∂x̂_{b,t}‖ − 1)²,  x̂ = fake + u_b (real − fake), u_b ~ U[0, 1)
 *   sampler: ½ [ m((D_f − m(D_r) − 1)²) + m((D_r − m(D_f))²) ]  for each critic, summed, + λ_div · diversity
 * </pre>
 * The penalty's norm is over the channels (2P numbers of a pair) at each time position, as the code's
 * {@code gradients.norm(2, dim=1)}; it needs a double backward, which {@link Autograd} records.
 */
final class PoseGanLosses {
    private static final double NORM_EPS = 1e-12;

    private final StyleFaceVConfig config;
    private final PoseCritics critics;

    PoseGanLosses(StyleFaceVConfig config, PoseCritics critics) {
        this.config = config;
        this.critics = critics;
    }

    /** The critics' loss and its parts (the two relativistic losses and the penalty). */
    record CriticTerms(Var loss, Var critic2d, Var critic3d, Var gradientPenalty) {
    }

    /** The sampler's loss and its parts. */
    record SamplerTerms(Var loss, Var adversarial2d, Var adversarial3d, Var diversity) {
    }

    /** The critics' loss for real and fake pose sequences [B, T, P] (both constants) and weights u [B]. */
    CriticTerms critic(INDArray real, INDArray fake, INDArray u) {
        Var realPairs = critics.pairs(Var.constant(real));
        Var fakePairs = critics.pairs(Var.constant(fake));
        Var dr2 = critics.score2d(realPairs);
        Var df2 = critics.score2d(fakePairs);
        Var dr3 = critics.score3d(realPairs);
        Var df3 = critics.score3d(fakePairs);
        Var c2 = Ops.scale(Ops.add(ls(dr2, df2, 1.0), ls(df2, dr2, 0.0)), 0.5);
        Var c3 = Ops.scale(Ops.add(ls(dr3, df3, 1.0), ls(df3, dr3, 0.0)), 0.5);
        Var gp = gradientPenalty(realPairs.value(), fakePairs.value(), u);
        Var loss = Ops.add(Ops.add(c2, c3), Ops.scale(gp, config.lambdaGp()));
        return new CriticTerms(loss, c2, c3, gp);
    }

    /** The 3-D critic's gradient penalty at interpolates of real and fake pairs [B, P', 2P]. */
    Var gradientPenalty(INDArray realPairs, INDArray fakePairs, INDArray u) {
        long b = realPairs.size(0);
        INDArray hat = realPairs.sub(fakePairs);
        Broadcasts.muliColumn(hat.reshape('c', b, realPairs.length() / b), u.reshape(b, 1).castTo(realPairs.dataType()));
        hat.addi(fakePairs);
        Var xHat = Var.scopedInput(hat);
        Var g = Autograd.grad(Ops.sumAll(critics.score3d(xHat)), List.of(xHat), true).get(0);
        long rows = g.size(0) * g.size(1);
        Var norms = Ops.sqrt(Ops.addScalar(Ops.sum(Ops.square(Ops.reshape(g, rows, g.size(2))), 1), NORM_EPS));
        return Ops.meanAll(Ops.square(Ops.addScalar(norms, -1.0)));
    }

    /** The sampler's loss for real pose sequences [B, T, P] (a constant) and a generated window. */
    SamplerTerms sampler(INDArray real, PoseSampler.Output fake) {
        Var realPairs = critics.pairs(Var.constant(real));
        Var fakePairs = critics.pairs(fake.poses());
        Var dr2 = critics.score2d(realPairs);
        Var df2 = critics.score2d(fakePairs);
        Var dr3 = critics.score3d(realPairs);
        Var df3 = critics.score3d(fakePairs);
        Var g2 = Ops.scale(Ops.add(ls(df2, dr2, 1.0), ls(dr2, df2, 0.0)), 0.5);
        Var g3 = Ops.scale(Ops.add(ls(df3, dr3, 1.0), ls(dr3, df3, 0.0)), 0.5);
        Var diversity = PoseSampler.diversity(fake);
        Var loss = Ops.add(Ops.add(g2, g3), Ops.scale(diversity, config.lambdaDiversity()));
        return new SamplerTerms(loss, g2, g3, diversity);
    }

    /** m((a − m(other) − target)²): one side of the relativistic average LSGAN. */
    private static Var ls(Var a, Var other, double target) {
        Var ref = Ops.broadcastTo(Ops.reshape(Ops.meanAll(other), 1, 1), a.shape());
        return Ops.meanAll(Ops.square(Ops.addScalar(Ops.sub(a, ref), -target)));
    }
}

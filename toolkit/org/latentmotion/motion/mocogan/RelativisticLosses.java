package org.latentmotion.motion.mocogan;

import java.util.List;

import org.latentmotion.nn.Autograd;
import org.latentmotion.nn.Broadcasts;
import org.latentmotion.nn.Ops;
import org.latentmotion.nn.Var;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * MoCoGAN-HD's losses ({@code models/losses.py}, {@code train_func_in_domain.py}): the relativistic
 * average LSGAN on the critic's patch scores of every scale, summed over scales, with the
 * gradient penalty for the critic and the mutual-information term for the generator. With
 * D_r, D_f a scale's scores of real and fake pairs and m(·) the mean over batch and patches:
 * <pre>
 *   critic:    ½ Σ_scales [ m((D_r − m(D_f) − 1)²) + m((D_f − m(D_r))²) ] + λ_GP · (1/S) Σ_scales GP_s
 *   generator: ½ Σ_scales [ m((D_f − m(D_r) − 1)²) + m((D_r − m(D_f))²) ] + λ_MI · (−mean cos(ε̂, ε))
 *   GP_s = mean_{b,t} (‖∂ Σ D_s(x̂) / ∂x̂_{b,t}‖ − 1)²,  x̂ = fake + u_b (real − fake), u_b ~ U[0, 1)
 * </pre>
 * The penalty's norm is over the channels at each time position (the pair's 2k numbers), as
 * the paper's {@code compute_gradient_penalty_T} takes {@code gradients.norm(2, dim=1)} of a
 * [B, C, T, H, W] gradient; it is taken at unflipped pairs, as there.
 */
final class RelativisticLosses {
    private static final double NORM_EPS = 1e-12;

    private final MoCoGanHdConfig config;
    private final TemporalCritic critic;

    RelativisticLosses(MoCoGanHdConfig config, TemporalCritic critic) {
        this.config = config;
        this.critic = critic;
    }

    /** The critic's loss and its parts (gap: mean over scales of m(D_r) − m(D_f)). */
    record CriticTerms(Var loss, Var adversarial, Var gradientPenalty, double gap) {
    }

    /** The generator's loss and its parts. */
    record GeneratorTerms(Var loss, Var adversarial, Var mutualInformation) {
    }

    /**
     * The critic's loss for real and fake whitened windows [B, T, k] (the fakes constant), the
     * interpolation weights u [B], and whether each side is reversed in time.
     */
    CriticTerms critic(INDArray real, INDArray fake, INDArray u, boolean flipReal, boolean flipFake) {
        Var realPairs = critic.pairs(Var.constant(real));
        Var fakePairs = critic.pairs(Var.constant(fake));
        List<Var> dReal = critic.scores(flipReal ? TemporalCritic.flip(realPairs) : realPairs);
        List<Var> dFake = critic.scores(flipFake ? TemporalCritic.flip(fakePairs) : fakePairs);
        Var adversarial = null;
        double gap = 0;
        for (int s = 0; s < dReal.size(); s++) {
            Var term = Ops.add(ls(dReal.get(s), dFake.get(s), 1.0), ls(dFake.get(s), dReal.get(s), 0.0));
            adversarial = adversarial == null ? term : Ops.add(adversarial, term);
            gap += (dReal.get(s).value().meanNumber().doubleValue() - dFake.get(s).value().meanNumber().doubleValue())
                    / dReal.size();
        }
        adversarial = Ops.scale(adversarial, 0.5);
        Var gp = gradientPenalty(realPairs.value(), fakePairs.value(), u);
        Var loss = Ops.add(adversarial, Ops.scale(gp, config.lambdaGp()));
        return new CriticTerms(loss, adversarial, gp, gap);
    }

    /** (1/S) Σ_s GP_s at the interpolates of real and fake pairs [B, P, 2k]. */
    Var gradientPenalty(INDArray realPairs, INDArray fakePairs, INDArray u) {
        long b = realPairs.size(0);
        INDArray hat = realPairs.sub(fakePairs); // becomes x̂ in place: the scaling works through a view of it
        Broadcasts.muliColumn(hat.reshape('c', b, realPairs.length() / b), u.reshape(b, 1).castTo(realPairs.dataType()));
        hat.addi(fakePairs);
        Var xHat = Var.scopedInput(hat);
        List<Var> scores = critic.scores(xHat);
        Var total = null;
        for (Var d : scores) {
            Var g = Autograd.grad(Ops.sumAll(d), List.of(xHat), true).get(0);
            long rows = g.size(0) * g.size(1);
            Var norms = Ops.sqrt(Ops.addScalar(Ops.sum(Ops.square(Ops.reshape(g, rows, g.size(2))), 1), NORM_EPS));
            Var gp = Ops.meanAll(Ops.square(Ops.addScalar(norms, -1.0)));
            total = total == null ? gp : Ops.add(total, gp);
        }
        return Ops.scale(total, 1.0 / scores.size());
    }

    /**
     * The generator's loss for real whitened windows [B, T, k] and a generated window (its
     * sequence on the tape).
     */
    GeneratorTerms generator(INDArray real, MotionGenerator.Output fake, boolean flipReal, boolean flipFake) {
        Var realPairs = critic.pairs(Var.constant(real));
        Var fakePairs = critic.pairs(fake.sequence());
        List<Var> dReal = critic.scores(flipReal ? TemporalCritic.flip(realPairs) : realPairs);
        List<Var> dFake = critic.scores(flipFake ? TemporalCritic.flip(fakePairs) : fakePairs);
        Var adversarial = null;
        for (int s = 0; s < dReal.size(); s++) {
            Var term = Ops.add(ls(dFake.get(s), dReal.get(s), 1.0), ls(dReal.get(s), dFake.get(s), 0.0));
            adversarial = adversarial == null ? term : Ops.add(adversarial, term);
        }
        adversarial = Ops.scale(adversarial, 0.5);
        Var mutual = fake.reconstruction() == null ? null : MotionGenerator.mutualInformation(fake);
        Var loss = mutual == null ? adversarial : Ops.add(adversarial, Ops.scale(mutual, config.lambdaMutual()));
        return new GeneratorTerms(loss, adversarial, mutual);
    }

    /** m((a − m(other) − target)²): one side of the relativistic average LSGAN. */
    private static Var ls(Var a, Var other, double target) {
        Var ref = Ops.broadcastTo(Ops.reshape(Ops.meanAll(other), 1, 1), a.shape());
        return Ops.meanAll(Ops.square(Ops.addScalar(Ops.sub(a, ref), -target)));
    }
}

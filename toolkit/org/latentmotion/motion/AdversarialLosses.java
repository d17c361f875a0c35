package org.latentmotion.motion;

import java.util.List;
import org.latentmotion.nn.Autograd;
import org.latentmotion.nn.Broadcasts;
import org.latentmotion.nn.Ops;
import org.latentmotion.nn.Scope;
import org.latentmotion.nn.Var;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * StyleVideoGAN's losses: WGAN-GP for the critic, the adversarial loss plus the gradient angle
 * penalty for the generator (see {@link StyleVideoGan}'s class comment for the formulas and the
 * choices the paper leaves open).
 */
final class AdversarialLosses {
    private static final double NORM_EPS = 1e-12;

    private final StyleVideoGanConfig config;
    private final Critic critic;
    private final GradientAnglePenalty anglePenalty;

    AdversarialLosses(StyleVideoGanConfig config, Critic critic, GradientAnglePenalty anglePenalty) {
        this.config = config;
        this.critic = critic;
        this.anglePenalty = anglePenalty;
    }

    /** The critic's loss terms. */
    record CriticTerms(Var loss, Var wasserstein, Var gradientPenalty) {
    }

    /** The generator's loss terms. */
    record GeneratorTerms(Var loss, Var adversarial, GradientAnglePenalty.Terms angle) {
    }

    /**
     * WGAN-GP for standardised real codes and fakes [B·t, features] and interpolation weights eps [B]:
     * loss = mean D(fake) − mean D(real) + λ_GP·mean (‖∇D(x̂)‖ − 1)², differentiable in the critic's weights.
     */
    CriticTerms critic(INDArray realStd, Var fake, INDArray eps) {
        int t = config.windowLength();
        int f = config.features();
        long b = realStd.size(0) / t;
        Var dReal = critic.forward(Var.constant(realStd));
        Var dFake = critic.forward(fake);
        // x̂ = fake + ε (real − fake), ε per window
        // in place in one new array: a step's workspace keeps every array it made until the step ends, and
        // each of these is [B·t, features] (113 MB at paper()); the same ops in the same order as with copies
        INDArray fakeRows = fake.value().reshape('c', b, (long) t * f);
        INDArray hat = Broadcasts.muliColumn(realStd.reshape('c', b, (long) t * f).sub(fakeRows), eps.reshape(b, 1)).addi(fakeRows)
                .reshape('c', b * t, f);
        // the penalty's gradient is taken at what the critic's extractor reads (with criticDifferences: the frames and
        // their whitened changes as inputs of their own), so changes are measured in units of the data's changes
        INDArray lifted = Autograd.noGrad(() -> critic.inputs(Var.constant(hat))).value(); // owned by the scope's op
        Var xHat;
        if (lifted == hat) {
            xHat = Var.scopedInput(hat);
        } else {
            Scope.release(hat);
            xHat = Var.input(lifted);
        }
        Var dHat = critic.score(xHat);
        Var gp = gradientPenalty(dHat, xHat, b);
        Var meanReal = Ops.meanAll(dReal);
        Var meanFake = Ops.meanAll(dFake);
        Var loss = Ops.add(Ops.sub(meanFake, meanReal), Ops.scale(gp, config.lambdaGp()));
        return new CriticTerms(loss, Ops.sub(meanReal, meanFake), gp);
    }

    /**
     * WGAN-GP of the span critic for standardised real spans and fake spans [B·K, features] at the
     * frame offsets {@code offsets}, interpolation weights eps [B]: the same form as the window
     * critic's, its gradient penalty taken at the span's frames.
     */
    static CriticTerms span(SpanCritic critic, double lambdaGp, INDArray real, Var fake, INDArray eps, int[] offsets) {
        long b = eps.length();
        long per = real.length() / b;
        Var dReal = critic.score(Var.constant(real), offsets);
        Var dFake = critic.score(fake, offsets);
        INDArray fakeRows = fake.value().reshape('c', b, per);
        Var xHat = Var.input(Broadcasts.muliColumn(real.reshape('c', b, per).sub(fakeRows), eps.reshape(b, 1)).addi(fakeRows)
                .reshape('c', real.size(0), real.size(1)));
        Var dHat = critic.score(xHat, offsets);
        Var gp = gradientPenalty(dHat, xHat, b);
        Var wasserstein = Ops.sub(Ops.meanAll(dReal), Ops.meanAll(dFake));
        return new CriticTerms(Ops.add(Ops.neg(wasserstein), Ops.scale(gp, lambdaGp)), wasserstein, gp);
    }

    /** mean over the b samples of (‖∂ΣD/∂x̂_b‖ − 1)², differentiable (the gradient is taken with a tape of its own). */
    private static Var gradientPenalty(Var dHat, Var xHat, long b) {
        Var g = Autograd.grad(Ops.sumAll(dHat), List.of(xHat), true).get(0);
        Var norms = Ops.sqrt(Ops.addScalar(Ops.sumOfSquares(Ops.reshape(g, b, g.value().length() / b), 1), NORM_EPS));
        return Ops.meanAll(Ops.square(Ops.addScalar(norms, -1.0)));
    }

    /**
     * −mean D(G(i, s)) + λ_GAP·L_GAP for a window {@code out} computed from the leaves i (or the
     * state it resumed from) and s; {@code updateStatistics} moves the running statistics of
     * l_{t−1} − l_0 first.
     */
    GeneratorTerms generator(Generator.Output out, Var i, Var s, boolean updateStatistics) {
        Var adversarial = Ops.neg(Ops.meanAll(critic.forward(out.codes())));
        Var diff = Ops.sub(out.lastLatent(), out.firstLatent());
        if (updateStatistics) {
            anglePenalty.update(diff.value());
        }
        GradientAnglePenalty.Terms gap = anglePenalty.terms(diff, i, s);
        return new GeneratorTerms(Ops.add(adversarial, Ops.scale(gap.loss(), config.lambdaGap())), adversarial, gap);
    }
}

package org.latentmotion.motion.styleinv;

import java.util.List;

import org.latentmotion.nn.Autograd;
import org.latentmotion.nn.Ops;
import org.latentmotion.nn.Var;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * StyleInV's losses on sparse clips ({@code training/loss_styleinv.py}), with m(·) the mean over clips
 * and D_r, D_f the critic's scores of real and generated clips (both with the real first frame):
 * <pre>
 *   critic:    ½ m((D_r − 1)²) + ½ m(D_f²) + γ/2 · m(‖∂D(x_r)/∂x_r‖²)          (R1 on real clips)
 *   generator: ½ m((D_f − 1)²) + λ_w · mean_{clips, i ≥ 1} ‖x_{t_i} − x₀‖     (latent regulariser)
 * </pre>
 * The paper's adversarial loss is the logistic one (softplus); the autodiff here has no logarithm,
 * so the least-squares loss takes its place (the other zoo models' losses are least squares too).
 * R1 is the paper's: the squared gradient norm of the real scores with respect to the whole real
 * clip, γ/2, on every critic step (StyleGAN2's lazy schedule would apply it every 16th step with 16 γ).
 * The latent regulariser is the code's {@code lambda_w_reg} term, its norm taken in whitened
 * coordinates (the paper's in raw W+). The paper's first-frame reconstruction and mutual-information
 * terms are left out: frame 0 is exact by construction, and the FaceForensics config turns the
 * mutual-information term off.
 */
final class SparseGanLosses {
    private static final double NORM_EPS = 1e-12;

    private final StyleInVConfig config;
    private final SparseFrameCritic critic;

    SparseGanLosses(StyleInVConfig config, SparseFrameCritic critic) {
        this.config = config;
        this.critic = critic;
    }

    /** The critic's loss and its parts (gap: m(D_r) − m(D_f)). */
    record CriticTerms(Var loss, Var adversarial, Var r1, double gap) {
    }

    /** The generator's loss and its parts. */
    record GeneratorTerms(Var loss, Var adversarial, Var latent) {
    }

    /** The critic's loss for real and generated clips [B, n, k] (constants) at {@code times}. */
    CriticTerms critic(INDArray real, INDArray fake, int[][] times) {
        Var xr = Var.scopedInput(real.dup());
        Var dr = critic.score(xr, times);
        Var df = critic.score(Var.constant(fake), times);
        Var adversarial = Ops.scale(Ops.add(Ops.meanAll(Ops.square(Ops.addScalar(dr, -1.0))),
                Ops.meanAll(Ops.square(df))), 0.5);
        Var g = Autograd.grad(Ops.sumAll(dr), List.of(xr), true).get(0);
        Var r1 = Ops.meanAll(Ops.sum(Ops.square(Ops.reshape(g, g.size(0), g.size(1) * g.size(2))), 1));
        Var loss = Ops.add(adversarial, Ops.scale(r1, config.r1Gamma() / 2));
        double gap = dr.value().meanNumber().doubleValue() - df.value().meanNumber().doubleValue();
        return new CriticTerms(loss, adversarial, r1, gap);
    }

    /** The generator's loss for generated clips [B, n, k] (on the tape) at {@code times}. */
    GeneratorTerms generator(Var fake, int[][] times) {
        Var df = critic.score(fake, times);
        Var adversarial = Ops.scale(Ops.meanAll(Ops.square(Ops.addScalar(df, -1.0))), 0.5);
        long b = fake.size(0);
        long n = fake.size(1);
        long k = fake.size(2);
        Var moved = Ops.sub(Ops.slice(fake, 1, 1, n), Ops.broadcastTo(Ops.slice(fake, 1, 0, 1), b, n - 1, k));
        Var norms = Ops.sqrt(Ops.addScalar(Ops.sum(Ops.square(Ops.reshape(moved, b * (n - 1), k)), 1), NORM_EPS));
        Var latent = Ops.meanAll(norms);
        Var loss = Ops.add(adversarial, Ops.scale(latent, config.lambdaLatent()));
        return new GeneratorTerms(loss, adversarial, latent);
    }
}

package org.latentmotion.motion.mocogan;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.latentmotion.nn.Autograd;
import org.latentmotion.nn.GradientCheck;
import org.latentmotion.nn.Var;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * MoCoGAN-HD's losses in float64 against central finite differences: the critic's relativistic
 * LSGAN + gradient penalty (a double backward through both critic scales, with and without time
 * flips) with respect to every critic tensor, the penalty alone, and the generator's relativistic
 * LSGAN + mutual-information term (through the LSTM recurrence and the critic) with respect to
 * every generator tensor (with the paper's initialisation). Errors are relative to the whole gradient's largest entry
 * ({@link GradientCheck#maxRelativeError(Supplier, List, int, boolean)}).
 */
class MoCoGanHdGradientTest {
    static final double TOLERANCE = 1e-6;

    /** A small float64 model: k = 3, windows of 6 frames (5 pairs), two critic scales, instance norm. */
    static MoCoGanHdConfig tiny64() {
        return MoCoGanHdConfig.paper().toBuilder().batch(3).windowLength(6).layers(2).width(4).components(3).noiseDim(4)
                .hidden(5).alpha(0.5).criticChannels(2).criticScales(2).contentBank(4).float64(true).seed(3).build();
    }

    static INDArray gaussian(long seed, long... shape) {
        Random r = new Random(seed);
        INDArray a = Nd4j.create(DataType.DOUBLE, shape);
        for (long k = 0; k < a.length(); k++) {
            a.putScalar(k, r.nextGaussian());
        }
        return a;
    }

    /** A model whose basis is fitted on random frames, so the residual scale is not all ones. */
    static MoCoGanHd prepared(MoCoGanHdConfig c) {
        MoCoGanHd model = MoCoGanHd.create(c);
        INDArray windows = gaussian(11, 8, c.windowLength(), c.layers(), c.width());
        // give the directions different spreads, one below the whitening floor
        for (int d = 0; d < c.layers() * c.width(); d++) {
            double s = Math.pow(0.3, d);
            windows.reshape('c', 8L * c.windowLength(), (long) c.layers() * c.width()).getColumn(d).muli(s);
        }
        return model.prepare(windows);
    }

    @Test
    void criticLossAndPenaltyGradientsMatchFiniteDifferences() {
        for (boolean flip : new boolean[] {false, true}) {
            // PyTorch's initial weights, not the paper's N(0, 0.02²): with those the critic's input gradients are
            // ~1e-5, where √(|g|² + 1e-12) is so curved that central differences with step 1e-6 are off by 5e-5
            // (measured: 5e-5 with the paper's init on every variant, 2e-8 to 3e-8 with PyTorch's)
            MoCoGanHdConfig c = tiny64().toBuilder().orthogonalInit(false).build();
            MoCoGanHd model = prepared(c);
            INDArray real = gaussian(1, c.batch(), c.windowLength(), c.components());
            INDArray fake = gaussian(2, c.batch(), c.windowLength(), c.components()).muli(0.5);
            INDArray u = GradientCheck.uniform(3, 0, 1, c.batch());
            List<Var> leaves = new ArrayList<>(model.criticParameters().parameterList());
            // the loss takes a gradient inside, so even finite-difference evaluations must record
            Supplier<Var> loss = () -> Autograd.withGrad(() -> model.criticTerms(real, fake, u, flip, !flip).loss());
            Supplier<Var> gpOnly = () -> Autograd.withGrad(() -> model.criticTerms(real, fake, u, flip, !flip).gradientPenalty());
            double err = GradientCheck.maxRelativeError(loss, leaves, 4, true);
            double errGp = GradientCheck.maxRelativeError(gpOnly, leaves, 4, true);
            double gp = gpOnly.get().item();
            System.out.printf("grad check MoCoGAN-HD critic (flip %s): loss %.2e, GP alone %.2e (GP = %.4f), %d tensors%n",
                    flip, err, errGp, gp, leaves.size());
            assertTrue(gp > 1e-3, "the penalty is active: " + gp);
            assertTrue(err <= TOLERANCE, "critic loss " + err);
            assertTrue(errGp <= TOLERANCE, "gradient penalty " + errGp);
        }
    }

    @Test
    void generatorLossGradientsMatchFiniteDifferences() {
        MoCoGanHdConfig c = tiny64();
        MoCoGanHd model = prepared(c);
        INDArray real = gaussian(4, c.batch(), c.windowLength(), c.components());
        INDArray noise = gaussian(5, c.batch(), c.windowLength() - 1, c.noiseDim());
        List<Var> leaves = new ArrayList<>(model.generatorParameters().parameterList());
        Supplier<Var> loss = () -> model.generatorTerms(real, noise, true, false).loss();
        Supplier<Var> mutual = () -> model.generatorTerms(real, noise, false, false).mutualInformation();
        double err = GradientCheck.maxRelativeError(loss, leaves, 4, true);
        double errMutual = GradientCheck.maxRelativeError(mutual, leaves, 4, true);
        double perTensor = GradientCheck.maxRelativeError(loss, leaves, 3, false);
        System.out.printf("grad check MoCoGAN-HD generator: loss %.2e, mutual information alone %.2e, worst single tensor"
                + " %.2e (%d tensors)%n", err, errMutual, perTensor, leaves.size());
        assertTrue(err <= TOLERANCE, "generator loss " + err);
        assertTrue(errMutual <= TOLERANCE, "mutual information " + errMutual);
    }

    @Test
    void instanceNormAndTimeMixingGradientsMatchFiniteDifferencesFirstAndSecondOrder() {
        INDArray x = gaussian(6, 2, 5, 3);
        INDArray r = gaussian(7, 2, 5, 3);
        java.util.function.Function<List<Var>, Var> f = v -> org.latentmotion.nn.Ops.sumAll(org.latentmotion.nn.Ops.mul(
                org.latentmotion.nn.Ops.tanh(TemporalCritic.instanceNorm(TemporalCritic.flip(v.get(0)))), Var.constant(r)));
        double first = GradientCheck.maxRelativeError(f, List.of(x), 30);
        double second = GradientCheck.maxRelativeError(GradientCheck.gradientDot(f, List.of(x), 3), List.of(x), 30);
        System.out.printf("grad check instance norm ∘ flip: first order %.2e, second order %.2e%n", first, second);
        assertTrue(first <= TOLERANCE, "first order " + first);
        assertTrue(second <= TOLERANCE, "second order " + second);
    }
}

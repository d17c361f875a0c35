package org.latentmotion.motion.styleinv;

import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * StyleInV's losses in float64 against central finite differences, with respect to every tensor they
 * train: the critic's least-squares loss + R1 (a double backward through the critic) and R1 alone;
 * the generator's adversarial loss + latent regulariser (through the encoder, the AdaIN blocks and
 * the temporal style: motion constant, motion layer, aligner, fusion) and the regulariser alone.
 * The encoder's last layer starts at zero (the identity inversion), where every other layer's
 * gradient is zero; the checks set it to random values first. Errors are relative to the whole
 * gradient's largest entry.
 */
class StyleInVGradientTest {
    static final double TOLERANCE = 1e-6;

    /** A small float64 config: k = 3, windows of 9 frames, 3 sparse frames, Δ = 3, F = 2. */
    static StyleInVConfig tiny64() {
        return StyleInVConfig.laptop().toBuilder().batch(3).windowLength(9).layers(2).width(4).components(3).hidden(5)
                .blocks(2).styleDim(4).motionDim(3).motionDistance(3).frequencies(2).minPeriod(2).maxPeriod(8)
                .sparseFrames(3).maxSpan(8).criticHidden(4).contentBank(3).float64(true).seed(3).build();
    }

    static INDArray gaussian(long seed, long... shape) {
        Random r = new Random(seed);
        INDArray a = Nd4j.create(DataType.DOUBLE, shape);
        for (long k = 0; k < a.length(); k++) {
            a.putScalar(k, r.nextGaussian());
        }
        return a;
    }

    /** A model whose encoder output layer is random (so every generator tensor has a gradient). */
    static StyleInV model(StyleInVConfig c) {
        StyleInV model = StyleInV.create(c);
        var p = model.generatorParameters().parameters();
        p.get("encoder.output.weight").value().assign(gaussian(11, p.get("encoder.output.weight").shape()).muli(0.5));
        p.get("encoder.output.bias").value().assign(gaussian(12, p.get("encoder.output.bias").shape()).muli(0.5));
        return model;
    }

    /** Times 0 < … per clip (fixed), codes and phases drawn from {@code seed}. */
    static MotionDraw draw(StyleInVConfig c, long seed) {
        return MotionDraw.sparse(new Random(seed), c.batch(), c.sparseFrames(), c.maxSpan(), c, DataType.DOUBLE);
    }

    @Test
    void criticLossAndR1MatchFiniteDifferences() {
        StyleInVConfig c = tiny64();
        StyleInV model = model(c);
        int n = c.sparseFrames() + 1;
        INDArray real = gaussian(3, c.batch(), n, c.components());
        INDArray fake = gaussian(4, c.batch(), n, c.components()).muli(0.5);
        int[][] times = draw(c, 5).times();
        List<Var> leaves = model.criticParameters().parameterList();
        Supplier<Var> loss = () -> Autograd.withGrad(() -> model.criticTerms(real, fake, times).loss());
        Supplier<Var> r1 = () -> Autograd.withGrad(() -> model.criticTerms(real, fake, times).r1());
        double err = GradientCheck.maxRelativeError(loss, leaves, 4, true);
        double errR1 = GradientCheck.maxRelativeError(r1, leaves, 4, true);
        double value = r1.get().item();
        System.out.printf("grad check StyleInV critic: loss %.2e, R1 alone %.2e (R1 = %.4f), %d tensors%n", err, errR1,
                value, leaves.size());
        assertTrue(value > 1e-4, "the penalty is active: " + value);
        assertTrue(err <= TOLERANCE, "critic loss " + err);
        assertTrue(errR1 <= TOLERANCE, "R1 " + errR1);
    }

    @Test
    void generatorLossAndLatentRegulariserMatchFiniteDifferences() {
        StyleInVConfig c = tiny64();
        StyleInV model = model(c);
        INDArray x0 = gaussian(6, c.batch(), c.components());
        MotionDraw d = draw(c, 7);
        List<Var> leaves = model.generatorParameters().parameterList();
        Supplier<Var> loss = () -> model.generatorTerms(x0, d).loss();
        Supplier<Var> latent = () -> model.generatorTerms(x0, d).latent();
        double err = GradientCheck.maxRelativeError(loss, leaves, 4, true);
        double errL = GradientCheck.maxRelativeError(latent, leaves, 4, true);
        double perTensor = GradientCheck.maxRelativeError(loss, leaves, 3, false);
        System.out.printf("grad check StyleInV generator: loss %.2e, latent alone %.2e, worst single tensor %.2e"
                + " (%d tensors)%n", err, errL, perTensor, leaves.size());
        assertTrue(err <= TOLERANCE, "generator loss " + err);
        assertTrue(errL <= TOLERANCE, "latent regulariser " + errL);
        assertTrue(perTensor <= 1e-4, "every tensor's own gradient: " + perTensor);
    }
}

package org.latentmotion.motion.styleganv;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.latentmotion.nn.Autograd;
import org.latentmotion.nn.GradientCheck;
import org.latentmotion.nn.Ops;
import org.latentmotion.nn.Var;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * StyleGAN-V's losses in float64 against central finite differences: the critic's non-saturating
 * loss with R1 (a double backward through the critic and its gap conditioning) and R1 alone with
 * respect to every critic tensor, and the generator's loss (through the frame generator, the
 * positional embedding with its aligners and the motion convolutions) with respect to every
 * generator tensor; and the new ops sin, cos and softplus to first and second order. Errors are
 * relative to the whole gradient's largest entry.
 */
class StyleGanVGradientTest {
    static final double TOLERANCE = 1e-6;

    /** A small float64 model: k = 3, windows of 8 frames, codes every 4 frames, 3 frames per clip within 6. */
    static StyleGanVConfig tiny64() {
        return StyleGanVConfig.paper().toBuilder().batch(3).windowLength(8).layers(2).width(4).components(3)
                .motionDim(3).motionKernel(2).codeDistance(4).embeddingFeatures(2).maxPeriod(32).maxTimeOffset(20)
                .generatorHidden(5).criticHidden(4).gapEmbedding(2).framesPerClip(3).maxGap(6).contentBank(4)
                .float64(true).seed(3).build();
    }

    static INDArray gaussian(long seed, long... shape) {
        Random r = new Random(seed);
        INDArray a = Nd4j.create(DataType.DOUBLE, shape);
        for (long k = 0; k < a.length(); k++) {
            a.putScalar(k, r.nextGaussian());
        }
        return a;
    }

    static StyleGanV prepared(StyleGanVConfig c) {
        StyleGanV model = StyleGanV.create(c);
        INDArray windows = gaussian(11, 8, c.windowLength(), c.layers(), c.width());
        for (int d = 0; d < c.layers() * c.width(); d++) {
            windows.reshape('c', 8L * c.windowLength(), (long) c.layers() * c.width()).getColumn(d).muli(Math.pow(0.5, d));
        }
        return model.prepare(windows);
    }

    @Test
    void criticLossAndR1GradientsMatchFiniteDifferences() {
        StyleGanVConfig c = tiny64();
        StyleGanV model = prepared(c);
        ClipDraw draw = ClipDraw.draw(c, new Random(4), c.batch(), DataType.DOUBLE);
        INDArray real = gaussian(1, c.batch(), c.framesPerClip(), c.components());
        INDArray content = gaussian(2, c.batch(), c.components());
        List<Var> leaves = new ArrayList<>(model.criticParameters().parameterList());
        // the loss takes a gradient inside, so even finite-difference evaluations must record
        Supplier<Var> loss = () -> Autograd.withGrad(() -> model.criticTerms(real, content, draw).loss());
        Supplier<Var> r1 = () -> Autograd.withGrad(() -> model.criticTerms(real, content, draw).r1());
        double err = GradientCheck.maxRelativeError(loss, leaves, 4, true);
        double errR1 = GradientCheck.maxRelativeError(r1, leaves, 4, true);
        double perTensor = GradientCheck.maxRelativeError(loss, leaves, 3, false);
        double r1Value = r1.get().item();
        System.out.printf("grad check StyleGAN-V critic: loss %.2e, R1 alone %.2e (R1 = %.4f), worst single tensor %.2e,"
                + " %d tensors%n", err, errR1, r1Value, perTensor, leaves.size());
        assertTrue(r1Value > 1e-5, "R1 is active: " + r1Value);
        assertTrue(err <= TOLERANCE, "critic loss " + err);
        assertTrue(errR1 <= TOLERANCE, "R1 " + errR1);
        assertTrue(perTensor <= 1e-5, "worst single tensor " + perTensor);
    }

    @Test
    void generatorLossGradientsMatchFiniteDifferences() {
        StyleGanVConfig c = tiny64();
        StyleGanV model = prepared(c);
        ClipDraw draw = ClipDraw.draw(c, new Random(5), c.batch(), DataType.DOUBLE);
        INDArray content = gaussian(6, c.batch(), c.components());
        List<Var> leaves = new ArrayList<>(model.generatorParameters().parameterList());
        Supplier<Var> loss = () -> model.generatorLoss(content, draw);
        double err = GradientCheck.maxRelativeError(loss, leaves, 4, true);
        double perTensor = GradientCheck.maxRelativeError(loss, leaves, 3, false);
        System.out.printf("grad check StyleGAN-V generator: loss %.2e, worst single tensor %.2e (%d tensors)%n",
                err, perTensor, leaves.size());
        assertTrue(err <= TOLERANCE, "generator loss " + err);
        // a tensor whose own gradient is tiny (measured 2.4e-5 relative to its largest entry) sees the differences' noise
        assertTrue(perTensor <= 1e-4, "worst single tensor " + perTensor);
    }

    @Test
    void sinCosAndSoftplusMatchFiniteDifferencesFirstAndSecondOrder() {
        INDArray x = gaussian(7, 4, 3).muli(3);
        INDArray r = gaussian(8, 4, 3);
        Function<List<Var>, Var> f = v -> Ops.sumAll(Ops.mul(Ops.add(Ops.softplus(Ops.sin(v.get(0))),
                Ops.mul(Ops.cos(v.get(0)), Ops.softplus(Ops.scale(v.get(0), 20)))), Var.constant(r)));
        double first = GradientCheck.maxRelativeError(f, List.of(x), 30);
        double second = GradientCheck.maxRelativeError(GradientCheck.gradientDot(f, List.of(x), 3), List.of(x), 30);
        System.out.printf("grad check sin, cos, softplus: first order %.2e, second order %.2e%n", first, second);
        assertTrue(first <= TOLERANCE, "first order " + first);
        assertTrue(second <= TOLERANCE, "second order " + second);
        // softplus stays exact where log(1 + e^x) in one piece would overflow or round to 0
        INDArray big = Nd4j.createFromArray(800.0, -700.0, 0.0);
        double[] sp = Ops.softplus(Var.constant(big)).value().toDoubleVector();
        assertTrue(sp[0] == 800.0 && Math.abs(sp[1] / Math.exp(-700) - 1) < 1e-12 && Math.abs(sp[2] - Math.log(2)) < 1e-15,
                java.util.Arrays.toString(sp));
    }
}

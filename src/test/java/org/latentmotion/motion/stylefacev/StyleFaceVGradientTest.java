package org.latentmotion.motion.stylefacev;

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
 * StyleFaceV's losses in float64 against central finite differences, with respect to every tensor
 * they train: the key-point loss (stage 1), the reconstruction + key-point loss (stage 2), the
 * critics' relativistic losses + gradient penalty (a double backward through the 3-D critic) and the
 * penalty alone, the sampler's adversarial + diversity loss (through the LSTM recurrence and both
 * critics) and the diversity alone. Errors are relative to the whole gradient's largest entry.
 */
class StyleFaceVGradientTest {
    static final double TOLERANCE = 1e-6;

    /** A small float64 config: k = 3, windows of 7 frames, P = 3, A = 2, K = 2. */
    static StyleFaceVConfig tiny64() {
        return StyleFaceVConfig.laptop().toBuilder().batch(3).windowLength(7).layers(2).width(4).components(3).hidden(5)
                .appearanceDim(2).poseDim(3).pairGap(2).noiseDim(4).samplerHidden(5).alpha(0.7).criticHidden(4)
                .criticChannels(3).contentBank(3).float64(true).seed(3).build();
    }

    static INDArray gaussian(long seed, long... shape) {
        Random r = new Random(seed);
        INDArray a = Nd4j.create(DataType.DOUBLE, shape);
        for (long k = 0; k < a.length(); k++) {
            a.putScalar(k, r.nextGaussian());
        }
        return a;
    }

    private static StyleFaceV model(StyleFaceVConfig c) {
        return StyleFaceV.create(c, new FirstNumbersKeypoints(0));
    }

    private static List<Var> leaves(org.latentmotion.nn.ParameterSet... sets) {
        List<Var> out = new ArrayList<>();
        for (var s : sets) {
            out.addAll(s.parameterList());
        }
        return out;
    }

    @Test
    void decompositionLossesMatchFiniteDifferences() {
        StyleFaceVConfig c = tiny64();
        StyleFaceV model = model(c);
        INDArray x = gaussian(1, c.batch(), c.windowLength(), c.components());
        INDArray labels = gaussian(2, (long) c.batch() * c.windowLength(), 4);
        List<Var> pose = leaves(model.poseParameters());
        List<Var> all = leaves(model.poseParameters(), model.appearanceParameters());
        Supplier<Var> keypoint = () -> model.keypointLoss(x.reshape(c.batch() * c.windowLength(), c.components()), labels);
        Supplier<Var> stage2 = () -> model.decompositionTerms(x, labels, new int[] {0, 3, 6}).loss();
        Supplier<Var> rec = () -> model.decompositionTerms(x, labels, new int[] {1, 5, 2}).reconstruction();
        double e1 = GradientCheck.maxRelativeError(keypoint, pose, 4, true);
        double e2 = GradientCheck.maxRelativeError(stage2, all, 4, true);
        double e3 = GradientCheck.maxRelativeError(rec, all, 4, true);
        System.out.printf("grad check StyleFaceV: key points %.2e, stage 2 %.2e, reconstruction alone %.2e (%d tensors)%n",
                e1, e2, e3, all.size());
        assertTrue(e1 <= TOLERANCE, "key-point loss " + e1);
        assertTrue(e2 <= TOLERANCE, "stage 2 loss " + e2);
        assertTrue(e3 <= TOLERANCE, "reconstruction " + e3);
    }

    @Test
    void criticLossAndPenaltyMatchFiniteDifferences() {
        StyleFaceVConfig c = tiny64();
        StyleFaceV model = model(c);
        INDArray real = gaussian(3, c.batch(), c.windowLength(), c.poseDim());
        INDArray fake = gaussian(4, c.batch(), c.windowLength(), c.poseDim()).muli(0.5);
        INDArray u = GradientCheck.uniform(5, 0, 1, c.batch());
        List<Var> leaves = leaves(model.criticParameters());
        Supplier<Var> loss = () -> Autograd.withGrad(() -> model.criticTerms(real, fake, u).loss());
        Supplier<Var> gp = () -> Autograd.withGrad(() -> model.criticTerms(real, fake, u).gradientPenalty());
        double err = GradientCheck.maxRelativeError(loss, leaves, 4, true);
        double errGp = GradientCheck.maxRelativeError(gp, leaves, 4, true);
        double value = gp.get().item();
        System.out.printf("grad check StyleFaceV critics: loss %.2e, GP alone %.2e (GP = %.4f), %d tensors%n", err, errGp,
                value, leaves.size());
        assertTrue(value > 1e-3, "the penalty is active: " + value);
        assertTrue(err <= TOLERANCE, "critic loss " + err);
        assertTrue(errGp <= TOLERANCE, "gradient penalty " + errGp);
    }

    @Test
    void samplerLossAndDiversityMatchFiniteDifferences() {
        StyleFaceVConfig c = tiny64();
        StyleFaceV model = model(c);
        INDArray real = gaussian(6, c.batch(), c.windowLength(), c.poseDim());
        INDArray noise = gaussian(7, c.batch(), c.windowLength() - 1, c.noiseDim());
        List<Var> leaves = leaves(model.samplerParameters());
        Supplier<Var> loss = () -> model.samplerTerms(real, noise).loss();
        Supplier<Var> diversity = () -> model.samplerTerms(real, noise).diversity();
        double err = GradientCheck.maxRelativeError(loss, leaves, 4, true);
        double errD = GradientCheck.maxRelativeError(diversity, leaves, 4, true);
        double perTensor = GradientCheck.maxRelativeError(loss, leaves, 3, false);
        System.out.printf("grad check StyleFaceV sampler: loss %.2e, diversity alone %.2e, worst single tensor %.2e"
                + " (%d tensors)%n", err, errD, perTensor, leaves.size());
        assertTrue(err <= TOLERANCE, "sampler loss " + err);
        assertTrue(errD <= TOLERANCE, "diversity " + errD);
    }
}

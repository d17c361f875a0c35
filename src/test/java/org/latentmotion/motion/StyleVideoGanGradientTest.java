package org.latentmotion.motion;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.latentmotion.nn.Autograd;
import org.latentmotion.nn.GradientCheck;
import org.latentmotion.nn.Mode;
import org.latentmotion.nn.Ops;
import org.latentmotion.nn.Var;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The losses of StyleVideoGan in float64 against central finite differences: WGAN-GP (double
 * backprop through the critic) with respect to every critic parameter tensor, and the generator
 * loss with the gradient angle penalty (double backprop through H, P and T) with respect to
 * every generator parameter tensor.
 *
 * <p>The full losses are checked with λ_GP = λ_GAP = 1 (the code path is the same for any λ):
 * with the paper's λ the loss values are ~50–100 and the rounding noise of the finite differences
 * exceeds 1e-6 of the smallest parameter tensors' gradients. Each penalty is also checked on its
 * own. The error is relative to the whole gradient's largest entry (see
 * {@link GradientCheck#maxRelativeError(Supplier, List, int, boolean)}); the per-tensor figure is
 * printed beside it.
 */
class StyleVideoGanGradientTest {
    static final double TOLERANCE = 1e-6;

    static StyleVideoGanConfig tiny64() {
        return StyleVideoGanTest.tiny().toBuilder().float64(true).lambdaGp(1).lambdaGap(1).build();
    }

    /** Two recurrent steps and a batch of 3 keep the double-backprop checks of all 46 tensors short. */
    static StyleVideoGanConfig tinier64() {
        return tiny64().toBuilder().batch(3).windowLength(3).build();
    }

    static INDArray gaussian(long seed, long... shape) {
        Random r = new Random(seed);
        INDArray a = Nd4j.create(DataType.DOUBLE, shape);
        for (long k = 0; k < a.length(); k++) {
            a.putScalar(k, r.nextGaussian());
        }
        return a;
    }

    @Test
    void wganGpLossGradientMatchesFiniteDifferences() {
        checkWganGp(tiny64());
    }

    @Test
    void wganGpLossGradientMatchesFiniteDifferencesWithFrameChangesInMotionSpace() {
        checkWganGp(tiny64().toBuilder().motionComponents(5).criticDifferences(true).build());
    }

    @Test
    void wganGpLossGradientMatchesFiniteDifferencesWithTheSpectralHead() {
        // the spectral head on the frames alone, and beside the whitened changes (the penalty then reads both)
        checkWganGp(tiny64().toBuilder().motionComponents(5).spectralCritic(true).build());
        checkWganGp(tiny64().toBuilder().motionComponents(5).criticDifferences(true).spectralCritic(true).build());
    }

    private static void checkWganGp(StyleVideoGanConfig c) {
        StyleVideoGan gan = StyleVideoGan.create(c);
        int rows = c.batch() * c.windowLength();
        int f = c.features();
        INDArray real = gaussian(1, rows, f);
        INDArray fake = gaussian(2, rows, f).muli(0.5);
        INDArray eps = GradientCheck.uniform(3, 0, 1, c.batch());
        List<Var> leaves = new ArrayList<>(gan.criticParameters().parameterList());
        // the losses take a gradient inside, so even finite-difference evaluations must record
        Supplier<Var> loss = () -> Autograd.withGrad(() -> gan.criticTerms(real, Var.constant(fake), eps).loss());
        Supplier<Var> gpOnly = () -> Autograd.withGrad(() -> gan.criticTerms(real, Var.constant(fake), eps).gradientPenalty());
        double err = GradientCheck.maxRelativeError(loss, leaves, 4, true);
        double errGp = GradientCheck.maxRelativeError(gpOnly, leaves, 3, true);
        double perTensor = GradientCheck.maxRelativeError(loss, leaves, 4, false);
        double gp = gpOnly.get().item();
        System.out.printf("grad check WGAN-GP loss: max rel err %.2e (GP term alone %.2e, GP = %.4f) over %d critic tensors;"
                + " worst single tensor %.2e%n", err, errGp, gp, leaves.size(), perTensor);
        assertTrue(gp > 1e-3, "the penalty is active: " + gp);
        assertTrue(err <= TOLERANCE, "WGAN-GP " + err);
        assertTrue(errGp <= TOLERANCE, "GP " + errGp);
    }

    /** The tiny model in a motion space of 5, with a span critic reading 4 of 7 frames. */
    static StyleVideoGanConfig spanned64() {
        return tiny64().toBuilder().motionComponents(5).criticDifferences(true).spanFrames(7).spanPoints(4).build();
    }

    @Test
    void spanCriticLossGradientMatchesFiniteDifferences() {
        // WGAN-GP of the span critic: its gradient penalty is a double backward through the frame and joint MLPs
        StyleVideoGanConfig c = spanned64();
        StyleVideoGan gan = StyleVideoGan.create(c);
        int rows = c.batch() * c.spanPoints();
        INDArray real = gaussian(1, rows, c.features());
        INDArray fake = gaussian(2, rows, c.features()).muli(0.5);
        INDArray eps = GradientCheck.uniform(3, 0, 1, c.batch());
        int[] offsets = {0, 2, 3, 6};
        List<Var> leaves = new ArrayList<>(gan.criticParameters().parameterList());
        Supplier<Var> loss = () -> Autograd.withGrad(() -> AdversarialLosses.span(gan.spanCritic(), c.lambdaGp(), real,
                Var.constant(fake), eps, offsets).loss());
        Supplier<Var> gpOnly = () -> Autograd.withGrad(() -> AdversarialLosses.span(gan.spanCritic(), c.lambdaGp(), real,
                Var.constant(fake), eps, offsets).gradientPenalty());
        double err = GradientCheck.maxRelativeError(loss, leaves, 4, true);
        double errGp = GradientCheck.maxRelativeError(gpOnly, leaves, 3, true);
        double gp = gpOnly.get().item();
        System.out.printf("grad check span critic WGAN-GP: max rel err %.2e (GP alone %.2e, GP = %.4f)%n", err, errGp, gp);
        assertTrue(gp > 1e-3, "the penalty is active: " + gp);
        assertTrue(err <= TOLERANCE, "span WGAN-GP " + err);
        assertTrue(errGp <= TOLERANCE, "span GP " + errGp);
    }

    @Test
    void spanGeneratorLossGradientMatchesFiniteDifferencesThroughTheWholeSpan() {
        // −D_span of generated spans: back through the mapper at the picked frames and the recurrence over all six steps
        // of the span; the states it starts from are constants (truncated backpropagation), here those after 3 steps
        StyleVideoGanConfig c = spanned64().toBuilder().batch(3).windowLength(3).build();
        StyleVideoGan gan = StyleVideoGan.create(c);
        gan.fitNormalization(gaussian(4, 20, c.layers(), c.width()));
        Var[] start = Autograd.noGrad(() -> gan.generator().statesAfter(Var.constant(gaussian(5, c.batch(), c.latentDim())),
                Var.constant(gaussian(6, c.batch(), 3L * c.latentDim())), Mode.TRAIN_FROZEN));
        INDArray noise = gaussian(7, c.batch(), (long) (c.spanFrames() - 1) * c.latentDim());
        int[] offsets = {0, 1, 4, 6};
        List<Var> leaves = new ArrayList<>(gan.generatorParameters().parameterList());
        Supplier<Var> loss = () -> Autograd.withGrad(() -> gan.spanGeneratorLoss(start, noise, offsets));
        double err = GradientCheck.maxRelativeError(loss, leaves, 2, true);
        double perTensor = GradientCheck.maxRelativeError(loss, leaves, 2, false);
        System.out.printf("grad check span generator loss: max rel err %.2e, worst single tensor %.2e (%d generator tensors)%n",
                err, perTensor, leaves.size());
        assertTrue(err <= TOLERANCE, "span generator loss " + err);
    }

    @Test
    void truncatedSpanKeepsTheCodesAndCutsOnlyTheGradientThroughTheEarlyRecurrence() {
        // spanBackpropFrames = 3 of a 12-frame span: the codes are the untruncated ones; the mapper's gradient (which
        // no frame's recurrence feeds) matches finite differences; the GRU's differs from the untruncated gradient
        StyleVideoGanConfig full = spanned64().toBuilder().batch(3).windowLength(3).spanFrames(12).build();
        StyleVideoGanConfig cut = full.toBuilder().spanBackpropFrames(3).build();
        StyleVideoGan a = StyleVideoGan.create(full);
        StyleVideoGan t = StyleVideoGan.create(cut);
        for (StyleVideoGan g : List.of(a, t)) {
            g.fitNormalization(gaussian(4, 20, full.layers(), full.width()));
        }
        Var[] start = Autograd.noGrad(() -> t.generator().statesAfter(Var.constant(gaussian(5, full.batch(), full.latentDim())),
                Var.constant(gaussian(6, full.batch(), 3L * full.latentDim())), Mode.TRAIN_FROZEN));
        INDArray noise = gaussian(7, full.batch(), 11L * full.latentDim());
        int[] offsets = {0, 4, 9, 11};
        Var codesFull = Autograd.noGrad(() -> t.generator().spanCodes(start, Var.constant(noise), offsets, Mode.TRAIN_FROZEN));
        Var codesCut = Autograd.noGrad(() -> t.generator().spanCodes(start, Var.constant(noise), offsets, Mode.TRAIN_FROZEN, 3));
        assertTrue(codesFull.value().equalsWithEps(codesCut.value(), 1e-12), "the same codes");

        Map<String, Var> params = t.generatorParameters().parameters();
        List<Var> mapper = new ArrayList<>();
        params.forEach((name, v) -> {
            if (name.startsWith("mapper.")) {
                mapper.add(v);
            }
        });
        Supplier<Var> loss = () -> Autograd.withGrad(() -> t.spanGeneratorLoss(start, noise, offsets));
        double err = GradientCheck.maxRelativeError(loss, mapper, 2, true);
        System.out.printf("grad check truncated span loss, mapper: max rel err %.2e (%d tensors)%n", err, mapper.size());
        assertTrue(err <= TOLERANCE, "mapper gradient through a truncated span " + err);

        // same weights in both models: the untruncated loss's gradient on the first GRU cell differs (frames 1 … 8 feed it)
        a.generatorParameters().parameters().forEach((name, v) -> v.value().assign(params.get(name).value()));
        a.criticParameters().parameters().forEach((name, v) -> v.value().assign(t.criticParameters().parameters().get(name).value()));
        Var w = params.get("producer.gru0.weight_hh");
        Var wFull = a.generatorParameters().parameters().get("producer.gru0.weight_hh");
        INDArray gCut = Autograd.grad(Autograd.withGrad(() -> t.spanGeneratorLoss(start, noise, offsets)), List.of(w), false)
                .get(0).value();
        INDArray gFull = Autograd.grad(Autograd.withGrad(() -> a.spanGeneratorLoss(start, noise, offsets)), List.of(wFull), false)
                .get(0).value();
        double diff = gFull.sub(gCut).norm2Number().doubleValue();
        System.out.printf("GRU cell 0 W_hh gradient: |full| %.3e, |truncated| %.3e, |difference| %.3e%n",
                gFull.norm2Number().doubleValue(), gCut.norm2Number().doubleValue(), diff);
        assertTrue(gCut.norm2Number().doubleValue() > 0 && diff > 1e-3 * gFull.norm2Number().doubleValue(),
                "the truncated gradient reaches the last frames' recurrence, not the earlier ones'");
    }

    @Test
    void gradientAnglePenaltyGradientMatchesFiniteDifferences() {
        StyleVideoGanConfig c = tinier64();
        StyleVideoGan gan = StyleVideoGan.create(c);
        gan.fitNormalization(gaussian(4, 10, c.layers(), c.width()));
        Var i = Var.input(gaussian(5, c.batch(), c.latentDim()));
        Var s = Var.input(gaussian(6, c.batch(), (long) (c.windowLength() - 1) * c.latentDim()));
        List<Var> leaves = new ArrayList<>(gan.generatorParameters().parameterList());
        Supplier<Var> gap = () -> Autograd.withGrad(() -> gan.generatorTerms(i, s, Mode.TRAIN_FROZEN, false).angle().loss());
        Supplier<Var> total = () -> Autograd.withGrad(() -> gan.generatorTerms(i, s, Mode.TRAIN_FROZEN, false).loss());
        double value = gap.get().item();
        double errGap = GradientCheck.maxRelativeError(gap, leaves, 2, true);
        double errTotal = GradientCheck.maxRelativeError(total, leaves, 2, true);
        double perTensor = GradientCheck.maxRelativeError(gap, leaves, 2, false);
        System.out.printf("grad check GAP: L_GAP = %.4f, max rel err %.2e; generator loss (−D + L_GAP) %.2e (%d generator tensors);"
                + " L_GAP worst single tensor %.2e%n", value, errGap, errTotal, leaves.size(), perTensor);
        assertTrue(value > 0, "the hinge is active at this point: " + value);
        assertTrue(errGap <= TOLERANCE, "L_GAP " + errGap);
        assertTrue(errTotal <= TOLERANCE, "generator loss " + errTotal);
    }

    @Test
    void generatorLossGradientMatchesFiniteDifferencesThroughTheSpectralHead() {
        // −D(G(i, s)) + L_GAP with D's spectral head: the generator's gradient runs through the DFT and the amplitude
        StyleVideoGanConfig c = tinier64().toBuilder().windowLength(6).motionComponents(5).criticDifferences(true)
                .spectralCritic(true).build();
        StyleVideoGan gan = StyleVideoGan.create(c);
        gan.fitNormalization(gaussian(4, 20, c.layers(), c.width()));
        Var i = Var.input(gaussian(5, c.batch(), c.latentDim()));
        Var s = Var.input(gaussian(6, c.batch(), (long) (c.windowLength() - 1) * c.latentDim()));
        List<Var> leaves = new ArrayList<>(gan.generatorParameters().parameterList());
        Supplier<Var> adversarial = () -> Autograd.withGrad(() -> gan.generatorTerms(i, s, Mode.TRAIN_FROZEN, false).adversarial());
        Supplier<Var> total = () -> Autograd.withGrad(() -> gan.generatorTerms(i, s, Mode.TRAIN_FROZEN, false).loss());
        double errAdversarial = GradientCheck.maxRelativeError(adversarial, leaves, 2, true);
        double errTotal = GradientCheck.maxRelativeError(total, leaves, 2, true);
        System.out.printf("grad check generator loss with the spectral head: −D max rel err %.2e, −D + L_GAP %.2e"
                + " (%d generator tensors)%n", errAdversarial, errTotal, leaves.size());
        assertTrue(errAdversarial <= TOLERANCE, "−D " + errAdversarial);
        assertTrue(errTotal <= TOLERANCE, "generator loss " + errTotal);
    }

    @Test
    void spectralHeadReadsARhythmAsOneBinAndIgnoresAConstant() {
        // 2 cycles per window in component 0, a constant offset in component 1: the amplitude sits at bin 2 of
        // component 0 (and its Hann neighbours), component 1 stays at the floor √ε (the window mean is removed)
        StyleVideoGanConfig c = tiny64().toBuilder().windowLength(8).motionComponents(2).spectralCritic(true).build();
        SpectralHead head = new SpectralHead(c, new org.latentmotion.nn.ParameterSet(DataType.DOUBLE, 1),
                org.latentmotion.nn.Init.pytorch());
        INDArray x = Nd4j.create(DataType.DOUBLE, 8, 2);
        for (int s = 0; s < 8; s++) {
            x.putScalar(s, 0, Math.cos(2 * Math.PI * 2 * s / 8));
            x.putScalar(s, 1, 3.0);
        }
        INDArray a = head.amplitudes(Var.constant(x)).value();
        int bins = head.bins();
        double floor = Math.sqrt(SpectralHead.AMPLITUDE_EPS);
        System.out.println("spectral head amplitudes (component 0 then 1, bins 1…" + bins + "): " + a);
        assertTrue(bins == 4, "bins " + bins);
        // a Hann window spreads a rhythm over its bin and the two beside it, at half the amplitude
        assertTrue(a.getDouble(0, 1) > 1.9 * a.getDouble(0, 0) && a.getDouble(0, 1) > 1.9 * a.getDouble(0, 2),
                "the rhythm's bin is the loudest: " + a);
        assertTrue(a.getDouble(0, 3) < 2 * floor, "nothing at the Nyquist bin: " + a);
        for (int k = 0; k < bins; k++) {
            assertTrue(Math.abs(a.getDouble(0, bins + k) - floor) < 1e-9, "a constant has no spectrum: " + a);
        }
    }

    @Test
    void angleGradientsWithRespectToNoiseMatchFiniteDifferences() {
        // ∂d/∂s and ∂d/∂i themselves (the first backprop of the penalty)
        StyleVideoGanConfig c = tiny64();
        StyleVideoGan gan = StyleVideoGan.create(c);
        INDArray i0 = gaussian(5, c.batch(), c.latentDim());
        INDArray s0 = gaussian(6, c.batch(), (long) (c.windowLength() - 1) * c.latentDim());
        double err = GradientCheck.maxRelativeError(v -> {
            Generator.Output out = gan.generator().forward(v.get(0), v.get(1), Mode.TRAIN_FROZEN);
            Var diff = Ops.sub(out.lastLatent(), out.firstLatent());
            return Ops.sumAll(Ops.sqrt(Ops.sum(Ops.square(diff), 1)));
        }, List.of(i0, s0), 40);
        System.out.printf("grad check d wrt (i, s): max rel err %.2e%n", err);
        assertTrue(err <= TOLERANCE, "d " + err);
        assertTrue(Autograd.recording());
        assertTrue(Map.of().isEmpty());
    }
}

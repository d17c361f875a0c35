package org.latentmotion.motion;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.latentmotion.nn.Adam;
import org.latentmotion.nn.Autograd;
import org.latentmotion.nn.Scope;
import org.latentmotion.nn.Var;
import org.latentmotion.toy.TalkingHead;
import org.latentmotion.toy.FaceCodec;
import org.latentmotion.toy.ToyWorld;
import org.latentmotion.wplus.Windows;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The regression guard of the shaking-head diagnosis (issue 13): a generator only learns what its
 * critic can tell apart. Trained alone on real windows against the same windows with the head's
 * yaw jittered from frame to frame (13× the data's change per frame, every single frame still
 * plausible), {@code small()}'s critic started with Kaiming weights must separate them within 60
 * steps; with PyTorch's default start (the paper's reading) it could not (Wasserstein estimate
 * 18.7 against 0.045 in this test on this machine). The test checks both, so it fails if the
 * critic goes blind to motion again.
 */
class CriticSeesMotionTest {
    static final int STEPS = 60;

    @Test
    void aKaimingStartedCriticLearnsToSeeAShakingHeadWhereThePyTorchDefaultStartDoesNot() {
        TalkingHead data = ToyWorld.talkingHead().actor(7).minutes(1).generate();
        Windows windows = data.windows(25);
        // the same critic, learning rate and data; only the initial weights differ
        StyleVideoGanConfig pytorch = StyleVideoGanConfig.small().toBuilder().learningRate(0.001).build();
        double kaiming = wassersteinAfterTraining(pytorch.toBuilder().kaimingInit(true).build(), data, windows);
        double defaults = wassersteinAfterTraining(pytorch, data, windows);
        System.out.printf("critic, real vs shaking head after %d steps: Wasserstein estimate Kaiming start %.3f, PyTorch start %.3f%n",
                STEPS, kaiming, defaults);
        // measured 1.4-24.5 over runs (multi-threaded reductions are not bit-reproducible and 60 GAN steps amplify
        // that), and in every run at least 13 times PyTorch's start, which reads 0.02-0.18
        assertTrue(kaiming > 1.0, "a Kaiming-started critic should tell a shaking head from the real one: estimate " + kaiming);
        assertTrue(kaiming > 5 * Math.max(defaults, 0.01), "and far better than PyTorch's default start: " + kaiming + " vs " + defaults);
    }

    /**
     * With frame-to-frame changes as inputs of their own (criticDifferences), the gradient penalty is
     * taken at those inputs, so the critic is 1-Lipschitz in a metric where a change counts in units of
     * the data's changes. A critic 1-Lipschitz in the standardised frames themselves can separate real
     * from shaken windows by at most their distance there, ‖x − x'‖; this one must beat that bound
     * several times over, or a shaking head is again worth a few hundredths (issue 13).
     */
    @Test
    void withFrameChangesTheCriticOutgrowsWhatTheFrameMetricAllows() {
        TalkingHead data = ToyWorld.talkingHead().actor(7).minutes(1).generate();
        Windows windows = data.windows(25);
        StyleVideoGanConfig config = StyleVideoGanConfig.laptop();
        StyleVideoGan gan = StyleVideoGan.create(config);
        double w = wassersteinAfterTraining(gan, config, data, windows);
        int[] held = new int[32];
        for (int k = 0; k < held.length; k++) {
            held[k] = windows.size() / 2 + k * (windows.size() / 2) / held.length;
        }
        INDArray real = windows.batch(held);
        INDArray shaken = shakeYaw(real, new Random(9));
        int t = config.windowLength();
        int f = config.layers() * config.width();
        INDArray a = gan.standardize(real.reshape('c', (long) held.length * t, f)).reshape('c', held.length, (long) t * config.features());
        INDArray c = gan.standardize(shaken.reshape('c', (long) held.length * t, f)).reshape('c', held.length, (long) t * config.features());
        double frameBound = a.sub(c).norm2(1).meanNumber().doubleValue();
        System.out.printf("critic with frame changes, real vs shaking head after %d steps: Wasserstein estimate %.3f,"
                + " bound for a critic 1-Lipschitz in the frames %.3f%n", STEPS, w, frameBound);
        assertTrue(w > 3 * frameBound, "estimate " + w + " against the frame metric's bound " + frameBound);
    }

    /** Mean D(real) − D(shaken) on held-out windows after STEPS critic-only steps. */
    static double wassersteinAfterTraining(StyleVideoGanConfig config, TalkingHead data, Windows windows) {
        return wassersteinAfterTraining(StyleVideoGan.create(config), config, data, windows);
    }

    static double wassersteinAfterTraining(StyleVideoGan gan, StyleVideoGanConfig config, TalkingHead data, Windows windows) {
        INDArray frames = data.allFrames().codes();
        gan.fitNormalization(frames.get(NDArrayIndex.interval(0, 3, frames.size(0)), NDArrayIndex.all(), NDArrayIndex.all()).dup('c'));
        if (config.criticDifferences()) {
            int[] some = new int[64];
            for (int k = 0; k < some.length; k++) {
                some[k] = k * (windows.size() / 2) / some.length;
            }
            gan.fitChangeWhitening(windows.batch(some));
        }
        Adam adam = new Adam(gan.criticParameters(), config.lrCritic(), config.beta1(), config.beta2(), 1e-8);
        Random r = new Random(1);
        int f = config.layers() * config.width();
        int b = 16;
        int t = config.windowLength();
        for (int step = 0; step < STEPS; step++) {
            int[] batch = new int[b];
            for (int k = 0; k < b; k++) {
                batch[k] = r.nextInt(windows.size() / 2); // train on the first half, measure on the second
            }
            INDArray real = windows.batch(batch);
            INDArray shaken = shakeYaw(real, r);
            try (Scope s = Scope.open()) {
                INDArray eps = Nd4j.rand(DataType.FLOAT, b);
                var terms = gan.criticTerms(gan.standardize(real.reshape('c', (long) b * t, f)),
                        Var.constant(gan.standardize(shaken.reshape('c', (long) b * t, f))), eps);
                List<Var> grads = Autograd.grad(terms.loss(), gan.criticParameters().parameterList(), false);
                adam.step(grads);
            }
        }
        int[] held = new int[32];
        for (int k = 0; k < held.length; k++) {
            held[k] = windows.size() / 2 + k * (windows.size() / 2) / held.length;
        }
        INDArray real = windows.batch(held);
        double[] dr = gan.criticScores(real);
        double[] ds = gan.criticScores(shakeYaw(real, r));
        double w = 0;
        for (int k = 0; k < dr.length; k++) {
            w += (dr[k] - ds[k]) / dr.length;
        }
        return w;
    }

    /** Adds white noise of 0.14 latent units (about 0.05 rad) along yaw's direction in each of its layers, per frame. */
    static INDArray shakeYaw(INDArray real, Random r) {
        INDArray out = real.dup('c');
        FaceCodec face = FaceCodec.spec();
        INDArray dir = face.direction("yaw").castTo(out.dataType());
        int[] layers = face.parameter("yaw").layers();
        for (int b = 0; b < real.size(0); b++) {
            for (int t = 0; t < real.size(1); t++) {
                double delta = 0.14 * r.nextGaussian();
                for (int l : layers) {
                    out.get(NDArrayIndex.point(b), NDArrayIndex.point(t), NDArrayIndex.point(l)).addi(dir.mul(delta));
                }
            }
        }
        return out;
    }
}

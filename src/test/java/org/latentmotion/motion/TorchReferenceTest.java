package org.latentmotion.motion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.latentmotion.nn.Autograd;
import org.latentmotion.nn.Mode;
import org.latentmotion.nn.Scope;
import org.latentmotion.nn.Var;
import org.latentmotion.wplus.Npz;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Java StyleVideoGan against an independent PyTorch implementation of the same architecture
 * and losses ({@code bench/torch/stylevideogan.py}): with the same weights and inputs, one critic
 * step's WGAN-GP terms and one generator step's adversarial + gradient-angle terms, and the
 * gradients of both losses with respect to every parameter, agree (float64 on both sides).
 *
 * <p>Fixtures in {@code src/test/resources/motion/reference/}: {@code gan.npz} (written by
 * {@link StyleVideoGan#save}), {@code inputs.npz} (written here) and {@code torch.npz} (written
 * by {@code bench/torch/make_gan_reference.py}). To regenerate:
 * <pre>
 * mvn -o -Dlm.build=target-x test -Dtest=TorchReferenceTest -Dlm.writeFixtures=true
 * /usr/bin/python3 bench/torch/make_gan_reference.py
 * </pre>
 */
class TorchReferenceTest {
    static final Path DIR = Path.of("src/test/resources/motion/reference");

    static StyleVideoGanConfig config() {
        return tiny(StyleVideoGanConfig.small()).build();
    }

    /** A preset at the fixtures' tiny sizes, in float64 (the Python side reads these from the saved model). */
    static StyleVideoGanConfig.Builder tiny(StyleVideoGanConfig preset) {
        return preset.toBuilder().batch(3).windowLength(10).layers(2).width(8).latentDim(4)
                .hallucinatorWidth(6).mapperWidth(8).criticWidth(8).criticFeatures(4).criticChannels(3)
                .seed(17).float64(true);
    }

    @Test
    @EnabledIfSystemProperty(named = "lm.writeFixtures", matches = "true")
    void writeFixtures() throws Exception {
        StyleVideoGanConfig c = config();
        StyleVideoGan gan = StyleVideoGan.create(c);
        Random r = new Random(99);
        int b = c.batch();
        int t = c.windowLength();
        int f = c.layers() * c.width();
        INDArray real = gaussian(r, b, t, c.layers(), c.width()).muli(0.7).addi(0.3);
        gan.fitNormalization(real);
        // move the batch-norm running statistics and the GAP statistics away from their initial values
        gan.criticStep(real, 5);
        gan.generatorStep(6);
        Files.createDirectories(DIR);
        gan.save(DIR.resolve("gan.npz"));
        Map<String, INDArray> in = new LinkedHashMap<>();
        in.put("real", real);
        in.put("critic_i", gaussian(r, b, c.latentDim()));
        in.put("critic_s", gaussian(r, b, (long) (t - 1) * c.latentDim()));
        INDArray eps = Nd4j.create(DataType.DOUBLE, b);
        for (int k = 0; k < b; k++) {
            eps.putScalar(k, r.nextDouble());
        }
        in.put("critic_eps", eps);
        in.put("generator_i", gaussian(r, b, c.latentDim()));
        in.put("generator_s", gaussian(r, b, (long) (t - 1) * c.latentDim()));
        Npz.write(DIR.resolve("inputs.npz"), in);
        assertTrue(Files.size(DIR.resolve("gan.npz")) > 0 && f > 0);
    }

    static INDArray gaussian(Random r, long... shape) {
        INDArray a = Nd4j.create(DataType.DOUBLE, shape);
        long n = a.length();
        for (long k = 0; k < n; k++) {
            a.putScalar(k, r.nextGaussian());
        }
        return a;
    }

    /** Max |a − b| / max(1, max |b|): relative to the reference's scale, absolute near zero. */
    static double error(INDArray a, INDArray b) {
        INDArray x = a.castTo(DataType.DOUBLE).reshape(a.length());
        INDArray y = b.castTo(DataType.DOUBLE).reshape(b.length());
        assertEquals(y.length(), x.length(), "element count");
        double scale = Math.max(1e-3, y.amaxNumber().doubleValue());
        return x.sub(y).amaxNumber().doubleValue() / scale;
    }

    @Test
    void criticAndGeneratorStepsMatchPyTorch() {
        Map<String, INDArray> in = Npz.read(DIR.resolve("inputs.npz"));
        Map<String, INDArray> torch = Npz.read(DIR.resolve("torch.npz"));
        StyleVideoGan gan = StyleVideoGan.load(DIR.resolve("gan.npz"));
        StyleVideoGanConfig c = gan.config();
        int b = c.batch();
        int t = c.windowLength();
        int f = c.layers() * c.width();
        double tol = 1e-9;
        double worst = 0;
        try (Scope scope = Scope.open()) {
            // critic: fakes in training mode without moving running statistics, then WGAN-GP
            Var fake = Autograd.noGrad(() -> gan.generator().forward(Var.constant(in.get("critic_i")),
                    Var.constant(in.get("critic_s")), Mode.TRAIN_FROZEN).codes());
            worst = Math.max(worst, check("critic fake codes", fake.value(), torch.get("critic.fake"), tol));
            INDArray realStd = gan.standardize(in.get("real").reshape('c', (long) b * t, f));
            AdversarialLosses.CriticTerms ct = gan.criticTerms(realStd, fake, in.get("critic_eps"));
            worst = Math.max(worst, check("critic loss", ct.loss().value(), torch.get("critic.loss"), tol));
            worst = Math.max(worst, check("wasserstein", ct.wasserstein().value(), torch.get("critic.wasserstein"), tol));
            worst = Math.max(worst, check("gradient penalty", ct.gradientPenalty().value(), torch.get("critic.gp"), tol));
            Map<String, Var> cp = gan.criticParameters().parameters();
            List<Var> cgrads = Autograd.grad(ct.loss(), List.copyOf(cp.values()), false);
            int k = 0;
            for (String name : cp.keySet()) {
                worst = Math.max(worst, check("critic grad " + name, cgrads.get(k++).value(),
                        torch.get("critic.grad." + name), tol));
            }
            // generator: adversarial + λ_GAP·L_GAP at the stored GAP statistics
            Var i = Var.input(in.get("generator_i"));
            Var s = Var.input(in.get("generator_s"));
            AdversarialLosses.GeneratorTerms gt = gan.generatorTerms(i, s, Mode.TRAIN_FROZEN, false);
            worst = Math.max(worst, check("generator loss", gt.loss().value(), torch.get("generator.loss"), tol));
            worst = Math.max(worst, check("GAP", gt.angle().loss().value(), torch.get("generator.gap"), tol));
            worst = Math.max(worst, check("phi", gt.angle().phi().value(), torch.get("generator.phi"), tol));
            worst = Math.max(worst, check("|dd/ds|", gt.angle().normS().value(), torch.get("generator.norm_s"), tol));
            worst = Math.max(worst, check("|dd/di|", gt.angle().normI().value(), torch.get("generator.norm_i"), tol));
            Map<String, Var> gp = gan.generatorParameters().parameters();
            List<Var> ggrads = Autograd.grad(gt.loss(), List.copyOf(gp.values()), false);
            k = 0;
            for (String name : gp.keySet()) {
                worst = Math.max(worst, check("generator grad " + name, ggrads.get(k++).value(),
                        torch.get("generator.grad.generator." + name), tol));
            }
        }
        System.out.printf("TorchReferenceTest: worst relative difference Java vs PyTorch (float64) = %.3g%n", worst);
    }

    static double check(String what, INDArray java, INDArray torch, double tol) {
        if (torch == null) {
            throw new AssertionError("torch.npz has no entry for " + what);
        }
        double e = error(java, torch);
        assertTrue(e <= tol, what + ": Java and PyTorch differ by " + e + " (relative), tolerance " + tol);
        return e;
    }
}

package org.latentmotion.motion;

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
import org.latentmotion.nn.ParameterSet;
import org.latentmotion.nn.Scope;
import org.latentmotion.nn.Var;
import org.latentmotion.wplus.Npz;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The fixture that checks the idiomatic PyTorch model ({@code bench/torch/stylevideogan_idiomatic.py}, run by
 * {@code bench/torch/check_idiomatic.py}) against Java at {@code laptop()}'s features, which the transcription
 * {@code stylevideogan.py} does not have: the motion space, the critic reading whitened frame-to-frame changes, the
 * spectral critic head, Kaiming initialisation, windows resumed later in a training horizon and smooth step noise. A
 * tiny {@code laptop()} in float64; in {@code src/test/resources/motion/reference/laptop/}: {@code gan.npz} (the
 * model after one critic and one generator step, written by {@link StyleVideoGan#save}), {@code inputs.npz} (real
 * windows and noise) and {@code java.npz} (Java's loss terms and every parameter gradient on those inputs, for windows
 * at frame 0 and resumed at frame {@value #START}, and a smooth noise draw with the white noise it was made from).
 * Every build checks that Java still computes {@code java.npz}, so the PyTorch check compares against the Java of
 * today. To regenerate:
 * <pre>
 * mvn -o -Dlm.build=target-x test -Dtest=LaptopTorchReferenceTest -Dlm.writeFixtures=true
 * /usr/bin/python3 bench/torch/check_idiomatic.py
 * </pre>
 */
class LaptopTorchReferenceTest {
    static final Path DIR = TorchReferenceTest.DIR.resolve("laptop");
    /** Where the resumed windows start in their sequences. */
    static final int START = 4;

    static StyleVideoGanConfig config() {
        // whiteNoise 0.25 (laptop(): 0) so that the noise has a white channel beside the smooth ones
        return TorchReferenceTest.tiny(StyleVideoGanConfig.laptop())
                .motionComponents(3).trainingHorizon(16).noiseSmoothing(3).whiteNoise(0.25).build();
    }

    @Test
    @EnabledIfSystemProperty(named = "lm.writeFixtures", matches = "true")
    void writeFixtures() throws Exception {
        StyleVideoGanConfig c = config();
        StyleVideoGan gan = StyleVideoGan.create(c);
        Random r = new Random(98);
        int b = c.batch();
        int t = c.windowLength();
        int lat = c.latentDim();
        // float32 values: the motion space is fitted from float32 frames, so both sides fit the same numbers
        INDArray real = TorchReferenceTest.gaussian(r, b, t, c.layers(), c.width()).muli(0.7).addi(0.3)
                .castTo(DataType.FLOAT).castTo(DataType.DOUBLE);
        gan.fitNormalization(real);
        gan.fitChangeWhitening(real);
        // move the weights, the batch-norm running statistics and the GAP statistics away from their initial values
        gan.criticStep(real, 5);
        gan.generatorStep(6);
        Files.createDirectories(DIR);
        gan.save(DIR.resolve("gan.npz"));
        Map<String, INDArray> in = new LinkedHashMap<>();
        in.put("real", real);
        for (String step : List.of("critic", "generator")) {
            in.put(step + "_i", TorchReferenceTest.gaussian(r, b, lat));
            in.put(step + "_s", TorchReferenceTest.gaussian(r, b, (long) (t - 1) * lat));
            in.put(step + "_before", TorchReferenceTest.gaussian(r, b, (long) START * lat));
        }
        INDArray eps = Nd4j.create(DataType.DOUBLE, b);
        for (int k = 0; k < b; k++) {
            eps.putScalar(k, r.nextDouble());
        }
        in.put("critic_eps", eps);
        Npz.write(DIR.resolve("inputs.npz"), in);
        Map<String, INDArray> out = terms(gan, in);
        out.putAll(noise(c, 2, 7, 31));
        Npz.write(DIR.resolve("java.npz"), out);
        assertTrue(Files.size(DIR.resolve("java.npz")) > 0);
    }

    /** Java computes today what {@code java.npz} holds (the reference the PyTorch check compares with). */
    @Test
    void javaStillComputesTheFixture() {
        Map<String, INDArray> in = Npz.read(DIR.resolve("inputs.npz"));
        Map<String, INDArray> stored = Npz.read(DIR.resolve("java.npz"));
        StyleVideoGan gan = StyleVideoGan.load(DIR.resolve("gan.npz"));
        Map<String, INDArray> now = terms(gan, in);
        now.putAll(noise(gan.config(), 2, 7, 31));
        double worst = 0;
        for (Map.Entry<String, INDArray> e : now.entrySet()) {
            worst = Math.max(worst, TorchReferenceTest.check(e.getKey(), e.getValue(), stored.get(e.getKey()), 1e-9));
        }
        assertTrue(now.size() == stored.size(), "java.npz holds " + stored.size() + " arrays, Java computed " + now.size());
        System.out.printf("LaptopTorchReferenceTest: worst relative difference to java.npz = %.3g%n", worst);
    }

    /**
     * The critic's WGAN-GP terms and gradients, and the generator's adversarial + angle terms and gradients (GAP
     * statistics as stored), for windows at frame 0 ({@code critic.*}, {@code generator.*}) and resumed after
     * {@value #START} steps ({@code critic_late.*}, {@code generator_late.*}); batch statistics, running ones frozen.
     */
    static Map<String, INDArray> terms(StyleVideoGan gan, Map<String, INDArray> in) {
        StyleVideoGanConfig c = gan.config();
        int b = c.batch();
        int t = c.windowLength();
        Generator g = gan.generator();
        Map<String, INDArray> out = new LinkedHashMap<>();
        try (Scope scope = Scope.open()) {
            INDArray realStd = gan.standardize(in.get("real").reshape('c', (long) b * t, (long) c.layers() * c.width()));
            for (String group : List.of("critic", "critic_late")) {
                Var i = Var.constant(in.get("critic_i"));
                Var s = Var.constant(in.get("critic_s"));
                Var fake = Autograd.noGrad(() -> group.equals("critic") ? g.forward(i, s, Mode.TRAIN_FROZEN).codes()
                        : g.forwardFrom(g.statesAfter(i, Var.constant(in.get("critic_before")), Mode.TRAIN_FROZEN), s,
                                Mode.TRAIN_FROZEN).codes());
                AdversarialLosses.CriticTerms ct = gan.criticTerms(realStd, fake, in.get("critic_eps"));
                put(out, group + ".fake", fake.value());
                put(out, group + ".loss", ct.loss().value());
                put(out, group + ".wasserstein", ct.wasserstein().value());
                put(out, group + ".gp", ct.gradientPenalty().value());
                Map<String, Var> params = gan.criticParameters().parameters();
                List<Var> grads = Autograd.grad(ct.loss(), List.copyOf(params.values()), false);
                int k = 0;
                for (String name : params.keySet()) {
                    put(out, group + ".grad." + name, grads.get(k++).value());
                }
            }
            AdversarialLosses losses = new AdversarialLosses(c, gan.critic(), anglePenalty(gan));
            for (String group : List.of("generator", "generator_late")) {
                Var s = Var.input(in.get("generator_s"));
                AdversarialLosses.GeneratorTerms gt;
                if (group.equals("generator")) {
                    gt = gan.generatorTerms(Var.input(in.get("generator_i")), s, Mode.TRAIN_FROZEN, false);
                } else {
                    // as generatorStep: the start states are constants, the last one takes i's place in the penalty
                    Var[] h = Autograd.noGrad(() -> g.statesAfter(Var.constant(in.get("generator_i")),
                            Var.constant(in.get("generator_before")), Mode.TRAIN_FROZEN));
                    h[3] = Var.input(h[3].value());
                    gt = losses.generator(g.forwardFrom(h, s, Mode.TRAIN_FROZEN), h[3], s, false);
                }
                put(out, group + ".loss", gt.loss().value());
                put(out, group + ".adversarial", gt.adversarial().value());
                put(out, group + ".gap", gt.angle().loss().value());
                put(out, group + ".phi", gt.angle().phi().value());
                Map<String, Var> params = gan.generatorParameters().parameters();
                List<Var> grads = Autograd.grad(gt.loss(), List.copyOf(params.values()), false);
                int k = 0;
                for (String name : params.keySet()) {
                    put(out, group + ".grad." + name, grads.get(k++).value());
                }
            }
        }
        return out;
    }

    /** A penalty reading the model's stored GAP statistics (the model's own is private to it). */
    private static GradientAnglePenalty anglePenalty(StyleVideoGan gan) {
        ParameterSet stats = new ParameterSet(DataType.DOUBLE, 0);
        GradientAnglePenalty p = new GradientAnglePenalty(gan.config(), stats);
        stats.load(gan.parameters(), "stats.");
        return p;
    }

    private static void put(Map<String, INDArray> out, String name, INDArray v) {
        out.put(name, Scope.outside(() -> v.castTo(DataType.DOUBLE).dup()));
    }

    /**
     * {@code noise.out}: StepNoise's draw of {@code rows} sequences of {@code steps} steps from {@code seed};
     * {@code noise.white} [rows, latent, steps + 2R]: the white numbers it convolved, channel j's centred (R the widest
     * kernel's radius; zeros outside channel j's own margin), drawn again in StepNoise's order (row, channel, step).
     */
    static Map<String, INDArray> noise(StyleVideoGanConfig c, int rows, int steps, long seed) {
        StepNoise noise = new StepNoise(c.latentDim(), c.noiseSmoothing(), c.whiteNoiseChannels());
        double[] widths = noise.widths();
        int widest = 0;
        for (double w : widths) {
            widest = Math.max(widest, (int) Math.ceil(3 * w));
        }
        INDArray white = Nd4j.zeros(DataType.DOUBLE, rows, c.latentDim(), steps + 2L * widest);
        Random r = new Random(seed);
        for (int row = 0; row < rows; row++) {
            for (int j = 0; j < c.latentDim(); j++) {
                int radius = (int) Math.ceil(3 * widths[j]);
                for (int k = 0; k < steps + 2 * radius; k++) {
                    white.putScalar(new long[] {row, j, widest - radius + k}, r.nextGaussian());
                }
            }
        }
        Map<String, INDArray> out = new LinkedHashMap<>();
        out.put("noise.white", white);
        out.put("noise.out", noise.draw(new Random(seed), rows, steps, DataType.DOUBLE));
        return out;
    }
}

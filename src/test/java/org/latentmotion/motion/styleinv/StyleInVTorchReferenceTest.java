package org.latentmotion.motion.styleinv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.latentmotion.nn.Autograd;
import org.latentmotion.nn.ParameterSet;
import org.latentmotion.nn.Var;
import org.latentmotion.wplus.Npz;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The second implementation: {@code bench/torch/styleinv.py} builds the same small model from torch.nn
 * modules (nn.Linear, F.layer_norm, torch.gather for the motion codes around each time stamp) with
 * torch's own initial weights, computes the generated frames, every loss (critic with R1, R1 alone,
 * generator with the latent regulariser, the regulariser alone) and their gradients in float64, and
 * writes them with the weights in this toolkit's layout to
 * {@code src/test/resources/motion/styleinv/reference.npz}. Here the Java model loads those weights and
 * must give the same frames, values and gradients to 1e-8 (relative to the largest entry).
 * Regenerate with {@code /usr/bin/python3 bench/torch/styleinv.py}.
 */
class StyleInVTorchReferenceTest {
    static final Path FIXTURE = Path.of("src/test/resources/motion/styleinv/reference.npz");
    static final double TOLERANCE = 1e-8;

    @Test
    void framesLossesAndGradientsEqualPyTorchs() {
        Map<String, INDArray> in = Npz.read(FIXTURE);
        StyleInVConfig c = StyleInVGradientTest.tiny64();
        StyleInV model = StyleInV.create(c);
        Map<String, INDArray> weights = new LinkedHashMap<>(model.parameters());
        int loaded = 0;
        for (String name : weights.keySet()) {
            if (!name.startsWith("stats.")) {
                INDArray w = in.get(name);
                assertNotNull(w, "the fixture has " + name);
                weights.put(name, w);
                loaded++;
            }
        }
        model.loadParameters(weights);
        INDArray t = in.get("input.times");
        int[][] times = new int[(int) t.size(0)][(int) t.size(1)];
        for (int b = 0; b < times.length; b++) {
            for (int i = 0; i < times[b].length; i++) {
                times[b][i] = (int) t.getDouble(b, i);
            }
        }
        MotionDraw draw = new MotionDraw(times, in.get("input.z"), in.get("input.phases"));
        INDArray x0 = in.get("input.x0");
        INDArray real = in.get("input.real");
        INDArray fake = in.get("input.fake");

        INDArray frames = Autograd.noGrad(() -> model.generate(Var.constant(x0), draw)).value();
        INDArray want = in.get("value.frames");
        double frameDiff = frames.sub(want).amaxNumber().doubleValue() / want.amaxNumber().doubleValue();
        System.out.printf("StyleInV vs PyTorch: generated frames differ by %.2e of the largest%n", frameDiff);
        assertTrue(frameDiff <= 1e-12, "frames differ by " + frameDiff);

        Map<String, Var> critic = prefixed("critic.", model.criticParameters());
        Map<String, Var> generator = prefixed("generator.", model.generatorParameters());
        double worst = 0;
        worst = Math.max(worst, check(in, "critic", Autograd.withGrad(() -> model.criticTerms(real, fake, times).loss()),
                critic));
        worst = Math.max(worst, check(in, "r1", Autograd.withGrad(() -> model.criticTerms(real, fake, times).r1()), critic));
        worst = Math.max(worst, check(in, "generator", Autograd.withGrad(() -> model.generatorTerms(x0, draw).loss()),
                generator));
        worst = Math.max(worst, check(in, "latent", Autograd.withGrad(() -> model.generatorTerms(x0, draw).latent()),
                generator));
        System.out.printf("StyleInV vs PyTorch: %d weight tensors loaded, worst relative gradient difference %.2e%n",
                loaded, worst);
    }

    private static Map<String, Var> prefixed(String prefix, ParameterSet ps) {
        Map<String, Var> out = new LinkedHashMap<>();
        ps.parameters().forEach((k, v) -> out.put(prefix + k, v));
        return out;
    }

    /** The loss equals the fixture's value; every gradient equals torch's relative to the largest entry; returns the worst. */
    private static double check(Map<String, INDArray> in, String loss, Var value, Map<String, Var> params) {
        double expected = in.get("value." + loss).getDouble(0);
        assertEquals(expected, value.item(), 1e-10 * Math.max(1, Math.abs(expected)), loss + " value");
        List<Var> leaves = List.copyOf(params.values());
        List<Var> grads = Autograd.grad(value, leaves, false);
        double scale = 0;
        double diff = 0;
        int k = 0;
        for (String name : params.keySet()) {
            INDArray want = in.get("grad." + loss + "." + name);
            assertNotNull(want, "the fixture has the gradient of " + loss + " for " + name);
            Var g = grads.get(k++);
            INDArray got = g == null ? want.mul(0) : g.value().castTo(DataType.DOUBLE);
            scale = Math.max(scale, want.amaxNumber().doubleValue());
            diff = Math.max(diff, got.sub(want.reshape(got.shape())).amaxNumber().doubleValue());
        }
        double rel = diff / Math.max(scale, 1e-300);
        System.out.printf("  %s: value %.8f, gradient difference %.2e of the largest entry %.3e%n", loss, value.item(), rel,
                scale);
        assertTrue(scale > 0, loss + " has non-zero gradients");
        assertTrue(rel <= TOLERANCE, loss + " gradients differ from PyTorch's by " + rel);
        return rel;
    }
}

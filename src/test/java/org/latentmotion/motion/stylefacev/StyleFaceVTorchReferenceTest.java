package org.latentmotion.motion.stylefacev;

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
 * The second implementation: {@code bench/torch/stylefacev.py} builds the same small model from
 * torch.nn modules (nn.Linear, nn.LSTMCell, nn.Conv1d) with torch's own initial weights, computes
 * every loss (key points, stage 2, critics with the gradient penalty, the penalty alone, the sampler,
 * the diversity alone) and their gradients in float64, and writes them with the weights in this
 * toolkit's layout to {@code src/test/resources/motion/stylefacev/reference.npz}. Here the Java model
 * loads those weights and must give the same values and gradients to 1e-8 (relative to the largest
 * entry). Regenerate with {@code /usr/bin/python3 bench/torch/stylefacev.py}.
 */
class StyleFaceVTorchReferenceTest {
    static final Path FIXTURE = Path.of("src/test/resources/motion/stylefacev/reference.npz");
    static final double TOLERANCE = 1e-8;

    @Test
    void lossesAndGradientsEqualPyTorchs() {
        Map<String, INDArray> in = Npz.read(FIXTURE);
        StyleFaceVConfig c = StyleFaceVGradientTest.tiny64();
        StyleFaceV model = StyleFaceV.create(c, new FirstNumbersKeypoints(0));
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
        INDArray x = in.get("input.x");
        INDArray labels = in.get("input.labels");
        double[] f = in.get("input.frames").toDoubleVector();
        int[] frames = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            frames[i] = (int) f[i];
        }
        INDArray real = in.get("input.real");
        INDArray fake = in.get("input.fake");
        INDArray u = in.get("input.u");
        INDArray noise = in.get("input.noise");
        long rows = x.size(0) * x.size(1);

        Map<String, Var> decomposition = new LinkedHashMap<>();
        model.poseParameters().parameters().forEach((k, v) -> decomposition.put("pose." + k, v));
        model.appearanceParameters().parameters().forEach((k, v) -> decomposition.put("appearance." + k, v));
        Map<String, Var> critics = prefixed("critic.", model.criticParameters());
        Map<String, Var> sampler = prefixed("sampler.", model.samplerParameters());

        double worst = 0;
        worst = Math.max(worst, check(in, "keypoint", Autograd.withGrad(() -> model.keypointLoss(x.reshape(rows, x.size(2)),
                labels)), prefixed("pose.", model.poseParameters())));
        StyleFaceV.DecompositionTerms d = Autograd.withGrad(() -> model.decompositionTerms(x, labels, frames));
        assertEquals(in.get("value.reconstruction").getDouble(0), d.reconstruction().item(), 1e-10);
        worst = Math.max(worst, check(in, "stage2", d.loss(), decomposition));
        worst = Math.max(worst, check(in, "critic", Autograd.withGrad(() -> model.criticTerms(real, fake, u).loss()), critics));
        worst = Math.max(worst, check(in, "gp", Autograd.withGrad(() -> model.criticTerms(real, fake, u).gradientPenalty()),
                critics));
        worst = Math.max(worst, check(in, "sampler", Autograd.withGrad(() -> model.samplerTerms(real, noise).loss()), sampler));
        worst = Math.max(worst, check(in, "diversity", Autograd.withGrad(() -> model.samplerTerms(real, noise).diversity()),
                sampler));
        System.out.printf("StyleFaceV vs PyTorch: %d weight tensors loaded, worst relative gradient difference %.2e%n",
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
            INDArray got = g == null ? want.mul(0) : g.value().castTo(DataType.DOUBLE); // unused by this loss: zero
            assertEquals(List.of(want.shape().length), List.of(got.shape().length), name);
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

package org.latentmotion.motion.styleganv;

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
 * The second implementation: {@code bench/torch/styleganv.py} builds the same small model from
 * torch.nn modules (nn.Conv1d, nn.Linear without bias for the embedding's predictors, nn.Embedding
 * for the gap table, nn.Sequential MLPs) with torch's own initial weights, computes the critic's
 * loss with R1 (torch.autograd.grad with create_graph), R1 alone and the generator's loss, and their
 * gradients in float64, and writes them with the weights in this toolkit's layout to
 * {@code src/test/resources/motion/styleganv/reference.npz}. Here the Java model loads those weights
 * and the same draws and must give the same values and gradients to 1e-8 (relative to the largest
 * entry). Regenerate with {@code /usr/bin/python3 bench/torch/styleganv.py}.
 */
class StyleGanVTorchReferenceTest {
    static final Path FIXTURE = Path.of("src/test/resources/motion/styleganv/reference.npz");
    static final double TOLERANCE = 1e-8;

    @Test
    void lossesAndGradientsEqualPyTorchs() {
        Map<String, INDArray> in = Npz.read(FIXTURE);
        StyleGanVConfig c = StyleGanVGradientTest.tiny64();
        StyleGanV model = StyleGanV.create(c);
        Map<String, INDArray> weights = new LinkedHashMap<>(model.parameters());
        int loaded = 0;
        for (String name : weights.keySet()) {
            if (!name.startsWith("stats.")) {
                INDArray w = in.get(name);
                assertNotNull(w, "the fixture has " + name);
                assertEquals(List.of(weights.get(name).shape().length, weights.get(name).length()),
                        List.of(w.shape().length, w.length()), name);
                weights.put(name, w.reshape(weights.get(name).shape()));
                loaded++;
            }
        }
        model.loadParameters(weights);
        INDArray real = in.get("input.real");
        INDArray content = in.get("input.content");
        ClipDraw draw = new ClipDraw(in.get("input.codes"), ints(in.get("input.first")),
                in.get("input.times").toDoubleVector(), ints(in.get("input.frames")), ints(in.get("input.gaps")));

        Map<String, Var> critic = prefixed("critic.", model.criticParameters());
        Map<String, Var> generator = prefixed("generator.", model.generatorParameters());
        double worst = 0;
        worst = Math.max(worst, check(in, "critic", Autograd.withGrad(() -> model.criticTerms(real, content, draw).loss()),
                critic));
        worst = Math.max(worst, check(in, "r1", Autograd.withGrad(() -> model.criticTerms(real, content, draw).r1()), critic));
        worst = Math.max(worst, check(in, "generator", model.generatorLoss(content, draw), generator));
        System.out.printf("StyleGanV vs PyTorch: %d weight tensors loaded, worst relative gradient difference %.2e%n",
                loaded, worst);
    }

    private static int[] ints(INDArray a) {
        double[] d = a.toDoubleVector();
        int[] out = new int[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = (int) d[i];
        }
        return out;
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
            assertEquals(want.length(), got.length(), name);
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

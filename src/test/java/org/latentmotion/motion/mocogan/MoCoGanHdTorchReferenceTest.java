package org.latentmotion.motion.mocogan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.latentmotion.nn.Autograd;
import org.latentmotion.nn.Scope;
import org.latentmotion.nn.Var;
import org.latentmotion.wplus.Npz;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The Java MoCoGanHd against a second implementation in idiomatic PyTorch
 * ({@code bench/torch/mocogan_hd.py}: nn.LSTMCell, nn.Conv1d, nn.InstanceNorm1d, F.avg_pool1d,
 * torch.flip, F.cosine_similarity, torch.autograd.grad): with PyTorch's weights and inputs, the
 * critic's loss (relativistic LSGAN of two scales with a time flip, gradient penalty), the
 * generated window, the generator's loss (relativistic LSGAN, mutual information) and the
 * gradients of both losses with respect to every parameter agree in float64.
 *
 * <p>The fixture {@code src/test/resources/motion/mocogan/reference.npz} is written by the Python
 * script alone (weights, the config as Java properties, inputs, outputs):
 * {@code /usr/bin/python3 bench/torch/mocogan_hd.py}.
 */
class MoCoGanHdTorchReferenceTest {
    static final Path FIXTURE = Path.of("src/test/resources/motion/mocogan/reference.npz");
    static final double TOLERANCE = 1e-9;

    @Test
    void lossesGeneratedWindowAndGradientsMatchPyTorch() {
        Map<String, INDArray> in = Npz.read(FIXTURE);
        INDArray cfg = in.get("meta.config");
        byte[] bytes = new byte[(int) cfg.length()];
        for (int k = 0; k < bytes.length; k++) {
            bytes[k] = (byte) cfg.getInt(k);
        }
        MoCoGanHdConfig c = MoCoGanHdConfig.parse(new String(bytes, StandardCharsets.UTF_8));
        assertTrue(c.float64() && c.criticScales() == 2 && c.windowLength() > 17, "the fixture covers both pooling strides: " + c);
        MoCoGanHd model = MoCoGanHd.create(c);
        model.loadParameters(in);
        INDArray real = in.get("input.real");
        double worst = 0;
        try (Scope scope = Scope.open()) {
            RelativisticLosses.CriticTerms ct = model.criticTerms(real, in.get("input.fake"), in.get("input.u"), true, false);
            worst = Math.max(worst, check("critic loss", ct.loss().value(), in.get("critic.loss")));
            worst = Math.max(worst, check("critic adversarial", ct.adversarial().value(), in.get("critic.adversarial")));
            worst = Math.max(worst, check("gradient penalty", ct.gradientPenalty().value(), in.get("critic.gp")));
            Map<String, Var> cp = model.criticParameters().parameters();
            List<Var> cg = Autograd.grad(ct.loss(), List.copyOf(cp.values()), false);
            int k = 0;
            for (String name : cp.keySet()) {
                worst = Math.max(worst, check("critic grad " + name, cg.get(k++).value(), in.get("critic.grad.critic." + name)));
            }
            INDArray content = real.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                    org.nd4j.linalg.indexing.NDArrayIndex.all()).dup('c');
            INDArray sequence = Autograd.noGrad(() -> model.generator().forward(Var.constant(content),
                    Var.constant(in.get("input.noise")), model.basis().residualScale()).sequence()).value();
            worst = Math.max(worst, check("generated window", sequence, in.get("generator.sequence")));
            RelativisticLosses.GeneratorTerms gt = model.generatorTerms(real, in.get("input.noise"), false, true);
            worst = Math.max(worst, check("generator loss", gt.loss().value(), in.get("generator.loss")));
            worst = Math.max(worst, check("generator adversarial", gt.adversarial().value(), in.get("generator.adversarial")));
            worst = Math.max(worst, check("mutual information", gt.mutualInformation().value(), in.get("generator.mutual")));
            Map<String, Var> gp = model.generatorParameters().parameters();
            List<Var> gg = Autograd.grad(gt.loss(), List.copyOf(gp.values()), false);
            k = 0;
            for (String name : gp.keySet()) {
                worst = Math.max(worst, check("generator grad " + name, gg.get(k++).value(),
                        in.get("generator.grad.generator." + name)));
            }
            assertEquals(cp.size() + gp.size(), cg.size() + gg.size());
        }
        System.out.printf("MoCoGanHdTorchReferenceTest: worst relative difference Java vs PyTorch (float64) = %.3g%n", worst);
    }

    /** Max |java − torch| / max(1e-3, max |torch|), asserted ≤ {@link #TOLERANCE}. */
    static double check(String what, INDArray java, INDArray torch) {
        if (torch == null) {
            throw new AssertionError("the fixture has no entry for " + what);
        }
        INDArray x = java.castTo(DataType.DOUBLE).reshape(java.length());
        INDArray y = torch.castTo(DataType.DOUBLE).reshape(torch.length());
        assertEquals(y.length(), x.length(), what + ": element count");
        double e = x.sub(y).amaxNumber().doubleValue() / Math.max(1e-3, y.amaxNumber().doubleValue());
        assertTrue(e <= TOLERANCE, what + ": Java and PyTorch differ by " + e + " (relative), tolerance " + TOLERANCE);
        return e;
    }
}

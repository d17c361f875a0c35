package org.latentmotion.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The fused training-mode batch norm gives exactly the values of its composition from tape primitives
 * (BatchNorm.composed): output, running statistics and first-order gradients, in float32 and float64, small
 * and large enough that column sums run as a GEMV; a gradient differentiated again is as accurate in float32
 * as the composed ops' (against float64); and it allocates fewer [N, F] arrays.
 */
class BatchNormTrainingTest {

    private static double[] values(INDArray a) {
        return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    private static void sameAsComposed(DataType type, int n, int f) {
        ParameterSet ps = new ParameterSet(type, 11);
        BatchNorm bn = new BatchNorm(ps, "bn", f);
        Var gamma = ps.parameters().get("bn.weight");
        Var beta = ps.parameters().get("bn.bias");
        Nd4j.getRandom().setSeed(5);
        gamma.value().assign(Nd4j.rand(type, f).addi(0.5));
        beta.value().assign(Nd4j.randn(type, f));
        INDArray x = Nd4j.randn(type, n, f).muli(3).addi(1);
        INDArray r = Nd4j.randn(type, n, f);
        INDArray runningMean = ps.buffers().get("bn.running_mean");
        INDArray runningVar = ps.buffers().get("bn.running_var");
        INDArray mean0 = runningMean.dup();
        INDArray var0 = runningVar.dup();

        Var in = Var.input(x);
        Var fused = bn.forward(in, Mode.TRAIN);
        INDArray fusedMean = runningMean.dup();
        INDArray fusedVar = runningVar.dup();
        List<Var> fusedGrads = Autograd.grad(Ops.sumAll(Ops.mul(fused, Var.constant(r))), List.of(in, gamma, beta), false);

        Var in2 = Var.input(x);
        Var[] ref = BatchNorm.composed(in2, gamma, beta);
        List<Var> refGrads = Autograd.grad(Ops.sumAll(Ops.mul(ref[0], Var.constant(r))), List.of(in2, gamma, beta), false);
        // the running statistics move as BatchNorm.forward moved them before (momentum 0.1, unbiased variance)
        INDArray refMean = mean0.mul(0.9).addi(ref[1].value().mul(0.1));
        INDArray refVar = var0.mul(0.9).addi(ref[2].value().mul(0.1 * n / (n - 1.0)));

        String what = type + " [" + n + ", " + f + "]: ";
        assertArrayEquals(values(ref[0].value()), values(fused.value()), 0.0, what + "output");
        assertArrayEquals(values(refMean), values(fusedMean), 0.0, what + "running mean");
        assertArrayEquals(values(refVar), values(fusedVar), 0.0, what + "running variance");
        String[] names = {"∂x", "∂γ", "∂β"};
        for (int k = 0; k < 3; k++) {
            assertArrayEquals(values(refGrads.get(k).value()), values(fusedGrads.get(k).value()), 0.0, what + names[k]);
        }
    }

    @Test
    void smallBatchesGiveTheComposedValuesExactly() {
        sameAsComposed(DataType.DOUBLE, 5, 3);
        sameAsComposed(DataType.FLOAT, 7, 4);
    }

    @Test
    void largeBatchesGiveTheComposedValuesExactly() {
        // ≥ 65 536 elements: the column sums of the forward and backward run as a GEMV
        sameAsComposed(DataType.FLOAT, 400, 256);
        sameAsComposed(DataType.DOUBLE, 300, 230);
    }

    /**
     * Gradients of a loss with a gradient penalty through the layer (the generator's angle penalty runs its
     * double backward through the hallucinator's batch norm): the fused layer differentiates its rule again by
     * rebuilding the composed ops, so its float32 result differs from the composed layer's in rounding only
     * (the order in which contributions are summed). Both against float64: the fused one must be as accurate.
     */
    @Test
    void aDifferentiatedGradientIsAsAccurateInFloat32AsTheComposedOps() {
        int n = 64;
        int f = 24;
        Nd4j.getRandom().setSeed(21);
        INDArray x = Nd4j.randn(DataType.DOUBLE, n, f).muli(2).addi(0.5);
        INDArray r = Nd4j.randn(DataType.DOUBLE, n, f);
        INDArray gammaValue = Nd4j.rand(DataType.DOUBLE, f).addi(0.5);
        INDArray betaValue = Nd4j.randn(DataType.DOUBLE, f);
        // the reference: the composed ops in float64 (LayersGradientTest checks those against finite differences)
        List<INDArray> reference = penalisedGradients(DataType.DOUBLE, true, x, r, gammaValue, betaValue);
        List<INDArray> composed = penalisedGradients(DataType.FLOAT, true, x, r, gammaValue, betaValue);
        List<INDArray> fused = penalisedGradients(DataType.FLOAT, false, x, r, gammaValue, betaValue);
        String[] names = {"∂x", "∂γ", "∂β"};
        for (int k = 0; k < 3; k++) {
            double scale = reference.get(k).norm2Number().doubleValue();
            double composedError = composed.get(k).castTo(DataType.DOUBLE).sub(reference.get(k)).norm2Number().doubleValue() / scale;
            double fusedError = fused.get(k).castTo(DataType.DOUBLE).sub(reference.get(k)).norm2Number().doubleValue() / scale;
            // float32 through two backward passes: ~1e-7 each; a wrong or reordered-and-cancelling sum would be far off
            assertTrue(composedError < 1e-5, names[k] + ": composed float32 off float64 by " + composedError);
            assertTrue(fusedError < 2 * composedError + 1e-7, names[k] + ": fused float32 off float64 by " + fusedError
                    + ", composed by " + composedError);
        }
    }

    /** ∂/∂(x, γ, β) of Σ y·r + ‖∂(Σ tanh(y)·r)/∂x‖², y the layer in training mode, computed in {@code type}. */
    private static List<INDArray> penalisedGradients(DataType type, boolean composed, INDArray x0, INDArray r0,
                                                     INDArray gamma0, INDArray beta0) {
        int f = (int) x0.size(1);
        ParameterSet ps = new ParameterSet(type, 1);
        BatchNorm bn = new BatchNorm(ps, "bn", f);
        Var gamma = ps.parameters().get("bn.weight");
        Var beta = ps.parameters().get("bn.bias");
        gamma.value().assign(gamma0.castTo(type));
        beta.value().assign(beta0.castTo(type));
        Var x = Var.input(x0.castTo(type));
        Var r = Var.constant(r0.castTo(type));
        Var y = composed ? BatchNorm.composed(x, gamma, beta)[0] : bn.forward(x, Mode.TRAIN_FROZEN);
        Var inner = Autograd.grad(Ops.sumAll(Ops.mul(Ops.tanh(y), r)), List.of(x), true).get(0);
        Var loss = Ops.add(Ops.sumAll(Ops.mul(y, r)), Ops.sumAll(Ops.square(inner)));
        return Autograd.grad(loss, List.of(x, gamma, beta), false).stream().map(Var::value).toList();
    }

    @Test
    void aStepHoldsFewerFullSizeArrays() {
        int n = 256;
        int f = 512;
        long full = (long) n * f * 4;
        ParameterSet ps = new ParameterSet(DataType.FLOAT, 3);
        BatchNorm bn = new BatchNorm(ps, "bn", f);
        INDArray x = Nd4j.randn(DataType.FLOAT, n, f);
        INDArray r = Nd4j.randn(DataType.FLOAT, n, f);
        Var gamma = ps.parameters().get("bn.weight");
        Var beta = ps.parameters().get("bn.bias");
        long fused = bytesOfAStep("bn-fused", x, r, in -> bn.forward(in, Mode.TRAIN_FROZEN), List.of(gamma, beta));
        long composed = bytesOfAStep("bn-composed", x, r, in -> BatchNorm.composed(in, gamma, beta)[0], List.of(gamma, beta));
        // composed: 4 forward + 8 backward full-size arrays; fused: 2 + 2 (plus the loss's product, and ∂x in both)
        assertTrue(composed - fused >= 7 * full, "composed step " + composed / full + " full-size arrays, fused "
                + fused / full);
    }

    /** Bytes a reusing scope's workspace took for forward + first-order backward of a layer on x. */
    private static long bytesOfAStep(String name, INDArray x, INDArray r, java.util.function.Function<Var, Var> layer,
                                     List<Var> params) {
        try (Scope scope = Scope.reusing("bn-test-" + name)) {
            Var in = Var.input(x);
            Var loss = Ops.sumAll(Ops.mul(layer.apply(in), Var.constant(r)));
            Autograd.grad(loss, List.of(in, params.get(0), params.get(1)), false);
            return Nd4j.getWorkspaceManager().getWorkspaceForCurrentThread("latentmotion.bn-test-" + name)
                    .getThisCycleAllocations();
        } finally {
            Scope.releaseReusedMemory();
        }
    }
}

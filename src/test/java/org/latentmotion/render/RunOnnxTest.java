package org.latentmotion.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentmotion.wplus.Npy;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The exporters' self-check CLI: runs a model on numpy files, refuses bad inputs before running. */
class RunOnnxTest {
    static final Path DIR = Path.of(System.getProperty("latentmotion.root", ".")).resolve("datasets/models/stylegan2");
    static final String MAPPING = DIR.resolve("mapping.onnx").toString();

    @Test
    void writesEveryOutputAsNpyMatchingPyTorch(@TempDir Path tmp) throws Exception {
        RunOnnx.run(new String[] {MAPPING, "--input", "z=" + DIR.resolve("reference_z.npy"), "--out", tmp.toString()});
        INDArray w = Npy.read(tmp.resolve("w.npy"));
        INDArray expected = Npy.read(DIR.resolve("reference_mapped_w.npy"));
        double maxDiff = w.sub(expected).amaxNumber().doubleValue();
        assertTrue(maxDiff < 1e-5, "w vs PyTorch: " + maxDiff);
        assertEquals(1, Npy.read(tmp.resolve("w_avg.npy")).rank());
    }

    @Test
    void refusesAMissingInputNamingWhatTheModelNeeds(@TempDir Path tmp) {
        var e = assertThrows(RunOnnx.UsageException.class, () -> RunOnnx.run(new String[] {MAPPING, "--out", tmp.toString()}));
        assertTrue(e.getMessage().contains("needs input 'z'"), e.getMessage());
    }

    @Test
    void refusesAWrongShapeOrDtypeSayingExpectedAndFound(@TempDir Path tmp) {
        Path wrongShape = tmp.resolve("z3.npy");
        Npy.write(wrongShape, Nd4j.zeros(DataType.FLOAT, 2, 3));
        var e = assertThrows(RunOnnx.UsageException.class,
                () -> RunOnnx.run(new String[] {MAPPING, "--input", "z=" + wrongShape, "--out", tmp.toString()}));
        assertTrue(e.getMessage().contains("expected shape [N, 512], found [2, 3]"), e.getMessage());
        Path doubles = tmp.resolve("z64.npy");
        Npy.write(doubles, Nd4j.zeros(DataType.DOUBLE, 2, 512));
        e = assertThrows(RunOnnx.UsageException.class,
                () -> RunOnnx.run(new String[] {MAPPING, "--input", "z=" + doubles, "--out", tmp.toString()}));
        assertTrue(e.getMessage().contains("expected dtype float32, found DOUBLE"), e.getMessage());
        e = assertThrows(RunOnnx.UsageException.class,
                () -> RunOnnx.run(new String[] {MAPPING, "--input", "x=" + doubles, "--input", "z=" + wrongShape, "--out", tmp.toString()}));
        assertTrue(e.getMessage().contains("unknown input 'x', expected one of [z]"), e.getMessage());
    }
}

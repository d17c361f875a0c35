package org.latentmotion.wplus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Trajectory.fromNpz: one member of an archive becomes a trajectory, or an error says what was found. */
class TrajectoryFromNpzTest {
    @TempDir
    Path dir;

    private Path archive(Map<String, INDArray> arrays) {
        Path p = dir.resolve("talk.npz");
        Npz.writeCompressed(p, arrays);
        return p;
    }

    @Test
    void readsTheNamedMemberAtTheGivenFps() {
        INDArray codes = Nd4j.rand(DataType.FLOAT, 7, 4, 8);
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        arrays.put("w_avg", Nd4j.rand(DataType.FLOAT, 8));
        arrays.put("codes", codes);
        arrays.put("as_double", codes.castTo(DataType.DOUBLE));
        Path p = archive(arrays);
        Trajectory t = Trajectory.fromNpz(p, "codes", 30);
        assertEquals(7, t.frames());
        assertEquals(4, t.layers());
        assertEquals(8, t.width());
        assertEquals(30.0, t.fps());
        assertEquals("talk.npz:codes", t.source());
        assertEquals(codes, t.codes());
        Trajectory d = Trajectory.fromNpz(p, "as_double", 25);
        assertEquals(DataType.FLOAT, d.codes().dataType(), "float64 codes become float32");
        assertEquals(0, d.codes().sub(codes).amaxNumber().doubleValue(), 1e-7);
        assertEquals(codes, Trajectory.fromNpz(p, "codes.npy", 25).codes(), "the member's file name works too");
    }

    @Test
    void errorsSayWhatWasExpectedAndFound() {
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        arrays.put("w", Nd4j.rand(DataType.FLOAT, 5, 512));
        arrays.put("clips", Nd4j.rand(DataType.FLOAT, 2, 5, 3, 8));
        arrays.put("frames", Nd4j.createFromArray(new long[] {1, 2, 3}).reshape(1, 1, 3));
        INDArray nan = Nd4j.rand(DataType.FLOAT, 2, 3, 8);
        nan.putScalar(new long[] {1, 2, 3}, Float.NaN);
        arrays.put("broken", nan);
        Path p = archive(arrays);

        var missing = assertThrows(IllegalArgumentException.class, () -> Trajectory.fromNpz(p, "wplus", 25));
        assertTrue(missing.getMessage().contains("no member 'wplus'") && missing.getMessage().contains("[w, clips, frames, broken]"),
                missing.getMessage());
        var w = assertThrows(IllegalArgumentException.class, () -> Trajectory.fromNpz(p, "w", 25));
        assertTrue(w.getMessage().contains("expected W+ codes [T, L, D]") && w.getMessage().contains("[5, 512]")
                && w.getMessage().contains("W codes"), w.getMessage());
        var clips = assertThrows(IllegalArgumentException.class, () -> Trajectory.fromNpz(p, "clips", 25));
        assertTrue(clips.getMessage().contains("[2, 5, 3, 8]") && clips.getMessage().contains("several clips"),
                clips.getMessage());
        var ints = assertThrows(IllegalArgumentException.class, () -> Trajectory.fromNpz(p, "frames", 25));
        assertTrue(ints.getMessage().contains("floating-point") && ints.getMessage().contains("long"), ints.getMessage());
        var bad = assertThrows(RuntimeException.class, () -> Trajectory.fromNpz(p, "broken", 25));
        assertTrue(bad.getMessage().contains("broken") && bad.getMessage().toLowerCase().contains("nan"), bad.getMessage());
        var none = assertThrows(RuntimeException.class, () -> Trajectory.fromNpz(dir.resolve("absent.npz"), "w", 25));
        assertTrue(none.getMessage().contains("absent.npz"), none.getMessage());
    }
}

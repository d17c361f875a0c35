package org.latentmotion.wplus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

class NpyFileTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"f4_c.npy", "f4_fortran.npy", "f4_big.npy", "v3.npy"})
    void slicesEqualTheWholeArraysRows(String file) {
        Path p = NpyFixtures.path(file);
        INDArray whole = Npy.read(p);
        try (NpyFile f = NpyFile.open(p)) {
            assertEquals(4, f.length());
            assertArrayEquals(new long[] {4, 3, 8}, f.shape());
            for (int from = 0; from < 4; from++) {
                for (int to = from + 1; to <= 4; to++) {
                    INDArray expected = whole.get(NDArrayIndex.interval(from, to), NDArrayIndex.all(), NDArrayIndex.all());
                    assertEquals(expected, f.read(from, to), "[" + from + ", " + to + ")");
                }
            }
            assertEquals(whole.get(NDArrayIndex.point(2), NDArrayIndex.all(), NDArrayIndex.all()), f.get(2));
            Trajectory t = f.trajectory(1, 3, 25);
            assertEquals(2, t.frames());
            assertThrows(IndexOutOfBoundsException.class, () -> f.read(3, 5));
        }
    }

    @Test
    void readsClipsOfABatchAndFortranDoubles() {
        try (NpyFile f = NpyFile.open(NpyFixtures.path("batch.npy"))) {
            TrajectorySet set = Npy.readTrajectories(NpyFixtures.path("batch.npy"), 25);
            assertEquals(set.clip(1).codes(), f.clip(1, 25).codes());
        }
        try (NpyFile f = NpyFile.open(NpyFixtures.path("f8_big_fortran.npy"))) {
            INDArray whole = Npy.read(NpyFixtures.path("f8_big_fortran.npy"), null);
            assertEquals(whole.get(NDArrayIndex.interval(2, 5), NDArrayIndex.all(), NDArrayIndex.all()), f.read(2, 5, null));
        }
    }

    @Test
    void aClosedFileSaysSo() {
        NpyFile f = NpyFile.open(NpyFixtures.path("f4_c.npy"));
        f.close();
        assertThrows(IllegalStateException.class, () -> f.read(0, 1));
    }
}

package org.latentmotion.wplus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class NpyTest {
    @TempDir
    Path tmp;

    /** Every element equals the fixture formula at its C-order index. */
    static void assertFormula(INDArray a, long... shape) {
        assertArrayEquals(shape, a.shape(), "shape");
        assertEquals('c', a.ordering());
        double[] v = a.castTo(DataType.DOUBLE).data().asDouble();
        assertEquals(a.length(), v.length);
        for (int i = 0; i < v.length; i++) {
            assertEquals(NpyFixtures.value(i), v[i], 0.0, "element " + i);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "f4_c.npy, <f4, 1.0, false",
        "f4_fortran.npy, <f4, 1.0, true",
        "f4_big.npy, >f4, 1.0, false",
        "v2.npy, <f4, 2.0, false",
        "v3.npy, <f4, 3.0, false"})
    void readsTrajectoryShapedFilesInEveryLayout(String file, String descr, String version, boolean fortran) {
        NpyHeader h = Npy.header(NpyFixtures.path(file));
        assertEquals(descr, h.descr());
        assertEquals(version, h.version());
        assertEquals(fortran, h.fortranOrder());
        INDArray a = Npy.read(NpyFixtures.path(file));
        assertEquals(DataType.FLOAT, a.dataType());
        assertFormula(a, 4, 3, 8);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"f2.npy, HALF", "f2_big.npy, HALF", "f8.npy, DOUBLE", "f8_big_fortran.npy, DOUBLE"})
    void readsHalfAndDoubleKeepingOrConvertingTheType(String file, DataType stored) {
        assertFormula(Npy.read(NpyFixtures.path(file)), 5, 3, 4);
        INDArray asStored = Npy.read(NpyFixtures.path(file), null);
        assertEquals(stored, asStored.dataType());
        assertFormula(asStored, 5, 3, 4);
        assertEquals(DataType.DOUBLE, Npy.read(NpyFixtures.path(file), DataType.DOUBLE).dataType());
    }

    @Test
    void uint64ValuesPastInt64KeepTheirMagnitude() {
        // numpy wrote [0, 5, 2^63 − 1, 2^63, 2^64 − 1] as <u8 (datasets/npy/make_fixtures.py)
        double[] expected = {0, 5, 0x1p63 - 1, 0x1p63, 0x1p64 - 1};
        INDArray asDouble = Npy.read(NpyFixtures.path("u8_high.npy"), DataType.DOUBLE);
        INDArray asFloat = Npy.read(NpyFixtures.path("u8_high.npy"), DataType.FLOAT);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], asDouble.getDouble(i), 0, "double " + i);
            assertEquals((float) expected[i], asFloat.getFloat(i), 0, "float " + i);
        }
        // kept as integers, 2^63 would read back as −2^63 (ND4J's integers are signed): refused, saying what to do
        var e = assertThrows(NpyFormatException.class, () -> Npy.read(NpyFixtures.path("u8_high.npy"), null));
        assertTrue(e.getMessage().contains("9223372036854775808") && e.getMessage().contains("DataType.DOUBLE"), e.getMessage());
    }

    @Test
    void readsIntegerAndBoolDtypes() {
        INDArray i4 = Npy.read(NpyFixtures.path("i4.npy"), null);
        INDArray i8 = Npy.read(NpyFixtures.path("i8.npy"), null);
        INDArray u1 = Npy.read(NpyFixtures.path("u1.npy"), null);
        INDArray b1 = Npy.read(NpyFixtures.path("b1.npy"), null);
        assertEquals(DataType.INT, i4.dataType());
        assertEquals(DataType.LONG, i8.dataType());
        assertEquals(DataType.UBYTE, u1.dataType());
        assertEquals(DataType.BOOL, b1.dataType());
        long[] l4 = i4.castTo(DataType.LONG).data().asLong();
        long[] l8 = i8.data().asLong();
        long[] lu = u1.castTo(DataType.LONG).data().asLong();
        long[] lb = b1.castTo(DataType.LONG).data().asLong();
        for (int i = 0; i < 21; i++) {
            assertEquals(NpyFixtures.intValue(i), l4[i]);
            assertEquals(NpyFixtures.intValue(i), l8[i]);
            assertEquals(NpyFixtures.intValue(i) + 50, lu[i]);
            assertEquals(NpyFixtures.intValue(i) > 0 ? 1 : 0, lb[i]);
        }
        assertEquals(NpyFixtures.intValue(5), Npy.read(NpyFixtures.path("i8.npy")).getFloat(0, 5), 0f);
    }

    @Test
    void readsScalarsVectorsAndEmptyArrays() {
        INDArray s = Npy.read(NpyFixtures.path("scalar.npy"));
        assertEquals(0, s.rank());
        assertEquals(2.5f, s.getFloat(0), 0f);
        assertFormula(Npy.read(NpyFixtures.path("vector.npy")), 9);
        INDArray e = Npy.read(NpyFixtures.path("empty.npy"));
        assertEquals(0, e.length());
    }

    @Test
    void readsTrajectoriesInTheirThreeShapes() {
        Trajectory t = Npy.readTrajectory(NpyFixtures.path("f4_c.npy"), 25);
        assertEquals(4, t.frames());
        assertEquals(3, t.layers());
        assertEquals(8, t.width());
        assertEquals("f4_c.npy", t.source());

        // [T, D] W codes: refused without a layer count, broadcast with one
        NpyFormatException e = assertThrows(NpyFormatException.class,
                () -> Npy.readTrajectory(NpyFixtures.path("w_codes.npy"), 25));
        assertTrue(e.getMessage().contains("layers"), e.getMessage());
        Trajectory w = Npy.readTrajectory(NpyFixtures.path("w_codes.npy"), 25, 5);
        assertArrayEquals(new long[] {6, 5, 8}, w.codes().shape());
        INDArray codes = Npy.read(NpyFixtures.path("w_codes.npy"));
        for (int l = 0; l < 5; l++) {
            assertEquals(codes, w.layer(l));
        }
        assertThrows(NpyFormatException.class, () -> Npy.readTrajectory(NpyFixtures.path("f4_c.npy"), 25, 18));

        TrajectorySet set = Npy.readTrajectories(NpyFixtures.path("batch.npy"), 30);
        assertEquals(2, set.size());
        assertEquals(5, set.clip(1).frames());
        INDArray all = Npy.read(NpyFixtures.path("batch.npy"));
        assertEquals(all.get(NDArrayIndex.point(1), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all()),
                set.clip(1).codes());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"f4_c.npy", "random_f4.npy", "random_f8.npy", "random_i8.npy", "i4.npy", "u1.npy", "b1.npy",
        "f2.npy", "scalar.npy", "vector.npy", "empty.npy", "w_codes.npy", "batch.npy"})
    void writesTheBytesNumpyWrote(String file) throws IOException {
        Path original = NpyFixtures.path(file);
        INDArray a = Npy.read(original, null);
        Path copy = tmp.resolve(file);
        Npy.write(copy, a);
        assertArrayEquals(Files.readAllBytes(original), Files.readAllBytes(copy),
                "NPY bytes of " + file + " after read + write");
    }

    @Test
    void npzKeepsNamesAndDtypesInBothCompressions() {
        for (String f : List.of("stored.npz", "deflated.npz")) {
            Map<String, INDArray> m = Npz.read(NpyFixtures.path(f));
            assertEquals(List.of("f4", "f8", "i4", "i8", "f2"), List.copyOf(m.keySet()));
            assertEquals(DataType.FLOAT, m.get("f4").dataType());
            assertEquals(DataType.DOUBLE, m.get("f8").dataType());
            assertEquals(DataType.INT, m.get("i4").dataType());
            assertEquals(DataType.LONG, m.get("i8").dataType());
            assertEquals(DataType.HALF, m.get("f2").dataType());
            assertFormula(m.get("f4"), 4, 3, 8);
            assertFormula(m.get("f8"), 5, 3, 4);
            assertFormula(m.get("f2"), 5, 3, 4);
            assertEquals(NpyFixtures.intValue(20), m.get("i8").getLong(2, 6));
        }
        assertEquals(List.of("f4", "f8", "i4", "i8", "f2"), Npz.names(NpyFixtures.path("stored.npz")));
    }

    @Test
    void npzRoundTripsByteIdentically() throws IOException {
        Map<String, INDArray> m = new LinkedHashMap<>(Npz.read(NpyFixtures.path("stored.npz")));
        Path a = tmp.resolve("a.npz");
        Path b = tmp.resolve("b.npz");
        Npz.write(a, m);
        Map<String, INDArray> back = Npz.read(a);
        assertEquals(m.keySet(), back.keySet());
        for (String k : m.keySet()) {
            assertEquals(m.get(k), back.get(k), k);
        }
        Npz.write(b, back);
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        Npz.writeCompressed(b, back);
        assertEquals(m.get("f8"), Npz.read(b).get("f8"));
        assertTrue(Files.size(b) < Files.size(a));
    }

    @Test
    void halfPrecisionConversionMatchesEveryBitPattern() {
        for (int bits = 0; bits < 65536; bits++) {
            float f = NpyCodec.Half.toFloat((short) bits);
            if (Float.isNaN(f)) {
                assertTrue(Float.isNaN(NpyCodec.Half.toFloat(NpyCodec.Half.fromFloat(f))));
                continue;
            }
            assertEquals((short) bits, NpyCodec.Half.fromFloat(f), "half bits " + Integer.toHexString(bits));
        }
        assertEquals(0x3c00, NpyCodec.Half.fromFloat(1.0f) & 0xffff);
        assertEquals(0x7c00, NpyCodec.Half.fromFloat(70000f) & 0xffff); // overflow to Inf, as numpy
        assertEquals(0x3c00, NpyCodec.Half.fromFloat(1.0f + 0x1p-11f) & 0xffff); // tie to even
        assertEquals(0x3c01, NpyCodec.Half.fromFloat(1.0f + 0x1p-11f + 0x1p-20f) & 0xffff);
    }

    @Test
    void refusingToWriteLeavesTheExistingFileAlone() throws IOException {
        Path p = tmp.resolve("keep.npy");
        Files.write(p, new byte[] {1, 2, 3});
        INDArray utf8 = Nd4j.create(DataType.UTF8, 2);
        assertThrows(IllegalArgumentException.class, () -> Npy.write(p, utf8));
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(p));
        Npy.write(p, Nd4j.createFromArray(1f, 2f));
        assertEquals(Nd4j.createFromArray(1f, 2f), Npy.read(p));
        try (var s = Files.list(tmp)) {
            assertFalse(s.anyMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temp files left");
        }
    }
}

package org.latentmotion.wplus;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The hostile corpus (datasets/npy/make_fixtures.py → src/test/resources/npy/hostile): every
 * file broken in one way gets an {@link NpyFormatException} that names the file and the
 * problem, and nothing is returned.
 */
class NpyHostileFilesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "truncated_data.npy      | truncated data",
        "truncated_header.npy    | truncated",
        "empty_file.npy          | truncated",
        "bad_magic.npy           | magic",
        "not_npy_text.npy        | magic",
        "bad_version.npy         | version 4.0",
        "shape_too_large.npy     | truncated data",
        "shape_too_small.npy     | lies about the shape",
        "dtype_complex.npy       | unsupported dtype '<c8'",
        "dtype_unicode.npy       | unsupported dtype '<U4'",
        "dtype_structured.npy    | structured dtype",
        "object_array.npy        | object arrays",
        "nan.npy                 | index [2, 1, 5]",
        "inf.npy                 | index [4, 2, 3]",
        "header_not_dict.npy     | not a dict",
        "header_garbage.npy      | not a Python literal",
        "header_missing_shape.npy| header keys",
        "header_extra_key.npy    | header keys",
        "negative_dim.npy        | negative size at axis 0",
        "shape_overflow.npy      | overflows",
        "shape_not_ints.npy      | integer sizes",
        "fortran_not_bool.npy    | fortran_order",
        "header_length_huge.npy  | header claims"})
    void brokenNpyFilesAreRefusedWithTheirReason(String file, String reason) {
        Path p = NpyFixtures.path("hostile/" + file);
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npy.read(p));
        assertTrue(e.getMessage().contains(file), "names the file: " + e.getMessage());
        assertTrue(e.problem().contains(reason), "says '" + reason + "': " + e.getMessage());
        // the other entry points refuse the same file the same way
        assertThrows(NpyFormatException.class, () -> Npy.readTrajectory(p, 25));
        assertThrows(NpyFormatException.class, () -> {
            try (NpyFile f = NpyFile.open(p)) {
                f.read(0, f.length());
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "truncated.npz           | truncated.npz | zip",
        "not_a_zip.npz           | not_a_zip.npz | zip",
        "member_not_npy.npz      | !b.npy        | magic",
        "member_nan.npz          | !b.npy        | non-finite",
        "corrupt_deflate.npz     | !a.npy        | corrupt",
        "crc_mismatch.npz        | !a.npy        | CRC mismatch"})
    void brokenNpzArchivesAreRefusedWithTheirReason(String file, String names, String reason) {
        Path p = NpyFixtures.path("hostile/" + file);
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npz.read(p));
        assertTrue(e.getMessage().contains(file) && e.getMessage().contains(names), "names the member: " + e.getMessage());
        assertTrue(e.problem().contains(reason), "says '" + reason + "': " + e.getMessage());
    }

    @Test
    void nonFiniteValuesAreReadWhenAskedFor() {
        var a = Npy.reader().allowNonFinite().read(NpyFixtures.path("hostile/nan.npy"));
        assertTrue(Float.isNaN(a.getFloat(2, 1, 5)));
        var m = Npz.read(NpyFixtures.path("hostile/member_nan.npz"), true);
        assertTrue(Float.isNaN(m.get("b").getFloat(2, 1, 5)));
    }

    @Test
    void aMissingFileSaysWhichFile() {
        var e = assertThrows(java.io.UncheckedIOException.class, () -> Npy.read(Path.of("no/such/file.npy")));
        assertTrue(e.getMessage().contains("no/such/file.npy"), e.getMessage());
    }
}

package org.latentmotion.wplus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one atomic writer: content, the permissions policy, and failures that leave the target alone. */
class AtomicFileTest {
    @TempDir
    Path dir;

    private List<String> names() throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesTheBytesAndLeavesNoTemporaryFile() throws IOException {
        Path target = dir.resolve("sub/out.bin");
        assertEquals(target, AtomicFile.write(target, new byte[] {1, 2, 3}));
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(target));
        AtomicFile.write(target, new byte[] {9});
        assertArrayEquals(new byte[] {9}, Files.readAllBytes(target), "replaced, not appended");
        try (var s = Files.list(target.getParent())) {
            assertEquals(List.of("out.bin"), s.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void aBodyMayCloseItsStream() throws IOException {
        Path target = dir.resolve("a.zip");
        AtomicFile.write(target, out -> {
            try (ZipOutputStream zip = new ZipOutputStream(out)) {
                zip.putNextEntry(new ZipEntry("x"));
                zip.write(new byte[100_000]);
                zip.closeEntry();
            }
        });
        try (var zip = new java.util.zip.ZipInputStream(Files.newInputStream(target))) {
            assertEquals("x", zip.getNextEntry().getName());
            assertEquals(100_000, zip.readAllBytes().length);
        }
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporary() throws IOException {
        Path target = Files.writeString(dir.resolve("keep.txt"), "the user's data");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> AtomicFile.write(target, out -> {
            out.write("half of the new".getBytes());
            throw new IOException("disk full");
        }));
        assertTrue(e.getMessage().contains("keep.txt") && e.getMessage().contains("disk full"), e.getMessage());
        assertEquals("the user's data", Files.readString(target));
        assertEquals(List.of("keep.txt"), names());
    }

    @Test
    void newFilesGetTheUmaskDefaultAndExistingFilesKeepTheirPermissions() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        // independent truth: what a plain write (like np.save or a shell redirect) gives a new file
        Path plain = Files.write(dir.resolve("plain.bin"), new byte[] {1});
        Path atomic = AtomicFile.write(dir.resolve("atomic.bin"), new byte[] {1});
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(atomic));

        Path secret = Files.write(dir.resolve("secret.bin"), new byte[] {1});
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        AtomicFile.write(secret, new byte[] {2});
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)));
        Path shared = Files.write(dir.resolve("shared.bin"), new byte[] {1});
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rw-rw-r--"));
        AtomicFile.write(shared, new byte[] {2});
        assertEquals("rw-rw-r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(shared)));
    }
}

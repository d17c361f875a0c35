package org.latentmotion.wplus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small .npz whose member inflates to far more than the heap (a zip bomb: 300 MB of zeros in
 * a few hundred KB) is refused from its declared size, before inflating, in a child JVM with a
 * 96 MB heap: a clear message instead of an OutOfMemoryError after seconds of work.
 */
class NpzBombTest {
    @TempDir
    Path tmp;

    @Test
    void anArchiveThatWouldNotFitTheHeapIsRefusedBeforeInflating() throws Exception {
        Path bomb = tmp.resolve("bomb.npz");
        long n = 300L << 20;
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(bomb))) {
            zip.putNextEntry(new ZipEntry("codes.npy"));
            zip.write(NpyHeader.encode(NpyDtype.parse("|u1", "test"), new long[] {n}, false));
            byte[] zeros = new byte[1 << 20];
            for (long w = 0; w < n; w += zeros.length) {
                zip.write(zeros);
            }
            zip.closeEntry();
        }
        assertTrue(Files.size(bomb) < 2_000_000, "a small file: " + Files.size(bomb));
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process p = new ProcessBuilder(java, "-Xmx96m", "-cp", cp, Probe.class.getName(), bomb.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child finished");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("refused:") && out.contains("declare 300.0 MB uncompressed"), out);
    }

    /** The child: reads the archive and prints how it was refused. */
    public static final class Probe {
        public static void main(String[] args) {
            try {
                Npz.read(Path.of(args[0]));
                System.out.println("read it (unexpected)");
            } catch (NpyFormatException e) {
                System.out.println("refused: " + e.getMessage());
            }
        }
    }
}

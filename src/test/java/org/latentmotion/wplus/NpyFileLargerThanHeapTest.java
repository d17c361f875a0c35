package org.latentmotion.wplus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An NPY file three times larger than the JVM's heap is read window by window through
 * {@link NpyFile} in a child JVM with a 40 MB heap: the mapping, not the heap, holds the file.
 */
class NpyFileLargerThanHeapTest {
    static final int FRAMES = 3500; // 3500 × 18 × 512 float32 = 129 MB
    static final int LAYERS = 18;
    static final int WIDTH = 512;

    @TempDir
    Path tmp;

    /** Every value of frame t is t / 4 (exact in float32), so a reader can check every window. */
    static void writeBigFile(Path p) throws IOException {
        try (OutputStream out = Files.newOutputStream(p)) {
            out.write(NpyHeader.encode(NpyDtype.parse("<f4", "test"), new long[] {FRAMES, LAYERS, WIDTH}, false));
            ByteBuffer frame = ByteBuffer.allocate(LAYERS * WIDTH * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (int t = 0; t < FRAMES; t++) {
                frame.clear();
                for (int i = 0; i < LAYERS * WIDTH; i++) {
                    frame.putFloat(t / 4f);
                }
                out.write(frame.array());
            }
        }
    }

    @Test
    void readsAFileThreeTimesTheHeapInWindows() throws IOException, InterruptedException {
        Path big = tmp.resolve("big.npy");
        writeBigFile(big);
        assertTrue(Files.size(big) > 120_000_000L);
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process p = new ProcessBuilder(java, "-Xmx40m", "-Dorg.bytedeco.javacpp.maxbytes=256m", "-cp", cp,
                Probe.class.getName(), big.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "child finished");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("checked " + FRAMES + " frames"), out);
    }

    /** The child: reads every 25-frame window and checks each value. */
    public static final class Probe {
        public static void main(String[] args) {
            long heap = Runtime.getRuntime().maxMemory();
            int checked = 0;
            try (NpyFile f = NpyFile.open(Path.of(args[0]))) {
                if (f.header().dataBytes() < 3 * heap) {
                    throw new IllegalStateException("file is not larger than 3 heaps: " + f.header().dataBytes() + " vs " + heap);
                }
                for (int s = 0; s < FRAMES; s += 25) {
                    int e = Math.min(FRAMES, s + 25);
                    INDArray w = f.read(s, e);
                    float[] v = w.data().asFloat(); // one window on the heap at a time
                    int per = LAYERS * WIDTH;
                    for (int t = s; t < e; t++) {
                        for (int i = 0; i < per; i++) {
                            if (v[(t - s) * per + i] != t / 4f) {
                                throw new IllegalStateException("frame " + t + " value " + i + " is " + v[(t - s) * per + i]);
                            }
                        }
                        checked++;
                    }
                }
            }
            System.out.println("checked " + checked + " frames with a heap of " + heap / 1_000_000 + " MB");
        }
    }
}

package org.latentmotion.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Trimming gives freed malloc memory that glibc kept in its arenas back to the system. */
class NativeHeapTest {

    @Test
    void freedSmallBlocksLeaveTheResidentSetOnlyWhenTrimmed() {
        Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "Linux only");
        Assumptions.assumeTrue(Files.exists(Path.of("/lib/x86_64-linux-gnu/libc.so.6"))
                || Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libc.so.6")), "glibc only");
        assertTrue(NativeHeap.available(), "malloc_trim was not found in glibc");
        // 64 MB in 64 kB blocks (below any mmap threshold: they come from an arena), touched, then freed;
        // the block allocated last stays, so glibc's own trimming of a free top does not give them back
        int n = 1024;
        long block = 64 * 1024;
        Pointer[] blocks = new Pointer[n];
        for (int i = 0; i < n; i++) {
            blocks[i] = Pointer.malloc(block);
            Pointer.memset(blocks[i], 1, block);
        }
        Pointer guard = Pointer.malloc(block);
        Pointer.memset(guard, 1, block);
        try {
            for (Pointer p : blocks) {
                Pointer.free(p);
            }
            long freed = ResidentMemory.currentKb();
            NativeHeap.trim();
            long trimmed = ResidentMemory.currentKb();
            assertTrue(trimmed <= freed - 32 * 1024, "resident after free " + freed + " kB, after trim " + trimmed
                    + " kB: less than half of the 64 MB freed went back");
        } finally {
            Pointer.free(guard);
        }
    }
}

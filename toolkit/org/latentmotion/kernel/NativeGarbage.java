package org.latentmotion.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Collects garbage after a cell when the kernel's resident memory grew by {@value #GROWTH_MB} MB
 * since the last collection. The toolkit's arrays live outside the Java heap and are freed only
 * when the collector finds them unreachable; their Java objects are small, so the heap barely
 * fills and a kernel kept every dropped sample (110 MB for 3000 frames of 18 × 512) until it did:
 * six rounds of sampling and rendering grew it by half a gigabyte. ipykernel needs none of this:
 * CPython frees an array when its last reference goes.
 */
final class NativeGarbage {
    static final long GROWTH_MB = 256;

    private long residentAtLastCollectionKb = -1;

    /** Call between cells, on the cell thread. */
    void afterCell() {
        long now = residentKb();
        if (now < 0) {
            return; // no /proc: nothing to measure
        }
        if (residentAtLastCollectionKb < 0 || now < residentAtLastCollectionKb) {
            residentAtLastCollectionKb = now;
        } else if (now - residentAtLastCollectionKb >= GROWTH_MB * 1024) {
            System.gc();
            residentAtLastCollectionKb = residentKb();
        }
    }

    /** This process's resident set (Linux VmRSS) in kB, or −1 when unknown. */
    static long residentKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }
}

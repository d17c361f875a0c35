package org.latentmotion.nn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Collects garbage when this process's resident memory has grown by a set amount since the last
 * collection. ND4J arrays made outside a {@link Scope#reusing} workspace live outside the Java heap
 * and are freed only when the collector finds them unreachable; their Java objects are small, so
 * the heap barely fills and nothing tells the collector to run. A loop that drops such arrays
 * every iteration then grows without bound: MoCoGAN-HD's training step left ~5 MB per step to
 * the collector, and a 3100-step run reached 16.8 GB before the kernel's OOM killer stopped it (with
 * a collection every 25 steps the same loop stays at 0.8 GB, and runs faster). The kernel calls
 * this between cells, the {@code Trainer} between steps.
 */
public final class NativeGarbage {
    /** The growth that triggers a collection when none is given. */
    public static final long DEFAULT_GROWTH_MB = 256;

    private final long growthKb;
    private long residentAtLastCollectionKb = -1;
    private int collections;

    /** A watcher that collects after {@code growthMb} MB of growth. */
    public NativeGarbage(long growthMb) {
        if (growthMb < 1) {
            throw new IllegalArgumentException("growth before a collection: expected at least 1 MB, found " + growthMb);
        }
        this.growthKb = growthMb * 1024;
    }

    /** A watcher that collects after {@value #DEFAULT_GROWTH_MB} MB of growth. */
    public NativeGarbage() {
        this(DEFAULT_GROWTH_MB);
    }

    /**
     * Collects garbage if the resident memory grew by the set amount since the last collection
     * (or since the first call); returns whether it did. Call at a boundary of the work (between
     * cells, between training steps), on the thread that does it. Reads one small /proc file: a
     * few tens of microseconds; does nothing where there is no /proc.
     */
    public boolean collectIfGrown() {
        long now = residentKb();
        if (now < 0) {
            return false;
        }
        if (residentAtLastCollectionKb < 0 || now < residentAtLastCollectionKb) {
            residentAtLastCollectionKb = now;
            return false;
        }
        if (now - residentAtLastCollectionKb < growthKb) {
            return false;
        }
        System.gc();
        collections++;
        residentAtLastCollectionKb = residentKb();
        return true;
    }

    /** Collections this watcher has made. */
    public int collections() {
        return collections;
    }

    /** This process's resident set (Linux VmRSS) in kB, or −1 when unknown. */
    public static long residentKb() {
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

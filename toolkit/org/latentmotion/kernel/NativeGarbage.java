package org.latentmotion.kernel;

/**
 * Collects garbage after a cell when the kernel's resident memory grew by {@value #GROWTH_MB} MB
 * since the last collection ({@link org.latentmotion.nn.NativeGarbage}, which the trainer uses
 * between steps too). The toolkit's arrays live outside the Java heap and are freed only when the
 * collector finds them unreachable; their Java objects are small, so the heap barely fills and a
 * kernel kept every dropped sample (110 MB for 3000 frames of 18 × 512) until it did: six rounds
 * of sampling and rendering grew it by half a gigabyte. ipykernel needs none of this: CPython
 * frees an array when its last reference goes.
 */
final class NativeGarbage {
    static final long GROWTH_MB = 256;

    private final org.latentmotion.nn.NativeGarbage watcher = new org.latentmotion.nn.NativeGarbage(GROWTH_MB);

    /** Call between cells, on the cell thread. */
    void afterCell() {
        watcher.collectIfGrown();
    }

    /** This process's resident set (Linux VmRSS) in kB, or −1 when unknown. */
    static long residentKb() {
        return org.latentmotion.nn.NativeGarbage.residentKb();
    }
}

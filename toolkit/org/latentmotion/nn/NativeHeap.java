package org.latentmotion.nn;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;

/**
 * Gives the C allocator's free memory back to the operating system (glibc's {@code malloc_trim(0)}).
 *
 * <p>ND4J's arrays outside a workspace come from {@code malloc}. glibc returns a freed block to the
 * system at once only if it was mapped on its own, and it maps on its own only blocks above a
 * threshold that rises (up to 32 MB) every time such a block is freed; smaller freed blocks stay
 * resident in its arenas for reuse. A {@link Scope#reusing} workspace learns its size from one
 * step whose arrays are all allocated this way, and at paper() that step's arrays under 32 MB
 * (the critic's [3200, 512] activations and their gradients) stayed resident after it: 450–650 MB
 * held for the rest of the run next to the workspace that replaced them. Trimming once after
 * that step gives them back. Where there is no glibc (no {@code malloc_trim}) this does nothing.
 *
 * <p>JNA comes with ND4J (nd4j-api depends on oshi, which depends on JNA).
 */
public final class NativeHeap {
    private static final Function TRIM = find();

    private NativeHeap() {
    }

    private static Function find() {
        if (!System.getProperty("os.name", "").startsWith("Linux")) {
            return null;
        }
        try {
            return NativeLibrary.getInstance("c").getFunction("malloc_trim");
        } catch (UnsatisfiedLinkError | RuntimeException | NoClassDefFoundError e) {
            return null; // another C library (musl), or JNA missing: nothing to trim with
        }
    }

    /** Whether this process can trim (Linux with glibc). */
    public static boolean available() {
        return TRIM != null;
    }

    /**
     * Returns the free memory of every malloc arena to the system; true if any was returned. Takes
     * milliseconds (it walks the arenas' free lists): for the end of a phase, not for every step.
     */
    public static boolean trim() {
        return TRIM != null && TRIM.invokeInt(new Object[] {0L}) == 1;
    }
}

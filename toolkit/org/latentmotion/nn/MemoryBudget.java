package org.latentmotion.nn;

import java.util.Locale;
import org.bytedeco.javacpp.Pointer;

/**
 * A check before large work: does the native memory a call is about to allocate fit in what
 * this JVM may still take (ND4J's arrays live off-heap, limited by
 * {@code -Dorg.bytedeco.javacpp.maxbytes}) and in what the machine has free? Refusing with a
 * message that says how much was needed is better than a kernel that grows until the machine
 * kills it.
 */
public final class MemoryBudget {
    private MemoryBudget() {
    }

    /** Bytes of native memory a new allocation may still take: the JVM's off-heap limit and the machine's free memory. */
    public static long available() {
        long limit = Pointer.maxBytes() > 0 ? Pointer.maxBytes() - Pointer.totalBytes() : Long.MAX_VALUE;
        long machine;
        try {
            machine = Pointer.availablePhysicalBytes();
        } catch (UnsatisfiedLinkError e) {
            machine = Long.MAX_VALUE;
        }
        if (machine <= 0) {
            machine = Long.MAX_VALUE; // unknown on this platform
        }
        return Math.max(0, Math.min(limit, machine));
    }

    /**
     * Throws if {@code bytes} (an estimate; {@link Long#MAX_VALUE} for "overflows") do not fit in
     * {@link #available()}: "{what} needs about 92.2 GB of memory, this JVM can take 7.1 GB more; {advice}".
     */
    public static void require(String what, long bytes, String advice) {
        long free = available();
        if (bytes < 0 || bytes > free) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s needs about %s of memory, this JVM can take %s"
                    + " more%s", what, bytes < 0 || bytes == Long.MAX_VALUE ? "more than 8 EB" : human(bytes), human(free),
                    advice == null || advice.isEmpty() ? "" : "; " + advice));
        }
    }

    /** {@code a × b × …} or {@link Long#MAX_VALUE} if the product overflows. */
    public static long product(long... factors) {
        long p = 1;
        for (long f : factors) {
            if (f < 0) {
                return Long.MAX_VALUE;
            }
            try {
                p = Math.multiplyExact(p, f);
            } catch (ArithmeticException e) {
                return Long.MAX_VALUE;
            }
        }
        return p;
    }

    static String human(long bytes) {
        if (bytes >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30));
        }
        return String.format(Locale.ROOT, "%.0f MB", bytes / (double) (1L << 20));
    }
}

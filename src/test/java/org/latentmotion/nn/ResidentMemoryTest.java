package org.latentmotion.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Reading VmRSS and VmHWM from /proc/self/status. */
class ResidentMemoryTest {
    private static final List<String> STATUS = List.of(
            "Name:\tjava",
            "VmPeak:\t 9876543 kB",
            "VmHWM:\t  2345678 kB",
            "VmRSS:\t  1234567 kB",
            "RssAnon:\t  1000000 kB");

    @Test
    void readsTheNamedFieldOnly() {
        assertEquals(2_345_678, ResidentMemory.fieldKb(STATUS, "VmHWM"));
        assertEquals(1_234_567, ResidentMemory.fieldKb(STATUS, "VmRSS"));
        assertEquals(1_000_000, ResidentMemory.fieldKb(STATUS, "RssAnon"));
        assertEquals(-1, ResidentMemory.fieldKb(STATUS, "VmSwap"));
        assertEquals(-1, ResidentMemory.fieldKb(STATUS, "Rss"), "a prefix of another field's name is not that field");
    }

    @Test
    void refusesAValueThatIsNotInKb() {
        assertThrows(IllegalArgumentException.class, () -> ResidentMemory.fieldKb(List.of("VmHWM:\t12 MB"), "VmHWM"));
    }

    @Test
    void theResidentSetGrowsWithTouchedMemoryAndThePeakStaysAboveIt() {
        Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "Linux only");
        long before = ResidentMemory.currentKb();
        assertTrue(before > 0);
        assertTrue(ResidentMemory.peakKb() >= before);
        var buffer = java.nio.ByteBuffer.allocateDirect(64 << 20); // off the heap: pages become resident when touched
        for (int i = 0; i < buffer.capacity(); i += 4096) {
            buffer.put(i, (byte) 1);
        }
        long during = ResidentMemory.currentKb();
        assertTrue(during >= before + 32 * 1024, "VmRSS grew by " + (during - before) + " kB for 64 MB touched");
        assertTrue(ResidentMemory.peakKb() >= during, "VmHWM " + ResidentMemory.peakKb() + " kB below VmRSS " + during);
        assertEquals(1, buffer.get(4096)); // keeps the buffer reachable until the reads above
    }
}

package org.latentmotion.nn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * This process's resident memory as Linux reports it in {@code /proc/self/status}: the current
 * resident set (VmRSS) and its high-water mark since the process started (VmHWM). The high-water
 * mark is kept by the kernel, so it catches a peak that lasted a millisecond, which sampling
 * VmRSS would miss; it is what a training run needs the machine to have.
 */
public final class ResidentMemory {
    private static final Path STATUS = Path.of("/proc/self/status");

    private ResidentMemory() {
    }

    /** Current resident set (VmRSS) in kB, or −1 where there is no /proc. */
    public static long currentKb() {
        return readKb("VmRSS");
    }

    /** Peak resident set since the process started (VmHWM) in kB, or −1 where there is no /proc. */
    public static long peakKb() {
        return readKb("VmHWM");
    }

    private static long readKb(String field) {
        try {
            return fieldKb(Files.readAllLines(STATUS), field);
        } catch (IOException e) {
            return -1; // not Linux
        }
    }

    /**
     * The value of a "kB" field ({@code "VmHWM:\t  123456 kB"}) of status lines, or −1 if the field
     * is not there. Only the field named exactly counts: "VmRSS" does not match "RssAnon".
     *
     * @throws IllegalArgumentException if the field is there but its value is not "N kB"
     */
    static long fieldKb(List<String> statusLines, String field) {
        String prefix = field + ":";
        for (String line : statusLines) {
            if (line.startsWith(prefix)) {
                String[] parts = line.substring(prefix.length()).trim().split("\\s+");
                if (parts.length != 2 || !parts[1].equals("kB")) {
                    throw new IllegalArgumentException("/proc/self/status: expected '" + field + ": N kB', found '" + line + "'");
                }
                return Long.parseLong(parts[0]);
            }
        }
        return -1;
    }
}

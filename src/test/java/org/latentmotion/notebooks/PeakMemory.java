package org.latentmotion.notebooks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The peak resident memory (Linux VmHWM) of a process started somewhere below a given process,
 * e.g. the kernel a notebook runner starts: polled a few times a second while it lives, since
 * the value is gone once the process exits. VmHWM is the kernel's own high-water mark, so polling
 * misses nothing but the last fraction of a second.
 */
final class PeakMemory {
    private static final long POLL_MILLIS = 200;

    private final Thread poller;
    private volatile long peakKb = -1;
    private volatile boolean stopped;

    private PeakMemory(ProcessHandle root, String commandLineContains) {
        poller = new Thread(() -> poll(root, commandLineContains), "peak-memory");
        poller.setDaemon(true);
    }

    /** Starts watching the first descendant of {@code root} whose command line contains the text. */
    static PeakMemory watchDescendants(ProcessHandle root, String commandLineContains) {
        PeakMemory m = new PeakMemory(root, commandLineContains);
        m.poller.start();
        return m;
    }

    /** Stops watching; the peak in MiB, or −1 if no such process was seen (e.g. not Linux). */
    long stop() throws InterruptedException {
        stopped = true;
        poller.interrupt();
        poller.join(2000);
        return peakKb < 0 ? -1 : peakKb / 1024;
    }

    private void poll(ProcessHandle root, String needle) {
        Optional<ProcessHandle> target = Optional.empty();
        while (!stopped) {
            if (target.isEmpty() || !target.get().isAlive()) {
                target = root.descendants()
                        .filter(h -> commandLine(h.pid()).contains(needle))
                        .findFirst();
            }
            target.ifPresent(h -> {
                long kb = highWaterKb(h.pid());
                if (kb > peakKb) {
                    peakKb = kb;
                }
            });
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The process's arguments joined by spaces ("" if unreadable): /proc, since ProcessHandle.Info may leave them out. */
    static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), java.nio.charset.StandardCharsets.UTF_8)
                    .replace('\0', ' ');
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** VmHWM of a process in kB, or −1 when it cannot be read (gone, or no /proc). */
    static long highWaterKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process ended between polls, or this is not Linux
        }
        return -1;
    }
}

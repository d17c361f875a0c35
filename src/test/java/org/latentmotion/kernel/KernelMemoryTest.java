package org.latentmotion.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One kernel, many rounds of sampling and rendering (what a notebook user does while exploring):
 * its resident memory must level off after the first rounds, not grow with every round (it once
 * grew from 0.9 to 3.2 GB over six rounds of {@code sample(3000)} and render), and must not grow
 * while the kernel is idle. The cell declares {@code var clip} again each round, as a user
 * re-running a cell does. The figures are printed for the record. Before the kernel let go of
 * declared-again variables ({@link OverwrittenVariables}), with the collection after cells
 * ({@link NativeGarbage}) already in place: 1076, 1188, 1303, 1410, 1517, 1523 MB. Before that
 * collection, cells that rendered a whole new sample each round without re-declaring it: 994,
 * 1111, 1219, 1326, 1432, 1537 MB. Idle, the kernel once grew from 936 to 1027 MB: most likely memory
 * freed after a burst of work that glibc kept (the JIT's compiler arenas peaked at 70 MB in this test). The kernelspec
 * now trims the native heap every 15 s ({@code -XX:TrimNativeHeapInterval}; each trim gave back
 * 10–78 MB in this test).
 */
class KernelMemoryTest {
    private static final int ROUNDS = 6;
    /** Growth allowed between the second and the last round (allocator noise, JIT, one more video). */
    private static final long GROWTH_LIMIT_MB = 300;

    @TempDir
    Path tmp;

    @Test
    void repeatedSamplingAndRenderingLevelsOff() throws Exception {
        try (KernelClient kernel = new KernelClient(TestKernelSpec.create(tmp.resolve("jupyter")), tmp)) {
            KernelClient.Execution setup = kernel.execute(String.join("\n",
                    "long residentMb() throws Exception {",
                    "    for (String l : java.nio.file.Files.readAllLines(java.nio.file.Path.of(\"/proc/self/status\")))",
                    "        if (l.startsWith(\"VmRSS:\")) return Long.parseLong(l.replaceAll(\"[^0-9]\", \"\")) / 1024;",
                    "    return -1;",
                    "}",
                    "var data = ToyWorld.talkingHead().actor(7).minutes(0.3).generate();",
                    "var gan = StyleVideoGan.create(StyleVideoGanConfig.small());",
                    "Trainer.of(gan, data.windows(25)).maxSteps(3).live(false).seed(1).fit();",
                    "var face = Synthesizers.toyFace();",
                    "residentMb()"));
            assertTrue(setup.ok(), setup.toString());
            List<Long> resident = new ArrayList<>();
            for (int round = 1; round <= ROUNDS; round++) {
                // a minute of codes (110 MB off the heap), its first 10 s rendered
                KernelClient.Execution e = kernel.execute("var clip = gan.sample(3000, " + round + ");"
                        + " var video = face.render(clip.slice(0, 250)); residentMb()");
                assertTrue(e.ok(), e.toString());
                resident.add(Long.parseLong(e.resultText().strip()));
            }
            Thread.sleep(20_000); // an idle kernel (the periodic collection runs after 15 s)
            KernelClient.Execution idle = kernel.execute("residentMb()");
            long afterIdle = Long.parseLong(idle.resultText().strip());
            System.out.println("kernel resident MB after each round of sample(3000) + render: " + resident
                    + ", after 20 s idle: " + afterIdle);
            long growth = resident.get(ROUNDS - 1) - resident.get(1);
            assertTrue(growth < GROWTH_LIMIT_MB, "resident memory grew " + growth + " MB from round 2 to round " + ROUNDS
                    + ": " + resident);
            assertTrue(afterIdle <= resident.get(ROUNDS - 1) + 50, "an idle kernel grew: " + resident + " then " + afterIdle);
        }
    }
}

package org.latentmotion.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.google.gson.GsonBuilder;
import org.latentmotion.motion.StyleVideoGan;
import org.latentmotion.motion.StyleVideoGanConfig;
import org.latentmotion.nn.NativeGarbage;
import org.latentmotion.nn.ResidentMemory;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The resident memory of a training run, in a process of its own (bench/report/stage_train_memory.py starts it
 * with the kernelspec's JVM flags, i.e. the heap and native limits a notebook user gets):
 *
 * <pre>java ... org.latentmotion.bench.TrainingMemory --config paper --iterations 4 --out memory-java.json</pre>
 *
 * Builds the model and one real batch (as TrainingStepBench), fits the standardisation, and reads VmRSS: the
 * baseline (JVM, ND4J and its native libraries loaded, data and model built). Then runs {@code --iterations}
 * training iterations as {@code StyleVideoGan.trainStep} under the Trainer does: {@code criticSteps()} critic steps,
 * each on a fresh copy of the real batch freed after it (the Trainer reads a batch per critic step and frees it),
 * then one generator step, with the Trainer's {@link NativeGarbage} check after each iteration. Writes the peak
 * resident set over the whole process (VmHWM) and the baseline as report rows (bench/README.md).
 */
public final class TrainingMemory {
    private TrainingMemory() {}

    /**
     * Where the resident set is at the end, for bench/PROFILE.md: anonymous vs file-backed pages (the native
     * libraries' code), this thread's ND4J workspaces, ND4J's other native arrays, and the JVM's heap.
     */
    static Map<String, String> whatHoldsMemory() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("VmRSS", mb(ResidentMemory.currentKb() * 1024));
        try {
            for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("RssAnon:") || line.startsWith("RssFile:")) {
                    String[] kv = line.split(":\\s*");
                    m.put(kv[0], mb(Long.parseLong(kv[1].replaceAll("[^0-9]", "")) * 1024));
                }
            }
        } catch (java.io.IOException e) {
            m.put("RssAnon", "unknown (" + e.getMessage() + ")");
        }
        for (org.nd4j.linalg.api.memory.MemoryWorkspace ws
                : org.nd4j.linalg.factory.Nd4j.getWorkspaceManager().getAllWorkspacesForCurrentThread()) {
            m.put("workspace " + ws.getId(), mb(ws.getCurrentSize()));
        }
        m.put("JavaCPP-tracked native bytes", mb(org.bytedeco.javacpp.Pointer.totalBytes()));
        var heap = java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        var nonHeap = java.lang.management.ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
        m.put("Java heap used / committed", mb(heap.getUsed()) + " / " + mb(heap.getCommitted()));
        m.put("JVM non-heap committed (metaspace, code)", mb(nonHeap.getCommitted()));
        return m;
    }

    /**
     * The resident set once the set-up's garbage is gone: ND4J frees the native memory of unreachable arrays
     * on its deallocator thread after a collection (model initialisation and fitNormalization leave ~0.5 GB
     * of it at paper()), so collect until the resident set stops falling.
     */
    private static long afterCollecting() throws InterruptedException {
        long last = Long.MAX_VALUE;
        long now = ResidentMemory.currentKb();
        for (int k = 0; k < 10 && now < last - 10_240; k++) {
            System.gc();
            Thread.sleep(300);
            last = now;
            now = ResidentMemory.currentKb();
        }
        return now;
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.0f MB", bytes / 1048576.0);
    }

    public static void main(String[] args) throws Exception {
        String config = "paper";
        int iterations = 4;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config" -> config = args[++i];
                case "--iterations" -> iterations = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument '" + args[i]
                        + "': expected --config small|paper, --iterations N, --out FILE");
            }
        }
        if (out == null || iterations < 1) {
            throw new IllegalArgumentException("expected --out FILE and --iterations N ≥ 1");
        }
        StyleVideoGanConfig c = TrainingStepBench.config(config);
        StyleVideoGan gan = StyleVideoGan.create(c);
        INDArray real = TrainingStepBench.realWindows(c, 7);
        gan.fitNormalization(real);
        long baselineKb = afterCollecting();
        Map<String, String> before = whatHoldsMemory();
        System.out.println("before training: " + before);
        System.out.printf(Locale.ROOT, "%s: baseline VmRSS %.0f MB (VmHWM so far %.0f MB)%n", config,
                baselineKb / 1024.0, ResidentMemory.peakKb() / 1024.0);

        NativeGarbage garbage = new NativeGarbage(); // as the Trainer's Run
        List<Double> peaks = new ArrayList<>();
        List<Double> seconds = new ArrayList<>();
        long seed = 1000;
        for (int it = 0; it < iterations; it++) {
            long t0 = System.nanoTime();
            for (int k = 0; k < c.criticSteps(); k++) {
                INDArray batch = real.dup();
                try {
                    gan.criticStep(batch, seed++);
                } finally {
                    batch.close();
                }
            }
            gan.generatorStep(seed++);
            garbage.collectIfGrown();
            double s = (System.nanoTime() - t0) / 1e9;
            seconds.add(s);
            peaks.add(ResidentMemory.peakKb() / 1024.0);
            System.out.printf(Locale.ROOT, "iteration %d (%d critic + 1 generator steps): %.1f s, VmHWM %.0f MB, "
                    + "VmRSS %.0f MB%n", it, c.criticSteps(), s, peaks.get(it), ResidentMemory.currentKb() / 1024.0);
        }
        long peakKb = ResidentMemory.peakKb();

        Runtime rt = Runtime.getRuntime();
        String heap = String.format(Locale.ROOT, "-Xmx %.0f MB", rt.maxMemory() / 1048576.0);
        String what = String.format(Locale.ROOT, "%s() training, batch %d, t = %d: %d iterations of %d critic + 1 "
                + "generator steps", config, c.batch(), c.windowLength(), iterations, c.criticSteps())
                .replace(": 1 iterations", ": 1 iteration");
        Row peak = Row.measured("memory/" + config + "/peak", "peak resident memory (VmHWM), " + what, "java",
                peakKb / 1048576.0, "GiB", false).note("fresh JVM (" + heap + "); StyleVideoGan.criticStep/"
                + "generatorStep as trainStep runs them, the Trainer's NativeGarbage check after each iteration");
        peak.samples = peaks.stream().map(mb -> mb / 1024.0).toList();
        Row base = Row.measured("memory/" + config + "/baseline", "resident memory before training (VmRSS; runtime "
                + "loaded, " + config + "() model and a real batch built)", "java", baselineKb / 1048576.0, "GiB", false)
                .note("JVM + ND4J");
        Row growth = Row.measured("memory/" + config + "/growth", "peak − baseline: what the " + config
                + "() training iterations add", "java", (peakKb - baselineKb) / 1048576.0, "GiB", false);

        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("impl", "java");
        Map<String, Object> info = new LinkedHashMap<>(MachineInfo.java());
        info.put("jvm flags", String.join(" ", java.lang.management.ManagementFactory.getRuntimeMXBean()
                .getInputArguments()));
        info.put("iteration seconds (" + config + ")", seconds);
        info.put("before training (" + config + ")", before);
        info.put("after training (" + config + ")", whatHoldsMemory());
        doc.put("info", info);
        doc.put("rows", List.of(peak, base, growth));
        BenchMain.write(out, new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create()
                .toJson(doc));
        System.out.println("after training: " + info.get("after training (" + config + ")"));
        System.out.printf(Locale.ROOT, "%s: peak VmHWM %.2f GiB, baseline %.2f GiB; wrote %s%n", config,
                peakKb / 1048576.0, baselineKb / 1048576.0, out);
    }
}

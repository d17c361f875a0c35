import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.latentmotion.pca.LatentPca;
import org.latentmotion.toy.ToyWorld;
import org.latentmotion.wplus.Npy;
import org.latentmotion.wplus.NpyFile;
import org.latentmotion.wplus.Trajectory;
import org.latentmotion.wplus.TrajectorySet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The Java side of bench/wplus/run: NPY read/write throughput and PCA fit time on a toy talking-head
 * trajectory. Prints a table and writes JSON rows (see bench/README.md) for bench_wplus.py to merge.
 *
 *   java WplusBench --dir DIR --frames N --reps R --pca-reps P --out rows.json
 */
public final class WplusBench {
    static final List<String> rows = new ArrayList<>();
    static final String CMD = "bench/wplus/run";

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(arg(args, "--dir", "/tmp"));
        int frames = Integer.parseInt(arg(args, "--frames", "7500"));
        int reps = Integer.parseInt(arg(args, "--reps", "7"));
        int pcaReps = Integer.parseInt(arg(args, "--pca-reps", "3"));
        Path out = Path.of(arg(args, "--out", "wplus-java.json"));
        Files.createDirectories(dir);

        // the data: one actor talking, frames × 18 × 512 float32 — also the file numpy reads
        long t0 = System.nanoTime();
        TrajectorySet set = ToyWorld.talkingHead().actor(7).seconds(frames / 25.0).generate();
        Trajectory all = set.allFrames();
        System.out.printf(Locale.ROOT, "data: %s (generated in %.1f s)%n", all, (System.nanoTime() - t0) / 1e9);
        Path f4 = dir.resolve("wplus-f4.npy");
        Npy.write(f4, all.codes());
        Npy.write(dir.resolve("wplus-f2.npy"), all.codes().castTo(DataType.HALF));
        double mb = Files.size(f4) / 1e6;
        String shape = frames + "×18×512";

        // NPY write (page cache, not the disk, is what both sides measure)
        Path w = dir.resolve("wplus-written.npy");
        double[] write = time(reps, () -> Npy.write(w, all.codes()));
        row("npy/write", "NPY write, " + shape + " float32", mb / median(write), "MB/s", true, write, mb, "Npy.write (temp file + atomic move)");

        double[] read = time(reps, () -> Npy.read(f4));
        row("npy/read", "NPY read, " + shape + " float32", mb / median(read), "MB/s", true, read, mb, "Npy.read → INDArray");

        double mb2 = Files.size(dir.resolve("wplus-f2.npy")) / 1e6;
        double[] read16 = time(reps, () -> Npy.read(dir.resolve("wplus-f2.npy")));
        row("npy/read-f16", "NPY read, " + shape + " float16 → float32", mb2 / median(read16), "MB/s", true, read16, mb2,
                "Npy.read converting to float32");

        // windows of 25 frames from a memory-mapped file, random starts (a training loop's access pattern)
        int windows = 200;
        double wmb = windows * 25 * 18 * 512 * 4 / 1e6;
        double[] mapped = time(reps, () -> {
            try (NpyFile f = NpyFile.open(f4)) {
                java.util.Random r = new java.util.Random(1);
                for (int i = 0; i < windows; i++) {
                    int s = r.nextInt(frames - 25);
                    f.read(s, s + 25);
                }
            }
        });
        row("npy/mmap-windows", "NpyFile: 200 random 25-frame windows of " + shape, wmb / median(mapped), "MB/s", true,
                mapped, wmb, "NpyFile.read(from, to), mapped");

        // PCA at frames × 9216, k = 32
        INDArray x = all.flatFrames().dup('c');
        double[] fit = time(pcaReps, () -> LatentPca.fit(x, 32, 42));
        double[] fitCpu = lastCpu.clone();
        LatentPca pca = LatentPca.fit(x, 32, 42);
        lastCpu = fitCpu;
        double kept = Arrays.stream(pca.explainedVariance()).sum();
        row("pca/fit", "PCA fit, " + frames + "×9216, k=32", median(fit), "s", false, fit, Double.NaN,
                pca.method() + "; variance kept " + String.format(Locale.ROOT, "%.6g", kept) + " of "
                        + String.format(Locale.ROOT, "%.6g", pca.totalVariance()));
        Files.writeString(out, "[\n" + String.join(",\n", rows) + "\n]\n");
        Files.writeString(dir.resolve("wplus-java-pca-kept.txt"), Double.toString(kept));
    }

    interface Work {
        void run() throws Exception;
    }

    static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    /** Process CPU seconds of the last {@link #time} call's repetitions (all threads), for a busy machine. */
    static double[] lastCpu;

    static double[] time(int reps, Work w) {
        try {
            w.run(); // warm-up: JIT, page cache, native libraries
            double[] s = new double[reps];
            lastCpu = new double[reps];
            for (int i = 0; i < reps; i++) {
                System.gc(); // untimed: ND4J's off-heap arrays go only when the collector finds them
                long c = OS.getProcessCpuTime();
                long t = System.nanoTime();
                w.run();
                s[i] = (System.nanoTime() - t) / 1e9;
                lastCpu[i] = (OS.getProcessCpuTime() - c) / 1e9;
            }
            return s;
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }

    static double median(double[] s) {
        double[] c = s.clone();
        Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
    }

    static void row(String key, String stage, double value, String unit, boolean higher, double[] seconds, double mb,
            String note) {
        StringBuilder samples = new StringBuilder();
        for (double s : seconds) {
            samples.append(samples.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.6g",
                    Double.isNaN(mb) ? s : mb / s));
        }
        double cpu = median(lastCpu);
        note = note + String.format(Locale.ROOT, "; median process CPU %.3g s per run (wall %.3g s)", cpu, median(seconds));
        System.out.printf(Locale.ROOT, "%-22s %-50s java    %10.4g %s  (CPU %.3g s, wall %.3g s)%n", key, stage, value, unit,
                cpu, median(seconds));
        rows.add(String.format(Locale.ROOT, "{\"key\": \"%s\", \"stage\": \"%s\", \"impl\": \"java\", \"value\": %.6g, "
                + "\"unit\": \"%s\", \"higherIsBetter\": %s, \"samples\": [%s], \"n\": %d, \"command\": \"%s\", \"note\": \"%s\"}",
                key, stage, value, unit, higher, samples, seconds.length, CMD, note.replace("\"", "'")));
    }

    static String arg(String[] args, String name, String def) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return def;
    }
}

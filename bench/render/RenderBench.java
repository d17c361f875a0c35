import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import com.sun.management.GarbageCollectionNotificationInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.latentmotion.render.Synthesizer;
import org.latentmotion.render.OnnxOptions;
import org.latentmotion.render.Synthesizers;
import org.latentmotion.video.Video;
import org.latentmotion.video.VideoFormat;
import org.latentmotion.video.VideoOptions;
import org.latentmotion.wplus.Trajectory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Render benchmark (run by bench/render/run.sh):
 *  1. frames/s of the exported StyleGAN2 test graph in ONNX Runtime Java at batch 1, 8, 32,
 *     against torch eager on the same graph and weights (bench/render/torch_bench.py), same run;
 *  2. encode frames/s of each video format;
 *  3. peak live heap and peak resident memory (heap + native) during render + encode of 300 to 6000 frames, one JVM
 *     per length (flat in length = streaming).
 */
public class RenderBench {
    /** Frames rendered and encoded before a memory measurement, so the JIT has compiled the encoder (its compiler's memory is not the render's). */
    static final int WARM_UP_FRAMES = 600;

    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("--memory")) {
            memoryRow(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
            return;
        }
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : Runtime.getRuntime().availableProcessors();
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 3.0;
        int[] batches = {1, 8, 32};
        System.out.printf(Locale.ROOT, "machine: %d cores, load average %.1f; intra-op threads %d%n",
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), threads);

        // 1. ORT vs torch
        double[] ort = new double[batches.length];
        for (int i = 0; i < batches.length; i++) {
            try (Synthesizer g = Synthesizers.testStyleGan2(OnnxOptions.builder().threads(threads).batch(batches[i]).build())) {
                var codes = Nd4j.randn(DataType.FLOAT, new long[] {batches[i], 10, 512});
                g.synthesize(codes); // warm up
                long n = 0;
                long t0 = System.nanoTime();
                double el;
                do {
                    g.synthesize(codes);
                    n += batches[i];
                    el = (System.nanoTime() - t0) / 1e9;
                } while (el < seconds || n < 2L * batches[i]);
                ort[i] = n / el;
            }
        }
        double[] torch = new double[batches.length];
        String torchNote = torch(threads, seconds, torch);
        System.out.println();
        System.out.println("StyleGAN2 test graph (64x64, L=10, 0.56 M params), frames/s — same graph and weights");
        System.out.println("| batch | ORT Java | torch eager | ORT / torch |");
        System.out.println("|------:|---------:|------------:|------------:|");
        for (int i = 0; i < batches.length; i++) {
            System.out.printf(Locale.ROOT, "| %5d | %8.1f | %11.1f | %11.2f |%n", batches[i], ort[i], torch[i], ort[i] / torch[i]);
        }
        System.out.println(torchNote);

        // 2. encoders
        System.out.println();
        System.out.println("Encode (frames already rendered), frames/s and file size");
        System.out.println("| format | frame | frames/s | KB per second of video |");
        System.out.println("|--------|------:|---------:|-----------------------:|");
        for (int size : new int[] {64, 256}) {
            List<BufferedImage> frames = new ArrayList<>();
            try (Synthesizer g = Synthesizers.testStyleGan2(OnnxOptions.builder().threads(threads).build())) {
                BufferedImage[] imgs = g.renderFrames(Nd4j.randn(DataType.FLOAT, new long[] {50, 10, 512}).muli(0.5));
                for (BufferedImage im : imgs) {
                    BufferedImage s = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
                    var gr = s.createGraphics();
                    gr.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                    gr.drawImage(im, 0, 0, size, size, null);
                    gr.dispose();
                    frames.add(s);
                }
            }
            for (VideoFormat f : VideoFormat.values()) {
                if (f == VideoFormat.MP4_FFMPEG && VideoFormat.best() != VideoFormat.MP4_FFMPEG) {
                    continue;
                }
                Video.of(frames.subList(0, 5), 25, VideoOptions.builder().format(f).build()); // warm up
                long t0 = System.nanoTime();
                Video v = Video.of(frames, 25, VideoOptions.builder().format(f).build());
                double el = (System.nanoTime() - t0) / 1e9;
                System.out.printf(Locale.ROOT, "| %-10s | %3d² | %8.1f | %22.1f |%n", f, size, frames.size() / el,
                        v.size() / 1024.0 / v.durationSeconds());
            }
        }

        // 3. memory during long renders, each length in its own JVM (so one run's peak cannot hide another's)
        System.out.println();
        System.out.println("Peak memory during render + encode (JCodec MP4, 64x64, batch 8), one JVM per length, 128 MB heap");
        System.out.println("| frames | peak live heap MB | peak RSS above baseline MB | baseline RSS MB | GCs | video KB | frames/s |");
        System.out.println("|-------:|------------------:|---------------------------:|----------------:|----:|---------:|---------:|");
        for (int frames : new int[] {300, 1500, 3000, 6000}) {
            System.out.println(memoryInChildJvm(frames, threads));
        }
        System.out.printf(Locale.ROOT, "(live heap = heap used right after each GC during the render, its maximum; RSS = the"
                + " process's resident memory: heap, ONNX Runtime and ND4J buffers, JIT; the heap is pre-touched so its pages"
                + " are in the baseline; the encoded video is kept in memory; all 6000 frames as images would be %.1f MB)%n",
                6000 * 64 * 64 * 4 / 1048576.0);
    }

    /** Runs {@link #memoryRow} in a fresh JVM with a pre-touched 128 MB heap and returns its table row. */
    static String memoryInChildJvm(int frames, int threads) throws Exception {
        String javaBin = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(javaBin, "-Xms128m", "-Xmx128m", "-XX:+AlwaysPreTouch", "-cp",
                System.getProperty("java.class.path"), "RenderBench", "--memory", Integer.toString(frames),
                Integer.toString(threads)).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String row = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String l; (l = r.readLine()) != null; ) {
                if (l.startsWith("|")) {
                    row = l;
                }
            }
        }
        int code = p.waitFor();
        if (row == null || code != 0) {
            throw new IllegalStateException("memory run for " + frames + " frames failed (exit " + code + ")");
        }
        return row;
    }

    /**
     * One render + encode of {@code frames} random frames after a warm-up render, with the peak resident set
     * measured from a baseline taken just before it (Linux: VmHWM reset through /proc/self/clear_refs; elsewhere
     * VmRSS sampled every 10 ms) and the largest heap still in use after a garbage collection during it (what the
     * render holds; the used heap between collections is mostly garbage waiting for the next one).
     */
    static void memoryRow(int frames, int threads) throws Exception {
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        try (Synthesizer g = Synthesizers.testStyleGan2(OnnxOptions.builder().threads(threads).batch(8).build())) {
            g.render(Trajectory.of(Nd4j.randn(DataType.FLOAT, new long[] {WARM_UP_FRAMES, 10, 512}).muli(0.5), 25, "warm-up"));
            Trajectory t = Trajectory.of(Nd4j.randn(DataType.FLOAT, new long[] {frames, 10, 512}).muli(0.5), 25, "random");
            System.gc();
            boolean reset = resetPeakRss();
            long base = statusKb("VmRSS");
            AtomicLong livePeak = new AtomicLong(mem.getHeapMemoryUsage().getUsed());
            AtomicLong collections = new AtomicLong();
            javax.management.NotificationListener onGc = (notification, handback) -> {
                if (notification.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                    var info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                    long after = info.getGcInfo().getMemoryUsageAfterGc().values().stream().mapToLong(MemoryUsage::getUsed).sum();
                    livePeak.accumulateAndGet(after, Math::max);
                    collections.incrementAndGet();
                }
            };
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                ((NotificationEmitter) gc).addNotificationListener(onGc, null, null);
            }
            AtomicLong rssPeak = new AtomicLong(base);
            Thread sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    rssPeak.accumulateAndGet(statusKb("VmRSS"), Math::max);
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            sampler.setDaemon(true);
            sampler.start();
            long t0 = System.nanoTime();
            Video v = g.render(t);
            double el = (System.nanoTime() - t0) / 1e9;
            sampler.interrupt();
            sampler.join();
            long peak = Math.max(rssPeak.get(), reset ? statusKb("VmHWM") : 0); // VmHWM lags RSS by up to ~0.5 MB
            System.gc(); // the render's last collection: what it still holds at the end counts too
            Thread.sleep(100); // notifications arrive on another thread
            System.out.printf(Locale.ROOT, "| %6d | %17.1f | %26.1f | %15.1f | %3d | %8.1f | %8.1f |%n", frames,
                    livePeak.get() / 1048576.0, (peak - base) / 1024.0, base / 1024.0, collections.get() - 1,
                    v.size() / 1024.0, frames / el);
        }
    }

    /** Resets the kernel's peak-RSS counter of this process (Linux ≥ 4.0); false where that is not possible. */
    static boolean resetPeakRss() {
        try {
            java.nio.file.Files.writeString(java.nio.file.Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** A "kB" field of /proc/self/status (VmRSS, VmHWM), or 0 where there is none. */
    static long statusKb(String field) {
        try {
            for (String l : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (l.startsWith(field + ":")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", ""));
                }
            }
        } catch (Exception e) {
            // not Linux
        }
        return 0;
    }

    static String torch(int threads, double seconds, double[] out) throws Exception {
        Process p = new ProcessBuilder("/usr/bin/python3", "bench/render/torch_bench.py", "--threads", Integer.toString(threads),
                "--seconds", Double.toString(seconds)).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String line = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String l; (l = r.readLine()) != null; ) {
                line = l;
            }
        }
        p.waitFor();
        if (line == null) {
            java.util.Arrays.fill(out, Double.NaN);
            return "torch: not available (/usr/bin/python3 with torch needed)";
        }
        String[] keys = {"1", "8", "32"};
        for (int i = 0; i < keys.length; i++) {
            Matcher m = Pattern.compile("\"" + keys[i] + "\": ([0-9.eE+-]+)").matcher(line);
            out[i] = m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
        }
        Matcher d = Pattern.compile("\"check_max_diff\": ([0-9.eE+-]+)").matcher(line);
        return "torch network reproduces the exported reference output: max |diff| " + (d.find() ? d.group(1) : "?");
    }
}

import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.latentmotion.render.Synthesizer;
import org.latentmotion.render.SynthesizerOptions;
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
 *  3. peak heap during render + encode of 300, 750 and 1500 frames (flat in length = streaming).
 */
public class RenderBench {
    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : Runtime.getRuntime().availableProcessors();
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 3.0;
        int[] batches = {1, 8, 32};
        System.out.printf(Locale.ROOT, "machine: %d cores, load average %.1f; intra-op threads %d%n",
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), threads);

        // 1. ORT vs torch
        double[] ort = new double[batches.length];
        for (int i = 0; i < batches.length; i++) {
            try (Synthesizer g = Synthesizers.testStyleGan2(SynthesizerOptions.builder().threads(threads).batch(batches[i]).build())) {
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
            try (Synthesizer g = Synthesizers.testStyleGan2(SynthesizerOptions.builder().threads(threads).build())) {
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

        // 3. heap during long renders
        System.out.println();
        System.out.println("Peak heap during render + encode (JCodec MP4, 64x64, batch 8), sampled every 20 ms");
        System.out.println("| frames | peak used heap MB | used after GC at end MB | video KB | frames/s |");
        System.out.println("|-------:|------------------:|------------------------:|---------:|---------:|");
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        try (Synthesizer g = Synthesizers.testStyleGan2(SynthesizerOptions.builder().threads(threads).batch(8).build())) {
            for (int frames : new int[] {300, 750, 1500}) {
                Trajectory t = Trajectory.of(Nd4j.randn(DataType.FLOAT, new long[] {frames, 10, 512}).muli(0.5), 25, "random");
                System.gc();
                AtomicLong peak = new AtomicLong();
                Thread sampler = new Thread(() -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        peak.accumulateAndGet(mem.getHeapMemoryUsage().getUsed(), Math::max);
                        try {
                            Thread.sleep(20);
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
                System.gc();
                System.out.printf(Locale.ROOT, "| %6d | %17.1f | %23.1f | %8.1f | %8.1f |%n", frames, peak.get() / 1048576.0,
                        mem.getHeapMemoryUsage().getUsed() / 1048576.0, v.size() / 1024.0, frames / el);
            }
        }
        System.out.printf(Locale.ROOT, "(all 1500 frames as images would be %.1f MB; max heap %d MB)%n",
                1500 * 64 * 64 * 4 / 1048576.0, Runtime.getRuntime().maxMemory() >> 20);
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

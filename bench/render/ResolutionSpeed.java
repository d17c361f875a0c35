import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.latentmotion.render.Synthesizer;
import org.latentmotion.render.OnnxOptions;
import org.latentmotion.wplus.Npy;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * CPU render speed of an exported StyleGAN2 at the batch sizes given, frames/s over mapped codes
 * (ψ = 0.7), after one warm-up batch; also checks the model against its export's PyTorch
 * reference. Figures, not assertions. Run (after a build into target-h4, say):
 *
 * <pre>
 * /usr/bin/python3 datasets/models/stylegan2/stylegan2_onnx.py --random --random-size 256 \
 *     --random-channel-multiplier 2 --no-check --out /tmp/sg2-256
 * CP="target-h4/classes:$(cat target-h4/lm-deps-classpath.txt)"
 * java -cp "$CP" bench/render/ResolutionSpeed.java /tmp/sg2-256/stylegan2.onnx 2 16 1 4
 * </pre>
 * (arguments: model, intra-op threads, frames per measurement, batch sizes ...)
 */
public class ResolutionSpeed {
    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        int frames = Integer.parseInt(args[2]);
        System.out.printf(Locale.ROOT, "%s (%.0f MB), %d intra-op threads, %d cores, load average %s%n", model,
                Files.size(model) / 1e6, threads, Runtime.getRuntime().availableProcessors(),
                Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        for (int i = 3; i < args.length; i++) {
            int batch = Integer.parseInt(args[i]);
            try (Synthesizer g = Synthesizer.open(model, OnnxOptions.builder().threads(threads).batch(batch).build())) {
                if (i == 3) {
                    INDArray w = Npy.read(model.resolveSibling("reference_w.npy"));
                    double d = g.synthesize(w).sub(Npy.read(model.resolveSibling("reference_image.npy"))).amaxNumber().doubleValue();
                    System.out.printf(Locale.ROOT, "%dx%d, L = %d; max |ORT - PyTorch| on the reference codes %.2e%n",
                            g.imageWidth(), g.imageHeight(), g.layers(), d);
                }
                INDArray codes = g.mapping().sample(frames + batch, 1, 0.7).wPlus();
                g.renderFrames(codes.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, batch))); // warm-up
                INDArray timed = codes.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(batch, batch + frames));
                long t0 = System.nanoTime();
                g.renderFrames(timed);
                double s = (System.nanoTime() - t0) / 1e9;
                System.out.printf(Locale.ROOT, "batch %2d: %d frames in %.2f s = %.2f frames/s (%.0f ms per frame)%n",
                        batch, frames, s, frames / s, 1000 * s / frames);
            }
        }
    }
}

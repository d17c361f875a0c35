package org.latentmotion.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.latentmotion.wplus.Npy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The documented StyleGAN3 export command, run on pickles NVlabs' own code wrote (stylegan3-t and
 * stylegan3-r, 32², see datasets/models/stylegan3/fixtures/README.md), renders what NVlabs' own
 * generator rendered: the command is read from the README, so a README that drifts from the
 * script fails here.
 */
class StyleGan3ExportFixturesTest {
    static final Path ROOT = Path.of(System.getProperty("latentmotion.root", ".")).toAbsolutePath().normalize();
    static final Path DIR = ROOT.resolve("datasets/models/stylegan3");
    static final String PYTHON = "/usr/bin/python3";
    /** The placeholders of the README's export block. */
    static final String PKL_PLACEHOLDER = "network-snapshot-005000.pkl";
    static final String OUT_PLACEHOLDER = "my-stylegan3";

    static final String[] FIXTURES = {"stylegan3-t-32", "stylegan3-r-32"};
    /** Both exports start together in {@link #exportBoth} (wall time: each is mostly process start-up). */
    static final Map<String, CompletableFuture<Result>> EXPORTS = new ConcurrentHashMap<>();
    @TempDir
    static Path exports;

    @BeforeAll
    static void needsPythonWithTorch() throws Exception {
        boolean ok = Files.isExecutable(Path.of(PYTHON));
        if (ok) {
            Process p = new ProcessBuilder(PYTHON, "-c", "import torch, onnx").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            ok = p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0;
        }
        Assumptions.assumeTrue(ok, PYTHON + " with torch and onnx is not available: the export cannot run here");
        List<String> readme = readmeCommand();
        for (String fixture : FIXTURES) {
            Path pkl = DIR.resolve("fixtures").resolve(fixture).resolve("network-snapshot-000000.pkl");
            List<String> cmd = substitute(readme, pkl, exports.resolve(fixture));
            EXPORTS.put(fixture, CompletableFuture.supplyAsync(() -> {
                try {
                    return run(cmd);
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            }));
        }
    }

    /** The first ```sh block of the README that runs stylegan3_onnx.py, as arguments (continuations joined). */
    static List<String> readmeCommand() throws IOException {
        String readme = Files.readString(DIR.resolve("README.md"), StandardCharsets.UTF_8);
        int from = 0;
        while (true) {
            int open = readme.indexOf("```sh\n", from);
            assertTrue(open >= 0, "README.md: expected a ```sh block running stylegan3_onnx.py, found none");
            int close = readme.indexOf("```", open + 6);
            String block = readme.substring(open + 6, close);
            from = close + 3;
            if (block.contains("stylegan3_onnx.py")) {
                String joined = block.replace("\\\n", " ").strip();
                assertTrue(!joined.contains("\n"), "README.md: expected one command in the export block, found:\n" + block);
                return new ArrayList<>(Arrays.asList(joined.split("\\s+")));
            }
        }
    }

    static List<String> substitute(List<String> cmd, Path pkl, Path out) {
        assertEquals(PYTHON, cmd.get(0), "README export block: expected it to start with " + PYTHON);
        assertTrue(cmd.contains(PKL_PLACEHOLDER) && cmd.contains(OUT_PLACEHOLDER),
                "README export block: expected the placeholders " + PKL_PLACEHOLDER + " and " + OUT_PLACEHOLDER + ", found " + cmd);
        List<String> result = new ArrayList<>();
        for (String a : cmd) {
            result.add(a.equals(PKL_PLACEHOLDER) ? pkl.toString() : a.equals(OUT_PLACEHOLDER) ? out.toString() : a);
        }
        return result;
    }

    /** Runs a command in the project root; the self-check's Java runs on this test's class path. */
    static Result run(List<String> cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true);
        pb.environment().put("LM_CLASSPATH", System.getProperty("java.class.path"));
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "export did not finish in 300 s:\n" + output);
        return new Result(p.exitValue(), output);
    }

    record Result(int exit, String output) {}

    static Stream<String> fixtures() {
        return Stream.of(FIXTURES);
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void theReadmeCommandExportsWhatNvlabsRendered(String fixture) throws Exception {
        Path fx = DIR.resolve("fixtures").resolve(fixture);
        Path out = exports.resolve(fixture);
        Result r = EXPORTS.get(fixture).get(300, TimeUnit.SECONDS);
        System.out.println(r.output());
        assertEquals(0, r.exit(), "export failed:\n" + r.output());
        assertTrue(r.output().contains("stylegan3.onnx vs the plain-PyTorch rebuild: max |diff|")
                && r.output().contains("no weight stored twice"), r.output());
        assertTrue(Files.isRegularFile(out.resolve("stylegan3.json")), "expected stylegan3.json next to the model");

        INDArray ws = Npy.read(fx.resolve("ws.npy"));
        INDArray expected = Npy.read(fx.resolve("images.npy"));
        try (Synthesizer g = Synthesizer.open(out.resolve("stylegan3.onnx"),
                OnnxOptions.builder().device(Device.CPU).batch(3).threads(2).build())) {
            assertEquals(16, g.layers());
            assertEquals(32, g.imageWidth());
            assertEquals(ValueRange.MINUS_ONE_TO_ONE, g.range());
            INDArray actual = g.synthesize(ws); // 4 codes, batch 3: a full and a partial batch
            assertArrayEquals(expected.shape(), actual.shape());
            INDArray diff = actual.sub(expected);
            double maxDiff = diff.amaxNumber().doubleValue();
            double mse = diff.mul(diff).meanNumber().doubleValue();
            double psnr = 10 * Math.log10(4.0 / mse); // peak-to-peak 2 for [-1, 1]
            System.out.printf("%s: ONNX Runtime (Java) vs NVlabs' G_ema.synthesis: max |diff| = %.2e, PSNR = %.1f dB "
                    + "(images in [%.3f, %.3f])%n", fixture, maxDiff, psnr,
                    expected.minNumber().doubleValue(), expected.maxNumber().doubleValue());
            assertTrue(maxDiff <= 1e-5 || psnr >= 100, fixture + ": max |diff| " + maxDiff + ", PSNR " + psnr + " dB");
            // the codes differ per row and per layer (rows 2-3), so equal images would mean ignored codes
            assertNotEquals(0.0, expected.get(NDArrayIndex.point(0)).sub(expected.get(NDArrayIndex.point(2)))
                    .amaxNumber().doubleValue());
        }
        checkMapping(fixture, fx, out.resolve("mapping.onnx"));
    }

    /** mapping.onnx with raw ONNX Runtime: interface, metadata, w and w_avg against NVlabs' G_ema.mapping. */
    static void checkMapping(String fixture, Path fx, Path model) throws Exception {
        INDArray z = Npy.read(fx.resolve("z.npy"));
        INDArray wExpected = Npy.read(fx.resolve("w.npy"));
        INDArray avgExpected = Npy.read(fx.resolve("w_avg.npy"));
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setIntraOpNumThreads(2);
            try (OrtSession s = env.createSession(model.toString(), so)) {
                Map<String, String> meta = s.getMetadata().getCustomMetadata();
                assertEquals("mapping", meta.get("latentmotion.kind"));
                assertEquals("16", meta.get("latentmotion.num_ws"));
                assertEquals("buffer", meta.get("latentmotion.w_avg_source"));
                assertEquals(List.of("z"), new ArrayList<>(s.getInputNames()));
                assertArrayEquals(new long[] {-1, 512}, ((TensorInfo) s.getInputInfo().get("z").getInfo()).getShape());
                assertEquals(List.of("w", "w_avg"), new ArrayList<>(s.getOutputNames()));
                float[] zs = z.dup('c').data().asFloat();
                try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(zs), z.shape());
                        OrtSession.Result r = s.run(Map.of("z", t))) {
                    OnnxTensor w = (OnnxTensor) r.get("w").orElseThrow();
                    OnnxTensor avg = (OnnxTensor) r.get("w_avg").orElseThrow();
                    assertArrayEquals(new long[] {z.size(0), 512}, w.getInfo().getShape());
                    assertArrayEquals(new long[] {512}, avg.getInfo().getShape());
                    double dw = maxAbsDiff(w.getFloatBuffer(), wExpected);
                    double davg = maxAbsDiff(avg.getFloatBuffer(), avgExpected);
                    System.out.printf("%s: mapping.onnx vs NVlabs' G_ema.mapping: w max |diff| = %.2e, w_avg max |diff| = %.2e%n",
                            fixture, dw, davg);
                    assertTrue(dw <= 1e-5, "w max |diff| " + dw);
                    assertEquals(0.0, davg, "w_avg is the buffer, copied exactly");
                }
            }
        }
    }

    static double maxAbsDiff(FloatBuffer actual, INDArray expected) {
        float[] e = expected.dup('c').data().asFloat();
        assertEquals(e.length, actual.remaining());
        double max = 0;
        for (int i = 0; i < e.length; i++) {
            max = Math.max(max, Math.abs(actual.get(i) - e[i]));
        }
        return max;
    }

    @Test
    void aFileThatIsNotAnNvlabsPickleIsRefusedByName(@TempDir Path dir) throws Exception {
        Path junk = Files.writeString(dir.resolve("snapshot.pkl"), "not a pickle");
        Result r = run(substitute(readmeCommand(), junk, dir.resolve("out")));
        assertNotEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("snapshot.pkl: not a Python pickle") && r.output().contains("NVlabs network pickle"),
                r.output());
        assertTrue(!Files.exists(dir.resolve("out").resolve("stylegan3.onnx")), "nothing written for a refused file");
    }
}

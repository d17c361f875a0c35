package org.latentmotion.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.latentmotion.wplus.Npy;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The pSp / e4e encoder exporter against checkpoints in the layout the public code writes
 * (datasets/models/psp/fixtures/*: built, saved and run by pixel2style2pixel's and
 * encoder4editing's own code, references are THEIR W+ codes). Each test runs the export command
 * exactly as datasets/models/psp/README.md shows it, with the README's placeholder file names
 * replaced by the fixture's (a README that drifts from the script fails here), opens the ONNX file
 * in the toolkit and compares its codes with theirs.
 *
 * <p>The checkpoints are stored xz-compressed (their IR-SE-50 widths are hard-coded, so even the
 * smallest is ~190 MB raw); the test decompresses them into a temporary folder first. Each fixture
 * exports a real-width ResNet-50 encoder (125-490 MB of ONNX), so a fixture takes tens of seconds,
 * not milliseconds.
 */
class EncoderExportFixturesTest {
    static final Path ROOT = Path.of(System.getProperty("latentmotion.root", ".")).toAbsolutePath().normalize();
    static final Path DIR = ROOT.resolve("datasets/models/psp");
    static final Path PYTHON = Path.of("/usr/bin/python3");
    /** The README's placeholders. */
    static final String CKPT = "psp_ffhq_encode.pt";
    static final String OUT = "my-encoder";
    static final double MAX_ABS = 1e-5;

    static String command;

    @BeforeAll
    static void needsTorch() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(PYTHON), "skipped: " + PYTHON + " is absent (the exporter runs on Debian's python3-torch)");
        Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import torch, onnx").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Assumptions.assumeTrue(p.waitFor() == 0, "skipped: " + PYTHON + " has no torch/onnx: " + out.strip());
        command = readmeExportCommand(Files.readString(DIR.resolve("README.md")));
    }

    /** The README's one shell command that exports a checkpoint (continuation backslashes joined). */
    static String readmeExportCommand(String readme) {
        List<String> found = new ArrayList<>();
        Matcher m = Pattern.compile("```sh\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        while (m.find()) {
            for (String line : m.group(1).replace("\\\n", " ").split("\n")) {
                String cmd = line.strip().replaceAll("\\s+", " ");
                if (cmd.contains("psp_onnx.py") && cmd.contains(CKPT)) {
                    found.add(cmd);
                }
            }
        }
        assertEquals(1, found.size(), "README.md: expected one shell command exporting " + CKPT + ", found " + found);
        assertTrue(found.get(0).contains(OUT), "README.md: the export command should write to " + OUT + ": " + found.get(0));
        return found.get(0);
    }

    record Run(int exit, String output) {
    }

    static Run run(List<String> argv) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(argv).directory(ROOT.toFile()).redirectErrorStream(true);
        // the exporter's self-check runs RunOnnx (onnx_check.py) on this test's own class path
        pb.environment().put("LM_CLASSPATH", System.getProperty("java.class.path"));
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(15, TimeUnit.MINUTES), "timed out: " + argv);
        String text = new String(out, StandardCharsets.UTF_8);
        System.out.println("$ " + String.join(" ", argv) + "\n" + text.strip());
        return new Run(p.exitValue(), text);
    }

    /** Decompresses the fixture's checkpoint (xz) into {@code tmp}. */
    static Path checkpoint(String name, Path tmp) throws Exception {
        Path xz = DIR.resolve("fixtures").resolve(name).resolve(name + ".pt.xz");
        assertTrue(Files.isRegularFile(xz), "missing fixture " + xz);
        Path pt = tmp.resolve(name + ".pt");
        Run r = run(List.of(PYTHON.toString(), "-c",
                "import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], 'wb'), 1 << 20)",
                xz.toString(), pt.toString()));
        assertEquals(0, r.exit(), "could not decompress " + xz + ": " + r.output());
        return pt;
    }

    /** Runs the README's command on {@code ckpt}, writing to {@code out}. */
    static Run export(Path ckpt, Path out) throws Exception {
        String cmd = command.replace(CKPT, ckpt.toString()).replace(OUT, out.toString());
        return run(List.of(cmd.split(" ")));
    }

    static double maxAbs(INDArray expected, INDArray actual, String what) {
        assertEquals(Arrays.toString(expected.shape()), Arrays.toString(actual.shape()), what + ": shape");
        double d = actual.castTo(DataType.DOUBLE).sub(expected.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        System.out.printf("%s: max |diff| vs their codes %.2e (codes up to %.2f)%n", what, d,
                expected.amaxNumber().doubleValue());
        return d;
    }

    @ParameterizedTest
    @ValueSource(strings = {"psp_gradual_no_nstyles", "e4e_encoder4editing", "psp_w_encoder"})
    void exportedRgbEncoderMatchesTheirCodesInTheToolkit(String name, @TempDir Path tmp) throws Exception {
        Path fixture = DIR.resolve("fixtures").resolve(name);
        Run r = export(checkpoint(name, tmp), tmp.resolve("out"));
        assertEquals(0, r.exit(), "export failed:\n" + r.output());
        assertTrue(r.output().contains("self-check: ONNX Runtime"), "no self-check on ONNX Runtime:\n" + r.output());
        INDArray x = Npy.read(fixture.resolve("reference_input.npy"));
        INDArray expected = Npy.read(fixture.resolve("reference_w.npy"));
        try (Encoder e = Encoder.open(tmp.resolve("out/psp.onnx"))) {
            assertEquals(256, e.inputSize());
            assertEquals(expected.size(1), e.layers());
            assertEquals(-1f, e.range().low());
            assertEquals(1f, e.range().high());
            double d = maxAbs(expected, e.encodeTensor(x), name);
            assertTrue(d <= MAX_ABS, name + ": max |diff| " + d + " > " + MAX_ABS);
        }
    }

    /**
     * A one-channel encoder (pSp's --input_nc 1, as for sketches): Encoder requires [N, 3, S, S], so
     * this one is run on raw ONNX Runtime.
     */
    @Test
    void exportedOneChannelEncoderMatchesTheirCodesOnOnnxRuntime(@TempDir Path tmp) throws Exception {
        String name = "psp_wplus_nc1";
        Path fixture = DIR.resolve("fixtures").resolve(name);
        Run r = export(checkpoint(name, tmp), tmp.resolve("out"));
        assertEquals(0, r.exit(), "export failed:\n" + r.output());
        INDArray x = Npy.read(fixture.resolve("reference_input.npy"));
        INDArray expected = Npy.read(fixture.resolve("reference_w.npy"));
        assertEquals(1, x.size(1));
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions();
             OrtSession s = env.createSession(tmp.resolve("out/psp.onnx").toString(), so)) {
            assertEquals("-1,1", s.getMetadata().getCustomMetadata().get("latentmotion.range"));
            float[] v = x.dup('c').data().asFloat();
            FloatBuffer buf = ByteBuffer.allocateDirect(v.length * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
            buf.put(v).flip();
            try (OnnxTensor t = OnnxTensor.createTensor(env, buf, x.shape());
                 OrtSession.Result out = s.run(Map.of("image", t))) {
                OnnxTensor w = (OnnxTensor) out.get(0);
                float[] got = new float[(int) expected.length()];
                w.getFloatBuffer().get(got);
                double d = maxAbs(expected, Nd4j.create(got, w.getInfo().getShape(), 'c'), name);
                assertTrue(d <= MAX_ABS, name + ": max |diff| " + d + " > " + MAX_ABS);
            }
        } catch (OrtException e) {
            throw new AssertionError(e);
        }
    }

    /** A checkpoint whose opts and weights disagree is refused with expected vs found, before any export. */
    @Test
    void mismatchedCheckpointIsRefusedWithExpectedAndFound(@TempDir Path tmp) throws Exception {
        Path bad = tmp.resolve("bad.pt");
        // pSp opts for a 1024² generator (18 styles), but only 8 map2style heads in the weights
        String make = "import torch, sys\n"
                + "sd = {'encoder.input_layer.0.weight': torch.zeros(64, 3, 3, 3)}\n"
                + "sd.update({'encoder.body.%d.res_layer.1.weight' % i: torch.zeros(1) for i in range(24)})\n"
                + "sd.update({'encoder.styles.%d.linear.weight' % i: torch.zeros(1) for i in range(8)})\n"
                + "torch.save({'state_dict': sd, 'opts': {'encoder_type': 'GradualStyleEncoder', 'output_size': 1024,"
                + " 'input_nc': 3, 'start_from_latent_avg': False}}, sys.argv[1])\n";
        assertEquals(0, run(List.of(PYTHON.toString(), "-c", make, bad.toString())).exit());
        Run r = export(bad, tmp.resolve("out"));
        assertNotEquals(0, r.exit(), "a mismatched checkpoint was exported:\n" + r.output());
        assertTrue(r.output().contains("expected 18 map2style heads") && r.output().contains("found 8"),
                "message should name expected and found:\n" + r.output());
        assertTrue(Files.notExists(tmp.resolve("out/psp.onnx")), "nothing should be written");
    }
}

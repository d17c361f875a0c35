package org.latentmotion.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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

/**
 * The StyleGAN2 exporter against checkpoints in the layouts the public code writes
 * (datasets/models/stylegan2/fixtures/*: made by rosinality's and NVlabs' own code, with
 * references rendered by THEIR generators). Each test runs the export command exactly as the
 * README shows it (placeholders replaced by the fixture and a temporary folder, so a README that
 * drifts from the script fails here), then renders the fixture's codes through the toolkit and
 * compares with the original generator's images, and the mapping network's w (and w_avg) with the
 * original mapping's.
 */
class StyleGan2ExportFixturesTest {
    static final Path ROOT = Path.of(System.getProperty("latentmotion.root", ".")).toAbsolutePath();
    static final Path DIR = ROOT.resolve("datasets/models/stylegan2");
    static final Path PYTHON = Path.of("/usr/bin/python3");
    /** The README's placeholders. */
    static final String ROSINALITY_CKPT = "checkpoint/550000.pt";
    static final String NVLABS_PKL = "network-snapshot-025000.pkl";
    static final String OUT = "my-stylegan2";
    static final double MAX_ABS = 1e-5;
    static final double MIN_PSNR_DB = 100;

    static List<String> readmeCommands;

    @BeforeAll
    static void needsTorch() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(PYTHON), "skipped: " + PYTHON + " is absent (the exporter runs on Debian's python3-torch)");
        Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import torch, onnx").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Assumptions.assumeTrue(p.waitFor() == 0, "skipped: " + PYTHON + " has no torch/onnx: " + out.strip());
        readmeCommands = shellCommands(Files.readString(DIR.resolve("README.md")));
    }

    /** Every line of the README's ```sh blocks (continuation backslashes joined). */
    static List<String> shellCommands(String readme) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("```sh\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        while (m.find()) {
            for (String line : m.group(1).replace("\\\n", " ").split("\n")) {
                String cmd = line.strip().replaceAll("\\s+", " ");
                if (!cmd.isEmpty() && !cmd.startsWith("#")) {
                    out.add(cmd);
                }
            }
        }
        return out;
    }

    /** The one README command that contains all of {@code parts}. */
    static String readmeCommand(String... parts) {
        List<String> found = readmeCommands.stream().filter(c -> Arrays.stream(parts).allMatch(c::contains)).toList();
        assertEquals(1, found.size(), "README.md: expected one shell command containing " + Arrays.toString(parts)
                + ", found " + found + " among " + readmeCommands);
        return found.get(0);
    }

    /** The README's plain NVlabs export (the other one adds --external-data). */
    static String nvlabsCommand() {
        return readmeCommands.stream().filter(c -> c.contains("--nvlabs " + NVLABS_PKL) && !c.contains("--external-data"))
                .findFirst().orElseThrow(() -> new AssertionError("README.md shows no --nvlabs command: " + readmeCommands));
    }

    record Run(int exit, String output) {
    }

    /** Runs a README command (split on spaces; no shell) from the repository root. */
    static Run run(String command) throws IOException, InterruptedException {
        List<String> argv = List.of(command.split(" "));
        ProcessBuilder pb = new ProcessBuilder(argv).directory(ROOT.toFile()).redirectErrorStream(true);
        // the exporter's self-check runs RunOnnx on this test's own class path
        pb.environment().put("LM_CLASSPATH", System.getProperty("java.class.path"));
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "timed out: " + command);
        String text = new String(out, StandardCharsets.UTF_8);
        System.out.println("$ " + command + "\n" + text.strip());
        return new Run(p.exitValue(), text);
    }

    static String export(String command, Path checkpoint, Path out) throws Exception {
        String cmd = command.replace(ROSINALITY_CKPT, checkpoint.toString()).replace(NVLABS_PKL, checkpoint.toString())
                .replace(OUT, out.toString());
        Run r = run(cmd);
        assertEquals(0, r.exit(), "export failed: " + cmd + "\n" + r.output());
        assertTrue(r.output().contains("self-check (ONNX Runtime vs PyTorch"), "no self-check line:\n" + r.output());
        return r.output();
    }

    static void assertClose(INDArray expected, INDArray actual, String what) {
        assertEquals(Arrays.toString(expected.shape()), Arrays.toString(actual.shape()), what + ": shape");
        INDArray e = expected.castTo(DataType.DOUBLE);
        INDArray a = actual.castTo(DataType.DOUBLE);
        double maxAbs = a.sub(e).amaxNumber().doubleValue();
        double mse = a.squaredDistance(e) / e.length();
        // peak signal = 2, the [-1, 1] range the models declare
        double psnr = mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(4 / mse);
        System.out.printf("%s: max |diff| %.2e, PSNR %.1f dB%n", what, maxAbs, psnr);
        assertTrue(maxAbs <= MAX_ABS, what + ": max |diff| " + maxAbs + " > " + MAX_ABS);
        assertTrue(psnr >= MIN_PSNR_DB, what + ": PSNR " + psnr + " dB < " + MIN_PSNR_DB);
    }

    /** Renders the fixture's W+ codes and maps its z through the export; compares with the originals. */
    static void compareWithOriginal(Path exported, Path fixture) {
        // one intra-op thread: the same summation order every run, so the figures do not wander
        try (Synthesizer s = Synthesizer.open(exported.resolve("stylegan2.onnx"),
                OnnxOptions.builder().device(Device.CPU).threads(1).build())) {
            assertClose(Npy.read(fixture.resolve("reference_image.npy")),
                    s.synthesize(Npy.read(fixture.resolve("reference_w.npy"))), fixture.getFileName() + " image");
            Mapping m = s.mapping();
            assertEquals(s.layers(), m.layers(), "mapping.onnx latentmotion.num_ws");
            assertEquals("mapping", m.metadata().get(Mapping.KIND_KEY));
            assertClose(Npy.read(fixture.resolve("reference_mapped_w.npy")),
                    m.map(Npy.read(fixture.resolve("reference_z.npy"))).codes(), fixture.getFileName() + " mapped w");
            Path wAvg = fixture.resolve("reference_w_avg.npy");
            if (Files.exists(wAvg)) {
                assertClose(Npy.read(wAvg), m.wAvg(), fixture.getFileName() + " w_avg");
            } else {
                assertTrue(m.metadata().get(Mapping.W_AVG_SOURCE_KEY).startsWith("mean of 100000 mapped z"),
                        "w_avg source: " + m.metadata());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"rosinality-32/000000.pt", "rosinality-convert-32/converted.pt"})
    void rosinalityCheckpointsExportAndMatchTheirGenerator(String checkpoint, @TempDir Path tmp) throws Exception {
        Path ckpt = DIR.resolve("fixtures").resolve(checkpoint);
        export(readmeCommand("--rosinality " + ROSINALITY_CKPT), ckpt, tmp);
        compareWithOriginal(tmp, ckpt.getParent());
    }

    @ParameterizedTest
    @ValueSource(strings = {"nvlabs-ada-32/network-snapshot-000000.pkl", "nvlabs-sg3-stylegan2-32/network-snapshot-000000.pkl"})
    void nvlabsPicklesExportWithoutNvlabsCodeAndMatchTheirGenerator(String pickle, @TempDir Path tmp) throws Exception {
        Path pkl = DIR.resolve("fixtures").resolve(pickle);
        export(nvlabsCommand(), pkl, tmp);
        compareWithOriginal(tmp, pkl.getParent());
    }

    @Test
    void externalDataExportOpensByPath(@TempDir Path tmp) throws Exception {
        Path pkl = DIR.resolve("fixtures/nvlabs-ada-32/network-snapshot-000000.pkl");
        export(readmeCommand("--external-data"), pkl, tmp);
        Path onnx = tmp.resolve("stylegan2.onnx");
        Path data = tmp.resolve("stylegan2.onnx.data");
        assertTrue(Files.isRegularFile(data), "no " + data);
        assertTrue(Files.size(onnx) < 200_000, "weights should be in the .data file; .onnx is " + Files.size(onnx) + " bytes");
        assertTrue(Files.size(data) > 500_000, ".data holds the weights: " + Files.size(data) + " bytes");
        compareWithOriginal(tmp, pkl.getParent());
    }

    @Test
    void theShippedRandomNetworkIsWhatItsCommandMakes(@TempDir Path tmp) throws Exception {
        String command = readmeCommand("--random --out datasets/models/stylegan2");
        Run r = run(command.replace("--out datasets/models/stylegan2", "--out " + tmp));
        assertEquals(0, r.exit(), r.output());
        for (String f : List.of("reference_z.npy", "reference_mapped_w.npy", "reference_w.npy")) {
            assertClose(Npy.read(DIR.resolve(f)), Npy.read(tmp.resolve(f)), "regenerated " + f);
        }
        // the shipped ONNX files, run by the toolkit, against the regenerated PyTorch output
        compareWithOriginal(DIR, tmp);
        try (Mapping m = Mapping.open(DIR.resolve("mapping.onnx"))) {
            assertEquals(10, m.layers());
            assertTrue(m.metadata().get(Mapping.W_AVG_SOURCE_KEY).startsWith("mean of 100000 mapped z"));
        }
    }

    @Test
    void aCheckpointThatDoesNotMatchIsRefusedSayingWhatWasExpectedAndFound(@TempDir Path tmp) throws Exception {
        Path ckpt = DIR.resolve("fixtures/rosinality-32/000000.pt");
        String command = readmeCommand("--rosinality " + ROSINALITY_CKPT).replace(ROSINALITY_CKPT, ckpt + " --size 256")
                .replace(OUT, tmp.toString());
        Run r = run(command);
        assertNotEquals(0, r.exit());
        assertTrue(r.output().contains("size: expected 256 (--size), found 32"), r.output());
        assertFalse(Files.exists(tmp.resolve("stylegan2.onnx")), "nothing is written for a refused checkpoint");
        Run wrongKind = run(nvlabsCommand().replace(NVLABS_PKL, ckpt.toString()).replace(OUT, tmp.toString()));
        assertNotEquals(0, wrongKind.exit());
        assertTrue(wrongKind.output().contains("NVlabs"), wrongKind.output());
    }
}

package org.latentmotion.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Notebook 07 works unchanged on a model with another W+ layer count: its cells, up to the
 * encoder section (an encoder must be the one trained for the generator), run in JShell against
 * the tiny L = 14 network and its mapping (src/test/resources/render/l14) instead of the shipped
 * L = 10 StyleGAN2 — only the line naming the model file is changed (and CI's scale is set). No cell draws Gaussian
 * codes or writes a layer count into a shape.
 */
class Notebook07OnAnotherLayerCountTest {
    static final Path ROOT = Path.of(System.getProperty("latentmotion.root", ".")).toAbsolutePath();
    static final Path NOTEBOOK = ROOT.resolve("notebooks/07-bring-your-own-stylegan.ipynb");
    static final String MODEL_LINE = "root.resolve(\"datasets/models/stylegan2/stylegan2.onnx\")";
    static final String CI_LINE = "boolean ci = \"true\".equals(System.getenv(\"CI\"));";

    static List<String> codeCells() throws Exception {
        JsonObject nb = new JsonParser().parse(Files.readString(NOTEBOOK, StandardCharsets.UTF_8)).getAsJsonObject();
        List<String> cells = new ArrayList<>();
        for (JsonElement c : nb.getAsJsonArray("cells")) {
            JsonObject cell = c.getAsJsonObject();
            if (cell.get("cell_type").getAsString().equals("code")) {
                StringBuilder src = new StringBuilder();
                cell.getAsJsonArray("source").forEach(l -> src.append(l.getAsString()));
                cells.add(src.toString());
            }
        }
        return cells;
    }

    @Test
    void noCellDrawsGaussianCodesOrWritesALayerCount() throws Exception {
        Pattern gaussian = Pattern.compile("Nd4j\\.randn?\\(");
        Pattern layerShape = Pattern.compile("\\b(10|14|18)L?\\s*,\\s*512\\b");
        for (String cell : codeCells()) {
            assertFalse(gaussian.matcher(cell).find(), "a cell draws random codes:\n" + cell);
            Matcher m = layerShape.matcher(cell);
            assertFalse(m.find(), "a cell writes a layer count into a shape (" + (m.hitEnd() ? "" : m.group()) + "):\n" + cell);
        }
    }

    @Test
    void runsUnchangedOnA14LayerModel(@TempDir Path dir) throws Exception {
        Path l14 = MappingTest.L14;
        Files.copy(l14.resolve("synthesis.onnx"), dir.resolve("stylegan2.onnx"));
        Files.copy(l14.resolve("mapping.onnx"), dir.resolve("mapping.onnx"));
        Files.copy(l14.resolve("reference_wplus.npy"), dir.resolve("reference_w.npy"));
        Files.copy(l14.resolve("reference_image.npy"), dir.resolve("reference_image.npy"));
        Files.copy(l14.resolve("reference_z.npy"), dir.resolve("reference_z.npy"));
        Files.copy(l14.resolve("reference_mapped_w.npy"), dir.resolve("reference_mapped_w.npy"));

        List<String> cells = codeCells();
        String before = System.getProperty("latentmotion.figures");
        System.setProperty("latentmotion.figures", Files.createDirectories(dir.resolve("figures")).toString());
        int ran = 0;
        try (JShell shell = JShell.builder().executionEngine("local").build()) {
            shell.addToClasspath(testClassPath());
            for (String imp : kernelImports()) {
                shell.eval(imp);
            }
            boolean replaced = false;
            for (String cell : cells) {
                if (cell.contains("Encoder.open")) {
                    break; // the encoder section: the shipped encoder is paired with the L = 10 network
                }
                if (cell.contains(MODEL_LINE)) {
                    cell = cell.replace(MODEL_LINE, "Path.of(\"" + dir.resolve("stylegan2.onnx") + "\")")
                            .replace(CI_LINE, "boolean ci = true;"); // the code path, at CI's scale
                    replaced = true;
                }
                run(shell, cell);
                ran++;
            }
            assertTrue(replaced, "the notebook no longer names its model as " + MODEL_LINE);
            assertEquals("14", value(shell, "L"));
            assertEquals("14", value(shell, "loop.layers()"));
            assertEquals("true", value(shell, "maxDiff < 1e-5"));
            run(shell, "g.close();");
        } finally {
            if (before == null) {
                System.clearProperty("latentmotion.figures");
            } else {
                System.setProperty("latentmotion.figures", before);
            }
        }
        assertTrue(ran >= 10, "ran " + ran + " cells");
    }

    /** Runs a cell as the kernel does: unit by unit (JShell's splitter); fails on a rejected unit or an exception. */
    static void run(JShell shell, String cell) {
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        String rest = cell;
        while (!rest.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
            String source = info.completeness().isComplete() ? info.source() : rest;
            rest = info.completeness().isComplete() ? info.remaining() : "";
            for (SnippetEvent e : shell.eval(source)) {
                if (e.causeSnippet() != null) {
                    continue;
                }
                if (e.status() == Snippet.Status.REJECTED) {
                    StringBuilder why = new StringBuilder();
                    shell.diagnostics(e.snippet()).forEach(d -> why.append(d.getMessage(null)).append('\n'));
                    fail("on the L = 14 model, a cell does not compile:\n" + source + "\n" + why + "\nin cell:\n" + cell);
                }
                if (e.exception() != null) {
                    fail("on the L = 14 model, a cell throws " + e.exception() + "\n" + source + "\nin cell:\n" + cell,
                            e.exception());
                }
            }
        }
    }

    static String value(JShell shell, String expression) {
        List<SnippetEvent> events = shell.eval(expression + ";");
        return events.get(events.size() - 1).value();
    }

    /** The kernel's default imports, from the kernel itself (as in DocSnippetsTest). */
    @SuppressWarnings("unchecked")
    static List<String> kernelImports() throws Exception {
        Method m = Class.forName("org.latentmotion.kernel.DefaultImports").getDeclaredMethod("statements");
        m.setAccessible(true);
        String before = System.getProperty("java.class.path");
        System.setProperty("java.class.path", testClassPath()); // surefire's manifest-only jar hides the classpath
        try {
            return (List<String>) m.invoke(null);
        } finally {
            System.setProperty("java.class.path", before);
        }
    }

    static String testClassPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }
}

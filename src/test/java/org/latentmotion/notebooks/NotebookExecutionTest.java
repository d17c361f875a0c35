package org.latentmotion.notebooks;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.latentmotion.display.TableLayoutCheck;
import org.latentmotion.kernel.TestKernelSpec;

/**
 * Executes every notebook in {@code notebooks/} headless, as a user's "Run all" would: Debian's
 * nbconvert/nbclient with the real kernel built by this run. Any cell error fails the notebook's
 * test, with the cell's source and the error in the message. Figures go to a temporary folder
 * (LATENTMOTION_FIGURES), so committed figures are never overwritten; CI=true passes through, so
 * notebooks may scale their work down. {@code -Dlatentmotion.notebooks=01,04} runs a subset.
 *
 * <p>Each executed notebook is then exported as a reader would get it ({@code nbconvert --to html},
 * lab template) into the build folder's {@code notebook-exports/}, laid out at 1200 px in headless
 * Chromium, and every table the toolkit rendered is checked ({@link TableLayoutCheck}): a cell
 * outside the page or with clipped text fails the notebook, naming table, row and column. A
 * screenshot of each export ({@code notebook-exports/NAME.png}) is kept for humans.
 */
class NotebookExecutionTest {
    /** Per-cell timeout: training cells on a small CI machine can take minutes. */
    private static final int CELL_TIMEOUT_SECONDS = 1800;
    /** The build folder's subfolder for HTML exports and their screenshots. */
    private static final String EXPORTS = "notebook-exports";
    /** Each notebook's kernel peak resident memory (MiB), in the order run. */
    private static final Map<String, Long> PEAKS = new LinkedHashMap<>();

    @TempDir
    Path tmp;

    @TestFactory
    Stream<DynamicTest> everyNotebookRunsWithoutErrors() throws IOException {
        Path dir = TestKernelSpec.projectRoot().resolve("notebooks");
        List<Path> notebooks;
        try (Stream<Path> files = Files.list(dir)) {
            notebooks = files.filter(p -> p.getFileName().toString().endsWith(".ipynb")).sorted().toList();
        }
        // -Dlatentmotion.notebooks=01,04 runs only notebooks whose name contains one of these (while developing one).
        String only = System.getProperty("latentmotion.notebooks", "");
        if (!only.isBlank()) {
            List<String> wanted = List.of(only.split(","));
            notebooks = notebooks.stream().filter(p -> wanted.stream().anyMatch(w -> p.getFileName().toString().contains(w.strip()))).toList();
        }
        assertFalse(notebooks.isEmpty(), "no notebooks in " + dir);
        TestKernelSpec spec = TestKernelSpec.create(tmp.resolve("jupyter"));
        return notebooks.stream().map(nb -> DynamicTest.dynamicTest(nb.getFileName().toString(), () -> execute(nb, spec)));
    }

    private void execute(Path notebook, TestKernelSpec spec) throws Exception {
        String name = notebook.getFileName().toString().replace(".ipynb", "");
        Path out = Files.createDirectories(tmp.resolve("out"));
        Path figures = Files.createDirectories(tmp.resolve("figures-" + name));
        Path log = tmp.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(TestKernelSpec.JUPYTER, "nbconvert", "--to", "notebook", "--execute",
                "--ExecutePreprocessor.kernel_name=" + TestKernelSpec.NAME,
                "--ExecutePreprocessor.timeout=" + CELL_TIMEOUT_SECONDS,
                "--ExecutePreprocessor.allow_errors=True",
                "--output-dir", out.toString(), "--output", name, notebook.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        spec.configure(pb);
        pb.environment().put("LATENTMOTION_FIGURES", figures.toString());
        Process p = pb.start();
        PeakMemory peak = PeakMemory.watchDescendants(p.toHandle(), "org.latentmotion.kernel.LatentMotionKernel");
        if (!p.waitFor(3, TimeUnit.HOURS)) {
            p.destroyForcibly();
            fail(name + ": nbconvert did not finish");
        }
        PEAKS.put(name, peak.stop());
        String nbconvertLog = Files.readString(log, StandardCharsets.UTF_8);
        Path executed = out.resolve(name + ".ipynb");
        assertTrue(p.exitValue() == 0 && Files.isRegularFile(executed),
                name + ": nbconvert failed (exit " + p.exitValue() + "):\n" + tail(nbconvertLog));
        // -Dlatentmotion.keepExecuted=<dir> keeps each executed notebook (to compare outputs before and after a refactor)
        String keep = System.getProperty("latentmotion.keepExecuted", "");
        if (!keep.isBlank()) {
            Path dir = Files.createDirectories(Path.of(keep));
            Files.copy(executed, dir.resolve(name + ".ipynb"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        List<String> errors = cellErrors(executed);
        List<String> unreadable = tablesThatDoNotRead(name, executed);
        if (!errors.isEmpty() || !unreadable.isEmpty()) {
            fail(name + ": " + (errors.isEmpty() ? "" : errors.size() + " cell(s) failed\n\n" + String.join("\n\n", errors) + "\n\n")
                    + (unreadable.isEmpty() ? "" : unreadable.size() + " table cell(s) do not read in the HTML export at "
                    + TableLayoutCheck.WIDTH + " px (" + EXPORTS + "/" + name + ".html):\n" + String.join("\n", unreadable)));
        }
    }

    /**
     * Exports the executed notebook to HTML in the build folder, checks its toolkit tables in
     * Chromium at 1200 px and screenshots it; the cells that do not read (none if Chromium is missing).
     */
    private List<String> tablesThatDoNotRead(String name, Path executed) throws Exception {
        if (!TableLayoutCheck.available()) {
            System.out.println(name + ": " + TableLayoutCheck.CHROMIUM + " not installed, tables in the HTML export not checked");
            return List.of();
        }
        Path exports = Files.createDirectories(TestKernelSpec.projectRoot().resolve(System.getProperty("lm.build", "target")).resolve(EXPORTS));
        long started = System.nanoTime();
        Path html = TableLayoutCheck.export(executed, "lab", exports);
        TableLayoutCheck.Result r = TableLayoutCheck.check(html, tmp.resolve("chromium-" + name));
        Path shot = TableLayoutCheck.screenshot(html, r.height(), exports.resolve(name + ".png"), tmp.resolve("chromium-" + name));
        System.out.printf("%s: HTML export %s, %d toolkit tables, %d cells checked at %d px, %d do not read; screenshot %s (%.1f s)%n",
                name, html, r.tables(), r.cells(), TableLayoutCheck.WIDTH, r.problems().size(), shot, (System.nanoTime() - started) / 1e9);
        return r.problems();
    }

    /**
     * Writes each notebook's kernel peak resident memory as a table: to the build folder, and to
     * {@code -Dlatentmotion.memoryReport=<file>} when given (e.g. to update the figures).
     */
    @AfterAll
    static void reportPeakMemory() throws IOException {
        if (PEAKS.isEmpty()) {
            return;
        }
        StringBuilder s = new StringBuilder("| notebook | kernel peak resident memory (VmHWM) |\n|---|---:|\n");
        PEAKS.forEach((nb, mb) -> s.append("| ").append(nb).append(" | ")
                .append(mb < 0 ? "not measured" : String.format(java.util.Locale.ROOT, "%.2f GB", mb / 1024.0)).append(" |\n"));
        String scale = "true".equals(System.getenv("CI")) ? "CI scale (CI=true)" : "full scale";
        String table = "# Kernel memory per notebook\n\nEach notebook run headless at " + scale + " by `NotebookExecutionTest`, "
                + Runtime.getRuntime().availableProcessors() + " cores, " + java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MINUTES)
                + ". The kernel's peak resident memory (VmHWM, polled from /proc while it runs). Made by `bash kernels-setup/test.sh`"
                + " (every run writes it to the build folder's notebook-memory.md); to refresh this file:\n\n"
                + "    CI=true mvn -B test -Dtest=NotebookExecutionTest -Dlatentmotion.memoryReport=figures/notebook-memory.md\n\n" + s;
        System.out.println(table);
        Path build = TestKernelSpec.projectRoot().resolve(System.getProperty("lm.build", "target"));
        Files.writeString(Files.createDirectories(build).resolve("notebook-memory.md"), table);
        String report = System.getProperty("latentmotion.memoryReport", "");
        if (!report.isBlank()) {
            Files.writeString(Path.of(report), table);
        }
    }

    /** Every code cell with an error output: its number, source and error. */
    @SuppressWarnings("deprecation")
    static List<String> cellErrors(Path executed) throws IOException {
        JsonObject nb = new JsonParser().parse(Files.readString(executed, StandardCharsets.UTF_8)).getAsJsonObject();
        List<String> errors = new ArrayList<>();
        int index = 0;
        for (JsonElement c : nb.getAsJsonArray("cells")) {
            JsonObject cell = c.getAsJsonObject();
            index++;
            if (!"code".equals(cell.get("cell_type").getAsString())) {
                continue;
            }
            for (JsonElement o : cell.getAsJsonArray("outputs")) {
                JsonObject output = o.getAsJsonObject();
                if ("error".equals(output.get("output_type").getAsString())) {
                    StringBuilder s = new StringBuilder("cell #" + index + ":\n");
                    s.append(text(cell.get("source"))).append("\n---\n");
                    s.append(output.get("ename").getAsString()).append(": ").append(output.get("evalue").getAsString()).append('\n');
                    JsonArray tb = output.getAsJsonArray("traceback");
                    tb.forEach(l -> s.append(l.getAsString().replaceAll("\u001b\\[[0-9;]*m", "")).append('\n'));
                    errors.add(s.toString());
                }
            }
        }
        return errors;
    }

    private static String text(JsonElement source) {
        if (source.isJsonArray()) {
            StringBuilder s = new StringBuilder();
            source.getAsJsonArray().forEach(l -> s.append(l.getAsString()));
            return s.toString();
        }
        return source.getAsString();
    }

    private static String tail(String log) {
        return log.length() <= 6000 ? log : "…" + log.substring(log.length() - 6000);
    }
}

package org.latentmotion.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * A toolkit table with a 300-character path in it reads at 1200 px in Chromium, in nbconvert's
 * lab and classic HTML exports: every cell inside the page, none clipped. The same table as the
 * toolkit wrote it before issue 17's fix (no style, no wrap class) fails the same check, naming
 * the value cells pushed out of sight, so the check can fail and the style is what passes it.
 */
class TableLayoutTest {
    /** No spaces or hyphens (where browsers break lines anyway): a path only wraps if the table lets it. */
    static final String PATH = "/home/student/courses/generative_video/lab02/models/"
            + "stylegan2_ffhq_1024x1024_pSp_encoder_exported_with_opset17_and_dynamic_batch/".repeat(3)
            + "synthesis_network.onnx";

    @Test
    void aLongPathWrapsInsideThePageInLabAndClassicExports(@TempDir Path dir) throws Exception {
        assumeTrue(TableLayoutCheck.available(), "chromium not installed");
        assumeTrue(new File("/usr/bin/jupyter").canExecute(), "jupyter not installed");
        assertTrue(PATH.length() >= 300, "the path is " + PATH.length() + " characters");
        String html = synthesizerLikeTable() + Tables.toHtml(trainingSteps());
        Path notebook = dir.resolve("tables.ipynb");
        Files.writeString(notebook, notebook(html));
        for (String template : List.of("lab", "classic")) {
            Path page = TableLayoutCheck.export(notebook, template, dir);
            TableLayoutCheck.Result r = TableLayoutCheck.check(page, dir.resolve("work-" + template));
            System.out.printf("%s export: %d tables, %d cells checked, %d problems%n", template, r.tables(), r.cells(),
                    r.problems().size());
            Path shots = Files.createDirectories(buildDir().resolve("table-layout"));
            TableLayoutCheck.screenshot(page, r.height(), shots.resolve("tables-" + template + ".png"), dir.resolve("work-" + template));
            assertEquals(2, r.tables(), template + ": toolkit tables laid out");
            assertEquals(5 * 2 + 11 * 11, r.cells(), template + ": cells checked (5 properties, 11 columns × header and 10 steps)");
            assertTrue(r.ok(), template + " export: tables do not read at " + TableLayoutCheck.WIDTH + " px:\n"
                    + String.join("\n", r.problems()));
        }
    }

    /**
     * The quickstart's first values as the toolkit renders them — the synthesizer's info table
     * (issue 17's empty table), a talking head, a PCA (its table beside its chart), a model —
     * read in a lab export, without running a notebook.
     */
    @Test
    void theQuickstartsValuesReadInALabExport(@TempDir Path dir) throws Exception {
        assumeTrue(TableLayoutCheck.available(), "chromium not installed");
        assumeTrue(new File("/usr/bin/jupyter").canExecute(), "jupyter not installed");
        StringBuilder html = new StringBuilder();
        try (var face = org.latentmotion.render.Synthesizers.toyFace()) {
            html.append(Notebook.render(face).get(MimeBundle.HTML));
        }
        var data = org.latentmotion.toy.ToyWorld.talkingHead().actor(7).minutes(0.5).cuts(0).generate();
        html.append(Notebook.render(data).get(MimeBundle.HTML));
        html.append(Notebook.render(org.latentmotion.pca.LatentPca.fit(data, 16)).get(MimeBundle.HTML));
        html.append(Notebook.render(org.latentmotion.motion.StyleVideoGan.create(
                org.latentmotion.motion.StyleVideoGanConfig.small())).get(MimeBundle.HTML));
        Path notebook = dir.resolve("values.ipynb");
        Files.writeString(notebook, notebook(html.toString()));
        Path page = TableLayoutCheck.export(notebook, "lab", dir);
        TableLayoutCheck.Result r = TableLayoutCheck.check(page, dir.resolve("work"));
        TableLayoutCheck.screenshot(page, r.height(), Files.createDirectories(buildDir().resolve("table-layout")).resolve("values-lab.png"),
                dir.resolve("work"));
        System.out.printf("toolkit values: %d tables, %d cells checked, %d problems%n", r.tables(), r.cells(), r.problems().size());
        assertTrue(r.tables() >= 5, "tables laid out: " + r.tables());
        assertTrue(r.ok(), "toolkit values do not read at " + TableLayoutCheck.WIDTH + " px:\n" + String.join("\n", r.problems()));
    }

    @Test
    void theTableAsWrittenBeforeTheFixFailsTheCheck(@TempDir Path dir) throws Exception {
        assumeTrue(TableLayoutCheck.available(), "chromium not installed");
        assumeTrue(new File("/usr/bin/jupyter").canExecute(), "jupyter not installed");
        // what TableOutput wrote before: the same markup without the style, the wrap class and <wbr>
        String before = synthesizerLikeTable().replace(Tables.STYLE, "").replace(" class=\"lm-wrap\"", "").replace("<wbr>", "");
        assertFalse(before.contains("<style") || before.contains("lm-wrap"), before);
        Path notebook = dir.resolve("before.ipynb");
        Files.writeString(notebook, notebook(before));
        Path page = TableLayoutCheck.export(notebook, "lab", dir);
        TableLayoutCheck.Result r = TableLayoutCheck.check(page, dir.resolve("work"));
        System.out.println("before the fix: " + r.problems().size() + " problems, e.g. "
                + (r.problems().isEmpty() ? "none" : r.problems().get(0)));
        assertFalse(r.ok(), "the unstyled table passed the check: the check cannot catch issue 17's defect");
        // the short values beside the path are the ones pushed out of sight, and the message names table, row and column
        assertTrue(r.problems().stream().anyMatch(p -> p.startsWith("table 1 \"Synthesizer stylegan2.onnx\", row 2, column 2 \"w float32 [N, 18, 512]")),
                String.join("\n", r.problems()));
    }

    /** The build folder ({@code -Dlm.build}), where screenshots are kept for humans to look at. */
    static Path buildDir() {
        return Path.of(System.getProperty("latentmotion.root", ".")).resolve(System.getProperty("lm.build", "target"));
    }

    /** A property table like a synthesizer's info table, with a long path and a long list. */
    static String synthesizerLikeTable() {
        Map<String, String> rows = new LinkedHashMap<>();
        rows.put("model", PATH);
        rows.put("input", "w float32 [N, 18, 512] (W+ codes)");
        rows.put("output", "image float32 [N, 3, 1024, 1024] (RGB images)");
        rows.put("sha256", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
        rows.put("metadata parameters", "yaw,pitch,roll,faceWidth,faceSize,hairVolume,mouthOpen,smile,eyeOpen,browRaise,gazeX,gazeY");
        return TableOutput.properties("Synthesizer stylegan2.onnx", rows);
    }

    /** A wide numeric table like a training history's last steps: 11 columns. */
    static Table trainingSteps() {
        Table t = Table.create("Last 10 steps", IntColumn.create("step"));
        String[] names = {"epoch", "critic", "wasserstein", "gp", "generator", "gap", "angle", "gradNormS", "gradNormI", "seconds"};
        for (String n : names) {
            t.addColumns(DoubleColumn.create(n));
        }
        for (int s = 0; s < 10; s++) {
            t.intColumn("step").append(1576 + s);
            for (int c = 0; c < names.length; c++) {
                t.doubleColumn(names[c]).append((c % 2 == 0 ? -1 : 1) * (s + 1) * Math.PI * Math.pow(10, c % 5 - 2) / 7);
            }
        }
        return t;
    }

    /** A one-cell notebook whose output is {@code html}, as the kernel stores an execute_result. */
    static String notebook(String html) {
        JsonObject data = new JsonObject();
        data.addProperty(MimeBundle.HTML, html);
        data.addProperty(MimeBundle.TEXT, "a table");
        JsonObject output = new JsonObject();
        output.addProperty("output_type", "execute_result");
        output.addProperty("execution_count", 1);
        output.add("metadata", new JsonObject());
        output.add("data", data);
        JsonArray outputs = new JsonArray();
        outputs.add(output);
        JsonObject cell = new JsonObject();
        cell.addProperty("cell_type", "code");
        cell.addProperty("id", "table");
        cell.addProperty("execution_count", 1);
        cell.add("metadata", new JsonObject());
        cell.addProperty("source", "face");
        cell.add("outputs", outputs);
        JsonArray cells = new JsonArray();
        cells.add(cell);
        JsonObject kernelspec = new JsonObject();
        kernelspec.addProperty("name", "latentmotion");
        kernelspec.addProperty("display_name", "Java (latentmotion)");
        kernelspec.addProperty("language", "java");
        JsonObject language = new JsonObject();
        language.addProperty("name", "java");
        JsonObject metadata = new JsonObject();
        metadata.add("kernelspec", kernelspec);
        metadata.add("language_info", language);
        JsonObject nb = new JsonObject();
        nb.addProperty("nbformat", 4);
        nb.addProperty("nbformat_minor", 5);
        nb.add("metadata", metadata);
        nb.add("cells", cells);
        return new Gson().toJson(nb);
    }
}

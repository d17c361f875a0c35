package org.latentmotion.display;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Whether the toolkit's tables read in an HTML page as headless Chromium lays it out at a given
 * width: a script in the page ({@code display/table-check.js}) checks every {@code table.lm-table}
 * — each visible, non-empty cell has a size, lies inside the page and inside every scrolling
 * container around it, and shows all its text — and the page's DOM is read back with
 * {@code --dump-dom}. No WebDriver: the same way {@code video.BrowserTest} drives Chromium.
 *
 * <p>Why "inside every scrolling container" rather than "reachable by scrolling": issue 17 asks
 * that long values wrap, and a table whose values sit beyond a horizontal scroll is the defect
 * it reports (right-aligned values pushed out of sight made the table look empty).
 */
public final class TableLayoutCheck {
    /** Chromium as Debian installs it (kernels-setup and CI install the package). */
    public static final String CHROMIUM = "/usr/bin/chromium";
    /** The page width the check lays pages out at, in CSS pixels: a laptop browser window. */
    public static final int WIDTH = 1200;
    /** Screenshots are cut at this height (Chromium's limit for one capture is about 16k pixels). */
    public static final int MAX_SCREENSHOT_HEIGHT = 16000;

    private static final String RESULT_TAG = "<pre id=\"lm-table-check\">";

    /**
     * What the check found in one page.
     *
     * @param tables   toolkit tables laid out (visible)
     * @param cells    non-empty visible cells checked
     * @param height   the page's height in CSS pixels
     * @param problems one line per cell that does not read: table, row, column, text and why
     */
    public record Result(int tables, int cells, int height, List<String> problems) {
        /** True if every checked cell reads. */
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private TableLayoutCheck() {
    }

    /** True if Chromium is installed, so the check can run. */
    public static boolean available() {
        return new File(CHROMIUM).canExecute();
    }

    /**
     * Lays {@code page} out at {@link #WIDTH} px in headless Chromium and checks its toolkit
     * tables; {@code work} holds the copy with the script and Chromium's profile.
     */
    public static Result check(Path page, Path work) throws IOException, InterruptedException {
        Files.createDirectories(work);
        String html = Files.readString(page, StandardCharsets.UTF_8);
        int end = html.lastIndexOf("</body>");
        String script = "<script>" + script() + "</script>";
        html = end < 0 ? html + script : html.substring(0, end) + script + html.substring(end);
        Path probe = work.resolve("check-" + page.getFileName());
        Files.writeString(probe, html, StandardCharsets.UTF_8);
        String dom = chromium(work, "profile-check", "--window-size=" + WIDTH + ",1000", "--dump-dom", probe.toUri().toString());
        // the last one: the element the script appended to the page
        int at = dom.lastIndexOf(RESULT_TAG);
        int close = at < 0 ? -1 : dom.indexOf("</pre>", at);
        if (close < 0) {
            throw new AssertionError("the table check wrote no result into " + page + " (did the page load?): "
                    + dom.substring(0, Math.min(dom.length(), 400)));
        }
        String json = dom.substring(at + RESULT_TAG.length(), close).replace("&lt;", "<").replace("&gt;", ">").replace("&nbsp;", "\u00a0").replace("&amp;", "&");
        @SuppressWarnings("deprecation")
        JsonObject o = new JsonParser().parse(json).getAsJsonObject();
        List<String> problems = new ArrayList<>();
        o.getAsJsonArray("problems").forEach(p -> problems.add(p.getAsString()));
        if (o.get("viewport").getAsInt() != WIDTH) {
            throw new AssertionError("Chromium laid " + page + " out " + o.get("viewport").getAsInt() + " px wide, expected " + WIDTH);
        }
        return new Result(o.get("tables").getAsInt(), o.get("cells").getAsInt(), o.get("height").getAsInt(), List.copyOf(problems));
    }

    /** A screenshot of {@code page}, {@link #WIDTH} px wide and {@code height} px tall (cut at {@link #MAX_SCREENSHOT_HEIGHT}), for a human to look at. */
    public static Path screenshot(Path page, int height, Path png, Path work) throws IOException, InterruptedException {
        Files.createDirectories(work);
        int h = Math.max(200, Math.min(height, MAX_SCREENSHOT_HEIGHT));
        chromium(work, "profile-shot", "--window-size=" + WIDTH + "," + h, "--screenshot=" + png.toAbsolutePath(),
                page.toUri().toString());
        if (!Files.isRegularFile(png)) {
            throw new AssertionError("Chromium wrote no screenshot of " + page + " to " + png);
        }
        return png;
    }

    /**
     * Exports {@code notebook} to HTML with nbconvert's {@code template} ("lab" or "classic"),
     * outputs as they are (no execution), into {@code dir}; returns the HTML file.
     */
    public static Path export(Path notebook, String template, Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        String name = notebook.getFileName().toString().replaceFirst("\\.ipynb$", "") + ("lab".equals(template) ? "" : "-" + template);
        run(dir, 300, "/usr/bin/jupyter", "nbconvert", "--to", "html", "--template", template, "--output-dir", dir.toString(),
                "--output", name, notebook.toString());
        Path html = dir.resolve(name + ".html");
        if (!Files.isRegularFile(html)) {
            throw new AssertionError("nbconvert wrote no " + html);
        }
        return html;
    }

    private static String chromium(Path work, String profile, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--hide-scrollbars", "--mute-audio", "--user-data-dir=" + work.resolve(profile),
                "--virtual-time-budget=5000"));
        command.addAll(List.of(args));
        return run(work, 180, command.toArray(String[]::new));
    }

    private static String run(Path dir, int seconds, String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(command[0] + " did not finish in " + seconds + " s: " + String.join(" ", command));
            }
            if (p.exitValue() != 0) {
                String e = Files.readString(err, StandardCharsets.UTF_8);
                throw new AssertionError(command[0] + " failed (exit " + p.exitValue() + "): " + String.join(" ", command)
                        + "\n" + (e.length() > 3000 ? "…" + e.substring(e.length() - 3000) : e));
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static String script() {
        try (InputStream in = TableLayoutCheck.class.getResourceAsStream("/display/table-check.js")) {
            if (in == null) {
                throw new IllegalStateException("display/table-check.js is not on the test class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

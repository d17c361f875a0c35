package org.latentmotion.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentmotion.display.MimeBundle;
import org.latentmotion.display.Notebook;

/**
 * The inline video really plays: a notebook whose output is a {@link Video} is exported by
 * nbconvert to HTML, headless Chromium loads the export, and (1) a script in the page reports
 * the decoded video's readyState, duration and size, (2) a screenshot shows a frame with the
 * source colour.
 */
class BrowserTest {
    static final String CHROMIUM = "/usr/bin/chromium";
    // A flat colour: whichever frame the screenshot catches, its colour is known.
    static final int R = 220, G = 120, B = 40;
    static final int W = 96, H = 64, FRAMES = 50;
    static final double FPS = 25;
    /** Chromium virtual-time budgets (ms) tried in turn until the video has decoded a frame. */
    static final int[] VIRTUAL_TIME_BUDGETS = {8000, 20000, 40000};
    /** What the page's probe writes into the DOM about the video element. */
    static final Pattern PROBE_REPORT =
            Pattern.compile("readyState=(\\d) duration=([0-9.]+) width=(\\d+) height=(\\d+) error=(\\d+)");
    /** Sampled screenshot pixels (every second row and column) of the source colour that show a decoded frame: 70 % of the frame's. */
    static final double MIN_SOURCE_PIXELS = (W * H / 4) * 0.7;

    @Test
    void nbconvertExportPlaysInChromium(@TempDir Path dir) throws Exception {
        assumeTrue(new File(CHROMIUM).canExecute(), "chromium not installed");
        assumeTrue(onPath("jupyter"), "jupyter not installed");
        List<BufferedImage> frames = new ArrayList<>();
        for (int t = 0; t < FRAMES; t++) {
            BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    // a flat colour with a small moving square, so frames differ
                    boolean sq = x >= t && x < t + 8 && y < 8;
                    img.setRGB(x, y, sq ? 0xFFFFFF : (R << 16) | (G << 8) | B);
                }
            }
            frames.add(img);
        }
        Video video = Video.of(frames, FPS, VideoOptions.builder().displayWidth(W).build());
        String html = Notebook.render(video).get(MimeBundle.HTML);
        // Drop the poster so the screenshot can only show a decoded frame, and the controls, whose
        // shading chromium sometimes draws over the whole (small) frame in the screenshot.
        html = html.replaceFirst(" poster=\"data:image/png;base64,[^\"]*\"", "").replaceFirst("<video controls ", "<video ");
        String probe = "<div id=\"probe\">pending</div><script>(function(){"
                + "var v=document.querySelector('video');"
                + "function report(){document.getElementById('probe').textContent='readyState='+v.readyState"
                + "+' duration='+v.duration+' width='+v.videoWidth+' height='+v.videoHeight+' error='+(v.error?v.error.code:0);}"
                + "['loadedmetadata','loadeddata','canplay','playing','timeupdate','error'].forEach(function(e){v.addEventListener(e,report);});"
                + "setInterval(report,100);report();})();</script>";
        Path nb = dir.resolve("video.ipynb");
        Files.writeString(nb, notebook(html + probe, video.toString()));
        run(dir, 120, "jupyter", "nbconvert", "--to", "html", nb.toString());
        Path export = dir.resolve("video.html");
        assertTrue(Files.isRegularFile(export), "nbconvert wrote no HTML");

        // Chromium decodes on real threads while --virtual-time-budget runs the page's clock ahead: on a busy machine
        // the budget can end with only the metadata read (readyState 1). A longer budget then, up to three tries; a
        // video that never decodes still fails.
        Matcher m = null;
        for (int budget : VIRTUAL_TIME_BUDGETS) {
            String dom = chromium(dir, "profile1-" + budget, budget, "--dump-dom", export.toUri().toString());
            m = PROBE_REPORT.matcher(dom);
            assertTrue(m.find(), "no probe report in the DOM: " + dom.substring(Math.max(0, dom.indexOf("probe") - 100),
                    Math.min(dom.length(), dom.indexOf("probe") + 200)));
            System.out.println("chromium (virtual time " + budget + " ms): " + m.group());
            if (Integer.parseInt(m.group(1)) >= 2) {
                break;
            }
        }
        assertTrue(Integer.parseInt(m.group(1)) >= 2, "readyState " + m.group(1));
        assertEquals(FRAMES / FPS, Double.parseDouble(m.group(2)), 0.05, "duration");
        assertEquals(W, Integer.parseInt(m.group(3)));
        assertEquals(H, Integer.parseInt(m.group(4)));
        assertEquals("0", m.group(5));

        Path shot = dir.resolve("shot.png");
        int hits = 0;
        int total = 0;
        for (int budget : VIRTUAL_TIME_BUDGETS) { // as above: a frame decoded late gets a longer budget
            chromium(dir, "profile2-" + budget, budget, "--hide-scrollbars", "--window-size=1000,1400",
                    "--screenshot=" + shot, export.toUri().toString());
            BufferedImage png = ImageIO.read(shot.toFile());
            hits = 0;
            total = 0;
            for (int y = 0; y < png.getHeight(); y += 2) {
                for (int x = 0; x < png.getWidth(); x += 2) {
                    int p = png.getRGB(x, y);
                    total++;
                    if (Math.abs(((p >> 16) & 255) - R) <= 6 && Math.abs(((p >> 8) & 255) - G) <= 6 && Math.abs((p & 255) - B) <= 6) {
                        hits++;
                    }
                }
            }
            if (hits > MIN_SOURCE_PIXELS) {
                break;
            }
        }
        // the frame covers W×H CSS pixels minus the small square: ~1400 sampled pixels at 1× scale
        System.out.printf("screenshot: %d sampled pixels within ±6 of the source colour (%d,%d,%d)%n", hits, R, G, B);
        Files.copy(shot, figuresShot(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertTrue(hits > MIN_SOURCE_PIXELS, "the video frame (source colour) is not in the screenshot: " + hits + " of " + total);
    }

    /** Headless Chromium on a fresh profile, autoplay allowed, the page's clock run {@code budget} ms ahead. */
    private static String chromium(Path dir, String profile, int budget, String... action) throws Exception {
        List<String> command = new ArrayList<>(List.of(CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--autoplay-policy=no-user-gesture-required", "--user-data-dir=" + dir.resolve(profile),
                "--virtual-time-budget=" + budget));
        command.addAll(List.of(action));
        return run(dir, 120, command.toArray(String[]::new));
    }

    private static Path figuresShot() {
        return Path.of(System.getProperty("java.io.tmpdir"), "latentmotion-browser-test.png");
    }

    static String notebook(String html, String text) {
        return "{\"nbformat\": 4, \"nbformat_minor\": 5, \"metadata\": {\"kernelspec\": {\"name\": \"latentmotion\","
                + " \"display_name\": \"Java (latentmotion)\", \"language\": \"java\"}, \"language_info\": {\"name\": \"java\"}},"
                + " \"cells\": [{\"cell_type\": \"code\", \"id\": \"video\", \"execution_count\": 1, \"metadata\": {},"
                + " \"source\": \"face.render(clip)\", \"outputs\": [{\"output_type\": \"execute_result\", \"execution_count\": 1,"
                + " \"metadata\": {}, \"data\": {\"text/html\": " + json(html) + ", \"text/plain\": " + json(text) + "}}]}]}";
    }

    static String json(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    static boolean onPath(String exe) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(d, exe).canExecute()) {
                return true;
            }
        }
        return false;
    }

    static String run(Path dir, int seconds, String... command) throws Exception {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(false)
                .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command[0] + " did not finish in " + seconds + " s");
        }
        assertEquals(0, p.exitValue(), command[0] + " failed");
        return Files.readString(out, StandardCharsets.UTF_8);
    }
}

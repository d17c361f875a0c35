package org.latentmotion.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentmotion.pca.LatentPca;
import org.latentmotion.wplus.FrameRenderer;
import org.latentmotion.wplus.Trajectory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class PcaExplorerTest {
    @TempDir
    Path tmp;

    /**
     * A renderer whose picture is a bar: its length shows the code's coordinate along a fixed
     * direction (so moving along a component visibly changes the frame).
     */
    static final class BarRenderer implements FrameRenderer {
        final INDArray direction; // [L, D]
        int calls;

        BarRenderer(INDArray direction) {
            this.direction = direction;
        }

        @Override
        public int layers() {
            return (int) direction.size(0);
        }

        @Override
        public int width() {
            return (int) direction.size(1);
        }

        @Override
        public BufferedImage[] renderFrames(INDArray codes) {
            calls++;
            BufferedImage[] out = new BufferedImage[(int) codes.size(0)];
            for (int i = 0; i < out.length; i++) {
                double x = codes.slice(i).mul(direction).sumNumber().doubleValue();
                int len = (int) Math.max(0, Math.min(32, 16 + 4 * x));
                BufferedImage im = new BufferedImage(32, 16, BufferedImage.TYPE_INT_RGB);
                var g = im.createGraphics();
                g.setColor(Color.WHITE);
                g.fillRect(0, 0, 32, 16);
                g.setColor(Color.BLUE);
                g.fillRect(0, 4, len, 8);
                g.dispose();
                out[i] = im;
            }
            return out;
        }
    }

    static LatentPca pca() {
        Random r = new Random(3);
        float[] v = new float[60 * 3 * 4];
        for (int t = 0; t < 60; t++) {
            double a = r.nextGaussian() * 2;
            double b = r.nextGaussian() * 0.5;
            for (int i = 0; i < 12; i++) {
                v[t * 12 + i] = (float) (a * Math.sin(i + 1) + b * Math.cos(3 * i) + 0.01 * r.nextGaussian());
            }
        }
        return LatentPca.fit(Trajectory.of(v, 60, 3, 4, 25, "toy"), 3);
    }

    static int barLength(BufferedImage im) {
        int n = 0;
        for (int x = 0; x < im.getWidth(); x++) {
            if ((im.getRGB(x, 8) & 0xffffff) == 0x0000ff) {
                n++;
            }
        }
        return n;
    }

    @Test
    void framesWalkAlongTheComponent() {
        LatentPca pca = pca();
        BarRenderer r = new BarRenderer(pca.direction(0));
        PcaExplorer e = PcaExplorer.of(pca, r).component(0).steps(5).sigmas(2);
        double[] o = e.offsets();
        assertEquals(-2.0, o[0], 1e-12);
        assertEquals(0.0, o[2], 1e-12);
        assertEquals(2.0, o[4], 1e-12);
        INDArray codes = e.codes(0);
        // coordinate along the component moves by σ per unit offset; the mean code sits at 0
        INDArray z = pca.project(codes.reshape('c', 5, 12));
        for (int i = 0; i < 5; i++) {
            assertEquals(o[i] * pca.sigma(0), z.getDouble(i, 0), 1e-4 * pca.sigma(0));
            assertEquals(0.0, z.getDouble(i, 1), 1e-4);
        }
        BufferedImage[] f = e.frames(0);
        for (int i = 1; i < 5; i++) {
            assertTrue(barLength(f[i]) >= barLength(f[i - 1]), "bar grows along the component");
        }
        assertNotEquals(barLength(f[0]), barLength(f[4]));
        e.frames(0);
        assertEquals(1, r.calls, "frames are rendered once");
    }

    @Test
    void htmlHasAStripASliderAndUniqueIds() {
        LatentPca pca = pca();
        PcaExplorer e = PcaExplorer.of(pca, new BarRenderer(pca.direction(0))).components(0, 1).steps(7);
        String a = e.toMimeBundle().get(MimeBundle.HTML);
        String b = e.toMimeBundle().get(MimeBundle.HTML);
        assertEquals(2, count(a, "class=\"lm-pcax-row\""));
        assertEquals(2 * 7 + 2, count(a, "<img "));
        assertEquals(16, count(a, "data:image/png;base64,"));
        assertTrue(a.contains("type=\"range\"") && a.contains("max=\"6\""));
        assertNotEquals(rootId(a), rootId(b), "each output has its own element ids");
        assertTrue(e.toString().contains("components [0, 1]"));
        MimeBundle png = new MimeBundle(MimeBundle.PNG);
        e.renderTo(png);
        assertTrue(png.has(MimeBundle.PNG));
        assertEquals(64 + 7 * 32, e.grid().getWidth());
    }

    @Test
    void refusesMismatchedRenderersAndComponents() {
        LatentPca pca = pca();
        INDArray wrong = org.nd4j.linalg.factory.Nd4j.zeros(DataType.FLOAT, 18, 512);
        assertThrows(IllegalArgumentException.class, () -> PcaExplorer.of(pca, new BarRenderer(wrong)));
        PcaExplorer e = PcaExplorer.of(pca, new BarRenderer(pca.direction(0)));
        assertThrows(IndexOutOfBoundsException.class, () -> e.component(3));
        assertThrows(IllegalArgumentException.class, () -> e.steps(1));
        assertThrows(IllegalArgumentException.class, () -> e.sigmas(-1));
    }

    /** The slider works in a browser from a saved HTML file, with no kernel behind it. */
    @Test
    void sliderScrubsInAHeadlessBrowser() throws IOException, InterruptedException {
        Path chromium = Path.of("/usr/bin/chromium");
        assumeTrue(Files.isExecutable(chromium), "needs chromium");
        LatentPca pca = pca();
        PcaExplorer e = PcaExplorer.of(pca, new BarRenderer(pca.direction(0))).components(0, 2).steps(5);
        String explorer = e.html();
        String id = rootId(explorer);
        String page = "<!doctype html><html><body>" + explorer + e.html() + "<script>"
                + "var r=document.getElementById('" + id + "');"
                + "var s=r.querySelector('input[type=range]');s.value=4;s.dispatchEvent(new Event('input'));"
                + "var ok1=r.querySelector('.lm-pcax-big').src===r.querySelectorAll('.lm-pcax-strip img')[4].src;"
                + "r.querySelectorAll('.lm-pcax-strip img')[1].click();"
                + "var rows=r.querySelectorAll('.lm-pcax-row');"
                + "var ok2=rows[1].querySelector('.lm-pcax-big').src===rows[1].querySelectorAll('.lm-pcax-strip img')[1].src;"
                + "document.body.setAttribute('data-result', [ok1, ok2, s.value, r.querySelector('.lm-pcax-label').textContent].join('/'));"
                + "</script></body></html>";
        Path html = tmp.resolve("explorer.html");
        Files.writeString(html, page);
        Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--user-data-dir=" + tmp.resolve("profile"), "--dump-dom", html.toUri().toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String dom = new String(out, StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("data-result=\"([^\"]*)\"").matcher(dom);
        assertTrue(m.find(), "the page's script ran");
        assertEquals("true/true/1/−1.5σ", m.group(1));
    }

    static String rootId(String html) {
        Matcher m = Pattern.compile("class=\"lm-pcax\" id=\"([^\"]+)\"").matcher(html);
        assertTrue(m.find());
        return m.group(1);
    }

    static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

}

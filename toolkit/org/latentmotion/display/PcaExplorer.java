package org.latentmotion.display;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.latentmotion.pca.LatentPca;
import org.latentmotion.wplus.FrameRenderer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * What a principal component does to the picture: frames rendered along one or more
 * components, from −3σ to +3σ around the mean code, shown as a strip with a slider.
 *
 * <pre>{@code
 * display(PcaExplorer.of(pca, face).component(0));         // one component, 7 steps
 * PcaExplorer.of(pca, face).components(0, 1, 2).steps(9)  // a grid, one row per component
 * }</pre>
 *
 * All frames are rendered once, when first shown, and embedded as PNG data URIs; the slider is
 * plain HTML + JavaScript, so it still works in an HTML export of the notebook with no kernel.
 * Immutable: every option returns a new explorer.
 *
 * <p>It lives in {@code display}, not in {@code pca}: it exists to be looked at (it renders frames
 * and writes a slider), and the little arithmetic it does — base + s·σ·direction — reads
 * {@link LatentPca}'s public directions and deviations, so nothing of it belongs below.
 */
public final class PcaExplorer implements Displayable {
    private static final AtomicLong IDS = new AtomicLong();

    private final LatentPca pca;
    private final FrameRenderer renderer;
    private final int[] components;
    private final int steps;
    private final double sigmas;
    private final INDArray base; // [L, D]
    private Map<Integer, BufferedImage[]> rendered; // lazily, per component

    private PcaExplorer(LatentPca pca, FrameRenderer renderer, int[] components, int steps, double sigmas, INDArray base) {
        this.pca = pca;
        this.renderer = renderer;
        this.components = components;
        this.steps = steps;
        this.sigmas = sigmas;
        this.base = base;
    }

    /** An explorer of component 0 in 7 steps over ±3σ around the PCA's mean code. */
    public static PcaExplorer of(LatentPca pca, FrameRenderer renderer) {
        Objects.requireNonNull(pca, "pca");
        Objects.requireNonNull(renderer, "renderer");
        if (renderer.layers() != pca.layers() || renderer.width() != pca.width()) {
            throw new IllegalArgumentException("PcaExplorer: the renderer reads [" + renderer.layers() + ", "
                    + renderer.width() + "] codes, the PCA was fitted on [" + pca.layers() + ", " + pca.width() + "]");
        }
        return new PcaExplorer(pca, renderer, new int[] {0}, 7, 3.0, pca.meanCode());
    }

    /** Explore component {@code c}. */
    public PcaExplorer component(int c) {
        return components(c);
    }

    /** Explore several components, one row each. */
    public PcaExplorer components(int... cs) {
        if (cs.length == 0) {
            throw new IllegalArgumentException("PcaExplorer: expected at least one component");
        }
        for (int c : cs) {
            if (c < 0 || c >= pca.k()) {
                throw new IndexOutOfBoundsException("component " + c + " of a PCA with " + pca.k() + " components");
            }
        }
        return new PcaExplorer(pca, renderer, cs.clone(), steps, sigmas, base);
    }

    /** Number of frames per component (odd numbers include the base code itself). */
    public PcaExplorer steps(int n) {
        if (n < 2) {
            throw new IllegalArgumentException("PcaExplorer steps: expected at least 2, found " + n);
        }
        return new PcaExplorer(pca, renderer, components, n, sigmas, base);
    }

    /** How far to go each way, in standard deviations of the component. */
    public PcaExplorer sigmas(double s) {
        if (!(s > 0) || Double.isInfinite(s)) {
            throw new IllegalArgumentException("PcaExplorer sigmas: expected a positive number, found " + s);
        }
        return new PcaExplorer(pca, renderer, components, steps, s, base);
    }

    /** Explore around {@code code} [L, D] (an actor's identity) instead of the mean code. */
    public PcaExplorer around(INDArray code) {
        if (code.rank() != 2 || code.size(0) != pca.layers() || code.size(1) != pca.width()) {
            throw new IllegalArgumentException("PcaExplorer around: expected a code [" + pca.layers() + ", "
                    + pca.width() + "], found " + Arrays.toString(code.shape()));
        }
        return new PcaExplorer(pca, renderer, components, steps, sigmas, code.castTo(DataType.FLOAT).dup('c'));
    }

    /** The offsets in σ of each step, from −sigmas to +sigmas. */
    public double[] offsets() {
        double[] o = new double[steps];
        for (int i = 0; i < steps; i++) {
            o[i] = -sigmas + 2 * sigmas * i / (steps - 1);
        }
        return o;
    }

    /** The codes along component {@code c}, [steps, L, D]: base + s·σ_c·direction_c. */
    public INDArray codes(int c) {
        INDArray dir = pca.direction(c);
        double sigma = pca.sigma(c);
        double[] o = offsets();
        INDArray out = Nd4j.create(DataType.FLOAT, steps, pca.layers(), pca.width());
        for (int i = 0; i < steps; i++) {
            out.get(NDArrayIndex.point(i), NDArrayIndex.all(), NDArrayIndex.all())
                    .assign(base.add(dir.mul(o[i] * sigma)));
        }
        return out;
    }

    /** The rendered frames along component {@code c} (rendered once, then kept). */
    public synchronized BufferedImage[] frames(int c) {
        if (rendered == null) {
            rendered = new LinkedHashMap<>();
        }
        BufferedImage[] f = rendered.get(c);
        if (f == null) {
            f = renderer.renderFrames(codes(c));
            if (f.length != steps) {
                throw new IllegalStateException("renderer returned " + f.length + " images for " + steps + " codes");
            }
            rendered.put(c, f);
        }
        return f;
    }

    /** All frames as one image: a row per component, a column per step. */
    public BufferedImage grid() {
        BufferedImage first = frames(components[0])[0];
        int w = first.getWidth();
        int h = first.getHeight();
        int label = 64;
        BufferedImage out = new BufferedImage(label + steps * w, 18 + components.length * h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.setColor(Color.DARK_GRAY);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        double[] o = offsets();
        for (int s = 0; s < steps; s++) {
            g.drawString(sigmaLabel(o[s]), label + s * w + 4, 13);
        }
        for (int r = 0; r < components.length; r++) {
            BufferedImage[] f = frames(components[r]);
            g.setColor(Color.DARK_GRAY);
            g.drawString("PC " + components[r], 6, 18 + r * h + h / 2);
            for (int s = 0; s < steps; s++) {
                g.drawImage(f[s], label + s * w, 18 + r * h, w, h, null);
            }
        }
        g.dispose();
        return out;
    }

    static String sigmaLabel(double s) {
        String v = Math.abs(s - Math.rint(s)) < 1e-9 ? String.valueOf((long) Math.rint(s))
                : String.format(java.util.Locale.ROOT, "%.2f", s).replaceAll("0+$", "");
        return (s > 0 ? "+" : s < 0 ? "−" : "") + v.replace("-", "") + "σ";
    }

    /** The explorer's HTML: a shared slider and, per component, a large frame and a strip. */
    public String html() {
        String id = "lm-pcax-" + Long.toHexString(System.nanoTime()) + "-" + IDS.incrementAndGet();
        double[] o = offsets();
        int mid = steps / 2;
        StringBuilder h = new StringBuilder();
        h.append("<div class=\"lm-pcax\" id=\"").append(id).append("\" style=\"font-family:sans-serif\">");
        h.append("<div><b>").append(Tables.escape(toString())).append("</b></div>");
        String update = "(function(v){var r=document.getElementById('" + id + "');"
                + "r.querySelectorAll('.lm-pcax-row').forEach(function(row){"
                + "var t=row.querySelectorAll('.lm-pcax-strip img');"
                + "row.querySelector('.lm-pcax-big').src=t[v].src;"
                + "t.forEach(function(im,i){im.style.outline=i==v?'2px solid #d62728':'none';});});"
                + "r.querySelector('.lm-pcax-label').textContent=r.querySelectorAll('.lm-pcax-strip img')[v].title;"
                + "r.querySelector('.lm-pcax-slider').value=v;})";
        h.append("<div style=\"margin:6px 0\"><input type=\"range\" class=\"lm-pcax-slider\" id=\"").append(id)
                .append("-slider\" min=\"0\" max=\"").append(steps - 1).append("\" step=\"1\" value=\"").append(mid)
                .append("\" style=\"width:320px;vertical-align:middle\" oninput=\"").append(update)
                .append("(+this.value)\"/> <span class=\"lm-pcax-label\" id=\"").append(id).append("-label\">")
                .append(sigmaLabel(o[mid])).append("</span></div>");
        for (int c : components) {
            BufferedImage[] f = frames(c);
            h.append("<div class=\"lm-pcax-row\" id=\"").append(id).append("-pc").append(c)
                    .append("\" style=\"display:flex;gap:10px;align-items:center;margin:4px 0\">");
            h.append("<div style=\"width:64px\">PC ").append(c).append("<br/><small>σ ")
                    .append(String.format("%.3g", pca.sigma(c))).append("</small></div>");
            h.append("<img class=\"lm-pcax-big\" src=\"").append(dataUri(f[mid]))
                    .append("\" style=\"width:192px;image-rendering:auto\"/>");
            h.append("<div class=\"lm-pcax-strip\" style=\"display:flex;gap:2px\">");
            for (int s = 0; s < steps; s++) {
                h.append("<img src=\"").append(dataUri(f[s])).append("\" title=\"").append(sigmaLabel(o[s]))
                        .append("\" style=\"width:64px;cursor:pointer;outline:")
                        .append(s == mid ? "2px solid #d62728" : "none").append("\" onclick=\"").append(update)
                        .append('(').append(s).append(")\"/>");
            }
            h.append("</div></div>");
        }
        return h.append("</div>").toString();
    }

    private static String dataUri(BufferedImage image) {
        return "data:image/png;base64," + java.util.Base64.getEncoder().encodeToString(MimeBundle.encodePng(image));
    }

    @Override
    public void renderTo(MimeBundle bundle) {
        bundle.text(toString());
        if (bundle.wants(MimeBundle.HTML)) {
            bundle.html(html());
        } else if (bundle.wants(MimeBundle.PNG)) {
            bundle.png(grid());
        }
    }

    @Override
    public String toString() {
        return "PcaExplorer: component" + (components.length == 1 ? " " + components[0] : "s " + Arrays.toString(components))
                + ", " + steps + " steps from " + sigmaLabel(-sigmas) + " to " + sigmaLabel(sigmas);
    }
}

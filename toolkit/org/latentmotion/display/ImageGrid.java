package org.latentmotion.display;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Pictures in a grid with optional row and column labels, shown as one PNG: a truncation sweep,
 * a style-mixing table, any comparison of rendered frames. Small frames are enlarged by whole
 * multiples (nearest neighbour, so pixels stay pixels); a null picture leaves its cell empty.
 *
 * <pre>{@code
 * var mapping = synthesizer.mapping();
 * var pictures = new ArrayList<BufferedImage>();
 * pictures.addAll(List.of(synthesizer.renderFrames(mapping.sample(4, 1, 0.5).wPlus())));
 * pictures.addAll(List.of(synthesizer.renderFrames(mapping.sample(4, 1, 1.0).wPlus())));
 * ImageGrid.of(pictures, 4)
 *         .rowLabels("ψ = 0.5", "ψ = 1")
 *         .columnLabels("seed 1", "seed 2", "seed 3", "seed 4")
 *         .scale(2)
 * }</pre>
 */
public final class ImageGrid implements Displayable {
    private final List<BufferedImage> images;
    private final BufferedImage first;
    private final int columns;
    private String title = "";
    private List<String> rowLabels = List.of();
    private List<String> columnLabels = List.of();
    private int scale = 1;

    private ImageGrid(List<BufferedImage> images, BufferedImage first, int columns) {
        this.images = images;
        this.first = first;
        this.columns = columns;
    }

    /** {@code images} row by row, {@code columns} to a row (all the same size; null: an empty cell). */
    public static ImageGrid of(List<BufferedImage> images, int columns) {
        BufferedImage first = images == null ? null : images.stream().filter(java.util.Objects::nonNull).findFirst().orElse(null);
        if (first == null) {
            throw new IllegalArgumentException("image grid: expected at least one image, found none");
        }
        if (columns < 1) {
            throw new IllegalArgumentException("image grid: expected at least 1 column, found " + columns);
        }
        for (int i = 0; i < images.size(); i++) {
            BufferedImage im = images.get(i);
            if (im != null && (im.getWidth() != first.getWidth() || im.getHeight() != first.getHeight())) {
                throw new IllegalArgumentException("image grid: expected every image " + first.getWidth() + "×"
                        + first.getHeight() + ", found image " + i + " " + im.getWidth() + "×" + im.getHeight());
            }
        }
        return new ImageGrid(new ArrayList<>(images), first, columns);
    }

    /** {@code images} row by row, {@code columns} to a row, as {@link #of(java.util.List, int)}. */
    public static ImageGrid of(BufferedImage[] images, int columns) {
        return of(Arrays.asList(images), columns);
    }

    /** Rows of the grid: the image count divided by the columns, rounded up. */
    public int rows() {
        return (images.size() + columns - 1) / columns;
    }

    /** Images per row. */
    public int columns() {
        return columns;
    }

    /** A title drawn above the grid (null or empty: none). */
    public ImageGrid title(String text) {
        this.title = text == null ? "" : text;
        return this;
    }

    /** One label per row, drawn to its left. */
    public ImageGrid rowLabels(String... labels) {
        this.rowLabels = checkLabels(labels, rows(), "row");
        return this;
    }

    /** One label per column, drawn above it. */
    public ImageGrid columnLabels(String... labels) {
        this.columnLabels = checkLabels(labels, columns, "column");
        return this;
    }

    private static List<String> checkLabels(String[] labels, int expected, String what) {
        if (labels.length != expected) {
            throw new IllegalArgumentException("image grid: expected " + expected + " " + what + " labels, found " + labels.length);
        }
        return List.of(labels);
    }

    /** Enlarges each picture {@code factor} times (1–16). */
    public ImageGrid scale(int factor) {
        if (factor < 1 || factor > 16) {
            throw new IllegalArgumentException("image grid: expected a scale in 1…16, found " + factor);
        }
        this.scale = factor;
        return this;
    }

    /** The grid as one picture. */
    public BufferedImage image() {
        int w = first.getWidth() * scale;
        int h = first.getHeight() * scale;
        int gap = 2;
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D pg = probe.createGraphics();
        FontMetrics fm = pg.getFontMetrics(font);
        pg.dispose();
        int left = 0;
        for (String s : rowLabels) {
            left = Math.max(left, fm.stringWidth(s) + 8);
        }
        int line = fm.getHeight() + 4;
        int top = (title.isEmpty() ? 0 : line) + (columnLabels.isEmpty() ? 0 : line);
        int rows = rows();
        BufferedImage out = new BufferedImage(left + columns * w + (columns - 1) * gap, top + rows * h + (rows - 1) * gap,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(font);
        g.setColor(Color.DARK_GRAY);
        if (!title.isEmpty()) {
            g.drawString(title, left, fm.getAscent() + 2);
        }
        int labelsY = (title.isEmpty() ? 0 : line) + fm.getAscent() + 2;
        for (int c = 0; c < columnLabels.size(); c++) {
            String s = columnLabels.get(c);
            g.drawString(s, left + c * (w + gap) + Math.max(0, (w - fm.stringWidth(s)) / 2), labelsY);
        }
        for (int r = 0; r < rowLabels.size(); r++) {
            g.drawString(rowLabels.get(r), 2, top + r * (h + gap) + h / 2 + fm.getAscent() / 2);
        }
        for (int i = 0; i < images.size(); i++) {
            if (images.get(i) == null) {
                continue;
            }
            int r = i / columns;
            int c = i % columns;
            g.drawImage(images.get(i), left + c * (w + gap), top + r * (h + gap), w, h, null);
        }
        g.dispose();
        return out;
    }

    @Override
    public void renderTo(MimeBundle bundle) {
        bundle.text(toString());
        if (bundle.wants(MimeBundle.PNG)) {
            bundle.png(image());
        }
    }

    /** Saves the grid's picture into the figures folder as {@code fileName} (".png" added without an extension). */
    public java.nio.file.Path save(String fileName) {
        return ImageFiles.save(image(), fileName);
    }

    @Override
    public String toString() {
        return "ImageGrid[" + rows() + " × " + columns + " of " + first.getWidth() + "×" + first.getHeight()
                + (title.isEmpty() ? "" : ", " + title) + "]";
    }
}

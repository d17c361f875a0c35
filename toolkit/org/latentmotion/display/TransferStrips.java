package org.latentmotion.display;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Objects;
import org.latentmotion.transfer.TransferComparison;
import org.latentmotion.wplus.FrameRenderer;
import org.latentmotion.wplus.Trajectory;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A motion transfer seen as frames: the original motion, the naive offset and the offset trick,
 * one labelled row each, the same evenly spaced frames in every row.
 * <pre>{@code
 * var comparison = OffsetTrick.of(pca).compare(clip, ToyWorld.randomActor(101));
 * TransferStrips.of(comparison, face, 8)     // 3 rows of 8 frames
 * }</pre>
 */
public final class TransferStrips {
    private TransferStrips() {
    }

    /**
     * Frames of the original motion, the naive transfer and the offset trick of
     * {@code comparison}, {@code n} evenly spaced frames per row, drawn by {@code renderer} (a
     * Synthesizer, the toy face).
     */
    public static BufferedImage of(TransferComparison comparison, FrameRenderer renderer, int n) {
        Objects.requireNonNull(comparison, "comparison");
        Objects.requireNonNull(renderer, "renderer");
        Trajectory motion = comparison.motion();
        if (n < 1) {
            throw new IllegalArgumentException("strip: expected at least 1 frame per row, found " + n);
        }
        if (renderer.layers() != motion.layers() || renderer.width() != motion.width()) {
            throw new IllegalArgumentException("strip: renderer expects codes [" + renderer.layers() + ", "
                    + renderer.width() + "], the motion has [" + motion.layers() + ", " + motion.width() + "]");
        }
        Trajectory[] rows = {motion, comparison.naive(), comparison.transferred()};
        String[] labels = {"original", "naive offset", "offset trick"};
        int frames = motion.frames();
        int count = Math.min(n, frames);
        long[] picks = new long[count];
        for (int i = 0; i < count; i++) {
            picks[i] = count == 1 ? 0 : Math.round((double) i * (frames - 1) / (count - 1));
        }
        BufferedImage[][] images = new BufferedImage[3][];
        for (int r = 0; r < 3; r++) {
            INDArray codes = rows[r].codes().get(NDArrayIndex.indices(picks), NDArrayIndex.all(), NDArrayIndex.all());
            images[r] = renderer.renderFrames(codes.dup('c'));
        }
        int cw = images[0][0].getWidth();
        int ch = images[0][0].getHeight();
        int label = 18;
        BufferedImage out = new BufferedImage(cw * count, 3 * (ch + label), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        for (int r = 0; r < 3; r++) {
            int y = r * (ch + label);
            g.setColor(Color.DARK_GRAY);
            g.drawString(labels[r], 4, y + 14);
            for (int i = 0; i < count; i++) {
                g.drawImage(images[r][i], i * cw, y + label, null);
            }
        }
        g.dispose();
        return out;
    }
}

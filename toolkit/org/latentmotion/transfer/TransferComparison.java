package org.latentmotion.transfer;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Objects;
import org.latentmotion.display.Displayable;
import org.latentmotion.display.MimeBundle;
import org.latentmotion.display.Tables;
import org.latentmotion.wplus.FrameRenderer;
import org.latentmotion.wplus.Trajectory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * One motion moved to one new actor twice, naively and by the offset trick, with figures that
 * say how far each result leaves the training actor's range of states. Displays as a table;
 * {@link #strip(FrameRenderer, int)} renders the three rows of frames side by side.
 */
public final class TransferComparison implements Displayable {
    private final OffsetTrick trick;
    private final Trajectory motion;
    private final INDArray identity;
    private final Trajectory naive;
    private final Trajectory transferred;

    TransferComparison(OffsetTrick trick, Trajectory motion, INDArray identity, Trajectory naive,
            Trajectory transferred) {
        this.trick = Objects.requireNonNull(trick);
        this.motion = motion;
        this.identity = identity.castTo(DataType.FLOAT).dup('c').reshape(motion.layers(), motion.width());
        this.naive = naive;
        this.transferred = transferred;
    }

    public Trajectory motion() {
        return motion;
    }

    public Trajectory naive() {
        return naive;
    }

    public Trajectory transferred() {
        return transferred;
    }

    public INDArray identity() {
        return identity;
    }

    /**
     * Per method: norm of the offset added, distance of the first frame to {@code w_new}, the
     * largest state excursion (σ of the training frames along the PCA directions; > ~3 means
     * the actor is pushed to a state the training video never showed) and how much the motion's
     * state coordinates changed relative to the original motion (0 = motion kept exactly).
     */
    public Table table() {
        StringColumn method = StringColumn.create("method");
        DoubleColumn offsetNorm = DoubleColumn.create("offset norm");
        DoubleColumn firstToNew = DoubleColumn.create("first frame to w_new");
        DoubleColumn excursion = DoubleColumn.create(trick.hasVariance() ? "max state excursion (σ)" : "max state coordinate");
        DoubleColumn changed = DoubleColumn.create("state change vs motion (max)");
        INDArray original = trick.stateCoordinates(motion);
        for (Trajectory t : new Trajectory[] {motion, naive, transferred}) {
            String name = t == motion ? "original (training actor)" : t == naive ? "naive offset" : "offset trick";
            method.append(name);
            INDArray shift = t.frame(0).castTo(DataType.DOUBLE).sub(motion.frame(0).castTo(DataType.DOUBLE));
            offsetNorm.append(shift.norm2Number().doubleValue());
            firstToNew.append(t.frame(0).castTo(DataType.DOUBLE).sub(identity.castTo(DataType.DOUBLE)).norm2Number().doubleValue());
            excursion.append(trick.maxStateExcursion(t));
            changed.append(Transforms.abs(trick.stateCoordinates(t).sub(original), false).maxNumber().doubleValue());
        }
        return Table.create("Motion transfer: naive offset vs offset trick", method, offsetNorm, firstToNew,
                excursion, changed);
    }

    /**
     * Frames of the original motion, the naive transfer and the offset trick, {@code n} evenly
     * spaced frames per row, rendered by {@code renderer} (a Synthesizer, the toy face).
     */
    public BufferedImage strip(FrameRenderer renderer, int n) {
        Objects.requireNonNull(renderer, "renderer");
        if (n < 1) {
            throw new IllegalArgumentException("strip: expected at least 1 frame per row, found " + n);
        }
        if (renderer.layers() != motion.layers() || renderer.width() != motion.width()) {
            throw new IllegalArgumentException("strip: renderer expects codes [" + renderer.layers() + ", "
                    + renderer.width() + "], the motion has [" + motion.layers() + ", " + motion.width() + "]");
        }
        Trajectory[] rows = {motion, naive, transferred};
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

    @Override
    public void renderTo(MimeBundle bundle) {
        bundle.text(toString());
        if (bundle.wants(MimeBundle.HTML)) {
            bundle.html(Tables.toHtml(table()));
        }
    }

    @Override
    public String toString() {
        return table().print();
    }
}

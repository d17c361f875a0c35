package org.latentmotion.transfer;

import java.util.Objects;
import org.latentmotion.wplus.Trajectory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * One motion moved to one new actor twice, naively and by the offset trick, with figures that
 * say how far each result leaves the training actor's range of states ({@link #table()}). A
 * notebook shows it as that table; {@code TransferStrips.of(comparison, face, 8)} in the display
 * layer draws frames of the three motions one row each.
 */
public final class TransferComparison {
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

    /** The motion that was moved (on the training actor). */
    public Trajectory motion() {
        return motion;
    }

    /** The naive transfer: every frame plus (new identity − the motion's first frame). */
    public Trajectory naive() {
        return naive;
    }

    /** The transfer by the offset trick. */
    public Trajectory transferred() {
        return transferred;
    }

    /** The new actor's W+ code [L, D] (float32). */
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

    @Override
    public String toString() {
        return table().print();
    }
}

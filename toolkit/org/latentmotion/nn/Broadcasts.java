package org.latentmotion.nn;

import java.lang.ref.Reference;
import java.util.Arrays;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.BroadcastOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastDivOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastSubOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A vector applied to every row or every column of a 2-D array (a bias added to each row, a
 * per-row weight), computed as ND4J's {@code addiRowVector} and its siblings compute it, with one
 * difference: the op stays reachable until ND4J's native call has returned. Every row or column
 * broadcast in the toolkit goes through here.
 *
 * <p>Why: ND4J 1.0.0-M2.1's executioner passes the broadcast op's dimension array to native code
 * and keeps no reference to the op during the call, so a garbage collection that another thread
 * starts meanwhile can free that array's native buffer under it (SIGSEGV in
 * {@code sd::DataBuffer::primary()}, called from {@code execBroadcast}). Two threads doing
 * {@code addiRowVector} on [4, 8] floats while a third allocated crashed the JVM within 3–8 s in
 * 4 of 4 tries, and in 1 of 1 with the op built by hand but not kept; through this class the same
 * loop ran 90 s (904,000 broadcasts) without (see {@code BroadcastsTest}). In training it took
 * minutes (two span-critic trainings in one JVM, issue 13); any training beside a thread that
 * allocates, such as a notebook kernel's, was exposed. ND4J's scalar, pairwise, transform, reduce,
 * matrix-product, cast and concat ops, and pairwise ops broadcasting a [1, F] row (which
 * {@code wplus.Trajectory}, a layer below, uses instead of this class), ran the same loop 25 s each
 * without a crash.
 */
public final class Broadcasts {
    private enum Kind {
        ADD, SUB, MUL, DIV
    }

    private static final int ROWS = 1; // a row vector runs along dimension 1 (one value per column)
    private static final int COLUMNS = 0;

    private Broadcasts() {
    }

    /** a[i, :] += row, in place; returns a. */
    public static INDArray addiRow(INDArray a, INDArray row) {
        return apply(Kind.ADD, a, row, a, ROWS);
    }

    /** A new array a[i, :] + row. */
    public static INDArray addRow(INDArray a, INDArray row) {
        return apply(Kind.ADD, a, row, fresh(a), ROWS);
    }

    /** a[i, :] −= row, in place; returns a. */
    public static INDArray subiRow(INDArray a, INDArray row) {
        return apply(Kind.SUB, a, row, a, ROWS);
    }

    /** A new array a[i, :] − row. */
    public static INDArray subRow(INDArray a, INDArray row) {
        return apply(Kind.SUB, a, row, fresh(a), ROWS);
    }

    /** a[i, :] ⊙= row, in place; returns a. */
    public static INDArray muliRow(INDArray a, INDArray row) {
        return apply(Kind.MUL, a, row, a, ROWS);
    }

    /** A new array a[i, :] ⊙ row. */
    public static INDArray mulRow(INDArray a, INDArray row) {
        return apply(Kind.MUL, a, row, fresh(a), ROWS);
    }

    /** a[i, :] /= row, in place; returns a. */
    public static INDArray diviRow(INDArray a, INDArray row) {
        return apply(Kind.DIV, a, row, a, ROWS);
    }

    /** a[:, j] += column, in place; returns a. */
    public static INDArray addiColumn(INDArray a, INDArray column) {
        return apply(Kind.ADD, a, column, a, COLUMNS);
    }

    /** a[:, j] ⊙= column, in place; returns a. */
    public static INDArray muliColumn(INDArray a, INDArray column) {
        return apply(Kind.MUL, a, column, a, COLUMNS);
    }

    /** A new array a[:, j] ⊙ column. */
    public static INDArray mulColumn(INDArray a, INDArray column) {
        return apply(Kind.MUL, a, column, fresh(a), COLUMNS);
    }

    private static INDArray fresh(INDArray a) {
        return Nd4j.createUninitialized(a.dataType(), a.shape(), 'c');
    }

    private static INDArray apply(Kind kind, INDArray a, INDArray vector, INDArray out, int dimension) {
        if (a.rank() != 2 || vector.length() != a.size(dimension) || (vector.rank() == 2 && vector.size(1 - dimension) != 1)
                || vector.rank() > 2) {
            throw new IllegalArgumentException("a " + (dimension == ROWS ? "row" : "column") + " broadcast needs [N, F] and a"
                    + " vector of " + (dimension == ROWS ? "F" : "N") + ", found " + Arrays.toString(a.shape()) + " and "
                    + Arrays.toString(vector.shape()));
        }
        BroadcastOp op = switch (kind) {
            case ADD -> new BroadcastAddOp(a, vector, out, dimension);
            case SUB -> new BroadcastSubOp(a, vector, out, dimension);
            case MUL -> new BroadcastMulOp(a, vector, out, dimension);
            case DIV -> new BroadcastDivOp(a, vector, out, dimension);
        };
        try {
            Nd4j.getExecutioner().exec(op);
            return out;
        } finally {
            Reference.reachabilityFence(op); // the op holds the dimension array native code reads (see class doc)
        }
    }
}

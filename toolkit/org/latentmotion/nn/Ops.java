package org.latentmotion.nn;

import java.util.Arrays;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastTo;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.LeakyReLUBp;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.SigmoidDerivative;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.TanhDerivative;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The ops of the tape. Each computes its value eagerly with ND4J and, if recording and any input
 * needs a gradient, records a backward rule written with these same ops (so it can be
 * differentiated again). Every op result owns a fresh array (except {@link #reshape}, which may
 * share its input's buffer), so a {@link Scope} can free it.
 *
 * <p>Shapes are strict: elementwise binary ops need equal shapes; broadcasting is explicit
 * ({@link #addRow}, {@link #mulRow}, {@link #mulCol}, {@link #broadcastTo}). Matrix products are
 * 2-D and use BLAS transpose flags (about twice as fast as transposed views), writing C-order
 * results ({@code Nd4j.gemm} writes Fortran order, which every later reshape, elementwise op
 * with a C-order operand and column reduction pays for).
 */
public final class Ops {
    private Ops() {
    }

    static Var make(INDArray value, Var.Backward backward, Var... parents) {
        return make(value, true, backward, parents);
    }

    static Var make(INDArray value, boolean owned, Var.Backward backward, Var... parents) {
        return records(parents) ? new Var(value, parents, backward, true, owned) : new Var(value, null, null, false, owned);
    }

    /** Whether an op on these inputs is recorded: recording is on and an input needs a gradient. */
    static boolean records(Var... parents) {
        if (Autograd.recording()) {
            for (Var p : parents) {
                if (p != null && p.requiresGrad) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The outputs of an op with several (null values give null outputs); {@code backward} gets all
     * their gradients in one call. Without recording they are constants.
     */
    static Var[] makeGroup(INDArray[] values, Var.GroupBackward backward, Var... parents) {
        Var[] out = new Var[values.length];
        Var.Group group = records(parents) ? new Var.Group(out, backward) : null;
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null) {
                out[i] = group == null ? new Var(values[i], null, null, false, true)
                        : new Var(values[i], parents, GROUP_MEMBER, true, true);
                out[i].group = group;
            }
        }
        return out;
    }

    private static final Var.Backward GROUP_MEMBER = (o, g, need) -> {
        throw new IllegalStateException("the outputs of a several-output op are differentiated by their group's rule");
    };

    private static void sameShape(String op, Var a, Var b) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException(op + ": shapes must be equal, found " + Arrays.toString(a.shape())
                    + " and " + Arrays.toString(b.shape()));
        }
    }

    // ---- elementwise binary -------------------------------------------------------------------

    /** a + b, same shapes. */
    public static Var add(Var a, Var b) {
        sameShape("add", a, b);
        return make(a.value.add(b.value), (o, g, need) -> new Var[] {g, g}, a, b);
    }

    /** a − b, same shapes. */
    public static Var sub(Var a, Var b) {
        sameShape("sub", a, b);
        return make(a.value.sub(b.value), (o, g, need) -> new Var[] {g, need[1] ? neg(g) : null}, a, b);
    }

    /** a ⊙ b, same shapes. */
    public static Var mul(Var a, Var b) {
        sameShape("mul", a, b);
        return make(a.value.mul(b.value), (o, g, need) -> new Var[] {
                need[0] ? mul(g, b) : null, need[1] ? mul(g, a) : null}, a, b);
    }

    /** a / b elementwise, same shapes. */
    public static Var div(Var a, Var b) {
        sameShape("div", a, b);
        return make(a.value.div(b.value), (o, g, need) -> new Var[] {
                need[0] ? div(g, b) : null, need[1] ? neg(mul(g, div(o, b))) : null}, a, b);
    }

    // ---- elementwise unary --------------------------------------------------------------------

    /** −a. */
    public static Var neg(Var a) {
        return make(a.value.neg(), (o, g, need) -> new Var[] {neg(g)}, a);
    }

    /** c·a. */
    public static Var scale(Var a, double c) {
        return make(a.value.mul(c), (o, g, need) -> new Var[] {scale(g, c)}, a);
    }

    /** a + c. */
    public static Var addScalar(Var a, double c) {
        return make(a.value.add(c), (o, g, need) -> new Var[] {g}, a);
    }

    /** a² elementwise. */
    public static Var square(Var a) {
        return make(a.value.mul(a.value), (o, g, need) -> new Var[] {mul(g, scale(a, 2.0))}, a);
    }

    /** √a elementwise (inputs must be positive where gradients are taken). */
    public static Var sqrt(Var a) {
        return make(Transforms.sqrt(a.value, true), (o, g, need) -> new Var[] {div(scale(g, 0.5), o)}, a);
    }

    /** 1 / a elementwise. */
    public static Var reciprocal(Var a) {
        return make(a.value.rdiv(1.0), (o, g, need) -> new Var[] {neg(mul(g, square(o)))}, a);
    }

    /** 1 / (1 + e^−a) elementwise. */
    public static Var sigmoid(Var a) {
        return make(Transforms.sigmoid(a.value, true), (o, g, need) -> new Var[] {sigmoidBackward(a, o, g)}, a);
    }

    /**
     * g ⊙ σ'(a) = g ⊙ o(1 − o), o = σ(a), in one native op (sigmoid_bp) instead of four. Its own
     * backward, in tape ops so it can be differentiated again: ∂/∂g = σ'(a) ⊙ gg and
     * ∂/∂a = g ⊙ gg ⊙ σ''(a) = σ'(a) ⊙ (g ⊙ gg) ⊙ (1 − 2o).
     */
    static Var sigmoidBackward(Var a, Var o, Var g) {
        INDArray value = Nd4j.createUninitialized(g.dataType(), g.shape());
        Nd4j.exec(new SigmoidDerivative(a.value, g.value, value));
        return make(value, (v, gg, need) -> new Var[] {
                need[0] ? mul(sigmoidBackward(a, o, mul(gg, g)), addScalar(scale(o, -2.0), 1.0)) : null,
                need[1] ? sigmoidBackward(a, o, gg) : null}, a, g);
    }

    /** tanh a elementwise. */
    public static Var tanh(Var a) {
        return make(Transforms.tanh(a.value, true), (o, g, need) -> new Var[] {tanhBackward(a, o, g)}, a);
    }

    /**
     * g ⊙ (1 − o²), o = tanh(a), in one native op (tanh_bp) instead of four. Its backward, in tape
     * ops: ∂/∂g = (1 − o²) ⊙ gg and ∂/∂a = (1 − o²) ⊙ (g ⊙ gg) ⊙ (−2o).
     */
    static Var tanhBackward(Var a, Var o, Var g) {
        INDArray value = Nd4j.createUninitialized(g.dataType(), g.shape());
        Nd4j.exec(new TanhDerivative(a.value, g.value, value));
        return make(value, (v, gg, need) -> new Var[] {
                need[0] ? mul(tanhBackward(a, o, mul(gg, g)), scale(o, -2.0)) : null,
                need[1] ? tanhBackward(a, o, gg) : null}, a, g);
    }

    /** atan a elementwise. */
    public static Var atan(Var a) {
        return make(Transforms.atan(a.value, true), (o, g, need) -> new Var[] {div(g, addScalar(square(a), 1.0))}, a);
    }

    /** sin a elementwise (positional embeddings of time). */
    public static Var sin(Var a) {
        return make(Transforms.sin(a.value, true), (o, g, need) -> new Var[] {mul(g, cos(a))}, a);
    }

    /** cos a elementwise (positional embeddings of time). */
    public static Var cos(Var a) {
        return make(Transforms.cos(a.value, true), (o, g, need) -> new Var[] {neg(mul(g, sin(a)))}, a);
    }

    /**
     * log(1 + e^a) elementwise, computed as max(a, 0) + log(1 + e^−|a|) so large |a| neither
     * overflows nor loses the small side (the non-saturating GAN loss); its derivative is σ(a).
     */
    public static Var softplus(Var a) {
        INDArray small = Transforms.exp(Transforms.abs(a.value, true).negi(), false); // e^−|a| in (0, 1]
        // log(1 + e) rounds to 0 for e below 1e-16 (ND4J's log1p too); there log(1 + e) = e to double precision
        INDArray tiny = small.lt(1e-10).castTo(small.dataType());
        INDArray value = Transforms.log(small.add(1.0), false).muli(tiny.rsub(1.0)).addi(small.mul(tiny))
                .addi(Transforms.relu(a.value, true));
        Scope.release(small);
        Scope.release(tiny);
        return make(value, (o, g, need) -> new Var[] {mul(g, sigmoid(a))}, a);
    }

    /** max(x, slope·x) for 0 ≤ slope ≤ 1; its derivative is piecewise constant (a constant mask). */
    public static Var leakyRelu(Var a, double slope) {
        INDArray value = Transforms.leakyRelu(a.value, slope, true);
        ZeroCheck zeros = new ZeroCheck(a.value);
        return make(value, (o, g, need) -> new Var[] {leakyMask(g, a.value, slope, zeros)}, a);
    }

    /**
     * g ⊙ m with m = 1 where x &gt; 0 and slope elsewhere (leakyRelu's derivative, PyTorch's choice
     * at 0), in one native op (leakyrelu_bp) instead of five. m does not depend on anything
     * differentiable, so the backward is the same mask on gg. leakyrelu_bp takes x = 0 as
     * positive, and its slope is a C float: exact zeros (a rare event, checked once per input)
     * and float64 arrays with a slope that is not a float (0.2) take the explicit mask.
     */
    static Var leakyMask(Var g, INDArray x, double slope, ZeroCheck zeros) {
        INDArray value;
        boolean slopeExact = g.dataType() != DataType.DOUBLE || (double) (float) slope == slope;
        if (!slopeExact || zeros.any()) {
            INDArray mask = x.gt(0.0).castTo(g.dataType()).muli(1.0 - slope).addi(slope);
            value = g.value.mul(mask);
            Scope.release(mask);
        } else {
            value = Nd4j.createUninitialized(g.dataType(), g.shape());
            Nd4j.exec(new LeakyReLUBp(x, g.value, value, slope));
        }
        return make(value, (o, gg, need) -> new Var[] {leakyMask(gg, x, slope, zeros)}, g);
    }

    /** Whether an array holds an exact 0, computed once on first use (one native reduction). */
    static final class ZeroCheck {
        private final INDArray x;
        private int state = -1;

        ZeroCheck(INDArray x) {
            this.x = x;
        }

        boolean any() {
            if (state < 0) {
                state = x.scan(Conditions.equals(0.0)).longValue() > 0 ? 1 : 0;
            }
            return state == 1;
        }
    }

    /** max(0, x), e.g. the hinge of the gradient angle penalty. */
    public static Var relu(Var a) {
        return leakyRelu(a, 0.0);
    }

    // ---- linear algebra and broadcasting ------------------------------------------------------

    /** op(a)·op(b) with op = transpose when the flag is set; both 2-D. */
    public static Var matmul(Var a, Var b, boolean transA, boolean transB) {
        if (a.rank() != 2 || b.rank() != 2) {
            throw new IllegalArgumentException("matmul needs 2-D arrays, found " + Arrays.toString(a.shape())
                    + " and " + Arrays.toString(b.shape()));
        }
        long inner1 = transA ? a.size(0) : a.size(1);
        long inner2 = transB ? b.size(1) : b.size(0);
        if (inner1 != inner2) {
            throw new IllegalArgumentException("matmul: inner sizes differ, " + Arrays.toString(a.shape())
                    + (transA ? "ᵀ" : "") + " · " + Arrays.toString(b.shape()) + (transB ? "ᵀ" : ""));
        }
        INDArray value = gemm(a.value, b.value, transA, transB);
        return make(value, (o, g, need) -> {
            // only the gradients asked for: a constant input (real codes) or a weight inside ∂D/∂x̂
            // would otherwise cost a full GEMM each
            Var ga = null;
            Var gb = null;
            if (!transA && !transB) {
                ga = need[0] ? matmul(g, b, false, true) : null;
                gb = need[1] ? matmul(a, g, true, false) : null;
            } else if (!transA) {
                ga = need[0] ? matmul(g, b, false, false) : null;
                gb = need[1] ? matmul(g, a, true, false) : null;
            } else if (!transB) {
                ga = need[0] ? matmul(b, g, false, true) : null;
                gb = need[1] ? matmul(a, g, false, false) : null;
            } else {
                ga = need[0] ? matmul(b, g, true, true) : null;
                gb = need[1] ? matmul(g, a, true, true) : null;
            }
            return new Var[] {ga, gb};
        }, a, b);
    }

    /** op(a)·op(b) into a new C-order array (one BLAS call). */
    private static INDArray gemm(INDArray a, INDArray b, boolean transA, boolean transB) {
        long rows = transA ? a.size(1) : a.size(0);
        long cols = transB ? b.size(0) : b.size(1);
        INDArray out = Nd4j.createUninitialized(a.dataType(), new long[] {rows, cols}, 'c');
        return Nd4j.matmul(a, b, out, transA, transB, false);
    }

    /** The matrix product a·b of 2-D values. */
    public static Var matmul(Var a, Var b) {
        return matmul(a, b, false, false);
    }

    /**
     * x [N, in] · w [in, out] + b [out] (a fully connected layer) as one node: the bias is added
     * in place to the fresh product, so no second [N, out] array is allocated (118 MB for the
     * mapper heads at paper()). Same operations in the same order as addRow(matmul(x, w), b).
     */
    public static Var affine(Var x, Var w, Var b) {
        if (x.rank() != 2 || w.rank() != 2 || b.rank() != 1 || x.size(1) != w.size(0) || w.size(1) != b.size(0)) {
            throw new IllegalArgumentException("affine needs [N, in], [in, out] and [out], found " + Arrays.toString(x.shape())
                    + ", " + Arrays.toString(w.shape()) + " and " + Arrays.toString(b.shape()));
        }
        INDArray value = Broadcasts.addiRow(gemm(x.value, w.value, false, false), b.value);
        return make(value, (o, g, need) -> new Var[] {
                need[0] ? matmul(g, w, false, true) : null,
                need[1] ? matmul(x, g, true, false) : null,
                need[2] ? sum(g, 0) : null}, x, w, b);
    }

    /** a [N, F] + b [F] on every row (a bias). */
    public static Var addRow(Var a, Var b) {
        checkRow("addRow", a, b);
        return make(Broadcasts.addRow(a.value, b.value), (o, g, need) -> new Var[] {g, need[1] ? sum(g, 0) : null}, a, b);
    }

    /** a [N, F] ⊙ b [F] on every row (a per-feature scale). */
    public static Var mulRow(Var a, Var b) {
        checkRow("mulRow", a, b);
        return make(Broadcasts.mulRow(a.value, b.value), (o, g, need) -> new Var[] {
                need[0] ? mulRow(g, b) : null, need[1] ? sum(mul(g, a), 0) : null}, a, b);
    }

    /** a [N, F] ⊙ c [N] on every column (a per-row scale). */
    public static Var mulCol(Var a, Var c) {
        if (a.rank() != 2 || c.rank() != 1 || a.size(0) != c.size(0)) {
            throw new IllegalArgumentException("mulCol needs [N, F] and [N], found " + Arrays.toString(a.shape())
                    + " and " + Arrays.toString(c.shape()));
        }
        INDArray col = c.value.reshape(c.size(0), 1);
        return make(Broadcasts.mulColumn(a.value, col), (o, g, need) -> new Var[] {
                need[0] ? mulCol(g, c) : null, need[1] ? sum(mul(g, a), 1) : null}, a, c);
    }

    private static void checkRow(String op, Var a, Var b) {
        if (a.rank() != 2 || b.rank() != 1 || a.size(1) != b.size(0)) {
            throw new IllegalArgumentException(op + " needs [N, F] and [F], found " + Arrays.toString(a.shape())
                    + " and " + Arrays.toString(b.shape()));
        }
    }

    /** Repeats a along its size-1 dimensions to {@code shape} (same rank). */
    public static Var broadcastTo(Var a, long... shape) {
        long[] s = a.shape();
        if (s.length != shape.length) {
            throw new IllegalArgumentException("broadcastTo needs equal ranks, found " + Arrays.toString(s) + " → " + Arrays.toString(shape));
        }
        int n = 0;
        int[] expanded = new int[s.length];
        for (int i = 0; i < s.length; i++) {
            if (s[i] != shape[i]) {
                if (s[i] != 1) {
                    throw new IllegalArgumentException("broadcastTo: cannot expand " + Arrays.toString(s) + " to " + Arrays.toString(shape));
                }
                expanded[n++] = i;
            }
        }
        if (n == 0) {
            return a;
        }
        int[] dims = Arrays.copyOf(expanded, n);
        INDArray value = expand(a.value, shape);
        return make(value, (o, g, need) -> new Var[] {reshape(sum(g, dims), s)}, a);
    }

    /**
     * A new array of {@code shape} holding {@code v} repeated along its size-1 dimensions.
     * {@code INDArray.broadcast} issues one native op per row or column from Java (230 400 ops
     * for the gradient penalty's norm backward), so this uses one or two native ops instead.
     */
    private static INDArray expand(INDArray v, long[] shape) {
        if (v.length() == 1) {
            return Nd4j.valueArrayOf(shape, v.getDouble(0), v.dataType());
        }
        if (v.rank() == 2) {
            INDArray out = Nd4j.zeros(v.dataType(), shape);
            return v.size(0) == 1 ? Broadcasts.addiRow(out, v) : Broadcasts.addiColumn(out, v);
        }
        INDArray out = Nd4j.createUninitialized(v.dataType(), shape);
        Nd4j.exec(new BroadcastTo(v, shape, out));
        return out;
    }

    // ---- reductions ---------------------------------------------------------------------------

    /** Sum over the given dimensions (they are removed from the shape). */
    public static Var sum(Var a, int... dims) {
        long[] s = a.shape();
        long[] keep = s.clone();
        for (int d : dims) {
            keep[d] = 1;
        }
        return make(sumValue(a.value, dims), (o, g, need) -> new Var[] {broadcastTo(reshape(g, keep), s)}, a);
    }

    private static INDArray sumValue(INDArray a, int... dims) {
        return dims.length == 1 && dims[0] == 0 && a.rank() == 2 && a.length() >= COLUMN_SUM_GEMV
                ? columnSums(a) : a.sum(dims);
    }

    /**
     * Σ a² along one dimension of a 2-D value: the values of sum(square(a), dim) and of its gradient, with
     * two arrays of a's size instead of four (the squares; and 2a scaled by the broadcast gradient, where the
     * composition makes the broadcast, 2a and their product). The gradient penalty's row norms at paper()
     * are over [128, 230400]: 113 MB an array, kept until the step ends. A backward taken with the tape
     * recording is the composition's, so higher orders stay exact.
     */
    public static Var sumOfSquares(Var a, int dim) {
        if (a.rank() != 2 || (dim != 0 && dim != 1)) {
            throw new IllegalArgumentException("sumOfSquares needs a 2-D value and dimension 0 or 1, found "
                    + Arrays.toString(a.shape()) + " and " + dim);
        }
        INDArray squares = a.value.mul(a.value);
        INDArray value = sumValue(squares, dim);
        Scope.release(squares);
        long[] s = a.shape();
        long[] keep = s.clone();
        keep[dim] = 1;
        return make(value, (o, g, need) -> {
            if (Autograd.recording()) {
                return new Var[] {mul(broadcastTo(reshape(g, keep), s), scale(a, 2.0))}; // sum's rule, then square's
            }
            INDArray out = a.value.mul(2.0);
            INDArray gv = g.value.reshape(keep);
            return new Var[] {make(dim == 1 ? Broadcasts.muliColumn(out, gv) : Broadcasts.muliRow(out, gv), NO_RULE)};
        }, a);
    }

    private static final Var.Backward NO_RULE = (o, g, need) -> {
        throw new IllegalStateException("a first-order gradient made without recording is a constant");
    };

    /** Above this many elements, column sums run as a GEMV (ND4J's dimension-0 reduction is ~10× slower). */
    private static final long COLUMN_SUM_GEMV = 1 << 16;

    /**
     * Σ_i a[i, :] of a [N, F] array as 1ᵀ·a (a BLAS GEMV): 48 ms instead of 430–500 ms for
     * [3200, 9216] float32 (the bias gradients of the mapper heads and the critic's first layer).
     */
    private static INDArray columnSums(INDArray a) {
        INDArray ones = Nd4j.ones(a.dataType(), 1, a.size(0));
        // the product is written through a [1, F] view into the [F] result, so the result owns its buffer
        INDArray out = Nd4j.createUninitialized(a.dataType(), a.size(1));
        Nd4j.matmul(ones, a, out.reshape(1, a.size(1)), false, false, false);
        Scope.release(ones);
        return out;
    }

    /** The mean over {@code dims} (those dimensions removed). */
    public static Var mean(Var a, int... dims) {
        long count = 1;
        for (int d : dims) {
            count *= a.size(d);
        }
        return scale(sum(a, dims), 1.0 / count);
    }

    /** Sum of all elements, shape [1]. */
    public static Var sumAll(Var a) {
        Var flat = reshape(a, 1, a.value.length());
        return reshape(sum(flat, 1), 1);
    }

    /** Mean of all elements, shape [1]. */
    public static Var meanAll(Var a) {
        return scale(sumAll(a), 1.0 / a.value.length());
    }

    // ---- shape --------------------------------------------------------------------------------

    /** Same elements in C order with a new shape. May share the input's buffer. */
    public static Var reshape(Var a, long... shape) {
        long[] s = a.shape();
        if (Arrays.equals(s, shape)) {
            return a;
        }
        INDArray value = a.value.reshape('c', shape);
        boolean owned = value.data() != a.value.data();
        return make(value, owned, (o, g, need) -> new Var[] {reshape(g, s)}, a);
    }

    /** The dimensions of a in the order {@code dims}. */
    public static Var permute(Var a, int... dims) {
        int[] inverse = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            inverse[dims[i]] = i;
        }
        return make(a.value.permute(dims).dup('c'), (o, g, need) -> new Var[] {permute(g, inverse)}, a);
    }

    /** Elements start, start+step, … (&lt; end) along {@code dim}. */
    public static Var slice(Var a, int dim, long start, long end, long step) {
        long full = a.size(dim);
        if (start < 0 || end > full || start >= end || step < 1) {
            throw new IllegalArgumentException("slice [" + start + ", " + end + ") step " + step + " of dimension " + dim
                    + " with size " + full);
        }
        INDArray value = a.value.get(index(a.rank(), dim, start, end, step)).dup('c');
        return make(value, (o, g, need) -> new Var[] {unslice(g, dim, full, start, step)}, a);
    }

    /** Indices start … end − 1 of dimension {@code dim}. */
    public static Var slice(Var a, int dim, long start, long end) {
        return slice(a, dim, start, end, 1);
    }

    /** The adjoint of {@link #slice}: g placed at start, start+step, … of a zero array with {@code full} along dim. */
    public static Var unslice(Var g, int dim, long full, long start, long step) {
        long n = g.size(dim);
        long end = start + step * (n - 1) + 1;
        long[] shape = g.shape().clone();
        shape[dim] = full;
        INDArray z = Nd4j.zeros(g.dataType(), shape);
        z.get(index(g.rank(), dim, start, end, step)).assign(g.value);
        return make(z, (o, gg, need) -> new Var[] {slice(gg, dim, start, end, step)}, g);
    }

    private static INDArrayIndex[] index(int rank, int dim, long start, long end, long step) {
        INDArrayIndex[] idx = new INDArrayIndex[rank];
        for (int i = 0; i < rank; i++) {
            idx[i] = i == dim ? NDArrayIndex.interval(start, step, end) : NDArrayIndex.all();
        }
        return idx;
    }

    /** The parts joined along dimension {@code dim}. */
    public static Var concat(int dim, Var... parts) {
        INDArray[] values = new INDArray[parts.length];
        long[] offsets = new long[parts.length + 1];
        for (int i = 0; i < parts.length; i++) {
            values[i] = parts[i].value;
            offsets[i + 1] = offsets[i] + parts[i].size(dim);
        }
        INDArray value = Nd4j.concat(dim, values);
        return make(value, (o, g, need) -> {
            Var[] out = new Var[parts.length];
            for (int i = 0; i < parts.length; i++) {
                out[i] = need[i] ? slice(g, dim, offsets[i], offsets[i + 1], 1) : null;
            }
            return out;
        }, parts);
    }
}

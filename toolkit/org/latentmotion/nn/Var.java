package org.latentmotion.nn;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A value on the autodiff tape: an ND4J array plus, when it was computed from values that need
 * gradients, the op that made it (its parents and a backward rule built from tape ops, so a
 * gradient is itself a {@code Var} that can be differentiated again).
 *
 * <p>Three kinds: {@link #parameter} (a leaf that needs gradients and whose array an optimizer
 * updates in place), {@link #input} (a leaf that needs gradients, e.g. the noise of the gradient
 * angle penalty or the interpolates of WGAN-GP), and {@link #constant} (no gradient). Op results
 * are made by {@link Ops}. Creation order (the id) is a topological order of the graph, which
 * {@link Autograd} uses instead of a sort.
 */
public final class Var {
    private static final AtomicLong IDS = new AtomicLong();

    /**
     * The backward rule of an op: given the gradient of the output, the parents' gradients.
     * {@code need[i]} says whether parent i lies on a path to a leaf the caller asked for; a rule
     * may return null for the others instead of computing them (e.g. a weight gradient inside
     * the gradient penalty's ∂D/∂x̂).
     */
    @FunctionalInterface
    interface Backward {
        Var[] apply(Var out, Var grad, boolean[] need);
    }

    /** The backward rule of an op with several outputs: all their gradients at once (null where none). */
    @FunctionalInterface
    interface GroupBackward {
        Var[] apply(Var[] grads, boolean[] need);
    }

    /**
     * The outputs of one op with several (e.g. a fused backward's gradients for several inputs).
     * They share parents, are created together, so every consumer comes later, and {@link Autograd}
     * runs the group's rule once, when it reaches the first of them, with all their gradients.
     */
    static final class Group {
        final Var[] outputs;
        final GroupBackward backward;

        Group(Var[] outputs, GroupBackward backward) {
            this.outputs = outputs;
            this.backward = backward;
        }
    }

    final INDArray value;
    final Var[] parents;
    final Backward backward;
    final boolean requiresGrad;
    final long id;
    /** True if this Var allocated its array (so a {@link Scope} may close it). */
    final boolean owned;
    /** Set when this is one output of a several-output op (then {@link #backward} is not used). */
    Group group;

    Var(INDArray value, Var[] parents, Backward backward, boolean requiresGrad, boolean owned) {
        this.value = value;
        this.parents = parents;
        this.backward = backward;
        this.requiresGrad = requiresGrad;
        this.owned = owned;
        this.id = IDS.incrementAndGet();
        if (owned) {
            Scope.track(this);
        }
    }

    /** A trainable leaf: gradients flow to it; its array is updated in place by optimizers. */
    public static Var parameter(INDArray value) {
        return new Var(value, null, null, true, false);
    }

    /** A leaf that gradients are taken with respect to (not owned: the caller keeps the array). */
    public static Var input(INDArray value) {
        return new Var(value, null, null, true, false);
    }

    /** Like {@link #input}, but the array is handed to the current {@link Scope}, which closes it. */
    public static Var scopedInput(INDArray value) {
        return new Var(value, null, null, true, true);
    }

    /** A value without gradient (the caller keeps the array). */
    public static Var constant(INDArray value) {
        return new Var(value, null, null, false, false);
    }

    /** The array (not a copy; do not modify unless this is a parameter you own). */
    public INDArray value() {
        return value;
    }

    /** Whether gradients flow to this value (a parameter, an input, or made from one). */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** The value's shape. */
    public long[] shape() {
        return value.shape();
    }

    /** The size of dimension {@code dim}. */
    public long size(int dim) {
        return value.size(dim);
    }

    /** Number of dimensions. */
    public int rank() {
        return value.rank();
    }

    /** The value's type. */
    public DataType dataType() {
        return value.dataType();
    }

    /** A constant view of this value: gradients stop here. */
    public Var detach() {
        return constant(value);
    }

    /** The value as a double (for scalars and one-element arrays). */
    public double item() {
        if (value.length() != 1) {
            throw new IllegalStateException("item() needs a one-element value, found shape " + Arrays.toString(shape()));
        }
        return value.getDouble(0);
    }

    @Override
    public String toString() {
        return "Var" + Arrays.toString(shape()) + (requiresGrad ? " (grad)" : "") + " " + value.dataType();
    }
}

package org.latentmotion.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Owner of the native memory of one computation (a training step, a sample): every array an op
 * allocates while the scope is open is closed when the scope closes, except those passed to
 * {@link #keep}. ND4J frees off-heap memory only on GC otherwise, which lets a training loop grow
 * to gigabytes. Scopes nest per thread; an op records into the innermost open scope.
 *
 * <pre>{@code
 * try (Scope scope = Scope.open()) {
 *     Var loss = ...;
 *     double value = loss.item();   // read what you need before the scope closes
 * }
 * }</pre>
 */
public final class Scope implements AutoCloseable {
    private static final ThreadLocal<List<Scope>> STACK = ThreadLocal.withInitial(ArrayList::new);

    private final List<Var> vars = new ArrayList<>();
    private final Set<INDArray> kept = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean closed;

    private Scope() {
    }

    /** Opens a scope on this thread. */
    public static Scope open() {
        Scope s = new Scope();
        STACK.get().add(s);
        return s;
    }

    static void track(Var v) {
        List<Scope> stack = STACK.get();
        if (!stack.isEmpty()) {
            stack.get(stack.size() - 1).vars.add(v);
        }
    }

    /**
     * A copy of an array that outlives this scope (the caller then owns it). A copy, because an
     * op result may share its buffer with another array of the scope (reshapes do).
     */
    public INDArray keep(INDArray array) {
        INDArray copy = array.dup('c');
        kept.add(copy);
        return copy;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<Scope> stack = STACK.get();
        stack.remove(this);
        for (Var v : vars) {
            INDArray a = v.value;
            if (!kept.contains(a) && a.closeable()) {
                a.close();
            }
        }
        vars.clear();
    }
}

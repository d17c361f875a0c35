package org.latentmotion.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.MemoryWorkspaceManager;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Owner of the native memory of one computation (a training step, a sample): every array an op
 * allocates while the scope is open is closed when the scope closes, except those passed to
 * {@link #keep}. ND4J frees off-heap memory only on GC otherwise, which lets a training loop grow
 * to gigabytes. Scopes nest per thread; an op records into the innermost open scope.
 *
 * <pre>{@code
 * try (Scope scope = Scope.open()) {
 *     Var x = Var.input(Nd4j.rand(8, 4));
 *     Var loss = Ops.sumAll(Ops.square(x)); // every array these ops make belongs to the scope
 *     double value = loss.item();           // read what you need before the scope closes
 * }
 * }</pre>
 *
 * <p>A computation repeated many times with the same shapes (a training step) should use
 * {@link #reusing}: its arrays then live in an ND4J workspace that keeps its memory from one
 * scope to the next, so a step costs no allocation. Fresh buffers are not free: at the paper's
 * size every activation is [3200, 9216] float32 = 118 MB, which the C allocator maps anew and
 * the kernel zero-fills page by page; that was half of a training step's time.
 */
public final class Scope implements AutoCloseable {
    private static final ThreadLocal<List<Scope>> STACK = ThreadLocal.withInitial(ArrayList::new);

    /**
     * Learns its size in the first scope plus 10 % (a step's allocations vary by a few percent:
     * data-dependent masks), then reuses that memory; grows if a later scope needs more.
     */
    private static final WorkspaceConfiguration REUSED = WorkspaceConfiguration.builder()
            .policyAllocation(AllocationPolicy.OVERALLOCATE)
            .overallocationLimit(0.1)
            .policyLearning(LearningPolicy.FIRST_LOOP)
            .policyReset(ResetPolicy.BLOCK_LEFT)
            .policySpill(SpillPolicy.REALLOCATE)
            .build();

    private static final String PREFIX = "latentmotion.";

    private final List<Var> vars = new ArrayList<>();
    private final MemoryWorkspace workspace;
    private final Set<INDArray> kept = Collections.newSetFromMap(new IdentityHashMap<>());
    private final StopGuard guard;
    /** This scope is its workspace's first: ND4J learns the size from it, allocating its arrays one by one. */
    private final boolean learning;
    private boolean closed;

    private Scope(MemoryWorkspace workspace, StopGuard guard) {
        this.workspace = workspace;
        this.guard = guard;
        this.learning = workspace != null && workspace.getCurrentSize() == 0;
    }

    /**
     * Opens a scope on this thread. While it is open the thread is {@linkplain StopGuard guarded}:
     * a kernel interrupt waits for the computation's own boundary instead of stopping the thread
     * inside native memory bookkeeping.
     */
    public static Scope open() {
        Scope s = new Scope(null, StopGuard.enter());
        STACK.get().add(s);
        return s;
    }

    /**
     * Opens a scope whose arrays, including every array ND4J creates while it is open, live in
     * this thread's workspace of that name: memory learned in the first such scope and reused by
     * the next. Nothing allocated inside may be used after the scope closes, except copies from
     * {@link #keep}; state that outlives it must be updated in place or created outside
     * ({@link #outside}).
     */
    public static Scope reusing(String workspace) {
        java.util.Objects.requireNonNull(workspace, "workspace name");
        StopGuard guard = StopGuard.enter(); // before the workspace opens: a stop must not land in between
        MemoryWorkspace ws;
        try {
            ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(REUSED, PREFIX + workspace);
        } catch (RuntimeException | Error e) {
            guard.close();
            throw e;
        }
        Scope s = new Scope(ws, guard);
        STACK.get().add(s);
        return s;
    }

    /**
     * Gives back the memory this thread's {@link #reusing} scopes keep between uses (at the
     * paper's size, gigabytes); the next such scope learns its size again. For the end of a
     * training run. Workspaces of scopes still open are left alone.
     */
    public static void releaseReusedMemory() {
        MemoryWorkspaceManager manager = Nd4j.getWorkspaceManager();
        try (StopGuard ignored = StopGuard.enter()) {
            for (MemoryWorkspace ws : List.copyOf(manager.getAllWorkspacesForCurrentThread())) {
                if (ws.getId().startsWith(PREFIX) && !ws.isScopeActive()) {
                    manager.destroyWorkspace(ws);
                }
            }
        }
    }

    /**
     * Runs {@code body} with no workspace active, for arrays that must outlive the current scope
     * (e.g. an optimizer's scratch created on its first step).
     */
    public static <T> T outside(java.util.function.Supplier<T> body) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return body.get();
        }
    }

    /**
     * Frees an array now if it owns its memory; an array in a {@link #reusing} scope's workspace
     * is left to the scope (it cannot be freed alone).
     */
    public static void release(INDArray array) {
        if (array != null && array.closeable()) {
            array.close();
        }
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
        INDArray copy = outside(() -> array.dup('c'));
        kept.add(copy);
        return copy;
    }

    /** ND4J's protected {@code Nd4jWorkspace.clearExternalAllocations()}, or null where this ND4J has none. */
    private static final java.lang.reflect.Method CLEAR_EXTERNAL = clearExternal();

    private static java.lang.reflect.Method clearExternal() {
        try {
            java.lang.reflect.Method m = org.nd4j.linalg.api.memory.abstracts.Nd4jWorkspace.class
                    .getDeclaredMethod("clearExternalAllocations");
            m.setAccessible(true);
            return m;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /**
     * While a workspace learns its size (its first scope), ND4J allocates every array of the scope on its own
     * ("external" allocations), and its close() allocates and zero-fills the learned block before it frees
     * all of them: at paper() 1.8 GB touched while 0.8 GB of the step's arrays were still held, a peak 0.7 GB
     * above any later step's. Nothing of a closed scope may be used any more, so they are freed first.
     */
    private static void freeLearningArrays(MemoryWorkspace ws) {
        if (CLEAR_EXTERNAL != null && ws instanceof org.nd4j.linalg.api.memory.abstracts.Nd4jWorkspace) {
            try {
                CLEAR_EXTERNAL.invoke(ws);
            } catch (ReflectiveOperationException | RuntimeException e) {
                // left to ND4J's close(), as without this
            }
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            List<Scope> stack = STACK.get();
            stack.remove(this);
            for (Var v : vars) {
                INDArray a = v.value;
                if (!kept.contains(a) && a.closeable()) {
                    a.close();
                }
            }
            vars.clear();
            if (workspace != null) {
                // A learning scope's arrays come from malloc one by one, and glibc keeps the smaller ones resident
                // after they are freed (0.5-0.8 GB at paper()). ND4J's close() frees the rest and then allocates
                // and zero-fills the learned block (1.8 GB): trimming before it keeps that memory from being held
                // twice (the learning step's peak), trimming after it gives back what close() itself freed.
                if (learning) {
                    freeLearningArrays(workspace);
                    NativeHeap.trim();
                }
                workspace.close();
                if (learning) {
                    NativeHeap.trim();
                }
            }
        } finally {
            guard.close(); // last: the workspace is closed before the thread may be stopped again
        }
    }
}

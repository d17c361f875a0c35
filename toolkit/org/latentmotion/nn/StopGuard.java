package org.latentmotion.nn;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Marks a thread as inside work that must not be cut short by {@code Thread.stop}: native memory
 * held by an ND4J workspace ({@link Scope}), a model and its optimiser half updated. Such work
 * checks {@link Thread#isInterrupted()} at its own boundaries (a training step, a chunk of
 * frames) and stops there; a kernel that escalates ignored interrupts to {@code Thread.stop}
 * asks {@link #isGuarded(Thread)} first and waits instead.
 *
 * <p>Why: a {@code ThreadDeath} delivered while a workspace is open or closing leaves ND4J's
 * workspace bookkeeping half done, and the next use of that workspace frees memory twice (a
 * SIGSEGV in {@code Nd4jCpu.freeHost} that killed the kernel JVM). Guards nest per thread.
 */
public final class StopGuard implements AutoCloseable {
    private static final Map<Thread, Integer> DEPTH = new ConcurrentHashMap<>();
    /** Held while a guard is entered and while a thread is stopped, so a stop never lands inside a guard it raced with. */
    private static final Object LOCK = new Object();

    private final Thread owner;
    private boolean closed;

    private StopGuard(Thread owner) {
        this.owner = owner;
        synchronized (LOCK) {
            DEPTH.merge(owner, 1, Integer::sum);
        }
    }

    /** Guards the current thread until {@link #close()}. */
    public static StopGuard enter() {
        return new StopGuard(Thread.currentThread());
    }

    /** Runs {@code body} guarded. */
    public static <T> T call(Supplier<T> body) {
        try (StopGuard ignored = enter()) {
            return body.get();
        }
    }

    /** True while {@code thread} is inside a guard: stopping it now could corrupt native state. */
    public static boolean isGuarded(Thread thread) {
        return DEPTH.containsKey(thread);
    }

    /**
     * Stops {@code thread} ({@code Thread.stop}) unless it is guarded, {@code allowed} says no, or the
     * thread is at a point {@code stoppableAt} rejects, atomically with respect to entering a guard: the
     * thread is stopped either before its next guard begins or not at all. {@code allowed} is read under
     * the same lock, so state that the thread changes inside a guard (e.g. "still in the cell's own code")
     * is consistent with it. The thread is suspended while its stack is read and the stop is sent, so
     * the stack {@code stoppableAt} judges is where the stop lands (e.g. not inside a class's static
     * initializer: a stop there leaves the class unusable for the rest of the JVM's life). While the
     * thread is suspended it may hold a lock, a class's initialization among them, so nothing on this path
     * may load or initialize a class: call {@link #prepareToStop} with the same {@code stoppableAt} first.
     *
     * @return whether the thread was stopped
     * @throws UnsupportedOperationException on JDKs that cannot stop threads (20+)
     */
    @SuppressWarnings({"deprecation", "removal"})
    public static boolean stopUnlessGuarded(Thread thread, BooleanSupplier allowed, Predicate<StackTraceElement[]> stoppableAt) {
        synchronized (LOCK) {
            if (isGuarded(thread) || !allowed.getAsBoolean()) {
                return false;
            }
            thread.suspend();
            try {
                if (!stoppableAt.test(thread.getStackTrace())) {
                    return false;
                }
                thread.stop();
                return true;
            } finally {
                thread.resume();
            }
        }
    }

    /**
     * Loads and initializes, on the calling thread, what {@link #stopUnlessGuarded} will use while another
     * thread is suspended: stack traces (the JDK builds their formatting tables lazily), {@code ThreadDeath},
     * and {@code stoppableAt} itself, run once on this thread's stack. Call it once before the first stop
     * (e.g. when a kernel starts); without it a suspended thread that holds one of those classes'
     * initialization could never be resumed.
     */
    public static void prepareToStop(Predicate<StackTraceElement[]> stoppableAt) {
        StackTraceElement[] frames = Thread.currentThread().getStackTrace();
        stoppableAt.test(frames);
        new ThreadDeath().getStackTrace();
        for (StackTraceElement f : frames) {
            f.toString(); // the lazily built format of each frame, as a stop's report builds it
        }
    }

    /**
     * Interrupts {@code thread} if {@code allowed} says so, under the same lock as {@link #stopUnlessGuarded}: code
     * that changes what {@code allowed} reads inside a guard (e.g. "still in the cell's own code") is never
     * interrupted after the change.
     *
     * @return whether the thread was interrupted
     */
    public static boolean interruptIf(Thread thread, BooleanSupplier allowed) {
        synchronized (LOCK) {
            if (!allowed.getAsBoolean()) {
                return false;
            }
            thread.interrupt();
            return true;
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        DEPTH.computeIfPresent(owner, (t, d) -> d <= 1 ? null : d - 1);
    }
}

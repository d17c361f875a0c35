package org.latentmotion.kernel;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.latentmotion.nn.StopGuard;

/**
 * The one thread that sends a cell's printed text and displays to the front end, in the order the
 * cell produced them. The cell's own thread never touches the kernel's sockets: it is the thread
 * the kernel interrupts and, if the code ignores that, stops, and either one landing inside a
 * socket send breaks the kernel for good — an interrupt closes JeroMQ's signalling pipe
 * (zeromq/jeromq#834), a stop between the frames of a multipart message leaves half a message on
 * the iopub socket — and the front end then never hears the kernel go idle.
 */
final class OutputThread {
    private static final ScheduledExecutorService THREAD = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "latentmotion-output");
        t.setDaemon(true);
        return t;
    });

    private OutputThread() {
    }

    /** Sends later, after everything submitted before. */
    static Future<?> submit(Runnable send) {
        // guarded: a stop inside the queue's lock would leave it held, and every later send would wait forever
        try (StopGuard ignored = StopGuard.enter()) {
            return THREAD.submit(send);
        }
    }

    /** Runs {@code task} every {@code millis} ms on the output thread. */
    static void every(long millis, Runnable task) {
        THREAD.scheduleWithFixedDelay(task, millis, millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Sends after everything submitted before and waits until it is sent (so a cell that displays
     * in a loop cannot queue more than one display ahead). An interrupt ends the wait, not the send;
     * the interrupt stays set for the cell's code to see.
     */
    static void send(Runnable send) {
        Future<?> f = submit(send);
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
        }
    }

    /**
     * Waits until everything submitted so far is sent (the kernel's thread, before it reports the cell done:
     * output sent after that would have no cell to go to), for at most {@code millis} ms.
     */
    static boolean drain(long millis) {
        Future<?> f = submit(() -> { });
        boolean interrupted = false;
        long deadline = System.nanoTime() + millis * 1_000_000;
        try {
            while (true) {
                try {
                    f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    return true;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    return true; // a no-op does not fail
                } catch (TimeoutException e) {
                    return false;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

package org.latentmotion.nn;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Rows of a batch split into contiguous chunks that run at once, for the plain-Java recurrences
 * ({@link GruStackUnroll}, {@link RecordedGruStack}): their rows are independent, and a long span
 * of a few hundred steps spent a second core idle. The chunk count is fixed, not the machine's
 * core count, so a sum over chunks rounds the same on every machine; a short batch runs as one
 * chunk (a task costs tens of microseconds), exactly as before chunking existed.
 */
final class RowChunks {
    /** Chunks of a large batch. */
    static final int CHUNKS = 2;
    /** Rows × steps below which one chunk does everything. */
    static final long MIN_WORK = 2048;

    /**
     * The other chunks' threads (daemons: a kernel or a test JVM exits without closing them), one per
     * caller at a time, so two trainings in one JVM do not queue behind one worker; idle ones end after
     * a minute.
     */
    private static final ExecutorService WORKERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "latentmotion-rows");
        t.setDaemon(true);
        return t;
    });

    /** Work on rows {@code from} (inclusive) … {@code to} (exclusive) of chunk {@code chunk}. */
    interface Body {
        void rows(int chunk, int from, int to);
    }

    private RowChunks() {
    }

    /** How many chunks {@code rows} rows of {@code steps} steps each run in. */
    static int count(int rows, int steps) {
        return (long) rows * steps >= MIN_WORK && rows >= CHUNKS ? CHUNKS : 1;
    }

    /** Runs {@code body} on each of {@code chunks} contiguous parts of rows 0 … rows − 1, the first on this thread. */
    static void run(int chunks, int rows, Body body) {
        if (chunks == 1) {
            body.rows(0, 0, rows);
            return;
        }
        Future<?>[] others = new Future<?>[chunks - 1];
        for (int c = 1; c < chunks; c++) {
            int chunk = c;
            others[c - 1] = WORKERS.submit(() -> body.rows(chunk, from(chunk, chunks, rows), from(chunk + 1, chunks, rows)));
        }
        body.rows(0, 0, from(1, chunks, rows));
        boolean interrupted = false;
        for (Future<?> f : others) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    // milliseconds of work: finish it, and leave the flag for the trainer's check between steps
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException r) {
                        throw r;
                    }
                    throw new IllegalStateException(e.getCause());
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The first row of chunk {@code chunk}. */
    private static int from(int chunk, int chunks, int rows) {
        return (int) ((long) chunk * rows / chunks);
    }
}

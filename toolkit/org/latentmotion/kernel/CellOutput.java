package org.latentmotion.kernel;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A cell's stdout or stderr on its way to the front end, batched and capped as ipykernel does:
 * writes collect in a buffer that is sent when it holds {@value #BATCH_BYTES} bytes or
 * {@value #INTERVAL_MS} ms after the last send (basekernel's stream would send one message per
 * {@code println}: a million lines were a million messages, and the kernel stopped answering).
 * Past {@code cap} bytes in one cell the rest is dropped and counted, and the cell's output ends
 * with a note saying how much was not shown.
 */
final class CellOutput extends OutputStream {
    static final int BATCH_BYTES = 64 * 1024;
    static final long INTERVAL_MS = 50;
    private static final Set<CellOutput> OPEN = ConcurrentHashMap.newKeySet();
    private static final ScheduledExecutorService TICKER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "latentmotion-output");
        t.setDaemon(true);
        return t;
    });

    static {
        TICKER.scheduleWithFixedDelay(() -> OPEN.forEach(CellOutput::sendIfDue), INTERVAL_MS, INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    private final PrintStream target;
    private final long cap;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(BATCH_BYTES);
    private long accepted;
    private long dropped;
    private long lastSend = System.nanoTime();
    private boolean closed;

    private CellOutput(PrintStream target, long cap) {
        this.target = target;
        this.cap = cap;
    }

    /** A print stream for one cell, writing to {@code target} (the kernel's stream for this request). */
    static PrintStream open(PrintStream target, long cap) {
        CellOutput out = new CellOutput(target, cap);
        OPEN.add(out);
        return new Stream(out);
    }

    /** Sends what is left and, if anything was dropped, the note; the stream takes no more output. */
    static void finish(PrintStream stream) {
        if (stream instanceof Stream s) {
            s.output.finish();
        }
    }

    /** Sends every open cell stream's buffer now (before a display, so printed text stays in order with it). */
    static void sendAll() {
        OPEN.forEach(CellOutput::send);
    }

    @Override
    public synchronized void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        if (closed) {
            return;
        }
        long room = cap - accepted;
        int take = (int) Math.max(0, Math.min(len, room));
        if (take > 0) {
            buffer.write(b, off, take);
            accepted += take;
        }
        dropped += len - take;
        if (buffer.size() >= BATCH_BYTES) {
            send();
        }
    }

    @Override
    public synchronized void flush() {
        // a println's flush: sent with the next batch, or by the ticker at the latest after INTERVAL_MS
        if (System.nanoTime() - lastSend >= INTERVAL_MS * 1_000_000) {
            send();
        }
    }

    private synchronized void sendIfDue() {
        if (buffer.size() > 0 && System.nanoTime() - lastSend >= INTERVAL_MS * 1_000_000) {
            send();
        }
    }

    private synchronized void send() {
        if (buffer.size() > 0) {
            target.write(buffer.toByteArray(), 0, buffer.size());
            buffer.reset();
            target.flush();
        }
        lastSend = System.nanoTime();
    }

    private synchronized void finish() {
        if (closed) {
            return;
        }
        send();
        closed = true;
        OPEN.remove(this);
        if (dropped > 0) {
            target.print(String.format(Locale.ROOT, "%n[output truncated: this cell printed %s more than the %s shown;"
                    + " write large output to a file, or print less]%n", human(dropped), human(cap)));
            target.flush();
        }
    }

    private static String human(long bytes) {
        return bytes >= 1 << 20 ? String.format(Locale.ROOT, "%.1f MB", bytes / 1048576.0)
                : String.format(Locale.ROOT, "%d bytes", bytes);
    }

    /** The print stream handed to the cell: UTF-8, flushing on newline (batched underneath). */
    private static final class Stream extends PrintStream {
        private final CellOutput output;

        Stream(CellOutput output) {
            super(output, true, StandardCharsets.UTF_8);
            this.output = output;
        }
    }
}

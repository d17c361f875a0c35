package org.latentmotion.kernel;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A cell's stdout or stderr on its way to the front end, batched and capped as ipykernel does:
 * writes collect in a buffer that is sent when it holds {@value #BATCH_BYTES} bytes or
 * {@value #INTERVAL_MS} ms after the last send (basekernel's stream would send one message per
 * {@code println}: a million lines were a million messages, and the kernel stopped answering).
 * Past {@code cap} bytes in one cell the rest is dropped and counted, and the cell's output ends
 * with a note saying how much was not shown. Only {@link OutputThread} sends: the writing thread
 * (the cell's, which the kernel interrupts and stops) only fills the buffer.
 */
final class CellOutput extends OutputStream {
    static final int BATCH_BYTES = 64 * 1024;
    static final long INTERVAL_MS = 50;
    private static final Set<CellOutput> OPEN = ConcurrentHashMap.newKeySet();

    static {
        OutputThread.every(INTERVAL_MS, () -> OPEN.forEach(CellOutput::sendIfDue));
    }

    private final PrintStream target;
    private final long cap;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(BATCH_BYTES);
    private long accepted;
    private long dropped;
    private long lastSend = System.nanoTime();
    private boolean finished;
    private boolean accepting = true;
    private boolean sendQueued;

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

    /** Sends what is left and, if anything was dropped, the note (on the output thread); the stream takes no more output. */
    static void finish(PrintStream stream) {
        if (stream instanceof Stream s) {
            s.output.stopAccepting();
            OutputThread.submit(s.output::finish);
        }
    }

    /** Sends every open cell stream's buffer; called on the output thread (before a display, so printed text stays in order with it). */
    static void sendAll() {
        OPEN.forEach(CellOutput::send);
    }

    @Override
    public synchronized void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        if (!accepting) { // (finish is only ever queued after this is cleared)
            return;
        }
        long room = cap - accepted;
        int take = (int) Math.max(0, Math.min(len, room));
        if (take > 0) {
            buffer.write(b, off, take);
            accepted += take;
        }
        dropped += len - take;
        if (buffer.size() >= BATCH_BYTES && !sendQueued) {
            sendQueued = true;
            OutputThread.submit(this::send);
        }
    }

    @Override
    public synchronized void flush() {
        // a println's flush: sent with the next batch, or by the output thread's tick within INTERVAL_MS
    }

    /** The cell ended: later writes (a thread the cell started) are dropped, as they would be once finished. */
    private synchronized void stopAccepting() {
        accepting = false;
    }

    private void sendIfDue() {
        boolean due;
        synchronized (this) {
            due = buffer.size() > 0 && System.nanoTime() - lastSend >= INTERVAL_MS * 1_000_000;
        }
        if (due) {
            send();
        }
    }

    /** On the output thread only: takes the buffer under the lock, sends outside it (a writer never waits for a socket). */
    private void send() {
        byte[] bytes;
        synchronized (this) {
            sendQueued = false;
            lastSend = System.nanoTime();
            if (buffer.size() == 0) {
                return;
            }
            bytes = buffer.toByteArray();
            buffer.reset();
        }
        target.write(bytes, 0, bytes.length);
        target.flush();
    }

    /** On the output thread only. */
    private void finish() {
        long lost;
        synchronized (this) {
            if (finished) {
                return;
            }
            finished = true;
            lost = dropped;
        }
        send();
        OPEN.remove(this);
        if (lost > 0) {
            target.print(String.format(Locale.ROOT, "%n[output truncated: this cell printed %s more than the %s shown;"
                    + " write large output to a file, or print less]%n", human(lost), human(cap)));
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

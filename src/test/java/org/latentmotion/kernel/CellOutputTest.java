package org.latentmotion.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * A cell's output reaches the kernel's stream from the output thread only: the cell's thread,
 * which the kernel interrupts, never writes to a socket itself (an interrupt inside a channel
 * write closes the channel for good, as it closes JeroMQ's signalling pipe).
 */
class CellOutputTest {

    /** The kernel's stream as a channel an interrupt can close, read by a thread of its own. */
    private static final class ChannelTarget implements AutoCloseable {
        final Pipe pipe;
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final Set<String> writers = ConcurrentHashMap.newKeySet();
        final PrintStream stream;
        final Thread reader;

        ChannelTarget() throws IOException {
            pipe = Pipe.open();
            OutputStream channel = Channels.newOutputStream(pipe.sink());
            stream = new PrintStream(new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    writers.add(Thread.currentThread().getName());
                    channel.write(b, off, len);
                }
            }, true, StandardCharsets.UTF_8);
            reader = new Thread(() -> {
                try (InputStream in = Channels.newInputStream(pipe.source())) {
                    in.transferTo(received);
                } catch (IOException ignored) {
                    // closed
                }
            });
            reader.start();
        }

        String text() throws Exception {
            pipe.sink().close();
            reader.join(10_000);
            return received.toString(StandardCharsets.UTF_8);
        }

        @Override
        public void close() throws IOException {
            pipe.sink().close();
            pipe.source().close();
        }
    }

    @Test
    void anInterruptedWriterNeitherClosesTheKernelsStreamNorLosesText() throws Exception {
        try (ChannelTarget target = new ChannelTarget()) {
            StringBuilder expected = new StringBuilder();
            Thread cell = new Thread(() -> {
                PrintStream out = CellOutput.open(target.stream, 1L << 30);
                Thread.currentThread().interrupt(); // as the kernel interrupts a cell that prints
                for (int i = 0; i < 20_000; i++) {  // ~400 KB: several full batches
                    out.println("line " + i + " of an interrupted cell");
                }
                CellOutput.finish(out);
            }, "cell");
            for (int i = 0; i < 20_000; i++) {
                expected.append("line ").append(i).append(" of an interrupted cell").append(System.lineSeparator());
            }
            cell.start();
            cell.join();
            assertTrue(OutputThread.drain(10_000), "the output thread did not finish sending");
            assertTrue(target.pipe.sink().isOpen(), "the kernel's stream was closed by the writer's interrupt");
            assertEquals(Set.of("latentmotion-output"), target.writers, "threads that wrote to the kernel's stream");
            assertEquals(expected.toString(), target.text());
        }
    }

    @Test
    void outputPastTheCapIsDroppedAndCountedInANote() throws Exception {
        try (ChannelTarget target = new ChannelTarget()) {
            PrintStream out = CellOutput.open(target.stream, 1000);
            for (int i = 0; i < 100; i++) {
                out.print("0123456789abcdefghi\n"); // 20 bytes each: 2000 in all
            }
            CellOutput.finish(out);
            out.print("after the cell ended\n");
            assertTrue(OutputThread.drain(10_000));
            String text = target.text();
            assertTrue(text.startsWith("0123456789abcdefghi\n".repeat(50)), text);
            assertTrue(text.contains("[output truncated: this cell printed 1000 bytes more than the 1000 bytes shown;"), text);
            assertTrue(!text.contains("after the cell ended"), text);
        }
    }
}

package org.latentmotion.wplus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A W+ dataset passes 2 GB at about 37 minutes of 25 fps video: {@link Npy#read} must take it
 * whole. The file here is sparse (2.3 GB long, a few frames written), so it costs no disk: frames
 * on both sides of the 2 GB mark and at the end hold known values, the rest are zeros.
 */
class NpyOver2GbTest {
    static final int LAYERS = 18;
    static final int WIDTH = 512;
    static final long FRAME_BYTES = LAYERS * WIDTH * 4L;
    static final int FRAMES = (int) ((2_300_000_000L + FRAME_BYTES - 1) / FRAME_BYTES);

    @TempDir
    Path tmp;

    @Test
    void readsAFloat32FileOver2GbWhole() throws Exception {
        int across = (int) ((1L << 31) / FRAME_BYTES); // the frame that straddles byte 2^31 of the data
        int[] marked = {0, 1, across - 1, across, across + 1, FRAMES - 1};
        for (String dtype : new String[] {"<f4"}) {
            Path file = tmp.resolve("big" + dtype.charAt(0) + ".npy");
            byte[] header = NpyHeader.encode(NpyDtype.parse(dtype, "test"), new long[] {FRAMES, LAYERS, WIDTH}, false);
            ByteOrder order = dtype.charAt(0) == '<' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.write(header);
                raf.setLength(header.length + FRAMES * FRAME_BYTES);
                for (int t : marked) {
                    ByteBuffer frame = ByteBuffer.allocate((int) FRAME_BYTES).order(order);
                    for (int i = 0; i < LAYERS * WIDTH; i++) {
                        frame.putFloat(t + i / 8192f);
                    }
                    raf.seek(header.length + t * FRAME_BYTES);
                    raf.write(frame.array());
                }
            }
            assertTrue(Files.size(file) > (1L << 31) + 100_000_000L);
            INDArray w = Npy.read(file, DataType.FLOAT);
            assertArrayEquals(new long[] {FRAMES, LAYERS, WIDTH}, w.shape());
            for (int t : marked) {
                assertEquals(t, w.getFloat(t, 0, 0), 0, dtype + " frame " + t);
                assertEquals(t + (LAYERS * WIDTH - 1) / 8192f, w.getFloat(t, LAYERS - 1, WIDTH - 1), 0, dtype + " frame " + t);
            }
            assertEquals(0, w.getFloat(across / 2, 3, 7), 0);
            w.close();
            Files.delete(file);
        }
    }
}

package org.latentmotion.wplus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An NPY file opened for reading in slices along its first axis, memory-mapped, so files
 * larger than the heap (hours of video as [T, L, 512], or [N, T, L, 512] batches) can be
 * read frame range by frame range. Only the bytes a slice needs are touched.
 *
 * <pre>{@code
 * try (NpyFile f = NpyFile.open(Path.of("inversions.npy"))) {      // [T, 18, 512]
 *     Trajectory minute = f.trajectory(0, 1500, 25);
 * }
 * }</pre>
 */
public final class NpyFile implements AutoCloseable {
    private static final long CHUNK = 1L << 30; // mapping granularity (a MappedByteBuffer holds < 2 GiB)

    private final Path path;
    private final String name;
    private final NpyHeader header;
    private final FileChannel channel;
    private final long fileSize;
    private final List<MappedByteBuffer> chunks = new ArrayList<>();
    private boolean allowNonFinite;
    private boolean closed;

    private NpyFile(Path path, NpyHeader header, FileChannel channel, long fileSize) {
        this.path = path;
        this.name = path.toString();
        this.header = header;
        this.channel = channel;
        this.fileSize = fileSize;
    }

    /** Opens and checks the header (dtype, shape against the file size); reads no data yet. */
    public static NpyFile open(Path path) {
        FileChannel ch = null;
        try {
            ch = FileChannel.open(path, StandardOpenOption.READ);
            long size = ch.size();
            NpyHeader h = Npy.readHeader(ch, size, path.toString());
            if (h.rank() == 0) {
                throw new NpyFormatException(path.toString(), "a 0-d array has no axis to slice: use Npy.read");
            }
            NpyFile f = new NpyFile(path, h, ch, size);
            ch = null;
            return f;
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("NPY file not found: " + path, e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not open NPY file " + path + ": " + e.getMessage(), e);
        } finally {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // already failing; the first error is the one to report
                }
            }
        }
    }

    /** Accept NaN and ±Inf in slices instead of refusing them. */
    public NpyFile allowNonFinite() {
        this.allowNonFinite = true;
        return this;
    }

    /** The file's parsed header (dtype, shape, order). */
    public NpyHeader header() {
        return header;
    }

    /** The array's shape as stored (a copy). */
    public long[] shape() {
        return header.shape();
    }

    /** Size of the first axis (frames for [T, L, D], trajectories for [N, T, L, D]). */
    public long length() {
        return header.shape()[0];
    }

    /** Items [from, to) along the first axis as float32, shape [to - from, ...rest]. */
    public INDArray read(long from, long to) {
        return read(from, to, DataType.FLOAT);
    }

    /** Items [from, to) along the first axis converted to {@code as} (null: the file's dtype). */
    public synchronized INDArray read(long from, long to, DataType as) {
        if (closed) {
            throw new IllegalStateException("NpyFile " + name + " is closed");
        }
        long n0 = length();
        if (from < 0 || to > n0 || from > to) {
            throw new IndexOutOfBoundsException("slice [" + from + ", " + to + ") of " + name + " with "
                    + n0 + " items along axis 0");
        }
        long[] shape = header.shape();
        long rest = 1;
        for (int a = 1; a < shape.length; a++) {
            rest *= shape[a];
        }
        int item = header.dtype().itemSize;
        long count = (to - from) * rest;
        if (count > NpyCodec.MAX_ELEMENTS || count * item > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("slice [" + from + ", " + to + ") of " + name + " is " + count * item
                    + " bytes: read fewer items at a time");
        }
        long base = header.dataOffset();
        long[] sub = shape.clone();
        sub[0] = to - from;
        String where = name + " items [" + from + ", " + to + ")";
        DataType stored = header.dtype().nd4jType();
        if (!header.fortranOrder() && count > 0 && (as == null || as == stored)
                && NpyCodec.directReadable(header, null)) {
            // straight from the mapping into the new array's memory
            INDArray out = org.nd4j.linalg.factory.Nd4j.createUninitialized(stored, sub, 'c');
            ByteBuffer dst = out.data().asNio();
            dst.clear();
            dst.limit((int) (count * item));
            copy(base + from * rest * item, dst);
            if (!allowNonFinite && header.dtype().isFloat()) {
                dst.flip();
                NpyCodec.checkFinite(dst, header.dtype(), sub, where);
            }
            return out;
        }
        byte[] bytes = new byte[(int) (count * item)];
        if (!header.fortranOrder()) {
            copy(base + from * rest * item, bytes, 0, bytes.length);
        } else {
            // Fortran order: for each position in the other axes, the slice's items are one run.
            int run = (int) ((to - from) * item);
            for (long j = 0; j < rest; j++) {
                copy(base + (from + n0 * j) * item, bytes, (int) (j * run), run);
            }
        }
        return NpyCodec.decode(header.dtype(), sub, header.fortranOrder(), ByteBuffer.wrap(bytes), as,
                allowNonFinite, where);
    }

    /** Item {@code i} along the first axis (one frame of [T, L, D], one trajectory of [N, T, L, D]). */
    public INDArray get(long i) {
        INDArray one = read(i, i + 1);
        long[] s = one.shape();
        return one.reshape('c', Arrays.copyOfRange(s, 1, s.length));
    }

    /** Frames [from, to) of a [T, L, D] file as a trajectory. */
    public Trajectory trajectory(long from, long to, double fps) {
        if (header.rank() != 3) {
            throw new IllegalStateException(name + ": a trajectory needs shape [T, L, D], found "
                    + NpyHeader.tupleText(header.shape()));
        }
        return Trajectory.of(read(from, to), fps, Npy.fileName(path) + "[" + from + ":" + to + "]");
    }

    /** Trajectory {@code n} of an [N, T, L, D] file. */
    public Trajectory clip(long n, double fps) {
        if (header.rank() != 4) {
            throw new IllegalStateException(name + ": clips need shape [N, T, L, D], found "
                    + NpyHeader.tupleText(header.shape()));
        }
        return Trajectory.of(get(n), fps, Npy.fileName(path) + "[" + n + "]");
    }

    private void copy(long offset, byte[] dst, int dstPos, int len) {
        long pos = offset;
        int done = 0;
        while (done < len) {
            int c = (int) (pos / CHUNK);
            MappedByteBuffer chunk = chunk(c);
            int within = (int) (pos - c * CHUNK);
            int n = Math.min(len - done, chunk.capacity() - within);
            chunk.get(within, dst, dstPos + done, n);
            done += n;
            pos += n;
        }
    }

    private void copy(long offset, ByteBuffer dst) {
        long pos = offset;
        while (dst.hasRemaining()) {
            int c = (int) (pos / CHUNK);
            MappedByteBuffer chunk = chunk(c);
            int within = (int) (pos - c * CHUNK);
            int n = Math.min(dst.remaining(), chunk.capacity() - within);
            dst.put(chunk.duplicate().position(within).limit(within + n));
            pos += n;
        }
    }

    private MappedByteBuffer chunk(int c) {
        while (chunks.size() <= c) {
            chunks.add(null);
        }
        MappedByteBuffer m = chunks.get(c);
        if (m == null) {
            long start = c * CHUNK;
            long size = Math.min(CHUNK, fileSize - start);
            try {
                m = channel.map(FileChannel.MapMode.READ_ONLY, start, size);
            } catch (IOException e) {
                throw new UncheckedIOException("could not map " + name + " at byte " + start + ": " + e.getMessage(), e);
            }
            chunks.set(c, m);
        }
        return m;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            chunks.clear(); // mappings go when the buffers are collected
            try {
                channel.close();
            } catch (IOException e) {
                throw new UncheckedIOException("could not close " + name, e);
            }
        }
    }

    @Override
    public String toString() {
        return "NpyFile " + name + ": " + header + ", " + fileSize + " bytes" + (closed ? " (closed)" : "");
    }
}

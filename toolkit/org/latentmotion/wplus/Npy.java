package org.latentmotion.wplus;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * numpy's {@code .npy} files: read what numpy and PyTorch users have (format 1.0, 2.0, 3.0;
 * float16/32/64 and integer dtypes; little and big endian; C and Fortran order) and write
 * files numpy reads back (format 1.0, little endian, C order, the array's own dtype).
 *
 * <pre>{@code
 * INDArray w = Npy.read(Path.of("directions.npy"));            // float32
 * Trajectory clip = Npy.readTrajectory(Path.of("clip.npy"), 25); // [T, L, 512]
 * Npy.write(Path.of("out.npy"), w);                              // temp file + atomic move
 * }</pre>
 *
 * Every malformed file raises {@link NpyFormatException} naming the file and the problem;
 * values that are NaN or infinite are refused unless {@link Reader#allowNonFinite()} is asked.
 * Files too large for the heap are read in slices with {@link NpyFile}.
 */
public final class Npy {
    private Npy() {
    }

    /** Reads an array as float32. */
    public static INDArray read(Path path) {
        return reader().read(path);
    }

    /** Reads an array converted to {@code as}; null keeps the file's own dtype. */
    public static INDArray read(Path path, DataType as) {
        return reader().as(as).read(path);
    }

    /** A reader with options: {@code Npy.reader().as(DataType.DOUBLE).allowNonFinite().read(path)}. */
    public static Reader reader() {
        return new Reader(DataType.FLOAT, false);
    }

    /** The header of an NPY file, checked against the file's size, without reading the data. */
    public static NpyHeader header(Path path) {
        String name = path.toString();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            return readHeader(ch, ch.size(), name);
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("NPY file not found: " + name, e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read NPY file " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a trajectory stored as [T, L, D] (e.g. pSp / e4e inversions of a video's frames).
     * A [T, D] file of W codes is refused here: say how many layers to broadcast them to with
     * {@link #readTrajectory(Path, double, int)}.
     */
    public static Trajectory readTrajectory(Path path, double fps) {
        INDArray a = read(path);
        if (a.rank() == 2) {
            throw new NpyFormatException(path.toString(), "shape " + Arrays.toString(a.shape())
                    + " holds W codes [T, D], not W+ [T, L, D]: use Npy.readTrajectory(path, fps, layers)"
                    + " to repeat each code over the layers");
        }
        if (a.rank() == 4) {
            throw new NpyFormatException(path.toString(), "shape " + Arrays.toString(a.shape())
                    + " holds several trajectories [N, T, L, D]: use Npy.readTrajectories(path, fps)");
        }
        return asTrajectory(a, path, fps);
    }

    /**
     * Reads a trajectory with {@code layers} layers: [T, L, D] files must have that many, and
     * [T, D] W codes are repeated over the layers (how a W-space inversion becomes W+).
     */
    public static Trajectory readTrajectory(Path path, double fps, int layers) {
        INDArray a = read(path);
        if (a.rank() == 2) {
            long t = a.size(0);
            long d = a.size(1);
            INDArray wplus = a.reshape('c', t, 1, d).repeat(1, layers);
            return asTrajectory(wplus, path, fps);
        }
        Trajectory tr = readTrajectory(path, fps);
        if (tr.layers() != layers) {
            throw new NpyFormatException(path.toString(), "expected " + layers + " layers, found shape "
                    + tr.describeShape());
        }
        return tr;
    }

    /** Reads [N, T, L, D] as N clips (or [T, L, D] as one), named after the file. */
    public static TrajectorySet readTrajectories(Path path, double fps) {
        INDArray a = read(path);
        String name = fileName(path);
        if (a.rank() == 3) {
            return TrajectorySet.of(name, asTrajectory(a, path, fps));
        }
        if (a.rank() != 4) {
            throw new NpyFormatException(path.toString(), "expected trajectories [N, T, L, D], found shape "
                    + Arrays.toString(a.shape()));
        }
        List<Trajectory> clips = new ArrayList<>();
        for (int i = 0; i < a.size(0); i++) {
            INDArray clip = a.get(NDArrayIndex.point(i), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all());
            clips.add(asTrajectory(clip.dup('c'), path, fps).withSource(name + "[" + i + "]"));
        }
        return TrajectorySet.of(name, clips);
    }

    private static Trajectory asTrajectory(INDArray a, Path path, double fps) {
        if (a.rank() != 3 || a.length() == 0) {
            throw new NpyFormatException(path.toString(), "expected a trajectory [T, L, D] with no empty axis, found shape "
                    + Arrays.toString(a.shape()));
        }
        return Trajectory.of(a, fps, fileName(path));
    }

    /** Writes {@code array} as NPY 1.0 (little endian, C order, its own dtype), atomically. */
    public static void write(Path path, INDArray array) {
        Objects.requireNonNull(array, "array");
        NpyDtype.of(array.dataType()); // refuse unsupported types before touching the disk
        AtomicFile.write(path, out -> NpyCodec.encode(array, out));
    }

    /** Writes a trajectory's codes [T, L, D] as float32. */
    public static void write(Path path, Trajectory trajectory) {
        write(path, trajectory.codes());
    }

    /** The NPY bytes of {@code array}, as {@link #write} puts them in a file. */
    public static byte[] toBytes(INDArray array) {
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            NpyCodec.encode(array, out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses NPY bytes held in memory; {@code name} is used in error messages. */
    public static INDArray fromBytes(byte[] bytes, String name, DataType as, boolean allowNonFinite) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        NpyHeader h = NpyHeader.parse(b, bytes.length, name);
        b.position((int) h.dataOffset());
        return NpyCodec.decode(h, b, as, allowNonFinite, name);
    }

    static NpyHeader readHeader(FileChannel ch, long size, String name) throws IOException {
        ByteBuffer prefix = ByteBuffer.allocate((int) Math.min(size, 12));
        readFully(ch, prefix, 0);
        prefix.flip();
        int plen = NpyHeader.prefixLength(prefix, name);
        if (prefix.remaining() < plen) {
            throw new NpyFormatException(name, "truncated: file ends inside the header length field");
        }
        long hlen = plen == 10 ? (((prefix.get(8) & 0xff) | ((prefix.get(9) & 0xff) << 8)))
                : ((prefix.get(8) & 0xffL) | ((prefix.get(9) & 0xffL) << 8) | ((prefix.get(10) & 0xffL) << 16)
                        | ((prefix.get(11) & 0xffL) << 24));
        long want = Math.min(size, plen + Math.min(hlen, NpyHeader.MAX_HEADER_BYTES + 1L));
        ByteBuffer head = ByteBuffer.allocate((int) want);
        readFully(ch, head, 0);
        head.flip();
        return NpyHeader.parse(head, size, name);
    }

    static void readFully(FileChannel ch, ByteBuffer dst, long position) throws IOException {
        long pos = position;
        while (dst.hasRemaining()) {
            int n = ch.read(dst, pos);
            if (n < 0) {
                break;
            }
            pos += n;
        }
    }

    static String fileName(Path path) {
        Path f = path.getFileName();
        return f == null ? path.toString() : f.toString();
    }

    /** Options for reading: target dtype and whether NaN/Inf are accepted. Immutable. */
    public static final class Reader {
        /** Largest block read at once from a file over 2 GB. */
        private static final long BLOCK_BYTES = 1L << 30;
        private final DataType as;
        private final boolean allowNonFinite;

        private Reader(DataType as, boolean allowNonFinite) {
            this.as = as;
            this.allowNonFinite = allowNonFinite;
        }

        /** Convert to {@code type} (null: keep the file's dtype). */
        public Reader as(DataType type) {
            return new Reader(type, allowNonFinite);
        }

        /** Keep the file's dtype (float16 → HALF, int64 → LONG, ...). */
        public Reader asStored() {
            return new Reader(null, allowNonFinite);
        }

        /** Accept NaN and ±Inf values instead of refusing the file. */
        public Reader allowNonFinite() {
            return new Reader(as, true);
        }

        /**
         * A file whose data passes 2 GB (a W+ dataset does at about 37 minutes of 25 fps video) is
         * read in blocks of items along its first axis through {@link NpyFile}'s chunked mapping
         * straight into one array: a Java buffer or a single mapping cannot span more than 2 GB.
         */
        private INDArray readInBlocks(Path path, NpyHeader h) {
            long[] shape = h.shape();
            long perItem = h.dataBytes() / Math.max(1, shape[0]);
            long items = Math.max(1, BLOCK_BYTES / Math.max(1, perItem));
            DataType target = as == null ? h.dtype().nd4jType() : as;
            INDArray out = Nd4j.createUninitialized(target, shape, 'c');
            try (NpyFile f = NpyFile.open(path)) {
                if (allowNonFinite) {
                    f.allowNonFinite();
                }
                for (long from = 0; from < shape[0]; from += items) {
                    long to = Math.min(shape[0], from + items);
                    INDArray block = f.read(from, to, target);
                    out.get(NDArrayIndex.interval(from, to)).assign(block);
                    block.close();
                }
            }
            return out;
        }

        /**
         * Reads the NPY file at {@code path} with these options; throws {@link NpyFormatException} for a malformed,
         * truncated or (unless allowed) non-finite file or one too big for one array, and
         * {@link java.io.UncheckedIOException} if it cannot be read.
         */
        public INDArray read(Path path) {
            String name = path.toString();
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
                long size = ch.size();
                NpyHeader h = readHeader(ch, size, name);
                if (h.elements() > NpyCodec.MAX_ELEMENTS) {
                    throw new NpyFormatException(name, h + " has " + h.elements()
                            + " elements, more than one in-memory array holds; open it with NpyFile.open(path)"
                            + " to read it in slices");
                }
                if (NpyCodec.directReadable(h, as)) {
                    return NpyCodec.readDirect(ch, h, allowNonFinite, name);
                }
                if (h.dataBytes() > BLOCK_BYTES && h.rank() >= 1) {
                    return readInBlocks(path, h);
                }
                ByteBuffer data;
                long bytes = h.dataBytes();
                if (bytes > (64L << 20)) {
                    data = ch.map(FileChannel.MapMode.READ_ONLY, h.dataOffset(), bytes);
                } else {
                    data = ByteBuffer.allocate((int) bytes);
                    readFully(ch, data, h.dataOffset());
                    if (data.hasRemaining()) {
                        throw new NpyFormatException(name, "truncated data: file shrank while it was read");
                    }
                    data.flip();
                }
                return NpyCodec.decode(h, data, as, allowNonFinite, name);
            } catch (NoSuchFileException e) {
                throw new UncheckedIOException("NPY file not found: " + name, e);
            } catch (IOException e) {
                throw new UncheckedIOException("could not read NPY file " + name + ": " + e.getMessage(), e);
            }
        }
    }
}

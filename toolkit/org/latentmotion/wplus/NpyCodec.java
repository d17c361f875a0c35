package org.latentmotion.wplus;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Turns NPY data bytes into ND4J arrays and back. */
final class NpyCodec {
    /** Largest element count a single on-heap Java array can hold. */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE - 16;

    private NpyCodec() {
    }

    /**
     * Decodes the data of {@code header} from {@code data} (positioned at the first data byte)
     * into a C-order array of type {@code as} (null: the ND4J type matching the file's dtype).
     */
    static INDArray decode(NpyHeader header, ByteBuffer data, DataType as, boolean allowNonFinite, String file) {
        if (header.elements() > MAX_ELEMENTS) {
            throw new NpyFormatException(file, header + " has " + header.elements() + " elements, more than one"
                    + " in-memory array holds; open it with NpyFile.open(path) to read it in slices");
        }
        return decode(header.dtype(), header.shape(), header.fortranOrder(), data, as, allowNonFinite, file);
    }

    /** Decodes {@code prod(shape)} elements of {@code dt} laid out in C or Fortran order. */
    static INDArray decode(NpyDtype dt, long[] shape, boolean fortran, ByteBuffer data, DataType as,
            boolean allowNonFinite, String file) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        DataType target = as == null ? dt.nd4jType() : as;
        ByteBuffer b = data.slice().order(dt.order);
        char order = fortran ? 'f' : 'c';
        int count = (int) n;
        INDArray out;
        if (target == DataType.FLOAT || target == DataType.HALF) {
            float[] v = toFloats(b, dt, count);
            if (!allowNonFinite && dt.isFloat()) {
                checkFinite(v, shape, order, file);
            }
            out = create(v, shape, order);
        } else if (target == DataType.DOUBLE) {
            double[] v = toDoubles(b, dt, count);
            if (!allowNonFinite && dt.isFloat()) {
                checkFinite(v, shape, order, file);
            }
            out = create(v, shape, order);
        } else {
            if (dt.isFloat()) {
                double[] v = toDoubles(b, dt, count);
                if (!allowNonFinite) {
                    checkFinite(v, shape, order, file);
                }
                out = create(v, shape, order);
            } else {
                long[] v = toLongs(b, dt, count);
                if (dt.kind == 'u' && dt.itemSize == 8) {
                    for (int i = 0; i < v.length; i++) {
                        if (v[i] < 0) { // ND4J's Java side reads 64-bit integers as signed: 2^63 would come back negative
                            throw new NpyFormatException(file, "uint64 element " + i + " is " + Long.toUnsignedString(v[i])
                                    + ", past the signed 64-bit range ND4J's integer arrays read back; read the file as"
                                    + " DataType.DOUBLE (exact up to 2^53) instead");
                        }
                    }
                }
                out = createLong(v, shape, order);
            }
        }
        if (out.dataType() != target) {
            out = out.castTo(target);
        }
        if (out.ordering() != 'c') {
            out = out.dup('c');
        }
        return out;
    }

    private static INDArray create(float[] v, long[] shape, char order) {
        if (shape.length == 0) {
            return Nd4j.scalar(v[0]);
        }
        if (v.length == 0) {
            return Nd4j.create(DataType.FLOAT, shape);
        }
        return Nd4j.create(v, shape, order);
    }

    private static INDArray create(double[] v, long[] shape, char order) {
        if (shape.length == 0) {
            return Nd4j.scalar(v[0]);
        }
        if (v.length == 0) {
            return Nd4j.create(DataType.DOUBLE, shape);
        }
        return Nd4j.create(v, shape, order);
    }

    private static INDArray createLong(long[] v, long[] shape, char order) {
        if (shape.length == 0) {
            return Nd4j.scalar(v[0]);
        }
        if (v.length == 0) {
            return Nd4j.create(DataType.LONG, shape);
        }
        INDArray flat = Nd4j.createFromArray(v);
        return order == 'c' ? flat.reshape('c', shape) : flat.reshape('f', shape).dup('c');
    }

    static float[] toFloats(ByteBuffer b, NpyDtype dt, int n) {
        float[] out = new float[n];
        if (dt.kind == 'f' && dt.itemSize == 4) {
            b.asFloatBuffer().get(out);
            return out;
        }
        if (dt.kind == 'f' && dt.itemSize == 2) {
            short[] bits = new short[n];
            b.asShortBuffer().get(bits);
            float[] table = Half.TABLE;
            for (int i = 0; i < n; i++) {
                out[i] = table[bits[i] & 0xffff];
            }
            return out;
        }
        if (dt.kind == 'f') {
            for (int i = 0; i < n; i++) {
                out[i] = (float) b.getDouble(i * 8);
            }
            return out;
        }
        for (int i = 0; i < n; i++) {
            out[i] = (float) realOf(b, dt, i);
        }
        return out;
    }

    static double[] toDoubles(ByteBuffer b, NpyDtype dt, int n) {
        double[] out = new double[n];
        if (dt.kind == 'f' && dt.itemSize == 8) {
            b.asDoubleBuffer().get(out);
            return out;
        }
        if (dt.kind == 'f') {
            float[] f = toFloats(b, dt, n);
            for (int i = 0; i < n; i++) {
                out[i] = f[i];
            }
            return out;
        }
        for (int i = 0; i < n; i++) {
            out[i] = realOf(b, dt, i);
        }
        return out;
    }

    /** Element i as a real number; uint64 values past int64's range keep their magnitude (2^63 is not −2^63). */
    private static double realOf(ByteBuffer b, NpyDtype dt, int i) {
        long v = integer(b, dt, i);
        if (dt.kind == 'u' && dt.itemSize == 8 && v < 0) {
            return (double) (v >>> 1) * 2.0 + (v & 1);
        }
        return v;
    }

    static long[] toLongs(ByteBuffer b, NpyDtype dt, int n) {
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = integer(b, dt, i);
        }
        return out;
    }

    private static long integer(ByteBuffer b, NpyDtype dt, int i) {
        boolean unsigned = dt.kind == 'u' || dt.kind == 'b';
        return switch (dt.itemSize) {
            case 1 -> unsigned ? b.get(i) & 0xffL : b.get(i);
            case 2 -> unsigned ? b.getShort(i * 2) & 0xffffL : b.getShort(i * 2);
            case 4 -> unsigned ? b.getInt(i * 4) & 0xffffffffL : b.getInt(i * 4);
            default -> b.getLong(i * 8);
        };
    }

    static void checkFinite(float[] v, long[] shape, char order, String file) {
        int bad = 0;
        int first = -1;
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                if (first < 0) {
                    first = i;
                }
                bad++;
            }
        }
        if (bad > 0) {
            throw nonFinite(file, bad, v[first], first, shape, order);
        }
    }

    static void checkFinite(double[] v, long[] shape, char order, String file) {
        int bad = 0;
        int first = -1;
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                if (first < 0) {
                    first = i;
                }
                bad++;
            }
        }
        if (bad > 0) {
            throw nonFinite(file, bad, v[first], first, shape, order);
        }
    }

    private static NpyFormatException nonFinite(String file, int count, double value, long flat, long[] shape, char order) {
        return new NpyFormatException(file, count + " non-finite value" + (count == 1 ? "" : "s")
                + " (NaN or ±Inf); the first is " + value + " at index " + Arrays.toString(unravel(flat, shape, order))
                + " (read with allowNonFinite() to accept them)");
    }

    static long[] unravel(long flat, long[] shape, char order) {
        long[] idx = new long[shape.length];
        long r = flat;
        if (order == 'c') {
            for (int a = shape.length - 1; a >= 0; a--) {
                idx[a] = shape[a] == 0 ? 0 : r % shape[a];
                r = shape[a] == 0 ? 0 : r / shape[a];
            }
        } else {
            for (int a = 0; a < shape.length; a++) {
                idx[a] = shape[a] == 0 ? 0 : r % shape[a];
                r = shape[a] == 0 ? 0 : r / shape[a];
            }
        }
        return idx;
    }

    /** Writes {@code array} as NPY 1.0, little endian, C order, in its own dtype. */
    static void encode(INDArray array, OutputStream out) throws IOException {
        NpyDtype dt = NpyDtype.of(array.dataType());
        long[] shape = array.shape();
        out.write(NpyHeader.encode(dt, shape, false));
        long n = array.length();
        if (n == 0) {
            return;
        }
        if (n > MAX_ELEMENTS) {
            throw new IllegalArgumentException("NPY write: " + n + " elements is more than this writer handles at once");
        }
        DataType type = array.dataType();
        if (type == DataType.FLOAT || type == DataType.DOUBLE || type == DataType.INT || type == DataType.LONG) {
            // the array's own memory, in C order, is already the file's bytes on a little-endian machine
            INDArray c = isPlainC(array) ? array : array.dup('c');
            ByteBuffer src = c.data().asNio().order(ByteOrder.nativeOrder());
            if (src.order() == ByteOrder.LITTLE_ENDIAN) {
                long bytes = n * dt.itemSize;
                byte[] chunk = new byte[1 << 20];
                ByteBuffer view = src.duplicate();
                view.position(0);
                long done = 0;
                while (done < bytes) {
                    int len = (int) Math.min(chunk.length, bytes - done);
                    view.get(chunk, 0, len);
                    out.write(chunk, 0, len);
                    done += len;
                }
                return;
            }
        }
        INDArray flat = Nd4j.toFlattened('c', array);
        int count = (int) n;
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        switch (array.dataType()) {
            case FLOAT -> {
                float[] v = flat.data().asFloat();
                for (int i = 0; i < count; i++) {
                    buf = room(buf, 4, out).putFloat(v[i]);
                }
            }
            case DOUBLE -> {
                double[] v = flat.data().asDouble();
                for (int i = 0; i < count; i++) {
                    buf = room(buf, 8, out).putDouble(v[i]);
                }
            }
            case HALF -> {
                float[] v = flat.castTo(DataType.FLOAT).data().asFloat();
                for (int i = 0; i < count; i++) {
                    buf = room(buf, 2, out).putShort(Half.fromFloat(v[i]));
                }
            }
            case INT -> {
                int[] v = flat.data().asInt();
                for (int i = 0; i < count; i++) {
                    buf = room(buf, 4, out).putInt(v[i]);
                }
            }
            default -> {
                long[] v = flat.dataType() == DataType.LONG ? flat.data().asLong()
                        : flat.castTo(DataType.LONG).data().asLong();
                int size = dt.itemSize;
                for (int i = 0; i < count; i++) {
                    room(buf, size, out);
                    switch (size) {
                        case 1 -> buf.put((byte) v[i]);
                        case 2 -> buf.putShort((short) v[i]);
                        case 4 -> buf.putInt((int) v[i]);
                        default -> buf.putLong(v[i]);
                    }
                }
            }
        }
        out.write(buf.array(), 0, buf.position());
    }

    /** True if the array owns exactly its elements in C order (its buffer is the data, nothing else). */
    static boolean isPlainC(INDArray a) {
        return a.ordering() == 'c' && !a.isView() && a.offset() == 0 && a.data().length() == a.length()
                && a.elementWiseStride() == 1;
    }

    /** Whether {@link #readDirect} can read this file straight into ND4J memory. */
    static boolean directReadable(NpyHeader h, DataType as) {
        NpyDtype dt = h.dtype();
        if (h.fortranOrder() || h.rank() == 0 || h.elements() == 0 || h.dataBytes() > Integer.MAX_VALUE - 16
                || (dt.itemSize > 1 && dt.order != ByteOrder.LITTLE_ENDIAN)
                || ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            return false;
        }
        DataType stored = dt.nd4jType();
        boolean plain = stored == DataType.FLOAT || stored == DataType.DOUBLE || stored == DataType.INT
                || stored == DataType.LONG;
        return plain && (as == null || as == stored);
    }

    /** Reads the data of a {@link #directReadable} file into a new array's memory, no copy on the heap. */
    static INDArray readDirect(java.nio.channels.FileChannel ch, NpyHeader h, boolean allowNonFinite, String file)
            throws IOException {
        NpyDtype dt = h.dtype();
        INDArray out = Nd4j.createUninitialized(dt.nd4jType(), h.shape(), 'c');
        ByteBuffer dst = out.data().asNio();
        dst.clear();
        dst.limit((int) h.dataBytes());
        long pos = h.dataOffset();
        while (dst.hasRemaining()) {
            int r = ch.read(dst, pos);
            if (r < 0) {
                throw new NpyFormatException(file, "truncated data: the file ended while it was read");
            }
            pos += r;
        }
        if (!allowNonFinite && dt.isFloat()) {
            dst.flip();
            checkFinite(dst, dt, h.shape(), file);
        }
        return out;
    }

    /** Refuses NaN/Inf in little-endian float data (position 0 to limit of {@code data}). */
    static void checkFinite(ByteBuffer data, NpyDtype dt, long[] shape, String file) {
        ByteBuffer d = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        long first = -1;
        int bad = 0;
        double value = 0;
        if (dt.itemSize == 4) {
            java.nio.FloatBuffer fb = d.asFloatBuffer();
            for (int i = 0, n = fb.limit(); i < n; i++) {
                float v = fb.get(i);
                if (!Float.isFinite(v)) {
                    if (first < 0) {
                        first = i;
                        value = v;
                    }
                    bad++;
                }
            }
        } else {
            java.nio.DoubleBuffer db = d.asDoubleBuffer();
            for (int i = 0, n = db.limit(); i < n; i++) {
                double v = db.get(i);
                if (!Double.isFinite(v)) {
                    if (first < 0) {
                        first = i;
                        value = v;
                    }
                    bad++;
                }
            }
        }
        if (bad > 0) {
            throw nonFinite(file, bad, value, first, shape, 'c');
        }
    }

    private static ByteBuffer room(ByteBuffer buf, int bytes, OutputStream out) throws IOException {
        if (buf.remaining() < bytes) {
            out.write(buf.array(), 0, buf.position());
            buf.clear();
        }
        return buf;
    }

    /** IEEE 754 binary16 conversions (Java 17 has none built in). */
    static final class Half {
        /** Every half-precision bit pattern's value (256 KiB, built once): decoding is one lookup. */
        static final float[] TABLE = new float[65536];

        static {
            for (int i = 0; i < TABLE.length; i++) {
                TABLE[i] = toFloat((short) i);
            }
        }

        private Half() {
        }

        static float toFloat(short bits) {
            int h = bits & 0xffff;
            int sign = (h >>> 15) << 31;
            int exp = (h >>> 10) & 0x1f;
            int mant = h & 0x3ff;
            if (exp == 0x1f) {
                return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13)); // Inf or NaN
            }
            if (exp == 0) {
                float v = mant * 0x1p-24f; // subnormal (or zero)
                return sign != 0 ? -v : v;
            }
            return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
        }

        /** Rounds to nearest even, as numpy does. */
        static short fromFloat(float f) {
            int x = Float.floatToRawIntBits(f);
            int sign = (x >>> 16) & 0x8000;
            int exp = (x >>> 23) & 0xff;
            int mant = x & 0x7fffff;
            if (exp == 0xff) {
                return (short) (sign | 0x7c00 | (mant != 0 ? 0x200 | (mant >>> 13) : 0));
            }
            int e = exp - 127 + 15;
            if (e >= 0x1f) {
                return (short) (sign | 0x7c00); // overflow to Inf
            }
            if (e <= 0) {
                if (e < -10) {
                    return (short) sign; // underflow to zero
                }
                mant |= 0x800000;
                int shift = 14 - e;
                int half = mant >>> shift;
                int rem = mant & ((1 << shift) - 1);
                int mid = 1 << (shift - 1);
                if (rem > mid || (rem == mid && (half & 1) == 1)) {
                    half++;
                }
                return (short) (sign | half);
            }
            int half = (e << 10) | (mant >>> 13);
            int rem = mant & 0x1fff;
            if (rem > 0x1000 || (rem == 0x1000 && (half & 1) == 1)) {
                half++; // may carry into the exponent, which is correct (up to Inf)
            }
            return (short) (sign | half);
        }
    }
}

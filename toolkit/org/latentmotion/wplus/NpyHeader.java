package org.latentmotion.wplus;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The header of an NPY file (format versions 1.0, 2.0 and 3.0): dtype, memory order, shape and
 * where the data starts. Parsing checks everything that can be checked before data is read,
 * including that the file holds exactly the bytes the shape promises.
 */
public final class NpyHeader {
    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** Headers beyond this are not arrays but something hostile (numpy's own default limit is 10 000). */
    static final int MAX_HEADER_BYTES = 1 << 20;

    private final int major;
    private final int minor;
    private final NpyDtype dtype;
    private final boolean fortranOrder;
    private final long[] shape;
    private final long dataOffset;
    private final long elements;

    private NpyHeader(int major, int minor, NpyDtype dtype, boolean fortranOrder, long[] shape, long dataOffset,
            long elements) {
        this.major = major;
        this.minor = minor;
        this.dtype = dtype;
        this.fortranOrder = fortranOrder;
        this.shape = shape;
        this.dataOffset = dataOffset;
        this.elements = elements;
    }

    /** Bytes needed to know how long the header is (magic, version, length field). */
    static int prefixLength(ByteBuffer start, String file) {
        if (start.remaining() < 8) {
            throw new NpyFormatException(file, "truncated: only " + start.remaining()
                    + " bytes, an NPY file starts with at least 10 (magic, version, header length)");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (start.get(start.position() + i) != MAGIC[i]) {
                throw new NpyFormatException(file, "not an NPY file: expected magic \\x93NUMPY, found "
                        + describeBytes(start, Math.min(6, start.remaining())));
            }
        }
        int major = start.get(start.position() + 6) & 0xff;
        int minor = start.get(start.position() + 7) & 0xff;
        if (minor != 0 || major < 1 || major > 3) {
            throw new NpyFormatException(file, "unsupported NPY format version " + major + "." + minor
                    + ": expected 1.0, 2.0 or 3.0");
        }
        return major == 1 ? 10 : 12;
    }

    /**
     * Parses the header at the start of {@code start} (which must hold the whole header), for a
     * file of {@code fileSize} bytes.
     */
    static NpyHeader parse(ByteBuffer start, long fileSize, String file) {
        ByteBuffer b = start.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int prefix = prefixLength(b, file);
        int major = b.get(b.position() + 6) & 0xff;
        int minor = b.get(b.position() + 7) & 0xff;
        if (b.remaining() < prefix) {
            throw new NpyFormatException(file, "truncated: file ends inside the header length field");
        }
        long headerLen = major == 1 ? (b.getShort(b.position() + 8) & 0xffff)
                : (b.getInt(b.position() + 8) & 0xffffffffL);
        if (headerLen > MAX_HEADER_BYTES) {
            throw new NpyFormatException(file, "header claims " + headerLen + " bytes, more than the "
                    + MAX_HEADER_BYTES + " any array header needs");
        }
        if (prefix + headerLen > fileSize || prefix + headerLen > b.remaining()) {
            throw new NpyFormatException(file, "truncated: header claims " + headerLen + " bytes but the file has only "
                    + (fileSize - prefix) + " after the length field");
        }
        byte[] hb = new byte[(int) headerLen];
        b.position(b.position() + prefix);
        b.get(hb);
        String text = new String(hb, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);

        Object parsed;
        try {
            parsed = new PyLiteral(text).parseAll();
        } catch (IllegalArgumentException e) {
            throw new NpyFormatException(file, "header is not a Python literal (" + e.getMessage() + "): "
                    + abbreviate(text));
        }
        if (!(parsed instanceof Map<?, ?> dict)) {
            throw new NpyFormatException(file, "header is not a dict: " + abbreviate(text));
        }
        Set<String> expected = Set.of("descr", "fortran_order", "shape");
        if (!dict.keySet().equals(expected)) {
            Set<String> found = new TreeSet<>();
            for (Object k : dict.keySet()) {
                found.add(String.valueOf(k));
            }
            throw new NpyFormatException(file, "header keys: expected [descr, fortran_order, shape], found " + found);
        }
        Object descr = dict.get("descr");
        if (descr instanceof List<?>) {
            throw new NpyFormatException(file, "structured dtype " + descr + " is not supported: expected one "
                    + "numeric dtype such as '<f4'");
        }
        if (!(descr instanceof String ds)) {
            throw new NpyFormatException(file, "header 'descr': expected a dtype string, found " + descr);
        }
        NpyDtype dtype = NpyDtype.parse(ds, file);
        if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
            throw new NpyFormatException(file, "header 'fortran_order': expected True or False, found "
                    + dict.get("fortran_order"));
        }
        if (!(dict.get("shape") instanceof PyLiteral.Tuple tuple)) {
            throw new NpyFormatException(file, "header 'shape': expected a tuple of sizes, found " + dict.get("shape"));
        }
        long[] shape = new long[tuple.items().size()];
        long elements = 1;
        for (int i = 0; i < shape.length; i++) {
            Object s = tuple.items().get(i);
            if (!(s instanceof Long n)) {
                throw new NpyFormatException(file, "header 'shape': expected integer sizes, found " + s + " at axis " + i);
            }
            if (n < 0) {
                throw new NpyFormatException(file, "header 'shape' " + tuple + " has a negative size at axis " + i);
            }
            shape[i] = n;
            try {
                elements = Math.multiplyExact(elements, n);
            } catch (ArithmeticException e) {
                throw new NpyFormatException(file, "header 'shape' " + tuple + " overflows: more than 2^63 elements");
            }
        }
        long dataOffset = prefix + headerLen;
        long dataBytes;
        try {
            dataBytes = Math.multiplyExact(elements, (long) dtype.itemSize);
        } catch (ArithmeticException e) {
            throw new NpyFormatException(file, "header 'shape' " + tuple + " overflows: more than 2^63 bytes");
        }
        long available = fileSize - dataOffset;
        if (available < dataBytes) {
            throw new NpyFormatException(file, "truncated data: shape " + tuple + " of " + dtype.humanName()
                    + " needs " + dataBytes + " bytes, the file has " + available);
        }
        if (available > dataBytes) {
            throw new NpyFormatException(file, "header lies about the shape: " + tuple + " of " + dtype.humanName()
                    + " is " + dataBytes + " bytes, the file has " + available + " bytes of data");
        }
        return new NpyHeader(major, minor, dtype, fortran, shape, dataOffset, elements);
    }

    /** The header bytes numpy 1.24 writes for an array (version 1.0, or 2.0 if it does not fit). */
    static byte[] encode(NpyDtype dtype, long[] shape, boolean fortranOrder) {
        StringBuilder h = new StringBuilder("{'descr': '").append(dtype.descr).append("', 'fortran_order': ")
                .append(fortranOrder ? "True" : "False").append(", 'shape': ").append(tupleText(shape)).append(", }");
        if (shape.length > 0) {
            // numpy leaves room to grow the first axis in place (GROWTH_AXIS_MAX_DIGITS = 21)
            int digits = Long.toString(shape[fortranOrder ? shape.length - 1 : 0]).length();
            h.append(" ".repeat(Math.max(0, 21 - digits)));
        }
        byte[] text = h.toString().getBytes(StandardCharsets.ISO_8859_1);
        int major = text.length + 1 + 10 + 64 > 65535 ? 2 : 1;
        int prefix = major == 1 ? 10 : 12;
        int hlen = text.length + 1;
        int pad = 64 - ((prefix + hlen) % 64);
        ByteBuffer out = ByteBuffer.allocate(prefix + hlen + pad).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) major).put((byte) 0);
        if (major == 1) {
            out.putShort((short) (hlen + pad));
        } else {
            out.putInt(hlen + pad);
        }
        out.put(text);
        for (int i = 0; i < pad; i++) {
            out.put((byte) ' ');
        }
        out.put((byte) '\n');
        return out.array();
    }

    static String tupleText(long[] shape) {
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            s.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return s.append(')').toString();
    }

    /** Format version, e.g. "1.0". */
    public String version() {
        return major + "." + minor;
    }

    /** The dtype as numpy writes it, e.g. "&lt;f4". */
    public String descr() {
        return dtype.descr;
    }

    NpyDtype dtype() {
        return dtype;
    }

    /** True if the data is stored in Fortran (column-major) order. */
    public boolean fortranOrder() {
        return fortranOrder;
    }

    /** The array's shape (a copy; empty for a scalar). */
    public long[] shape() {
        return shape.clone();
    }

    /** Number of axes. */
    public int rank() {
        return shape.length;
    }

    /** Number of values: the product of the shape (1 for a scalar). */
    public long elements() {
        return elements;
    }

    /** Byte offset of the first data byte. */
    public long dataOffset() {
        return dataOffset;
    }

    /** Bytes of data after the header: elements × the dtype's item size. */
    public long dataBytes() {
        return elements * dtype.itemSize;
    }

    @Override
    public String toString() {
        return "NPY " + version() + " " + dtype.humanName() + " " + tupleText(shape)
                + (fortranOrder ? " Fortran order" : "");
    }

    private static String abbreviate(String s) {
        String t = s.strip();
        return t.length() > 120 ? t.substring(0, 120) + "…" : t;
    }

    private static String describeBytes(ByteBuffer b, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int v = b.get(b.position() + i) & 0xff;
            s.append(v >= 32 && v < 127 ? String.valueOf((char) v) : String.format("\\x%02x", v));
        }
        return "'" + s + "'";
    }

    /** A parser for the small subset of Python literals NPY headers use. */
    static final class PyLiteral {
        record Tuple(List<Object> items) {
            @Override
            public String toString() {
                StringBuilder s = new StringBuilder("(");
                for (int i = 0; i < items.size(); i++) {
                    s.append(i == 0 ? "" : ", ").append(items.get(i));
                }
                return s.append(items.size() == 1 ? ",)" : ")").toString();
            }
        }

        private final String s;
        private int p;

        PyLiteral(String s) {
            this.s = s;
        }

        Object parseAll() {
            Object v = value(0);
            skip();
            if (p != s.length()) {
                throw new IllegalArgumentException("unexpected '" + s.charAt(p) + "' at " + p);
            }
            return v;
        }

        private void skip() {
            while (p < s.length() && Character.isWhitespace(s.charAt(p))) {
                p++;
            }
        }

        private Object value(int depth) {
            if (depth > 32) {
                throw new IllegalArgumentException("nested too deeply");
            }
            skip();
            if (p >= s.length()) {
                throw new IllegalArgumentException("unexpected end");
            }
            char c = s.charAt(p);
            switch (c) {
                case '{': {
                    p++;
                    Map<Object, Object> m = new LinkedHashMap<>();
                    while (true) {
                        skip();
                        if (peek('}')) {
                            p++;
                            return m;
                        }
                        Object k = value(depth + 1);
                        skip();
                        expect(':');
                        Object v = value(depth + 1);
                        if (m.put(k, v) != null) {
                            throw new IllegalArgumentException("duplicate key " + k);
                        }
                        skip();
                        if (peek(',')) {
                            p++;
                        } else if (!peek('}')) {
                            throw new IllegalArgumentException("expected ',' or '}' at " + p);
                        }
                    }
                }
                case '(':
                case '[': {
                    char close = c == '(' ? ')' : ']';
                    p++;
                    List<Object> items = new ArrayList<>();
                    boolean trailingComma = false;
                    while (true) {
                        skip();
                        if (peek(close)) {
                            p++;
                            if (c == '(' && items.size() == 1 && !trailingComma) {
                                return items.get(0); // (x) is just x in Python
                            }
                            return c == '(' ? new Tuple(items) : items;
                        }
                        items.add(value(depth + 1));
                        skip();
                        trailingComma = false;
                        if (peek(',')) {
                            p++;
                            trailingComma = true;
                        } else if (!peek(close)) {
                            throw new IllegalArgumentException("expected ',' or '" + close + "' at " + p);
                        }
                    }
                }
                case '\'':
                case '"': {
                    int end = s.indexOf(c, p + 1);
                    if (end < 0) {
                        throw new IllegalArgumentException("unterminated string");
                    }
                    String str = s.substring(p + 1, end);
                    p = end + 1;
                    return str;
                }
                default:
                    break;
            }
            if (c == '-' || c == '+' || Character.isDigit(c)) {
                int start = p;
                p++;
                while (p < s.length() && Character.isDigit(s.charAt(p))) {
                    p++;
                }
                String num = s.substring(start, p);
                if (p < s.length() && (s.charAt(p) == 'L' || s.charAt(p) == 'l')) {
                    p++; // Python 2 long literal, as old numpy wrote
                }
                try {
                    return Long.parseLong(num.startsWith("+") ? num.substring(1) : num);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("integer " + num + " does not fit in 64 bits");
                }
            }
            if (Character.isLetter(c) || c == '_') {
                int start = p;
                while (p < s.length() && (Character.isLetterOrDigit(s.charAt(p)) || s.charAt(p) == '_')) {
                    p++;
                }
                String word = s.substring(start, p);
                return switch (word) {
                    case "True" -> Boolean.TRUE;
                    case "False" -> Boolean.FALSE;
                    case "None" -> "None";
                    default -> throw new IllegalArgumentException("unexpected name '" + word + "'");
                };
            }
            throw new IllegalArgumentException("unexpected '" + c + "' at " + p);
        }

        private boolean peek(char c) {
            return p < s.length() && s.charAt(p) == c;
        }

        private void expect(char c) {
            if (!peek(c)) {
                throw new IllegalArgumentException("expected '" + c + "' at " + p);
            }
            p++;
        }

        @Override
        public String toString() {
            return Arrays.toString(new Object[] {s});
        }
    }
}

package org.latentmotion.wplus;

import java.nio.ByteOrder;
import org.nd4j.linalg.api.buffer.DataType;

/** A numpy dtype this toolkit reads and writes: one scalar kind, size and byte order. */
final class NpyDtype {
    final char kind;      // 'f' float, 'i' signed int, 'u' unsigned int, 'b' bool
    final int itemSize;   // bytes per element
    final ByteOrder order;
    final String descr;   // as written in the header, e.g. "<f4"

    private NpyDtype(char kind, int itemSize, ByteOrder order, String descr) {
        this.kind = kind;
        this.itemSize = itemSize;
        this.order = order;
        this.descr = descr;
    }

    /** Parses a numpy descr such as {@code "<f4"}, {@code ">f8"}, {@code "|u1"}; throws with the reason otherwise. */
    static NpyDtype parse(String descr, String file) {
        if (descr.length() < 2) {
            throw new NpyFormatException(file, "unsupported dtype '" + descr + "'");
        }
        char o = descr.charAt(0);
        String rest = descr.substring(1);
        ByteOrder order;
        if (o == '<' || o == '|' || o == '=') {
            order = ByteOrder.LITTLE_ENDIAN; // '=' native: numpy writes it only on little-endian machines we care about
        } else if (o == '>') {
            order = ByteOrder.BIG_ENDIAN;
        } else {
            rest = descr;
            order = ByteOrder.LITTLE_ENDIAN;
        }
        if (rest.equals("O") || rest.startsWith("O")) {
            throw new NpyFormatException(file, "object arrays (dtype '" + descr
                    + "', pickled Python objects) are not supported: save a numeric array instead");
        }
        if (rest.isEmpty()) {
            throw new NpyFormatException(file, "unsupported dtype '" + descr + "'");
        }
        char kind = rest.charAt(0);
        int size;
        try {
            size = Integer.parseInt(rest.substring(1));
        } catch (NumberFormatException e) {
            throw new NpyFormatException(file, "unsupported dtype '" + descr
                    + "': expected float16/32/64, (u)int8/16/32/64 or bool");
        }
        boolean ok = switch (kind) {
            case 'f' -> size == 2 || size == 4 || size == 8;
            case 'i', 'u' -> size == 1 || size == 2 || size == 4 || size == 8;
            case 'b' -> size == 1;
            default -> false;
        };
        if (!ok) {
            throw new NpyFormatException(file, "unsupported dtype '" + descr
                    + "': expected float16/32/64, (u)int8/16/32/64 or bool");
        }
        return new NpyDtype(kind, size, order, descr);
    }

    /** The dtype numpy writes for an ND4J data type (little endian). */
    static NpyDtype of(DataType t) {
        String d = switch (t) {
            case FLOAT -> "<f4";
            case DOUBLE -> "<f8";
            case HALF -> "<f2";
            case INT -> "<i4";
            case LONG -> "<i8";
            case SHORT -> "<i2";
            case BYTE -> "|i1";
            case UBYTE -> "|u1";
            case UINT16 -> "<u2";
            case UINT32 -> "<u4";
            case UINT64 -> "<u8";
            case BOOL -> "|b1";
            default -> throw new IllegalArgumentException("NPY: cannot write arrays of ND4J type " + t
                    + ": expected FLOAT, DOUBLE, HALF, INT, LONG, SHORT, BYTE, UBYTE, UINT16/32/64 or BOOL");
        };
        return parse(d, "(writing)");
    }

    /** The ND4J type that keeps these values without loss. */
    DataType nd4jType() {
        return switch (kind) {
            case 'f' -> itemSize == 2 ? DataType.HALF : itemSize == 4 ? DataType.FLOAT : DataType.DOUBLE;
            case 'b' -> DataType.BOOL;
            case 'i' -> itemSize == 1 ? DataType.BYTE : itemSize == 2 ? DataType.SHORT
                    : itemSize == 4 ? DataType.INT : DataType.LONG;
            default -> itemSize == 1 ? DataType.UBYTE : itemSize == 2 ? DataType.UINT16
                    : itemSize == 4 ? DataType.UINT32 : DataType.UINT64;
        };
    }

    boolean isFloat() {
        return kind == 'f';
    }

    String humanName() {
        return switch (kind) {
            case 'f' -> "float" + itemSize * 8;
            case 'i' -> "int" + itemSize * 8;
            case 'u' -> "uint" + itemSize * 8;
            default -> "bool";
        } + (itemSize > 1 ? (order == ByteOrder.BIG_ENDIAN ? " big-endian" : "") : "");
    }
}

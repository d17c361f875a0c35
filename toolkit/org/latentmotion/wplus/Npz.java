package org.latentmotion.wplus;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * numpy's {@code .npz} archives: named arrays in a zip file, stored ({@code np.savez}) or
 * deflated ({@code np.savez_compressed}). Reading keeps each array's dtype (float32 stays
 * FLOAT, float64 DOUBLE, int32 INT, int64 LONG, float16 HALF, ...); names are the member names
 * without ".npy", in archive order.
 *
 * <pre>{@code
 * Npz.write(Path.of("params.npz"), Map.of("w", Nd4j.rand(4, 3), "b", Nd4j.zeros(3))); // temp file + atomic move
 * Map<String, INDArray> p = Npz.read(Path.of("params.npz"));
 * }</pre>
 */
public final class Npz {
    // A fixed member timestamp makes equal contents give equal archive bytes.
    private static final LocalDateTime STAMP = LocalDateTime.of(1980, 1, 1, 0, 0);

    private Npz() {
    }

    /** Reads every array; NaN/Inf are refused (see {@link #read(Path, boolean)}). */
    public static Map<String, INDArray> read(Path path) {
        return read(path, false);
    }

    /**
     * Reads every array, keeping dtypes. Either all arrays are returned or an exception naming
     * the archive and member says what is wrong.
     */
    public static Map<String, INDArray> read(Path path, boolean allowNonFinite) {
        String name = path.toString();
        if (!Files.exists(path)) {
            throw new UncheckedIOException("NPZ file not found: " + name, new NoSuchFileException(name));
        }
        Map<String, INDArray> out = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(path.toFile())) {
            requireRoomFor(zip, name);
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                if (e.isDirectory()) {
                    continue;
                }
                String member = name + "!" + e.getName();
                byte[] bytes = readMember(zip, e, member);
                INDArray a = Npy.fromBytes(bytes, member, null, allowNonFinite);
                String key = e.getName().endsWith(".npy") ? e.getName().substring(0, e.getName().length() - 4)
                        : e.getName();
                if (out.put(key, a) != null) {
                    throw new NpyFormatException(name, "two members are both named '" + key + "'");
                }
            }
        } catch (ZipException e) {
            throw new NpyFormatException(name, "not a readable zip archive (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read NPZ file " + name + ": " + e.getMessage(), e);
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * Reads one array, {@code member} (its name without ".npy", as {@link #names} lists it), and
     * inflates no other member; NaN/Inf are refused. Throws, naming the archive, if there is no
     * such member, listing the ones there are.
     */
    public static INDArray read(Path path, String member) {
        Objects.requireNonNull(member, "member");
        String name = path.toString();
        if (!Files.exists(path)) {
            throw new UncheckedIOException("NPZ file not found: " + name, new NoSuchFileException(name));
        }
        try (ZipFile zip = new ZipFile(path.toFile())) {
            ZipEntry e = zip.getEntry(member + ".npy");
            if (e == null) {
                e = zip.getEntry(member);
            }
            if (e == null || e.isDirectory()) {
                throw new IllegalArgumentException("NPZ file " + name + " has no member '" + member + "'; it holds "
                        + names(path));
            }
            Runtime rt = Runtime.getRuntime();
            long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
            if (e.getSize() > free) {
                throw new NpyFormatException(name + "!" + e.getName(), String.format(java.util.Locale.ROOT,
                        "the member declares %.1f MB uncompressed, more than the %.1f MB of heap this JVM has left",
                        e.getSize() / 1048576.0, free / 1048576.0));
            }
            String where = name + "!" + e.getName();
            return Npy.fromBytes(readMember(zip, e, where), where, null, false);
        } catch (ZipException e) {
            throw new NpyFormatException(name, "not a readable zip archive (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read NPZ file " + name + ": " + e.getMessage(), e);
        }
    }

    /** The array names in an archive, in order, without reading the arrays. */
    public static List<String> names(Path path) {
        List<String> names = new ArrayList<>();
        try (ZipFile zip = new ZipFile(path.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                String n = entries.nextElement().getName();
                names.add(n.endsWith(".npy") ? n.substring(0, n.length() - 4) : n);
            }
        } catch (ZipException e) {
            throw new NpyFormatException(path.toString(), "not a readable zip archive (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read NPZ file " + path + ": " + e.getMessage(), e);
        }
        return names;
    }

    /**
     * Refuses an archive whose members, inflated, would not fit in the heap this JVM has left,
     * from the sizes its directory declares, before inflating anything: a 1.5 MB zip bomb took
     * 6.5 GB and half a minute otherwise. (Members are also never inflated past their declared size.)
     */
    private static void requireRoomFor(ZipFile zip, String name) {
        long declared = 0;
        Enumeration<? extends ZipEntry> entries = zip.entries();
        while (entries.hasMoreElements()) {
            long size = entries.nextElement().getSize();
            declared += Math.max(0, size);
        }
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        if (declared > free) {
            throw new NpyFormatException(name, String.format(java.util.Locale.ROOT, "the archive's members declare %.1f MB"
                    + " uncompressed, more than the %.1f MB of heap this JVM has left; read its members one at a time with"
                    + " NpyFile after unzipping, or raise -Xmx", declared / 1048576.0, free / 1048576.0));
        }
    }

    private static byte[] readMember(ZipFile zip, ZipEntry e, String member) throws IOException {
        if (e.getSize() > Integer.MAX_VALUE - 16) {
            throw new NpyFormatException(member, "member of " + e.getSize() + " bytes is too large to read at once");
        }
        byte[] bytes;
        try (InputStream in = zip.getInputStream(e)) {
            // one byte past the declared size is enough to catch a member that inflates to more than it says
            bytes = in.readNBytes(e.getSize() >= 0 ? (int) e.getSize() + 1 : Integer.MAX_VALUE - 16);
        } catch (ZipException | java.io.EOFException ex) {
            throw new NpyFormatException(member, "corrupt compressed data (" + ex.getMessage() + ")", ex);
        }
        if (e.getSize() >= 0 && bytes.length != e.getSize()) {
            throw new NpyFormatException(member, "the archive says " + e.getSize() + " bytes, the member holds "
                    + bytes.length);
        }
        if (e.getCrc() >= 0) {
            CRC32 crc = new CRC32();
            crc.update(bytes);
            if (crc.getValue() != e.getCrc()) {
                throw new NpyFormatException(member, String.format("CRC mismatch: the archive says %08x, the data"
                        + " gives %08x (corrupt file)", e.getCrc(), crc.getValue()));
            }
        }
        return bytes;
    }

    /**
     * Text as an NPZ member: its UTF-8 bytes as a uint8 vector, which numpy reads back with
     * {@code bytes(z["name"]).decode()} (model files keep their config and data source this way).
     */
    public static INDArray textArray(String text) {
        byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        INDArray a = org.nd4j.linalg.factory.Nd4j.create(org.nd4j.linalg.api.buffer.DataType.UBYTE, bytes.length);
        for (int k = 0; k < bytes.length; k++) {
            a.putScalar(k, bytes[k] & 0xff);
        }
        return a;
    }

    /** The text a {@link #textArray} member holds (UTF-8 bytes, one per element). */
    public static String text(INDArray member) {
        byte[] bytes = new byte[(int) member.length()];
        for (int k = 0; k < bytes.length; k++) {
            bytes[k] = (byte) member.getInt(k);
        }
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Writes arrays uncompressed like {@code np.savez}, to a temp file moved into place. */
    public static void write(Path path, Map<String, INDArray> arrays) {
        write(path, arrays, false);
    }

    /** Writes arrays deflated like {@code np.savez_compressed}. */
    public static void writeCompressed(Path path, Map<String, INDArray> arrays) {
        write(path, arrays, true);
    }

    private static void write(Path path, Map<String, INDArray> arrays, boolean compress) {
        Objects.requireNonNull(arrays, "arrays");
        for (Map.Entry<String, INDArray> a : arrays.entrySet()) {
            if (a.getKey() == null || a.getKey().isEmpty()) {
                throw new IllegalArgumentException("NPZ write: every array needs a non-empty name");
            }
            Objects.requireNonNull(a.getValue(), "array '" + a.getKey() + "'");
            NpyDtype.of(a.getValue().dataType());
        }
        AtomicFile.write(path, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            for (Map.Entry<String, INDArray> a : arrays.entrySet()) {
                byte[] bytes = Npy.toBytes(a.getValue());
                ZipEntry e = new ZipEntry(a.getKey() + ".npy");
                e.setTimeLocal(STAMP);
                if (compress) {
                    e.setMethod(ZipEntry.DEFLATED);
                } else {
                    CRC32 crc = new CRC32();
                    crc.update(bytes);
                    e.setMethod(ZipEntry.STORED);
                    e.setSize(bytes.length);
                    e.setCompressedSize(bytes.length);
                    e.setCrc(crc.getValue());
                }
                zip.putNextEntry(e);
                zip.write(bytes);
                zip.closeEntry();
            }
            zip.finish();
        });
    }
}

package org.latentmotion.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reading and writing whole files through Hadoop paths, the way every job here does it. A
 * written file appears under its final name complete or not at all: the bytes go to a hidden
 * temporary file beside the target ({@code .<name>-<random>.tmp}), which is then renamed. A
 * second complete write of the same target (a retried or speculative task) replaces the first;
 * a killed writer leaves only its temporary file, which {@link #deleteTemporaries} removes.
 */
public final class HadoopFiles {
    private HadoopFiles() {
    }

    /** Writes the bytes of one file to a stream (may throw; the target is then left untouched). */
    public interface Body {
        /**
         * Writes the file's bytes.
         *
         * @param out the temporary file's stream
         * @throws IOException if writing fails
         */
        void writeTo(OutputStream out) throws IOException;
    }

    /** The file system holding {@code path} (a URI such as {@code file:///data/x.npy}, or a plain local path). */
    static FileSystem fileSystem(Path path, Configuration conf) {
        try {
            FileSystem fs = path.getFileSystem(conf);
            // a local file system would otherwise write a .crc file beside every output
            fs.setWriteChecksum(false);
            return fs;
        } catch (IOException e) {
            throw new UncheckedIOException("no file system for " + path + ": " + e.getMessage(), e);
        }
    }

    /** The whole content of the file at {@code path}. */
    public static byte[] read(String path, Configuration conf) {
        Path p = new Path(path);
        FileSystem fs = fileSystem(p, conf);
        try (InputStream in = fs.open(p)) {
            return in.readAllBytes();
        } catch (java.io.FileNotFoundException e) {
            throw new UncheckedIOException("file not found: " + path, e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + path + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code bytes} to {@code target} atomically (temporary name, then rename). */
    public static void write(String target, byte[] bytes, Configuration conf) {
        write(target, out -> out.write(bytes), conf);
    }

    /**
     * Writes {@code target} atomically: {@code body} writes a hidden temporary file in the same
     * folder, which is renamed to {@code target} once complete (replacing a complete file of an
     * earlier attempt). On any failure the temporary file is deleted and the exception names the
     * target.
     */
    public static void write(String target, Body body, Configuration conf) {
        Path dst = new Path(target);
        FileSystem fs = fileSystem(dst, conf);
        Path tmp = new Path(dst.getParent(), "." + dst.getName() + "-" + UUID.randomUUID() + ".tmp");
        try {
            try (FSDataOutputStream out = fs.create(tmp, true)) {
                body.writeTo(out);
                out.hsync();
            }
            if (!fs.rename(tmp, dst)) {
                // some file systems refuse to rename onto an existing file: the earlier complete one goes first
                fs.delete(dst, false);
                if (!fs.rename(tmp, dst)) {
                    throw new IOException("the file system refused to rename " + tmp + " to " + dst);
                }
            }
        } catch (IOException | RuntimeException e) {
            try {
                fs.delete(tmp, false);
            } catch (IOException ignored) {
                // the temporary file's name marks it; deleteTemporaries removes it later
            }
            String msg = e.getMessage() == null ? e.toString() : e.getMessage();
            throw new UncheckedIOException(new IOException("could not write " + target + ": " + msg, e));
        }
    }

    /**
     * Deletes the temporary files that writes of {@code target} left behind (a killed task's);
     * returns how many. Call it when no write of the target can still be running.
     */
    public static int deleteTemporaries(String target, Configuration conf) {
        Path dst = new Path(target);
        FileSystem fs = fileSystem(dst, conf);
        try {
            if (!fs.exists(dst.getParent())) {
                return 0;
            }
            FileStatus[] left = fs.globStatus(new Path(dst.getParent(), "." + escapeGlob(dst.getName()) + "-*.tmp"));
            int n = 0;
            for (FileStatus s : left == null ? new FileStatus[0] : left) {
                if (fs.delete(s.getPath(), false)) {
                    n++;
                }
            }
            return n;
        } catch (IOException e) {
            throw new UncheckedIOException("could not clean temporary files of " + target + ": " + e.getMessage(), e);
        }
    }

    /** The files in {@code folder} whose names end with {@code suffix} (hidden files excluded), sorted. */
    public static List<String> list(String folder, String suffix, Configuration conf) {
        Path dir = new Path(folder);
        FileSystem fs = fileSystem(dir, conf);
        try {
            List<String> out = new ArrayList<>();
            for (FileStatus s : fs.listStatus(dir)) {
                String name = s.getPath().getName();
                if (s.isFile() && name.endsWith(suffix) && !name.startsWith(".")) {
                    out.add(s.getPath().toString());
                }
            }
            out.sort(null);
            return out;
        } catch (java.io.FileNotFoundException e) {
            throw new UncheckedIOException("folder not found: " + folder, e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not list " + folder + ": " + e.getMessage(), e);
        }
    }

    private static String escapeGlob(String name) {
        return name.replaceAll("([\\\\*?\\[\\]{}])", "\\\\$1");
    }
}

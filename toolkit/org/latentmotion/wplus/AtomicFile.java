package org.latentmotion.wplus;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one way latentmotion writes a file (NPY/NPZ data, checkpoints, figures, videos, reports):
 * a reader, a crash or a failed write sees the old file or the complete new one, never a part.
 *
 * <pre>{@code
 * AtomicFile.write(Path.of("notes.txt"), "hello\n".getBytes());            // bytes
 * AtomicFile.write(Path.of("table.csv"), out -> out.write("a,b\n".getBytes())); // or a stream
 * }</pre>
 *
 * <p>The policy, in order:
 * <ol>
 *   <li><b>A temporary file in the target's folder</b>, named {@code .<name>-<random>.tmp}: a
 *       rename is atomic only within one file system, and the leading dot keeps it out of
 *       listings and globs. (Checkpoint's clean-up of a killed writer's leftovers knows this
 *       pattern.) Missing folders are created.</li>
 *   <li><b>The data is forced to disk (fsync) before the rename</b>, so that after a power loss
 *       the name points at the old file or the whole new one, not at an empty or partial file
 *       (delayed allocation on ext4/xfs can otherwise persist the rename before the data). The
 *       folder is not forced: after a crash the rename itself may be lost and the old file is
 *       still there, which loses the latest write but never corrupts one.</li>
 *   <li><b>Moved into place with {@code ATOMIC_MOVE}</b>, falling back to
 *       {@code REPLACE_EXISTING} on file systems that cannot (some network and FUSE mounts).</li>
 *   <li><b>Permissions: what writing the file in place would give it</b>, for data and figures
 *       alike. A file that exists keeps its permissions; a new one gets the process's default
 *       (0666 less the umask), as {@code np.save}, {@code Files.write} and a shell redirect give.
 *       With the usual umask 022 that makes figures and videos readable by a web server or a
 *       teammate sharing the folder; a user who set umask 077 to keep their work private gets
 *       that for figures too. A library overriding the umask either way (owner-only data, or
 *       figures forced to 0644, as earlier versions did) surprises someone; the umask is the
 *       user's own statement. The temporary file is opened with the same default mode, not
 *       {@code createTempFile}'s owner-only one: it holds nothing the final file will not show.</li>
 *   <li><b>On any failure</b> the temporary file is deleted and the target is untouched; the
 *       exception names the target.</li>
 * </ol>
 */
public final class AtomicFile {
    /** Writes a file's content to the stream it is given (closing that stream is allowed and harmless). */
    @FunctionalInterface
    public interface Body {
        void write(OutputStream out) throws IOException;
    }

    private AtomicFile() {
    }

    /** Writes {@code bytes} to {@code target} atomically; returns {@code target}. */
    public static Path write(Path target, byte[] bytes) {
        return write(target, out -> out.write(bytes));
    }

    /**
     * Writes what {@code body} writes to {@code target} atomically (see the class comment);
     * returns {@code target}.
     *
     * @throws UncheckedIOException naming {@code target} if anything fails; the target is then unchanged
     */
    public static Path write(Path target, Body body) {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            Temp temp = createBeside(abs);
            tmp = temp.path();
            try (FileChannel channel = temp.channel()) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
                body.write(new CloseShield(out));
                out.flush();
                channel.force(true);
            }
            keepPermissions(abs, tmp);
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + target + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the target is untouched; a stray hidden temp file is the lesser problem
                }
            }
        }
    }

    private record Temp(Path path, FileChannel channel) {
    }

    /** Creates and opens {@code .<name>-<random>.tmp} beside {@code target} with the default (umask) mode. */
    private static Temp createBeside(Path target) throws IOException {
        String prefix = "." + target.getFileName() + "-";
        for (int attempt = 0; ; attempt++) {
            Path tmp = target.resolveSibling(prefix + Long.toUnsignedString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            try {
                // CREATE_NEW is O_EXCL: never opens an existing file or follows a planted link
                return new Temp(tmp, FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 100) {
                    throw e;
                }
            }
        }
    }

    /** A target that exists keeps its permissions (as if rewritten in place). */
    private static void keepPermissions(Path target, Path tmp) throws IOException {
        if (!Files.exists(target)) {
            return;
        }
        try {
            Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(target));
        } catch (UnsupportedOperationException notPosix) {
            // Windows and other non-POSIX file systems: the folder's defaults apply
        }
    }

    /** Lets a body close its stream (a ZipOutputStream in try-with-resources) without closing the file. */
    private static final class CloseShield extends FilterOutputStream {
        CloseShield(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}

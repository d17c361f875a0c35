package org.latentmotion.video;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The machine's {@code ffmpeg} (and its {@code ffprobe}), if there is one on the PATH. */
final class Ffmpeg {
    private static volatile Boolean available;
    /** Folders searched instead of the PATH when set (tests: a machine without ffmpeg). */
    static volatile String searchPath;

    private Ffmpeg() {
    }

    static boolean available() {
        Boolean a = available;
        if (a == null) {
            a = executable() != null;
            available = a;
        }
        return a;
    }

    static String executable() {
        return executable("ffmpeg");
    }

    /** The absolute path of {@code tool} ("ffmpeg", "ffprobe") on the PATH, or null. */
    static String executable(String tool) {
        String path = searchPath != null ? searchPath : System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            File f = new File(dir, tool);
            if (f.isFile() && f.canExecute()) {
                return f.getAbsolutePath();
            }
        }
        return null;
    }

    static Process start(List<String> args) {
        return start("ffmpeg", args, "use VideoFormat.MP4, the pure-Java encoder");
    }

    /**
     * Starts {@code tool} with {@code args}; if the tool is not on the PATH, the error ends with
     * {@code otherwise} (what the user can do instead).
     */
    static Process start(String tool, List<String> args, String otherwise) {
        String exe = executable(tool);
        if (exe == null) {
            throw new IllegalStateException(tool + ": expected an " + tool + " executable on the PATH, found none "
                    + "(install ffmpeg, e.g. apt-get install ffmpeg; or " + otherwise + ")");
        }
        List<String> command = new java.util.ArrayList<>();
        command.add(exe);
        command.addAll(args);
        try {
            return new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + command, e);
        }
    }

    /** Collects a stream (ffmpeg's stderr) on a daemon thread, so the process never blocks on it. */
    static final class Drain extends Thread {
        private final InputStream in;
        private final StringBuilder text = new StringBuilder();

        Drain(InputStream in) {
            this.in = in;
            setDaemon(true);
            start();
        }

        @Override
        public void run() {
            byte[] buf = new byte[4096];
            try {
                for (int n; (n = in.read(buf)) > 0; ) {
                    synchronized (text) {
                        if (text.length() < 20_000) {
                            text.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                        }
                    }
                }
            } catch (IOException ignored) {
                // process ended
            }
        }

        String text() {
            synchronized (text) {
                return text.toString();
            }
        }
    }
}

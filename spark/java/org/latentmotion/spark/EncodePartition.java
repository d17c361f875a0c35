package org.latentmotion.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.latentmotion.render.Encoder;
import org.latentmotion.video.Footage;
import org.latentmotion.wplus.Npy;
import org.latentmotion.wplus.Trajectory;

/**
 * One partition of {@link EncodeJob}: copies each input (a folder's files, or a video file) from
 * its Hadoop path to this executor's local disk, opens it as {@link Footage} (the checks and the
 * frame order of the single-machine path), encodes it with this executor's session and writes
 * the trajectory atomically. An input that cannot be read or encoded becomes a row with its
 * error, so the partition's other inputs are still encoded and a retry is not wasted on a file
 * that will fail again; the session failing to open fails the task.
 */
final class EncodePartition implements FlatMapFunction<Iterator<String>, EncodedFile> {
    private static final long serialVersionUID = 1L;
    private static final Set<String> VIDEO_EXTENSIONS = Set.of("mp4", "mov", "mkv", "avi", "webm", "m4v");
    private final EncoderModel model;
    private final String output;
    private final double fps;
    private final HadoopConfiguration conf;

    EncodePartition(EncoderModel model, String output, double fps, HadoopConfiguration conf) {
        this.model = model;
        this.output = output;
        this.fps = fps;
        this.conf = conf;
    }

    @Override
    public Iterator<EncodedFile> call(Iterator<String> inputs) {
        List<EncodedFile> done = new ArrayList<>();
        Encoder encoder = inputs.hasNext() ? ExecutorSessions.encoder(model, conf.get()) : null;
        while (inputs.hasNext()) {
            String input = inputs.next();
            long start = System.nanoTime();
            java.nio.file.Path local = null;
            try {
                local = Files.createTempDirectory("latentmotion-encode-");
                Footage footage = footage(input, local);
                Trajectory t = encoder.encode(footage);
                String target = EncodeJob.outputOf(output, input);
                HadoopFiles.write(target, Npy.toBytes(t.codes()), conf.get());
                done.add(new EncodedFile(input, target, t.frames(), t.layers(), (System.nanoTime() - start) / 1_000_000,
                        null));
            } catch (RuntimeException | IOException e) {
                String why = e.getMessage() == null ? e.toString() : e.getMessage();
                if (local != null) {
                    // messages name the local copy; the user knows the input by its own path
                    String copy = local.toAbsolutePath().toString();
                    String named = input.endsWith("/") ? input.substring(0, input.length() - 1) : input;
                    why = why.replace(copy + java.io.File.separator + new Path(input).getName(), named).replace(copy, named);
                }
                done.add(new EncodedFile(input, null, 0, 0, (System.nanoTime() - start) / 1_000_000,
                        "encode: bad input " + input + ": " + why));
            } finally {
                if (local != null) {
                    deleteTree(local);
                }
            }
        }
        return done.iterator();
    }

    /** The input as footage on the local disk: a folder's files copied into {@code local}, or the video file copied there. */
    private Footage footage(String input, java.nio.file.Path local) throws IOException {
        Path src = new Path(input);
        FileSystem fs = HadoopFiles.fileSystem(src, conf.get());
        FileStatus status;
        try {
            status = fs.getFileStatus(src);
        } catch (java.io.FileNotFoundException e) {
            throw new IllegalArgumentException("expected a folder of frames or a video file, found nothing there");
        }
        if (status.isDirectory()) {
            for (FileStatus f : fs.listStatus(src)) {
                if (f.isFile()) {
                    fs.copyToLocalFile(false, f.getPath(), new Path(local.resolve(f.getPath().getName()).toUri()), true);
                }
            }
            return Footage.fromFolder(local, fps);
        }
        if (!isVideo(src.getName())) {
            throw new IllegalArgumentException("expected a folder of frames or a video file (." + String.join(", .",
                    VIDEO_EXTENSIONS.stream().sorted().toList()) + "), found the file " + src.getName());
        }
        java.nio.file.Path file = local.resolve(src.getName());
        fs.copyToLocalFile(false, src, new Path(file.toUri()), true);
        return Footage.fromVideoFile(file);
    }

    static boolean isVideo(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 && VIDEO_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private static void deleteTree(java.nio.file.Path dir) {
        try (Stream<java.nio.file.Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temporary folder left behind is removed with the executor's temporary files
        }
    }
}

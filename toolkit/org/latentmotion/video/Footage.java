package org.latentmotion.video;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * A user's own footage, on disk: a folder of frames or a video file, with its size, frame count
 * and frame rate, read one frame at a time so a long video never sits in memory. Everything is
 * checked when it is opened, before any frame is decoded: a folder with no pictures, pictures of
 * different sizes, a file that is not a picture, a video ffmpeg cannot read, or no ffmpeg.
 *
 * <pre>{@code
 * try (var psp = Encoder.open(Path.of("my-psp/psp.onnx"))) {                   // render.Encoder
 *     Trajectory mine = psp.encode(Footage.fromFolder(Path.of("my-frames"), 25)); // 0001.png, 0002.png, …
 *     Trajectory talk = psp.encode(Footage.fromVideoFile(Path.of("talk.mp4")));   // any video ffmpeg reads
 * }
 * Footage.fromVideoFile(Path.of("talk.mp4")).toVideo()                          // to look at it inline
 * }</pre>
 *
 * <p>A folder's frames are its {@value #EXTENSIONS_TEXT} files in name order, digit runs
 * compared as numbers (frame2.png before frame10.png; zero-padded names sort the same either
 * way); other files (a .DS_Store, a notes.txt) are left out. Video files are decoded by the
 * machine's {@code ffmpeg} (the same one {@link VideoFormat#MP4_FFMPEG} encodes with, found on
 * the PATH), its {@code ffprobe} reads the frame rate and the frame count, and ffmpeg's
 * automatic rotation applies (a phone video comes out upright).
 */
public final class Footage {
    static final String EXTENSIONS_TEXT = ".png, .jpg, .jpeg, .bmp or .gif";
    private static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif");

    private final String source;
    private final double fps;
    private final int frames;
    private final int width;
    private final int height;
    private final List<Path> files; // a folder's frames, in order; null for a video file
    private final Path videoFile;   // null for a folder

    private Footage(String source, double fps, int frames, int width, int height, List<Path> files, Path videoFile) {
        this.source = source;
        this.fps = fps;
        this.frames = frames;
        this.width = width;
        this.height = height;
        this.files = files;
        this.videoFile = videoFile;
    }

    /**
     * The pictures in {@code folder} as frames at {@code fps}, in name order (see the class
     * comment). Reads every picture's size (not its pixels) now and throws, naming the files,
     * if the folder is missing or holds no picture, if a picture cannot be read, or if the
     * pictures differ in size.
     */
    public static Footage fromFolder(Path folder, double fps) {
        Objects.requireNonNull(folder, "folder");
        VideoOptions.requireSupportedFps(fps);
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("frames folder: expected a folder, found "
                    + (Files.exists(folder) ? "a file" : "nothing") + " at " + folder.toAbsolutePath());
        }
        List<Path> pictures = new ArrayList<>();
        List<String> others = new ArrayList<>();
        try (Stream<Path> entries = Files.list(folder)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                if (Files.isRegularFile(p) && EXTENSIONS.contains(extension(p))) {
                    pictures.add(p);
                } else {
                    others.add(p.getFileName().toString());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not list the frames folder " + folder.toAbsolutePath(), e);
        }
        if (pictures.isEmpty()) {
            throw new IllegalArgumentException("frames folder " + folder.toAbsolutePath() + ": expected "
                    + EXTENSIONS_TEXT + " files, found none" + (others.isEmpty() ? " (the folder is empty)"
                    : " (" + others.size() + " other entries, e.g. " + others.stream().sorted().limit(3).toList() + ")"));
        }
        pictures.sort(Comparator.comparing((Path p) -> p.getFileName().toString(), Footage::compareNatural));
        int[] first = size(pictures.get(0));
        for (Path p : pictures.subList(1, pictures.size())) {
            int[] s = size(p);
            if (s[0] != first[0] || s[1] != first[1]) {
                throw new IllegalArgumentException("frames folder " + folder.toAbsolutePath() + ": expected every frame "
                        + first[0] + "×" + first[1] + " like " + pictures.get(0).getFileName() + ", found "
                        + p.getFileName() + " " + s[0] + "×" + s[1] + " (resize or crop them all to one size first)");
            }
        }
        return new Footage(folder.getFileName() + "/ (" + pictures.size() + " pictures)", fps, pictures.size(),
                first[0], first[1], List.copyOf(pictures), null);
    }

    /**
     * The video in {@code file} (MP4, MOV, MKV, WebM, …: whatever the machine's ffmpeg reads), at
     * its own frame rate. Probes it now with ffprobe (frame rate, frame count) and decodes its first
     * frame (the size, after rotation); throws if the file is missing, if ffmpeg or ffprobe is not
     * on the PATH, or if the file holds no video stream ffmpeg can decode.
     */
    public static Footage fromVideoFile(Path file) {
        Objects.requireNonNull(file, "file");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("video file: expected a file, found "
                    + (Files.isDirectory(file) ? "a folder (for a folder of frames use Footage.fromFolder)" : "nothing")
                    + " at " + file.toAbsolutePath());
        }
        String otherwise = "extract the frames elsewhere, e.g. ffmpeg -i talk.mp4 frames/%04d.png, and use Footage.fromFolder";
        Process probe = Ffmpeg.start("ffprobe", List.of("-v", "error", "-select_streams", "v:0", "-count_packets",
                "-show_entries", "stream=avg_frame_rate,r_frame_rate,nb_read_packets", "-of", "default=noprint_wrappers=1",
                file.toAbsolutePath().toString()), otherwise);
        Ffmpeg.Drain probeErrors = new Ffmpeg.Drain(probe.getErrorStream());
        String out;
        try (InputStream in = probe.getInputStream()) {
            probe.getOutputStream().close();
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int code = probe.waitFor();
            probeErrors.join(2000);
            if (code != 0) {
                throw new IllegalArgumentException("video file " + file.toAbsolutePath() + ": ffprobe cannot read it (exit "
                        + code + "): " + probeErrors.text().strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not run ffprobe on " + file, e);
        } catch (InterruptedException e) {
            probe.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while probing " + file, e);
        }
        double fps = rate(value(out, "avg_frame_rate"));
        if (!(fps > 0)) {
            fps = rate(value(out, "r_frame_rate"));
        }
        String packets = value(out, "nb_read_packets");
        if (packets == null || !(fps > 0)) {
            throw new IllegalArgumentException("video file " + file.toAbsolutePath() + ": expected a video stream with a"
                    + " frame rate, found " + (out.isBlank() ? "no video stream" : out.strip().replace('\n', ' ')));
        }
        int count = Integer.parseInt(packets.strip());
        BufferedImage[] firstFrame = new BufferedImage[1];
        decodeVideo(file, List.of("-frames:v", "1"), frame -> firstFrame[0] = frame);
        if (firstFrame[0] == null || count < 1) {
            throw new IllegalArgumentException("video file " + file.toAbsolutePath() + ": expected at least one frame,"
                    + " found none that ffmpeg decodes");
        }
        return new Footage(file.getFileName().toString(), fps, count, firstFrame[0].getWidth(), firstFrame[0].getHeight(),
                null, file);
    }

    /** Number of frames (a video's from its container's packet count). */
    public int frames() {
        return frames;
    }

    /** Frames per second: a folder's as given, a video's average frame rate. */
    public double fps() {
        return fps;
    }

    /** Frame width in pixels. */
    public int width() {
        return width;
    }

    /** Frame height in pixels. */
    public int height() {
        return height;
    }

    /** Where the frames come from: the folder or the file name. */
    public String source() {
        return source;
    }

    /** Length in seconds: frames / fps. */
    public double durationSeconds() {
        return frames / fps;
    }

    /**
     * Decodes the frames in order and hands each to {@code sink} (nothing is kept), as RGB
     * pictures of {@link #width()} × {@link #height()}; throws naming the file if one cannot be
     * decoded or has changed size since the footage was opened.
     */
    public void forEachFrame(Consumer<BufferedImage> sink) {
        Objects.requireNonNull(sink, "sink");
        if (files != null) {
            for (Path p : files) {
                sink.accept(checked(readPicture(p), p.getFileName().toString()));
            }
        } else {
            decodeVideo(videoFile, List.of(), frame -> sink.accept(checked(frame, videoFile.getFileName().toString())));
        }
    }

    /** The first frame (decoded now: for a look at what the footage shows). */
    public BufferedImage firstFrame() {
        if (files != null) {
            return checked(readPicture(files.get(0)), files.get(0).getFileName().toString());
        }
        BufferedImage[] first = new BufferedImage[1];
        decodeVideo(videoFile, List.of("-frames:v", "1"), frame -> first[0] = frame);
        return checked(first[0], videoFile.getFileName().toString());
    }

    /** All frames, decoded (holds them all: for short footage; long footage goes through {@link #forEachFrame}). */
    public List<BufferedImage> decode() {
        List<BufferedImage> all = new ArrayList<>(frames);
        forEachFrame(all::add);
        return all;
    }

    /** The footage as an inline {@link Video} (H.264 MP4), encoded frame by frame, to look at it in a notebook. */
    public Video toVideo() {
        return toVideo(VideoOptions.defaults());
    }

    /** The footage as a {@link Video} encoded as {@code options} say (at the footage's fps). */
    public Video toVideo(VideoOptions options) {
        try (Video.Writer writer = new Video.Writer(width, height, fps, frames, options, source)) {
            forEachFrame(writer::add);
            return writer.finish();
        }
    }

    private BufferedImage checked(BufferedImage frame, String name) {
        if (frame.getWidth() != width || frame.getHeight() != height) {
            throw new IllegalStateException("footage " + source + ": expected every frame " + width + "×" + height
                    + ", found " + name + " " + frame.getWidth() + "×" + frame.getHeight());
        }
        if (frame.getType() == BufferedImage.TYPE_INT_RGB) {
            return frame;
        }
        BufferedImage rgb = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        rgb.getGraphics().drawImage(frame, 0, 0, null);
        return rgb;
    }

    /** Width and height from the picture's header (its pixels are not decoded). */
    private static int[] size(Path p) {
        try (ImageInputStream in = ImageIO.createImageInputStream(p.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new IllegalArgumentException("frame " + p.toAbsolutePath() + ": expected a picture (" + EXTENSIONS_TEXT
                        + "), found a file no image reader recognises");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in);
                return new int[] {reader.getWidth(0), reader.getHeight(0)};
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("frame " + p.toAbsolutePath() + ": could not read the picture ("
                    + e.getMessage() + ")", e);
        }
    }

    private static BufferedImage readPicture(Path p) {
        try {
            BufferedImage img = ImageIO.read(p.toFile());
            if (img == null) {
                throw new IllegalStateException("frame " + p.toAbsolutePath() + ": no image reader recognises it any more");
            }
            return img;
        } catch (IOException e) {
            throw new UncheckedIOException("frame " + p.toAbsolutePath() + ": could not decode the picture", e);
        }
    }

    /**
     * Decodes the first video stream of {@code file} with ffmpeg into a pipe of BMP pictures
     * (self-describing: each says its size, so rotation and odd sizes need no guessing).
     */
    private static void decodeVideo(Path file, List<String> limit, Consumer<BufferedImage> sink) {
        List<String> args = new ArrayList<>(List.of("-hide_banner", "-loglevel", "error", "-i",
                file.toAbsolutePath().toString(), "-map", "0:v:0"));
        args.addAll(limit);
        args.addAll(List.of("-f", "image2pipe", "-c:v", "bmp", "-pix_fmt", "bgr24", "-"));
        Process p = Ffmpeg.start("ffmpeg", args,
                "extract the frames elsewhere, e.g. ffmpeg -i talk.mp4 frames/%04d.png, and use Footage.fromFolder");
        Ffmpeg.Drain errors = new Ffmpeg.Drain(p.getErrorStream());
        boolean complete = false;
        try (InputStream in = p.getInputStream(); DataInputStream data = new DataInputStream(in)) {
            p.getOutputStream().close();
            byte[] header = new byte[6];
            while (true) {
                try {
                    data.readFully(header);
                } catch (EOFException end) {
                    break;
                }
                int size = (header[2] & 255) | (header[3] & 255) << 8 | (header[4] & 255) << 16 | (header[5] & 255) << 24;
                if (header[0] != 'B' || header[1] != 'M' || size < 6) {
                    throw new IllegalStateException("ffmpeg's picture pipe for " + file + " is out of step (no BMP header)");
                }
                byte[] bmp = new byte[size];
                System.arraycopy(header, 0, bmp, 0, 6);
                data.readFully(bmp, 6, size - 6);
                BufferedImage frame = ImageIO.read(new ByteArrayInputStream(bmp));
                if (frame == null) {
                    throw new IllegalStateException("ffmpeg sent a picture of " + file + " that ImageIO cannot read");
                }
                sink.accept(frame);
            }
            complete = true;
            int code = p.waitFor();
            errors.join(2000);
            if (code != 0) {
                throw new IllegalArgumentException("video file " + file.toAbsolutePath() + ": ffmpeg cannot decode it (exit "
                        + code + "): " + errors.text().strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not decode " + file + " with ffmpeg: " + errors.text().strip(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while decoding " + file, e);
        } finally {
            if (!complete) {
                p.destroyForcibly();
            }
        }
    }

    /** The value of {@code key=value} in ffprobe's output, or null. */
    private static String value(String probe, String key) {
        for (String line : probe.split("\n")) {
            if (line.startsWith(key + "=")) {
                String v = line.substring(key.length() + 1).strip();
                return v.isEmpty() || v.equals("N/A") ? null : v;
            }
        }
        return null;
    }

    /** "30000/1001" → 29.97; NaN for "0/0", a missing value or anything else. */
    private static double rate(String r) {
        if (r == null) {
            return Double.NaN;
        }
        try {
            int slash = r.indexOf('/');
            return slash < 0 ? Double.parseDouble(r)
                    : Double.parseDouble(r.substring(0, slash)) / Double.parseDouble(r.substring(slash + 1));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static String extension(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** Name order with digit runs compared as numbers: "f2.png" before "f10.png". */
    static int compareNatural(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char x = a.charAt(i);
            char y = b.charAt(j);
            if (Character.isDigit(x) && Character.isDigit(y)) {
                int si = i;
                int sj = j;
                while (i < a.length() && Character.isDigit(a.charAt(i))) {
                    i++;
                }
                while (j < b.length() && Character.isDigit(b.charAt(j))) {
                    j++;
                }
                String da = a.substring(si, i).replaceFirst("^0+(?=.)", "");
                String db = b.substring(sj, j).replaceFirst("^0+(?=.)", "");
                int c = da.length() != db.length() ? Integer.compare(da.length(), db.length()) : da.compareTo(db);
                if (c != 0) {
                    return c;
                }
            } else {
                if (x != y) {
                    return Character.compare(x, y);
                }
                i++;
                j++;
            }
        }
        int c = Integer.compare(a.length() - i, b.length() - j);
        return c != 0 ? c : a.compareTo(b);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Footage[%s: %d frames, %d×%d, %.3g fps (%.1f s)]", source, frames, width,
                height, fps, durationSeconds());
    }
}

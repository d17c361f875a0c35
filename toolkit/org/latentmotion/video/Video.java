package org.latentmotion.video;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.latentmotion.wplus.AtomicFile;
import org.latentmotion.progress.Progress;
import org.latentmotion.wplus.FrameRenderer;
import org.latentmotion.wplus.Trajectory;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * An encoded video: the file's bytes (H.264 MP4 or GIF), its frame rate and size, and a few
 * evenly spaced frames kept as pictures. In a notebook the display layer shows it as an HTML5
 * {@code <video controls loop autoplay muted>} (or an animated {@code <img>} for GIF) with the
 * file inlined, so it plays in Jupyter and in nbconvert HTML exports.
 *
 * <p>Built streaming: {@link #render} renders a batch of frames, encodes them and drops them,
 * so a 1500-frame video never holds 1500 frames.
 *
 * <pre>{@code
 * Video clip = Video.render(trajectory, face);          // or face.render(trajectory)
 * clip.save(Path.of("talking.mp4"));                    // atomically; "talking.gif" saves a GIF
 * clip.frameStrip(6)                                    // one PNG of 6 frames
 * }</pre>
 */
public final class Video {
    private final byte[] bytes;
    private final VideoFormat format;
    private final double fps;
    private final int frames;
    private final int width;
    private final int height;
    private final NavigableMap<Integer, BufferedImage> posters;
    private final String source;
    private final int displayWidth;
    private final String note;

    private Video(byte[] bytes, VideoFormat format, double fps, int frames, int width, int height,
                  NavigableMap<Integer, BufferedImage> posters, String source, int displayWidth, String note) {
        this.bytes = bytes;
        this.format = format;
        this.fps = fps;
        this.frames = frames;
        this.width = width;
        this.height = height;
        this.posters = Collections.unmodifiableNavigableMap(posters);
        this.source = source;
        this.displayWidth = displayWidth;
        this.note = note;
    }

    // ---------------------------------------------------------------- building

    /** Renders {@code trajectory} with {@code renderer} at the trajectory's fps as H.264 MP4. */
    public static Video render(Trajectory trajectory, FrameRenderer renderer) {
        return render(trajectory, renderer, VideoOptions.defaults());
    }

    /**
     * Renders {@code trajectory} batch by batch ({@code options.batch()} frames), encoding each
     * batch before rendering the next. Shows progress; if the thread is interrupted, stops at the
     * next batch boundary and returns the frames so far (the interrupt flag stays set).
     *
     * @throws IllegalArgumentException if the trajectory's layers or width differ from the renderer's
     */
    public static Video render(Trajectory trajectory, FrameRenderer renderer, VideoOptions options) {
        Objects.requireNonNull(trajectory, "trajectory");
        Objects.requireNonNull(renderer, "renderer");
        checkShape(trajectory, renderer, "trajectory");
        String source = trajectory.source().isBlank() ? "trajectory" : trajectory.source();
        return renderTiled(List.of(trajectory), renderer, 1, options, "rendering " + source, source);
    }

    /** A video of {@code images} (all the same size) at {@code fps}, H.264 MP4. */
    public static Video of(List<BufferedImage> images, double fps) {
        return of(images, fps, VideoOptions.defaults());
    }

    /**
     * A video of {@code images} (all the same size) at {@code fps}, encoded as {@code options} say (their fps is not
     * used); throws if there are no images or {@code fps} is outside 0.1 to 1000.
     */
    public static Video of(List<BufferedImage> images, double fps, VideoOptions options) {
        if (images == null || images.isEmpty()) {
            throw new IllegalArgumentException("video frames: expected at least one image, found none");
        }
        BufferedImage first = images.get(0);
        try (Writer w = new Writer(first.getWidth(), first.getHeight(), fps, images.size(), options, "images")) {
            for (BufferedImage image : images) {
                w.add(image);
            }
            return w.finish();
        }
    }

    /** A grid of videos in lockstep (e.g. 2×2 identities), {@code columns} wide, H.264 MP4. */
    public static Video grid(List<Trajectory> trajectories, FrameRenderer renderer, int columns) {
        return grid(trajectories, renderer, columns, VideoOptions.defaults());
    }

    /**
     * Renders every trajectory frame by frame in lockstep and tiles them, row-major,
     * {@code columns} per row with a 2-pixel gap. The video is as long as the shortest
     * trajectory; the fps is the first trajectory's unless the options give one.
     */
    public static Video grid(List<Trajectory> trajectories, FrameRenderer renderer, int columns, VideoOptions options) {
        if (trajectories == null || trajectories.isEmpty()) {
            throw new IllegalArgumentException("grid: expected at least one trajectory, found none");
        }
        if (columns < 1) {
            throw new IllegalArgumentException("grid columns: expected at least 1, found " + columns);
        }
        for (int i = 0; i < trajectories.size(); i++) {
            checkShape(trajectories.get(i), renderer, "grid trajectory " + i);
        }
        int n = trajectories.size();
        int cols = Math.min(columns, n);
        int rows = (n + cols - 1) / cols;
        return renderTiled(trajectories, renderer, cols, options, "rendering a " + rows + "×" + cols + " grid",
                n + " trajectories in a grid");
    }

    /**
     * The one rendering loop of {@link #render} and {@link #grid}: batch by batch, every
     * trajectory's frames of the batch are rendered, tiled {@code cols} per row (a single
     * trajectory's frame is used as it is) and encoded; progress is counted per batch and an
     * interrupt stops at a batch boundary.
     */
    private static Video renderTiled(List<Trajectory> trajectories, FrameRenderer renderer, int cols,
            VideoOptions options, String label, String source) {
        int n = trajectories.size();
        int rows = (n + cols - 1) / cols;
        int length = Integer.MAX_VALUE;
        for (Trajectory t : trajectories) {
            length = Math.min(length, t.frames());
        }
        double fps = Double.isNaN(options.fps()) ? trajectories.get(0).fps() : options.fps();
        int gap = 2;
        Writer writer = null;
        try (Progress progress = Progress.start(label, length)) {
            for (int from = 0; from < length; from += options.batch()) {
                if (Thread.currentThread().isInterrupted()) {
                    break;
                }
                int to = Math.min(length, from + options.batch());
                BufferedImage[][] tiles = new BufferedImage[n][];
                for (int i = 0; i < n; i++) {
                    tiles[i] = renderer.renderFrames(trajectories.get(i).codes()
                            .get(NDArrayIndex.interval(from, to), NDArrayIndex.all(), NDArrayIndex.all()));
                    if (tiles[i].length != to - from) {
                        throw new IllegalStateException("renderer returned " + tiles[i].length + " frames for "
                                + (to - from) + " codes");
                    }
                }
                int tw = tiles[0][0].getWidth();
                int th = tiles[0][0].getHeight();
                int gw = cols * tw + (cols - 1) * gap;
                int gh = rows * th + (rows - 1) * gap;
                if (writer == null) {
                    writer = new Writer(gw, gh, fps, length, options, source);
                }
                for (int t = 0; t < to - from; t++) {
                    writer.add(n == 1 ? tiles[0][t] : tile(tiles, t, cols, tw, th, gw, gh, gap));
                }
                progress.step(to);
            }
        } catch (RuntimeException e) {
            if (writer != null) {
                writer.close();
            }
            throw e;
        }
        if (writer == null) {
            throw new IllegalStateException("rendering was interrupted before the first frame");
        }
        return writer.finish();
    }

    /** Frame {@code t} of every trajectory on one white canvas, row-major. */
    private static BufferedImage tile(BufferedImage[][] tiles, int t, int cols, int tw, int th, int gw, int gh, int gap) {
        BufferedImage frame = new BufferedImage(gw, gh, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = frame.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, gw, gh);
        for (int i = 0; i < tiles.length; i++) {
            g.drawImage(tiles[i][t], (i % cols) * (tw + gap), (i / cols) * (th + gap), null);
        }
        g.dispose();
        return frame;
    }

    private static void checkShape(Trajectory t, FrameRenderer renderer, String what) {
        if (t.layers() != renderer.layers() || t.width() != renderer.width()) {
            throw new IllegalArgumentException(what + ": the renderer expects codes [T, " + renderer.layers() + ", "
                    + renderer.width() + "], found [" + t.frames() + ", " + t.layers() + ", " + t.width() + "]");
        }
    }

    /** Opens a streaming writer: add frames one by one, then {@link Writer#finish()}. */
    public static Writer writer(int width, int height, double fps, VideoOptions options) {
        return new Writer(width, height, fps, 0, options, "frames");
    }

    /**
     * Encodes frames as they come and keeps only a few evenly spaced posters. With a known
     * total, the posters are spread over the whole video; otherwise over the first frames
     * seen, thinned as the video grows.
     */
    public static final class Writer implements AutoCloseable {
        private final int width;
        private final int height;
        private final double fps;
        private final long expected;
        private final VideoOptions options;
        private final String source;
        private final FrameEncoder encoder;
        private final TreeMap<Integer, BufferedImage> posters = new TreeMap<>();
        private int count;
        private int step = 1;
        private boolean finished;

        Writer(int width, int height, double fps, long expected, VideoOptions options, String source) {
            VideoOptions.requireSupportedFps(fps);
            this.width = width;
            this.height = height;
            this.fps = fps;
            this.expected = expected;
            this.options = options;
            this.source = source;
            this.encoder = FrameEncoder.open(options.format(), width, height, fps, options.quality());
        }

        /**
         * Encodes {@code frame} as the next frame (kept as a poster if it is one of the evenly spaced ones); throws
         * {@link IllegalStateException} after the writer has finished.
         */
        public Writer add(BufferedImage frame) {
            if (finished) {
                throw new IllegalStateException("this video writer has finished");
            }
            encoder.encode(frame);
            if (isPosterIndex(count)) {
                posters.put(count, copy(frame));
            }
            count++;
            if (expected <= 0 && posters.size() > 2 * options.posters()) {
                step *= 2; // thin: keep every other poster, so they stay spread over the whole video
                posters.keySet().removeIf(k -> k % step != 0);
            }
            return this;
        }

        private boolean isPosterIndex(int i) {
            int k = options.posters();
            if (expected > 0) {
                if (k == 1) {
                    return i == 0;
                }
                for (int j = 0; j < k; j++) {
                    if (Math.round(j * (expected - 1) / (double) (k - 1)) == i) {
                        return true;
                    }
                }
                return false;
            }
            return i % step == 0;
        }

        /** Completes the file. */
        public Video finish() {
            if (count == 0) {
                close();
                throw new IllegalStateException("a video needs at least one frame, found none");
            }
            finished = true;
            byte[] data = encoder.finish();
            String note = expected > 0 && count < expected
                    ? String.format(Locale.ROOT, "interrupted after %d of %d frames", count, expected) : "";
            return new Video(data, options.format(), fps, count, width, height, new TreeMap<>(posters), source,
                    options.displayWidth(), note);
        }

        @Override
        public void close() {
            if (!finished) {
                finished = true;
                encoder.close();
            }
        }
    }

    private static BufferedImage copy(BufferedImage image) {
        BufferedImage c = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = c.createGraphics();
        g.drawImage(image, 0, 0, null);
        g.dispose();
        return c;
    }

    // ---------------------------------------------------------------- looking at it

    /** Number of frames. */
    public int frames() {
        return frames;
    }

    /** Frames per second of the video. */
    public double fps() {
        return fps;
    }

    /** Length in seconds: frames / fps. */
    public double durationSeconds() {
        return frames / fps;
    }

    /** Frame width in pixels. */
    public int width() {
        return width;
    }

    /** Frame height in pixels. */
    public int height() {
        return height;
    }

    /** How the video is encoded. */
    public VideoFormat format() {
        return format;
    }

    /** The MIME type of the encoded file ("video/mp4" or "image/gif"). */
    public String mimeType() {
        return format.mimeType();
    }

    /**
     * What the video shows, for its summary line: the trajectory's source (a grid: how many trajectories),
     * "images" for {@link #of}, "frames" for a {@link #writer}.
     */
    public String source() {
        return source;
    }

    /** The encoded file (a copy). */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Size of the encoded file in bytes. */
    public int size() {
        return bytes.length;
    }

    /** The frames kept as pictures, by frame index (first and last included). */
    public NavigableMap<Integer, BufferedImage> posters() {
        return posters;
    }

    /** The first frame. */
    public BufferedImage poster() {
        return posters.firstEntry().getValue();
    }

    /**
     * {@code n} evenly spaced frames side by side in one picture (first and last included).
     * Uses the kept posters when they hold those frames, otherwise decodes the video.
     */
    public BufferedImage frameStrip(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("frame strip: expected at least 1 frame, found " + n);
        }
        n = Math.min(n, frames);
        int[] wanted = new int[n];
        for (int j = 0; j < n; j++) {
            wanted[j] = n == 1 ? 0 : (int) Math.round(j * (frames - 1) / (double) (n - 1));
        }
        BufferedImage[] picked = new BufferedImage[n];
        boolean all = true;
        for (int j = 0; j < n; j++) {
            picked[j] = posters.get(wanted[j]);
            all &= picked[j] != null;
        }
        if (!all) {
            int[] index = {0};
            VideoDecoder.forEach(this, frame -> {
                for (int j = 0; j < wanted.length; j++) {
                    if (wanted[j] == index[0]) {
                        picked[j] = frame;
                    }
                }
                index[0]++;
            });
        }
        int gap = 2;
        BufferedImage strip = new BufferedImage(n * width + (n - 1) * gap, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = strip.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, strip.getWidth(), height);
        for (int j = 0; j < n; j++) {
            if (picked[j] != null) {
                g.drawImage(picked[j], j * (width + gap), 0, null);
            }
        }
        g.dispose();
        return strip;
    }

    /** Decodes the video and hands each frame to {@code sink} in order (nothing is kept). */
    public void forEachFrame(Consumer<BufferedImage> sink) {
        VideoDecoder.forEach(this, sink);
    }

    /** All frames, decoded (holds them all: for short videos). */
    public List<BufferedImage> decode() {
        List<BufferedImage> all = new ArrayList<>(frames);
        VideoDecoder.forEach(this, all::add);
        return all;
    }

    /**
     * Writes the video to exactly {@code path} (temporary file + atomic move), in the format its
     * extension names: {@code .mp4} or {@code .gif}. The file's own bytes if the format is the
     * video's; otherwise its frames are decoded and encoded again (an MP4 saved as GIF, a GIF as
     * MP4, at the same size and fps). Returns {@code path}. Into the notebooks' figures folder
     * instead: {@code display.VideoFiles.save(video, name)}.
     *
     * <pre>{@code
     * Video video = face.render(clip);
     * video.save(Path.of("talking.gif"));     // an animated GIF, whatever the video was encoded as
     * }</pre>
     *
     * @throws IllegalArgumentException if the name does not end in .mp4 or .gif (checked before any work)
     */
    public Path save(Path path) {
        Objects.requireNonNull(path, "path");
        VideoFormat wanted = formatOf(path);
        if (wanted.extension().equals(format.extension())) {
            return AtomicFile.write(path, bytes);
        }
        VideoOptions options = VideoOptions.defaults().withFormat(wanted);
        try (Writer w = new Writer(width, height, fps, frames, options, source)) {
            forEachFrame(w::add);
            return AtomicFile.write(path, w.finish().bytes());
        }
    }

    /** {@link #save(Path)} to the path {@code path} names (relative to the working directory, as in a notebook's folder). */
    public Path save(String path) {
        Objects.requireNonNull(path, "path");
        return save(Path.of(path));
    }

    /** The format a file name asks for: MP4 (through ffmpeg when available) for .mp4, GIF for .gif. */
    private static VideoFormat formatOf(Path path) {
        Path name = path.getFileName();
        String n = name == null ? "" : name.toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".mp4")) {
            return VideoFormat.best();
        }
        if (n.endsWith(".gif")) {
            return VideoFormat.GIF;
        }
        throw new IllegalArgumentException("video file " + path + ": expected a name ending in .mp4 or .gif (the format is"
                + " chosen by it), found " + (n.contains(".") ? "\"" + n.substring(n.lastIndexOf('.')) + "\"" : "no extension"));
    }

    /** The width the options asked the inline player to show (0: chosen from the frame width). */
    public int displayWidth() {
        return displayWidth;
    }

    /** "40 frames, 64×64, 25.00 fps (1.6 s), MP4 12.3 KB, source" and a note if rendering was interrupted. */
    public String summary() {
        return String.format(Locale.ROOT, "%d frames, %d×%d, %.2f fps (%.1f s), %s %s, %s%s",
                frames, width, height, fps, durationSeconds(), format, humanBytes(bytes.length), source,
                note.isEmpty() ? "" : " — " + note);
    }

    private static String humanBytes(long n) {
        return n >= 1 << 20 ? String.format(Locale.ROOT, "%.1f MB", n / 1048576.0)
                : String.format(Locale.ROOT, "%.1f KB", n / 1024.0);
    }

    @Override
    public String toString() {
        return "Video[" + summary() + "]";
    }
}

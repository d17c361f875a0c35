package org.latentmotion.display;

import java.awt.image.BufferedImage;
import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.latentmotion.wplus.AtomicFile;

/**
 * Pictures saved in one call, as {@link VideoFiles} saves videos: a rendered frame, a frame strip,
 * an {@link ImageGrid}'s picture or a chart's, into the figures folder ({@link Figures#dir()}) or
 * anywhere, through a temporary file moved into place; and a sequence of frames as a numbered
 * folder of PNGs (what {@code video.Footage.fromFolder} reads back).
 *
 * <pre>{@code
 * ImageFiles.save(frames.get(0), "first-frame");      // figures/first-frame.png
 * ImageFiles.saveAll(frames, Path.of("frames"));       // frames/0000.png, 0001.png, …
 * }</pre>
 */
public final class ImageFiles {
    private ImageFiles() {
    }

    /**
     * Writes {@code image} into the figures folder as {@code fileName}, PNG unless the name ends
     * in .jpg, .jpeg, .bmp or .gif (".png" is added to a name without an extension).
     */
    public static Path save(RenderedImage image, String fileName) {
        Objects.requireNonNull(fileName, "fileName");
        return save(image, Figures.path(fileName.contains(".") ? fileName : fileName + ".png"));
    }

    /** Writes {@code image} to {@code path} in the format its extension names (.png, .jpg, .jpeg, .bmp, .gif), atomically. */
    public static Path save(RenderedImage image, Path path) {
        Objects.requireNonNull(image, "image");
        return AtomicFile.write(path, encode(image, format(path)));
    }

    /**
     * Writes {@code frames} into {@code folder} (created if missing) as 0000.png, 0001.png, … —
     * wider numbers past 10 000 frames — one at a time as they come. Refuses a folder that already
     * holds pictures, before writing anything: two sequences in one folder would read back as one.
     */
    public static Path saveAll(Stream<? extends RenderedImage> frames, Path folder) {
        Objects.requireNonNull(frames, "frames");
        try {
            Files.createDirectories(folder);
            try (Stream<Path> existing = Files.list(folder)) {
                List<String> pictures = existing.map(p -> p.getFileName().toString())
                        .filter(n -> format(Path.of(n)) != null).sorted().limit(3).toList();
                if (!pictures.isEmpty()) {
                    throw new IllegalArgumentException("save frames: expected a folder without pictures, found "
                            + pictures + " in " + folder.toAbsolutePath() + " (choose a new folder)");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare the frames folder " + folder.toAbsolutePath(), e);
        }
        int[] index = {0};
        frames.forEachOrdered(frame -> save(frame, folder.resolve(String.format(Locale.ROOT, "%04d.png", index[0]++))));
        if (index[0] == 0) {
            throw new IllegalArgumentException("save frames: expected at least one frame, found none");
        }
        return folder;
    }

    /** As {@link #saveAll(Stream, Path)}, for frames in a list. */
    public static Path saveAll(List<? extends RenderedImage> frames, Path folder) {
        return saveAll(frames.stream(), folder);
    }

    /** The ImageIO format name for the path's extension, or null for none of png, jpg, jpeg, bmp, gif. */
    private static String format(Path path) {
        String n = path.getFileName().toString().toLowerCase(Locale.ROOT);
        String ext = n.contains(".") ? n.substring(n.lastIndexOf('.') + 1) : "";
        return switch (ext) {
            case "png" -> "png";
            case "jpg", "jpeg" -> "jpeg";
            case "bmp" -> "bmp";
            case "gif" -> "gif";
            default -> null;
        };
    }

    private static byte[] encode(RenderedImage image, String format) {
        if (format == null) {
            throw new IllegalArgumentException("save image: expected a file name ending in .png, .jpg, .jpeg, .bmp or .gif");
        }
        RenderedImage out = image;
        if (!format.equals("png") && image instanceof BufferedImage b && b.getColorModel().hasAlpha()) {
            // JPEG and BMP writers refuse alpha: drop it onto white
            BufferedImage rgb = new BufferedImage(b.getWidth(), b.getHeight(), BufferedImage.TYPE_INT_RGB);
            var g = rgb.createGraphics();
            g.setColor(java.awt.Color.WHITE);
            g.fillRect(0, 0, rgb.getWidth(), rgb.getHeight());
            g.drawImage(b, 0, 0, null);
            g.dispose();
            out = rgb;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(out, format, bytes)) {
                throw new IllegalStateException("no ImageIO writer for " + format + " accepts this image");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not encode the image as " + format, e);
        }
        return bytes.toByteArray();
    }
}

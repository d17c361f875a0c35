package org.latentmotion.display;

import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;

/**
 * The representations of one displayed value, keyed by MIME type, in the form Jupyter's
 * display_data message carries them: text formats as strings, binary formats as base64.
 *
 * <p>A bundle may be restricted to the MIME types a caller asked for; {@link #wants(String)}
 * tells a renderer whether encoding a format is worth the work.
 */
public final class MimeBundle {
    public static final String TEXT = "text/plain";
    public static final String HTML = "text/html";
    public static final String PNG = "image/png";
    public static final String SVG = "image/svg+xml";
    public static final String GIF = "image/gif";
    public static final String MARKDOWN = "text/markdown";

    private final Map<String, String> data = new LinkedHashMap<>();
    private final Map<String, Object> metadata = new LinkedHashMap<>();
    private final Set<String> requested;

    /** A bundle that accepts every MIME type. */
    public MimeBundle() {
        this.requested = null;
    }

    /** A bundle restricted to {@code mimeTypes} (text/plain is always accepted). */
    public MimeBundle(String... mimeTypes) {
        this.requested = mimeTypes.length == 0 ? null : new LinkedHashSet<>(Set.of(mimeTypes));
    }

    /** True if {@code mimeType} should be produced. */
    public boolean wants(String mimeType) {
        return requested == null || requested.contains(mimeType) || TEXT.equals(mimeType);
    }

    /** Puts a text representation (text/plain, text/html, image/svg+xml, ...). */
    public MimeBundle put(String mimeType, String value) {
        if (wants(mimeType)) {
            data.put(mimeType, value);
        }
        return this;
    }

    /** Puts the text/plain representation. */
    public MimeBundle text(String text) {
        return put(TEXT, text);
    }

    /** Puts the text/html representation, if this bundle wants HTML. */
    public MimeBundle html(String html) {
        return put(HTML, html);
    }

    /** Puts binary content, base64-encoded as Jupyter expects. */
    public MimeBundle putBytes(String mimeType, byte[] bytes) {
        if (wants(mimeType)) {
            data.put(mimeType, Base64.getEncoder().encodeToString(bytes));
        }
        return this;
    }

    /** Encodes {@code image} as PNG, only if PNG is wanted. */
    public MimeBundle png(RenderedImage image) {
        if (wants(PNG)) {
            putBytes(PNG, encodePng(image));
            metadata.put(PNG, Map.of("width", image.getWidth(), "height", image.getHeight()));
        }
        return this;
    }

    /** Adds a metadata entry (e.g. an image's width) sent with the bundle. */
    public MimeBundle metadata(String key, Object value) {
        metadata.put(key, value);
        return this;
    }

    /** True if a representation of {@code mimeType} was put. */
    public boolean has(String mimeType) {
        return data.containsKey(mimeType);
    }

    /** The representation of {@code mimeType} (base64 for binary formats), or null if none was put. */
    public String get(String mimeType) {
        return data.get(mimeType);
    }

    /** MIME type → content, in insertion order. */
    public Map<String, String> data() {
        return Collections.unmodifiableMap(data);
    }

    /** Metadata key → value, read-only, in insertion order. */
    public Map<String, Object> metadata() {
        return Collections.unmodifiableMap(metadata);
    }

    /** {@code image} as PNG bytes; throws {@link java.io.UncheckedIOException} if encoding fails. */
    public static byte[] encodePng(RenderedImage image) {
        try (var out = new ByteArrayOutputStream()) {
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("could not encode image as PNG", e);
        }
    }

    /** An {@code <img>} tag with the image inlined as a data URI, for HTML composites. */
    public static String imgTag(RenderedImage image, String style) {
        return "<img src=\"data:image/png;base64,"
                + Base64.getEncoder().encodeToString(encodePng(image))
                + "\"" + (style == null ? "" : " style=\"" + style + "\"") + "/>";
    }

    @Override
    public String toString() {
        return "MimeBundle" + data.keySet();
    }
}

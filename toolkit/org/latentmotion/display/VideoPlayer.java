package org.latentmotion.display;

import java.util.Base64;
import org.latentmotion.video.Video;
import org.latentmotion.video.VideoFormat;

/**
 * The inline player of a {@link Video}: an HTML5 {@code <video controls loop autoplay muted>}
 * (or an animated {@code <img>} for GIF) with the file inlined as a data URI and its summary
 * below, so it plays in Jupyter and in nbconvert HTML exports with no kernel.
 */
public final class VideoPlayer {
    private VideoPlayer() {
    }

    /** The widest a player is drawn by default, in CSS pixels: most of a 1200 px notebook page. */
    public static final int MAX_WIDTH = 960;

    /**
     * CSS width of the player: the options' display width ({@code VideoOptions.builder().displayWidth(px)})
     * if set; else the frame enlarged by a whole factor (sharp pixels): small frames to at least
     * 256 px wide, and any video that still fits in {@value #MAX_WIDTH} × 540 px doubled, so a
     * grid of 128 px faces shows each face as large as a single video shows one (issue 17: grids
     * looked tiny); frames wider than {@value #MAX_WIDTH} px are shown at {@value #MAX_WIDTH}.
     */
    public static int widthPixels(Video video) {
        if (video.displayWidth() > 0) {
            return video.displayWidth();
        }
        int width = video.width();
        int height = video.height();
        int atLeast256 = width < 256 ? (int) Math.ceil(256.0 / width) : 1;
        int doubled = 2 * width <= MAX_WIDTH && 2 * height <= 540 ? 2 : 1;
        return Math.min(width * Math.max(atLeast256, doubled), MAX_WIDTH);
    }

    /** The player as a self-contained HTML snippet. */
    public static String html(Video video) {
        String data = Base64.getEncoder().encodeToString(video.bytes());
        int w = widthPixels(video);
        String pixelated = w > video.width() ? "image-rendering:pixelated;" : "";
        String caption = "<div style=\"font:12px sans-serif;color:#555\">" + Tables.escape(video.summary()) + "</div>";
        if (video.format() == VideoFormat.GIF) {
            return "<div class=\"lm-video\"><img src=\"data:image/gif;base64," + data + "\" width=\"" + w
                    + "\" style=\"" + pixelated + "\"/>" + caption + "</div>";
        }
        String poster = "data:image/png;base64," + Base64.getEncoder().encodeToString(MimeBundle.encodePng(video.poster()));
        return "<div class=\"lm-video\"><video controls loop autoplay muted playsinline width=\"" + w + "\" poster=\""
                + poster + "\" style=\"" + pixelated + "\"><source type=\"video/mp4\" src=\"data:video/mp4;base64,"
                + data + "\"/>Your browser cannot play this MP4.</video>" + caption + "</div>";
    }
}

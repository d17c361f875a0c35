package org.latentmotion.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.latentmotion.video.Video;
import org.latentmotion.video.VideoFormat;
import org.latentmotion.video.VideoOptions;

/**
 * The player's default width: a single 128 px face at 256 px as before, a grid of them with each
 * face as large (issue 17: grids looked tiny), nothing wider than most of a 1200 px page, and the
 * width a user asks for when they ask.
 */
class VideoPlayerTest {
    static Video frames(int width, int height, VideoOptions options) {
        return Video.of(List.of(new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB)), 25, options);
    }

    static int shown(int width, int height) {
        return VideoPlayer.widthPixels(frames(width, height, VideoOptions.builder().format(VideoFormat.GIF).build()));
    }

    @Test
    void gridsShowEachFaceAsLargeAsASingleVideoDoes() {
        assertEquals(256, shown(128, 128), "one 128 px face");
        assertEquals(2 * 258, shown(258, 128), "1×2 grid of 128 px faces (2 px gap)");
        assertEquals(2 * 388, shown(388, 128), "1×3 grid");
        assertEquals(2 * 258, shown(258, 258), "2×2 grid");
        assertEquals(256, shown(64, 64), "small frames still reach 256 px");
        assertEquals(518, shown(518, 518), "4×4 grid: doubled it would not fit 540 px high");
        assertEquals(VideoPlayer.MAX_WIDTH, shown(1024, 1024), "large frames are shown at most 960 px wide");
    }

    @Test
    void theDisplayWidthAskedForWins() {
        Video v = frames(388, 128, VideoOptions.builder().format(VideoFormat.GIF).displayWidth(1100).build());
        assertEquals(1100, VideoPlayer.widthPixels(v));
        assertTrue(VideoPlayer.html(v).contains("width=\"1100\""));
    }
}

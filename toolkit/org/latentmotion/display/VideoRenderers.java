package org.latentmotion.display;

import org.latentmotion.video.Footage;
import org.latentmotion.video.Video;

/**
 * How the values of {@code video} show themselves: a video as its inline player, a user's footage
 * as its summary and first frame (its {@code toVideo()} plays it).
 */
final class VideoRenderers {
    private VideoRenderers() {
    }

    static void register() {
        Renderers.register(Video.class, (video, bundle) -> {
            bundle.text(video.toString());
            if (bundle.wants(MimeBundle.HTML)) {
                bundle.html(VideoPlayer.html(video));
            }
        });
        Renderers.register(Footage.class, (footage, bundle) -> {
            bundle.text(footage.toString());
            if (bundle.wants(MimeBundle.HTML)) {
                bundle.html("<div><p>" + Tables.escape(footage.toString()) + "</p>"
                        + MimeBundle.imgTag(footage.firstFrame(), "max-width:100%") + "</div>");
            }
        });
    }
}

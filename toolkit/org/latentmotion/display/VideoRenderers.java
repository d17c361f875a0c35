package org.latentmotion.display;

import org.latentmotion.video.Video;

/** How the values of {@code video} show themselves: a video as its inline player. */
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
    }
}

package org.latentmotion.display;

import java.nio.file.Path;
import org.latentmotion.video.Video;

/**
 * Videos saved where the notebooks keep their outputs, the figures folder ({@link Figures#dir()}).
 *
 * <pre>{@code
 * var video = face.render(clip);
 * VideoFiles.save(video, "talking")     // figures/talking.mp4
 * }</pre>
 */
public final class VideoFiles {
    private VideoFiles() {
    }

    /** Writes {@code video} into the figures folder as {@code fileName}, adding the format's extension if missing. */
    public static Path save(Video video, String fileName) {
        String name = fileName.contains(".") ? fileName : fileName + "." + video.format().extension();
        return video.save(Figures.path(name));
    }
}

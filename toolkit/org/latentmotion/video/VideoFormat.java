package org.latentmotion.video;

/** How a {@link Video} is encoded. */
public enum VideoFormat {
    /** H.264 in MP4, encoded in pure Java (JCodec), colours corrected. Plays in every browser. */
    MP4("video/mp4", "mp4"),
    /** H.264 in MP4 through the machine's {@code ffmpeg} (libx264): files several times smaller. */
    MP4_FFMPEG("video/mp4", "mp4"),
    /** Animated GIF: plays everywhere, even where video does not, but is much larger. */
    GIF("image/gif", "gif");

    private final String mimeType;
    private final String extension;

    VideoFormat(String mimeType, String extension) {
        this.mimeType = mimeType;
        this.extension = extension;
    }

    /** The MIME type a notebook is given for this format ("video/mp4" or "image/gif"). */
    public String mimeType() {
        return mimeType;
    }

    /** The file name extension, without the dot ("mp4" or "gif"). */
    public String extension() {
        return extension;
    }

    /** {@link #MP4_FFMPEG} when {@code ffmpeg} is on the PATH, else {@link #MP4}. */
    public static VideoFormat best() {
        return Ffmpeg.available() ? MP4_FFMPEG : MP4;
    }
}

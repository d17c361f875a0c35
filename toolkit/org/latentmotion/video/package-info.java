/**
 * Videos: {@link org.latentmotion.video.Video} (an encoded H.264 MP4 or GIF with its frame rate,
 * size and a few poster frames), rendered from trajectories batch by batch — one clip or a grid of
 * clips in lockstep — encoded in Java (JCodec) or by ffmpeg when present, decoded again for checks,
 * saved atomically. {@link org.latentmotion.video.Footage}: a user's own folder of frames or video
 * file (through ffmpeg), checked when opened and read one frame at a time.
 *
 * <p>Imports {@code wplus} (trajectories and the {@code FrameRenderer} that draws them) and
 * {@code progress} (rendering reports its progress to whoever watches). The inline player is
 * drawn by {@code org.latentmotion.display.VideoPlayer}, saving into the notebooks' figures folder
 * by {@code display.VideoFiles}. (One import of {@code display.Figures} is left: {@link
 * org.latentmotion.video.Video#save(java.nio.file.Path)} writes through its atomic writer until the
 * shared one, {@code wplus.AtomicFile}, is merged.)
 */
package org.latentmotion.video;

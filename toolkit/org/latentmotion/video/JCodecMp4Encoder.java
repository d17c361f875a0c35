package org.latentmotion.video;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.jcodec.codecs.h264.H264Encoder;
import org.jcodec.codecs.h264.encode.RateControl;
import org.jcodec.codecs.h264.io.model.SeqParameterSet;
import org.jcodec.codecs.h264.io.model.SliceType;
import org.jcodec.codecs.h264.io.model.VUIParameters;
import org.jcodec.common.Codec;
import org.jcodec.common.MuxerTrack;
import org.jcodec.common.VideoCodecMeta;
import org.jcodec.common.VideoEncoder;
import org.jcodec.common.model.ColorSpace;
import org.jcodec.common.model.Packet;
import org.jcodec.common.model.Picture;
import org.jcodec.common.model.Rect;
import org.jcodec.common.model.Size;
import org.jcodec.containers.mp4.muxer.MP4Muxer;

/**
 * H.264 (baseline) in MP4, pure Java, streaming: each frame is converted, encoded and muxed at
 * once; only the compressed file grows in memory.
 *
 * <p>Colour: frames are converted to limited-range BT.601 here (not by JCodec, whose converter
 * is full-range), and the stream's VUI says so (video_full_range_flag = 0, matrix = SMPTE 170M),
 * so Chromium, Firefox and ffmpeg all show the colours of the source frames.
 */
final class JCodecMp4Encoder implements FrameEncoder {
    private final PaddedFrames frames;
    private final int timescale;
    private final int frameDuration;
    private final MemoryChannel channel = new MemoryChannel();
    private final MP4Muxer muxer;
    private final MuxerTrack track;
    private final H264Encoder encoder;
    private final Picture picture;
    private final ByteBuffer out;
    private long frameNo;
    private boolean done;

    JCodecMp4Encoder(int width, int height, double fps, int qp) {
        int w16 = (width + 15) & ~15;
        int h16 = (height + 15) & ~15;
        this.frames = new PaddedFrames(width, height, w16, h16); // padding to whole macroblocks repeats the edge pixels
        if (qp < 10 || qp > 51) {
            throw new IllegalArgumentException("H.264 quality (QP): expected 10–51, found " + qp);
        }
        // Millisecond-exact timing for any fps: 25 fps → timescale 25000, 1000 per frame.
        this.timescale = (int) Math.round(fps * 1000);
        this.frameDuration = 1000;
        // 4:2:0 needs an even visible size: an odd width or height gets one repeated edge column/row.
        this.picture = Picture.createCropped(w16, h16, ColorSpace.YUV420J,
                new Rect(0, 0, PaddedFrames.even(width), PaddedFrames.even(height)));
        this.out = ByteBuffer.allocate(Math.max(1 << 16, w16 * h16 * 4));
        this.encoder = new ColourTaggedH264Encoder(new ConstantQp(qp));
        this.encoder.setKeyInterval(Math.max(1, (int) Math.round(fps * 2)));
        try {
            this.muxer = MP4Muxer.createMP4MuxerToChannel(channel);
            this.track = muxer.addVideoTrack(Codec.H264,
                    VideoCodecMeta.createSimpleVideoCodecMeta(new Size(PaddedFrames.even(width), PaddedFrames.even(height)),
                            ColorSpace.YUV420J));
        } catch (IOException e) {
            throw new UncheckedIOException("could not start an MP4 file", e);
        }
    }

    @Override
    public void encode(BufferedImage frame) {
        if (done) {
            throw new IllegalStateException("this MP4 encoder has finished");
        }
        fillPicture(frames.read(frame, frameNo));
        out.clear();
        VideoEncoder.EncodedFrame encoded = encoder.encodeFrame(picture, out);
        ByteBuffer data = encoded.getData();
        ByteBuffer copy = ByteBuffer.allocate(data.remaining());
        copy.put(data.duplicate()).flip();
        Packet packet = Packet.createPacket(copy, frameNo * frameDuration, timescale, frameDuration, frameNo,
                encoded.isKeyFrame() ? Packet.FrameType.KEY : Packet.FrameType.INTER, null);
        try {
            track.addFrame(packet);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write MP4 frame " + frameNo, e);
        }
        frameNo++;
    }

    /** RGB (padded to the picture's whole macroblocks) → limited-range BT.601 4:2:0. */
    private void fillPicture(int[] rgb) {
        int pw = picture.getWidth();
        int ph = picture.getHeight();
        byte[] yp = picture.getPlaneData(0);
        byte[] up = picture.getPlaneData(1);
        byte[] vp = picture.getPlaneData(2);
        for (int y = 0; y < ph; y++) {
            for (int x = 0; x < pw; x++) {
                int p = rgb[y * pw + x];
                // JCodec stores 8-bit samples as signed bytes shifted by -128.
                yp[y * pw + x] = (byte) (Bt601.y((p >> 16) & 255, (p >> 8) & 255, p & 255) - 128);
            }
        }
        int cw = pw >> 1;
        for (int cy = 0; cy < ph >> 1; cy++) {
            for (int cx = 0; cx < cw; cx++) {
                int r = 0, g = 0, b = 0;
                for (int dy = 0; dy < 2; dy++) {
                    for (int dx = 0; dx < 2; dx++) {
                        int p = rgb[(2 * cy + dy) * pw + 2 * cx + dx];
                        r += (p >> 16) & 255;
                        g += (p >> 8) & 255;
                        b += p & 255;
                    }
                }
                // average of the 2×2 block (chroma is linear in RGB, so this equals averaging Cb/Cr)
                int ar = (r + 2) >> 2, ag = (g + 2) >> 2, ab = (b + 2) >> 2;
                up[cy * cw + cx] = (byte) (Bt601.cb(ar, ag, ab) - 128);
                vp[cy * cw + cx] = (byte) (Bt601.cr(ar, ag, ab) - 128);
            }
        }
    }

    @Override
    public byte[] finish() {
        if (done) {
            throw new IllegalStateException("this MP4 encoder has finished");
        }
        if (frameNo == 0) {
            close();
            throw new IllegalStateException("an MP4 needs at least one frame, found none");
        }
        try {
            muxer.finish();
            return channel.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("could not complete the MP4 file", e);
        } finally {
            done = true;
            channel.close();
        }
    }

    @Override
    public String mimeType() {
        return "video/mp4";
    }

    @Override
    public void close() {
        if (!done) {
            done = true;
            channel.close();
        }
    }

    /** The same QP for every macroblock: quality does not drift with content. */
    private static final class ConstantQp implements RateControl {
        private final int qp;

        ConstantQp(int qp) {
            this.qp = qp;
        }

        @Override
        public int startPicture(Size size, int maxSize, SliceType sliceType) {
            return qp;
        }

        @Override
        public int initialQpDelta() {
            return 0;
        }

        @Override
        public int accept(int bits) {
            return 0;
        }
    }

    /** JCodec's encoder with a VUI that declares limited-range BT.601 colour. */
    private static final class ColourTaggedH264Encoder extends H264Encoder {
        ColourTaggedH264Encoder(RateControl rc) {
            super(rc);
        }

        @Override
        public SeqParameterSet initSPS(Size size) {
            SeqParameterSet sps = super.initSPS(size);
            VUIParameters vui = new VUIParameters();
            vui.videoSignalTypePresentFlag = true;
            vui.videoFormat = 5; // unspecified
            vui.videoFullRangeFlag = false;
            vui.colourDescriptionPresentFlag = true;
            vui.colourPrimaries = 6; // SMPTE 170M
            vui.transferCharacteristics = 6; // SMPTE 170M
            vui.matrixCoefficients = 6; // SMPTE 170M (BT.601)
            sps.vuiParams = vui;
            return sps;
        }
    }
}

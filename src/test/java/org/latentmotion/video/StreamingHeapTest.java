package org.latentmotion.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A 1500-frame render + encode must not hold the frames: used heap (measured after a GC every
 * 100 frames) may not grow by anything near the size of the frames it rendered.
 */
class StreamingHeapTest {

    @Test
    void fifteenHundredFramesKeepHeapFlat() {
        int size = 96; // 1500 frames × 96² × 4 B = 55 MB if they were kept
        long[] samples = new long[16];
        int[] nSamples = {0};
        Runtime rt = Runtime.getRuntime();
        VideoTest.CodeColourRenderer r = new VideoTest.CodeColourRenderer(size) {
            @Override
            public BufferedImage[] renderFrames(INDArray codes) {
                if (rendered % 100 == 0 && nSamples[0] < samples.length) {
                    System.gc();
                    samples[nSamples[0]++] = rt.totalMemory() - rt.freeMemory();
                }
                return super.renderFrames(codes);
            }
        };
        Video v = Video.render(VideoTest.ramp(1500, 0.4), r, VideoOptions.builder().batch(20).build());
        assertEquals(1500, v.frames());
        long first = samples[1]; // after the encoder has warmed up
        long max = 0;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < nSamples[0]; i++) {
            if (i >= 1) { // sample 0 predates the warm-up and may still hold earlier tests' garbage
                max = Math.max(max, samples[i]);
            }
            sb.append(String.format(" %.1f", samples[i] / 1048576.0));
        }
        long frameBytes = 1500L * size * size * 4;
        System.out.printf("heap after GC every 100 frames (MB):%s; growth %.1f MB vs %.1f MB of frames; video %d bytes%n",
                sb, (max - first) / 1048576.0, frameBytes / 1048576.0, v.size());
        assertTrue(max - first < frameBytes / 5, "heap grew by " + (max - first) + " bytes");
        assertTrue(v.posters().size() <= VideoOptions.defaults().posters());
    }
}

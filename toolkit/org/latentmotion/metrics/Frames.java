package org.latentmotion.metrics;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Images as the float RGB arrays in [-1, 1] that feature extractors take. */
public final class Frames {
    private Frames() {
    }

    /** Images (all the same size) → [N, 3, H, W] float32 in [-1, 1]. */
    public static INDArray toArray(List<BufferedImage> images) {
        Objects.requireNonNull(images, "images");
        if (images.isEmpty()) {
            throw new IllegalArgumentException("frames: expected at least one image, found none");
        }
        int h = images.get(0).getHeight();
        int w = images.get(0).getWidth();
        float[] data = new float[images.size() * 3 * h * w];
        int[] rgb = new int[h * w];
        for (int i = 0; i < images.size(); i++) {
            BufferedImage im = images.get(i);
            if (im.getHeight() != h || im.getWidth() != w) {
                throw new IllegalArgumentException("frames: image " + i + " is " + im.getWidth() + "×" + im.getHeight()
                        + ", expected " + w + "×" + h + " like image 0");
            }
            im.getRGB(0, 0, w, h, rgb, 0, w);
            int base = i * 3 * h * w;
            for (int p = 0; p < h * w; p++) {
                int c = rgb[p];
                data[base + p] = ((c >> 16) & 0xFF) / 127.5f - 1f;
                data[base + h * w + p] = ((c >> 8) & 0xFF) / 127.5f - 1f;
                data[base + 2 * h * w + p] = (c & 0xFF) / 127.5f - 1f;
            }
        }
        return Nd4j.create(data, new long[] {images.size(), 3, h, w}, 'c');
    }
}

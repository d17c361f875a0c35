package org.latentmotion.video;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/** Synthetic frames with smooth gradients and saturated shapes that move (so P-frames matter). */
final class TestFrames {
    private TestFrames() {
    }

    /**
     * A smooth, saturated picture like a rendered face: a colour gradient and soft blobs of pure
     * red, green and blue that move with {@code t}. Smooth on purpose: 4:2:0 chroma subsampling
     * (every browser-playable H.264) cannot keep one-pixel colour edges, whatever the encoder.
     */
    static BufferedImage frame(int w, int h, int t) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        double[][] blobs = {
            {0.30 + 0.01 * t, 0.35, 0.12, 230, 30, 40},
            {0.65, 0.60 + 0.005 * t, 0.10, 30, 200, 60},
            {0.35, 0.72 - 0.005 * t, 0.08, 40, 50, 220},
        };
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double u = x / (double) (w - 1);
                double v = y / (double) (h - 1);
                double r = 40 + 180 * u;
                double g = 60 + 150 * v;
                double b = 128 + 90 * Math.sin(2 * Math.PI * (u + v + 0.03 * t));
                for (double[] k : blobs) {
                    double d2 = ((u - k[0]) * (u - k[0]) + (v - k[1]) * (v - k[1])) / (k[2] * k[2]);
                    double a = Math.exp(-d2 * d2); // a flat top with a soft edge
                    r = (1 - a) * r + a * k[3];
                    g = (1 - a) * g + a * k[4];
                    b = (1 - a) * b + a * k[5];
                }
                img.setRGB(x, y, ((int) Math.round(r) << 16) | ((int) Math.round(g) << 8) | (int) Math.round(b));
            }
        }
        return img;
    }

    /** PSNR of the colour conversion plus 4:2:0 subsampling alone: the ceiling for any H.264 in a browser. */
    static double yuv420Ceiling(BufferedImage f) {
        int w = f.getWidth() & ~1;
        int h = f.getHeight() & ~1;
        BufferedImage crop = f.getSubimage(0, 0, w, h);
        BufferedImage back = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y += 2) {
            for (int x = 0; x < w; x += 2) {
                int r = 0, g = 0, b = 0;
                for (int d = 0; d < 4; d++) {
                    int p = f.getRGB(x + (d & 1), y + (d >> 1));
                    r += (p >> 16) & 255;
                    g += (p >> 8) & 255;
                    b += p & 255;
                }
                int cb = Bt601.cb((r + 2) >> 2, (g + 2) >> 2, (b + 2) >> 2);
                int cr = Bt601.cr((r + 2) >> 2, (g + 2) >> 2, (b + 2) >> 2);
                for (int d = 0; d < 4; d++) {
                    int p = f.getRGB(x + (d & 1), y + (d >> 1));
                    back.setRGB(x + (d & 1), y + (d >> 1), Bt601.rgb(Bt601.y((p >> 16) & 255, (p >> 8) & 255, p & 255), cb, cr));
                }
            }
        }
        return psnr(crop, back);
    }

    static List<BufferedImage> frames(int w, int h, int n) {
        List<BufferedImage> list = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            list.add(frame(w, h, t));
        }
        return list;
    }

    /** PSNR in dB over the R, G and B samples of two images of the same size. */
    static double psnr(BufferedImage a, BufferedImage b) {
        double se = 0;
        long n = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int s = 0; s <= 16; s += 8) {
                    double d = ((p >> s) & 255) - ((q >> s) & 255);
                    se += d * d;
                    n++;
                }
            }
        }
        double mse = se / n;
        return mse == 0 ? 99 : 10 * Math.log10(255.0 * 255.0 / mse);
    }

    /** Mean of the per-channel means (a crude "how bright / saturated" summary). */
    static double[] channelMeans(BufferedImage a) {
        double[] m = new double[3];
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                m[0] += (p >> 16) & 255;
                m[1] += (p >> 8) & 255;
                m[2] += p & 255;
            }
        }
        for (int c = 0; c < 3; c++) {
            m[c] /= (double) a.getWidth() * a.getHeight();
        }
        return m;
    }
}

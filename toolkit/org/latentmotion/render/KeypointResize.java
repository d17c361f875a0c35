package org.latentmotion.render;

/**
 * Resizes float images (3 planes, row-major) for a key-point model whose input has another size:
 * bilinear with pixel centres at half-integers (as PyTorch's {@code interpolate(...,
 * align_corners=False)}), after 2×2 averages while the image is at least twice the target, so a
 * large reduction averages detail instead of skipping it. Aspect is not kept: the image is
 * stretched, so a point at (x, y) ∈ [−1, 1]² of the resized image is at (x, y) of the original.
 */
final class KeypointResize {
    private KeypointResize() {
    }

    /**
     * The image at {@code offset} in {@code pixels} ([3, h, w]) resized to [3, th, tw]; a new
     * array, also when the size is already right (callers rescale it in place).
     */
    static float[] resize(float[] pixels, int offset, int h, int w, int th, int tw) {
        float[] cur = new float[3 * h * w];
        System.arraycopy(pixels, offset, cur, 0, cur.length);
        int ch = h;
        int cw = w;
        while (ch >= 2 * th && cw >= 2 * tw) {
            cur = halve(cur, ch, cw);
            ch /= 2;
            cw /= 2;
        }
        return ch == th && cw == tw ? cur : bilinear(cur, ch, cw, th, tw);
    }

    /** 2×2 averages: [3, h, w] → [3, h/2, w/2] (an odd last row or column is dropped). */
    static float[] halve(float[] src, int h, int w) {
        int nh = h / 2;
        int nw = w / 2;
        float[] out = new float[3 * nh * nw];
        for (int c = 0; c < 3; c++) {
            int s = c * h * w;
            int d = c * nh * nw;
            for (int y = 0; y < nh; y++) {
                int r0 = s + 2 * y * w;
                int r1 = r0 + w;
                for (int x = 0; x < nw; x++) {
                    out[d + y * nw + x] = 0.25f * (src[r0 + 2 * x] + src[r0 + 2 * x + 1] + src[r1 + 2 * x] + src[r1 + 2 * x + 1]);
                }
            }
        }
        return out;
    }

    /** Bilinear [3, h, w] → [3, th, tw], sample centres mapped as (i + 0.5) · h / th − 0.5, clamped at the border. */
    static float[] bilinear(float[] src, int h, int w, int th, int tw) {
        float[] out = new float[3 * th * tw];
        int[] x0 = new int[tw];
        int[] x1 = new int[tw];
        float[] fx = new float[tw];
        for (int x = 0; x < tw; x++) {
            double sx = Math.max(0.0, (x + 0.5) * w / tw - 0.5);
            x0[x] = Math.min((int) sx, w - 1);
            x1[x] = Math.min(x0[x] + 1, w - 1);
            fx[x] = (float) (sx - x0[x]);
        }
        for (int y = 0; y < th; y++) {
            double sy = Math.max(0.0, (y + 0.5) * h / th - 0.5);
            int y0 = Math.min((int) sy, h - 1);
            int y1 = Math.min(y0 + 1, h - 1);
            float fy = (float) (sy - y0);
            for (int c = 0; c < 3; c++) {
                int base = c * h * w;
                int r0 = base + y0 * w;
                int r1 = base + y1 * w;
                int d = c * th * tw + y * tw;
                for (int x = 0; x < tw; x++) {
                    float top = src[r0 + x0[x]] + (src[r0 + x1[x]] - src[r0 + x0[x]]) * fx[x];
                    float bottom = src[r1 + x0[x]] + (src[r1 + x1[x]] - src[r1 + x0[x]]) * fx[x];
                    out[d + x] = top + (bottom - top) * fy;
                }
            }
        }
        return out;
    }
}

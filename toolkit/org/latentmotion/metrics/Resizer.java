package org.latentmotion.metrics;

/** Bilinear resizing of one image plane the way the FID and FVD references do it. */
final class Resizer {
    private Resizer() {
    }

    /**
     * Resizes the plane at {@code src[offset …]} of inH×inW to outH×outW.
     * BILINEAR: source = (dst + 0.5)·in/out − 0.5, clamped at 0 (PyTorch, align_corners=False);
     * BILINEAR_TF_LEGACY: source = dst·in/out (TF1 resize_bilinear). Neither antialiases.
     */
    static float[] resize(float[] src, int offset, int inH, int inW, int outH, int outW, InputSpec.Resize mode) {
        float[] out = new float[outH * outW];
        if (mode == InputSpec.Resize.NONE || (inH == outH && inW == outW)) {
            System.arraycopy(src, offset, out, 0, outH * outW);
            return out;
        }
        boolean half = mode == InputSpec.Resize.BILINEAR;
        int[] y0 = new int[outH];
        int[] y1 = new int[outH];
        double[] fy = new double[outH];
        axis(inH, outH, half, y0, y1, fy);
        int[] x0 = new int[outW];
        int[] x1 = new int[outW];
        double[] fx = new double[outW];
        axis(inW, outW, half, x0, x1, fx);
        for (int y = 0; y < outH; y++) {
            int r0 = offset + y0[y] * inW;
            int r1 = offset + y1[y] * inW;
            for (int x = 0; x < outW; x++) {
                double top = src[r0 + x0[x]] * (1 - fx[x]) + src[r0 + x1[x]] * fx[x];
                double bottom = src[r1 + x0[x]] * (1 - fx[x]) + src[r1 + x1[x]] * fx[x];
                out[y * outW + x] = (float) (top * (1 - fy[y]) + bottom * fy[y]);
            }
        }
        return out;
    }

    private static void axis(int in, int out, boolean halfPixel, int[] lo, int[] hi, double[] frac) {
        double scale = (double) in / out;
        for (int i = 0; i < out; i++) {
            double s = halfPixel ? Math.max((i + 0.5) * scale - 0.5, 0) : i * scale;
            int l = Math.min((int) Math.floor(s), in - 1);
            lo[i] = l;
            hi[i] = Math.min(l + 1, in - 1);
            frac[i] = s - l;
        }
    }
}

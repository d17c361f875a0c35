package org.latentmotion.toy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.latentmotion.wplus.Trajectory;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The motion of one talking-head clip: state parameters over time (speech-rhythm mouth, blinks,
 * brows and nods on stressed syllables, slow head sway, smile drift, gaze saccades), written into
 * W+ codes through the toy face's directions, plus per-frame embedding jitter in the other
 * directions.
 */
final class TalkingHeadMotion {
    /** Frames generated per chunk (bounds temporary memory for long clips). */
    private static final int CHUNK = 1024;

    private TalkingHeadMotion() {
    }

    static Trajectory clip(float[] base, int frames, double fps, double jitter, SplittableRandom r) {
        Map<String, double[]> state = states(frames, fps, r);
        return codes(base, state, frames, fps, jitter, r);
    }

    /** State parameter values per frame, by name. */
    static Map<String, double[]> states(int n, double fps, SplittableRandom r) {
        double[] time = new double[n];
        for (int i = 0; i < n; i++) {
            time[i] = i / fps;
        }
        double end = n / fps;
        double[] mouth = new double[n];
        double[] brow = new double[n];
        double[] nod = new double[n];
        Arrays.fill(mouth, 0.03);
        Arrays.fill(brow, 0.22);

        // speech: phrases of syllables at ~4-5 Hz, pauses between them; stressed syllables lift the
        // brows and nod the head
        double t = r.nextDouble(0.2, 1.0);
        while (t < end) {
            double phraseEnd = t + r.nextDouble(1.5, 4.5);
            double rate = clamp(4.5 + 0.3 * r.nextGaussian(), 3.8, 5.2);
            while (t < phraseEnd && t < end) {
                double interval = r.nextDouble(0.85, 1.15) / rate;
                double width = 0.9 * interval;
                double amp = r.nextDouble(0.25, 0.62);
                boolean stressed = r.nextDouble() < 0.15;
                if (stressed) {
                    amp = Math.min(0.92, amp * 1.4);
                    double len = r.nextDouble(0.4, 0.8);
                    maxBump(brow, time, t - 0.05, len, 0.22 + r.nextDouble(0.35, 0.55), 0.3);
                    addBump(nod, time, t, r.nextDouble(0.35, 0.6), r.nextDouble(0.04, 0.09), 0.0);
                }
                addBump(mouth, time, t, width, amp, 0.0);
                t += interval;
            }
            t += r.nextDouble(0.4, 1.6);
        }
        // occasional raised brows while listening
        for (double s = r.nextDouble(2, 8); s < end; s += r.nextDouble(4, 12)) {
            maxBump(brow, time, s, r.nextDouble(0.5, 1.2), 0.22 + r.nextDouble(0.2, 0.4), 0.3);
        }

        // blinks: refractory 1.2 s + exponential (mean 2.3 s) -> ~17 per minute; 100-150 ms each
        double[] closure = new double[n];
        for (double b = r.nextDouble(0.3, 3.0); b < end; b += 1.2 + exponential(r, 2.3)) {
            double duration = r.nextDouble(0.10, 0.15);
            for (int i = Math.max(0, (int) Math.floor(b * fps)); i < n && time[i] <= b + duration; i++) {
                double tau = time[i] - b;
                if (tau >= 0) {
                    closure[i] = Math.max(closure[i], Math.min(1, 1.5 * Math.sin(Math.PI * tau / duration)));
                }
            }
        }
        double[] eyeBase = ou(n, fps, r, 0.87, 0.025, 3.0);
        double[] eye = new double[n];
        for (int i = 0; i < n; i++) {
            eye[i] = clamp(eyeBase[i], 0.78, 0.95) * (1 - closure[i]) + 0.02 * closure[i];
        }

        // head sway: a few slow sinusoids per axis around a per-shot rest pose, plus the nods
        double yaw0 = 0.08 * r.nextGaussian();
        double pitch0 = 0.04 * r.nextGaussian();
        double roll0 = 0.03 * r.nextGaussian();
        double[] yaw = sway(time, r, yaw0, new double[] {0.14, 0.06, 0.02}, -0.6, 0.6);
        double[] pitch = sway(time, r, pitch0, new double[] {0.05, 0.025, 0.01}, -0.4, 0.4);
        double[] roll = sway(time, r, roll0, new double[] {0.045, 0.02, 0.008}, -0.4, 0.4);
        for (int i = 0; i < n; i++) {
            pitch[i] = clamp(pitch[i] + nod[i], -0.4, 0.4);
            brow[i] = clamp(brow[i], 0.02, 0.95);
            mouth[i] = clamp(mouth[i], 0.01, 0.95);
        }

        double[] smile = ou(n, fps, r, 0.15, 0.18, 4.0);
        for (int i = 0; i < n; i++) {
            smile[i] = clamp(smile[i], -0.4, 0.85);
        }

        // gaze: fixations of 0.4-2.5 s, jumps over two frames
        double[] gx = new double[n];
        double[] gy = new double[n];
        double x = 0;
        double y = 0;
        int i = 0;
        while (i < n) {
            double nx = clamp(0.25 * r.nextGaussian(), -0.6, 0.6);
            double ny = clamp(0.15 * r.nextGaussian(), -0.4, 0.4);
            int hold = Math.max(2, (int) Math.round(r.nextDouble(0.4, 2.5) * fps));
            for (int k = 0; k < hold && i < n; k++, i++) {
                double a = Math.min(1.0, (k + 1) / 2.0);
                gx[i] = x + a * (nx - x);
                gy[i] = y + a * (ny - y);
            }
            x = nx;
            y = ny;
        }

        Map<String, double[]> s = new LinkedHashMap<>();
        s.put("yaw", yaw);
        s.put("pitch", pitch);
        s.put("roll", roll);
        s.put("mouthOpen", mouth);
        s.put("smile", smile);
        s.put("eyeOpen", eye);
        s.put("browRaise", brow);
        s.put("gazeX", gx);
        s.put("gazeY", gy);
        return s;
    }

    /** W+ codes: the base code with its state parameters replaced per frame, plus jitter. */
    static Trajectory codes(float[] base, Map<String, double[]> state, int n, double fps, double jitter,
            SplittableRandom r) {
        FaceCodec face = FaceCodec.spec();
        int layers = face.layers();
        int width = face.width();
        int pCount = face.parameters().size();
        INDArray dirs = face.directionsView();
        float[] d = dirs.dup('c').data().asFloat();
        // base projections per layer and parameter
        double[][] baseProj = new double[layers][pCount];
        for (int l = 0; l < layers; l++) {
            for (int p = 0; p < pCount; p++) {
                double dot = 0;
                for (int k = 0; k < width; k++) {
                    dot += base[l * width + k] * d[p * width + k];
                }
                baseProj[l][p] = dot;
            }
        }
        List<FaceCodec.Parameter> params = state.keySet().stream().map(face::parameter).toList();
        double[][] latents = new double[params.size()][];
        for (int j = 0; j < params.size(); j++) {
            double[] v = state.get(params.get(j).name());
            latents[j] = new double[n];
            for (int t = 0; t < n; t++) {
                latents[j][t] = params.get(j).latentOf(v[t]);
            }
        }
        INDArray[] layerDirections = new INDArray[layers];
        for (int l = 0; l < layers; l++) {
            List<Integer> rows = new java.util.ArrayList<>();
            for (FaceCodec.Parameter p : face.parameters()) {
                for (int g : p.layers()) {
                    if (g == l) {
                        rows.add(p.index());
                    }
                }
            }
            if (!rows.isEmpty()) {
                layerDirections[l] = dirs.getRows(rows.stream().mapToInt(Integer::intValue).toArray()).dup('c');
            }
        }
        INDArray out = Nd4j.createUninitialized(org.nd4j.linalg.api.buffer.DataType.FLOAT, n, layers, width);
        for (int from = 0; from < n; from += CHUNK) {
            int c = Math.min(CHUNK, n - from);
            float[] chunk = new float[c * layers * width];
            for (int t = 0; t < c; t++) {
                System.arraycopy(base, 0, chunk, t * layers * width, layers * width);
            }
            for (int j = 0; j < params.size(); j++) {
                FaceCodec.Parameter p = params.get(j);
                int off = p.index() * width;
                for (int l : p.layers()) {
                    for (int t = 0; t < c; t++) {
                        float delta = (float) (latents[j][from + t] - baseProj[l][p.index()]);
                        int row = (t * layers + l) * width;
                        for (int k = 0; k < width; k++) {
                            chunk[row + k] += delta * d[off + k];
                        }
                    }
                }
            }
            if (jitter > 0) {
                // embedding noise like pSp's, kept out of the directions the model reads from each
                // layer, so the ground truth stays exactly the motion above; layer-major, so every
                // matrix product runs on contiguous memory
                float[] g = new float[c * width];
                for (int l = 0; l < layers; l++) {
                    gaussians(g, (float) jitter, r);
                    INDArray dl = layerDirections[l];
                    float[] clean = g;
                    if (dl != null) {
                        INDArray nl = Nd4j.create(g, new long[] {c, width}, 'c');
                        nl.subi(nl.mmul(dl.transpose()).mmul(dl));
                        clean = nl.data().asFloat();
                    }
                    for (int t = 0; t < c; t++) {
                        int row = (t * layers + l) * width;
                        int src = t * width;
                        for (int k = 0; k < width; k++) {
                            chunk[row + k] += clean[src + k];
                        }
                    }
                }
            }
            INDArray codes = Nd4j.create(chunk, new long[] {c, layers, width}, 'c');
            ToyWorld.put(out, from, codes);
        }
        return Trajectory.of(out, fps, "talking head");
    }

    /** 2^16 standard normal quantiles: four table look-ups per random long, ~50× faster than nextGaussian. */
    private static final float[] NORMAL_TABLE = normalTable();

    private static float[] normalTable() {
        float[] t = new float[1 << 16];
        for (int i = 0; i < t.length; i++) {
            t[i] = (float) inverseNormal((i + 0.5) / t.length);
        }
        return t;
    }

    /** Fills {@code out} with N(0, sigma²) samples (quantised to 2^16 levels, plenty for embedding jitter). */
    static void gaussians(float[] out, float sigma, SplittableRandom r) {
        int i = 0;
        while (i < out.length) {
            long bits = r.nextLong();
            for (int k = 0; k < 4 && i < out.length; k++, i++) {
                out[i] = sigma * NORMAL_TABLE[(int) (bits & 0xFFFF)];
                bits >>>= 16;
            }
        }
    }

    /** Inverse standard normal CDF (Acklam's rational approximation, relative error &lt; 1.2e-9). */
    static double inverseNormal(double p) {
        double[] a = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02,
            -3.066479806614716e+01, 2.506628277459239e+00};
        double[] b = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
            -1.328068155288572e+01};
        double[] c = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00,
            4.374664141464968e+00, 2.938163982698783e+00};
        double[] d = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00};
        double low = 0.02425;
        if (p < low) {
            double q = Math.sqrt(-2 * Math.log(p));
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        if (p > 1 - low) {
            double q = Math.sqrt(-2 * Math.log(1 - p));
            return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        double q = p - 0.5;
        double rr = q * q;
        return (((((a[0] * rr + a[1]) * rr + a[2]) * rr + a[3]) * rr + a[4]) * rr + a[5]) * q
                / (((((b[0] * rr + b[1]) * rr + b[2]) * rr + b[3]) * rr + b[4]) * rr + 1);
    }

    /** Adds a raised-cosine bump of {@code amp} over [start, start + width], held flat for {@code hold} of it. */
    static void addBump(double[] v, double[] time, double start, double width, double amp, double hold) {
        double ramp = width * (1 - hold) / 2;
        for (int i = 0; i < v.length; i++) {
            double tau = time[i] - start;
            if (tau < 0 || tau > width) {
                continue;
            }
            double shape;
            if (ramp <= 0) {
                shape = 1;
            } else if (tau < ramp) {
                shape = 0.5 - 0.5 * Math.cos(Math.PI * tau / ramp);
            } else if (tau > width - ramp) {
                shape = 0.5 - 0.5 * Math.cos(Math.PI * (width - tau) / ramp);
            } else {
                shape = 1;
            }
            v[i] += amp * shape;
        }
    }

    /** Raises {@code v} towards {@code peak} with a raised-cosine bump (overlapping raises do not add up). */
    static void maxBump(double[] v, double[] time, double start, double width, double peak, double hold) {
        double[] bump = new double[v.length];
        addBump(bump, time, start, width, 1.0, hold);
        for (int i = 0; i < v.length; i++) {
            if (bump[i] > 0) {
                v[i] = Math.max(v[i], v[i] + (peak - v[i]) * bump[i]);
            }
        }
    }

    static double[] sway(double[] time, SplittableRandom r, double rest, double[] amps, double lo, double hi) {
        double[] f = {r.nextDouble(0.05, 0.12), r.nextDouble(0.15, 0.3), r.nextDouble(0.3, 0.5)};
        double[] phase = {r.nextDouble(0, 2 * Math.PI), r.nextDouble(0, 2 * Math.PI), r.nextDouble(0, 2 * Math.PI)};
        double[] v = new double[time.length];
        for (int i = 0; i < v.length; i++) {
            double s = rest;
            for (int k = 0; k < amps.length; k++) {
                s += amps[k] * Math.sin(2 * Math.PI * f[k] * time[i] + phase[k]);
            }
            v[i] = clamp(s, lo, hi);
        }
        return v;
    }

    /** Ornstein-Uhlenbeck process with the given mean, stationary std and time constant (s). */
    static double[] ou(int n, double fps, SplittableRandom r, double mean, double std, double tau) {
        double a = Math.exp(-1 / (fps * tau));
        double s = std * Math.sqrt(1 - a * a);
        double[] v = new double[n];
        double x = mean + std * r.nextGaussian();
        for (int i = 0; i < n; i++) {
            v[i] = x;
            x = mean + a * (x - mean) + s * r.nextGaussian();
        }
        return v;
    }

    static double exponential(SplittableRandom r, double mean) {
        return -mean * Math.log(1 - r.nextDouble());
    }

    static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}

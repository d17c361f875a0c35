package org.latentmotion.nn;

import java.util.List;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The elementwise part of a GRU step as one tape node, h' = P(gx, gh, h) for gate pre-activations
 * gx = x·Wx + bx and gh = h·Wh + bh ([N, 3H], columns r | z | n) and the state h [N, H]:
 * <pre>
 *   r = σ(gx_r + gh_r),  z = σ(gx_z + gh_z),  q = gh_n,  n = tanh(gx_n + r ⊙ q),  h' = n + z ⊙ (h − n)
 * </pre>
 * From tape primitives ({@link #reference}) a step is ~16 ND4J ops forward, six of them copies of
 * gate slices, and several times that in each backward; each costs a native call and an
 * allocation, while the arrays are small ([N, 3H] with H = 32). Here each level is one pass of a
 * JIT-compiled Java loop in float64 over the step's arrays:
 * <ul>
 *   <li>forward: h';</li>
 *   <li>first-order backward (g = ∂/∂h'): dgx = [A_r, A_z, A_n], dgh = [A_r, A_z, A_n r], dh = g z with
 *       A_n = g(1 − z)(1 − n²), A_z = g(h − n)z(1 − z), A_r = A_n q r(1 − r), one op with three
 *       outputs ({@link Var.Group});</li>
 *   <li>second-order backward (the vector-Jacobian product of those, for double backprop through
 *       the gradient angle penalty), hand-derived in {@link #secondOrder};</li>
 *   <li>third and higher order: the step is rebuilt from tape primitives and differentiated by the
 *       tape, so every order stays exact (slow, and not used in training).</li>
 * </ul>
 */
final class GruPointwise {
    private final Var gx;
    private final Var gh;
    private final Var h;
    private final int rows;
    private final int hd;
    private final DataType type;
    // per element k = i·H + j of [N, H]: the gates, the candidate, gh_n and h
    private final double[] r;
    private final double[] z;
    private final double[] n;
    private final double[] q;
    private final double[] hv;

    private GruPointwise(Var gx, Var gh, Var h) {
        this.gx = gx;
        this.gh = gh;
        this.h = h;
        rows = (int) h.size(0);
        hd = (int) h.size(1);
        type = h.dataType();
        double[] x = read(gx.value);
        double[] y = read(gh.value);
        hv = read(h.value);
        int len = rows * hd;
        r = new double[len];
        z = new double[len];
        n = new double[len];
        q = new double[len];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < hd; j++) {
                int k = i * hd + j;
                int b = 3 * i * hd + j;
                double rk = Activations.sigmoid(x[b] + y[b]);
                r[k] = rk;
                z[k] = Activations.sigmoid(x[b + hd] + y[b + hd]);
                q[k] = y[b + 2 * hd];
                n[k] = Activations.tanh(x[b + 2 * hd] + rk * q[k]);
            }
        }
    }

    /** h' for gx, gh [N, 3H] and h [N, H] (one tape node). */
    static Var apply(Var gx, Var gh, Var h) {
        check(gx, gh, h);
        GruPointwise s = new GruPointwise(gx, gh, h);
        double[] out = new double[s.n.length];
        for (int k = 0; k < out.length; k++) {
            out[k] = s.n[k] + s.z[k] * (s.hv[k] - s.n[k]);
        }
        return Ops.make(s.write(out, 1), (o, g, need) -> s.firstOrder(g, need), gx, gh, h);
    }

    /** The same function from tape primitives (the reference the fused node is checked against). */
    static Var reference(Var gx, Var gh, Var h) {
        long hd = h.size(1);
        Var rz = Ops.sigmoid(Ops.add(Ops.slice(gx, 1, 0, 2 * hd), Ops.slice(gh, 1, 0, 2 * hd)));
        Var r = Ops.slice(rz, 1, 0, hd);
        Var z = Ops.slice(rz, 1, hd, 2 * hd);
        Var n = Ops.tanh(Ops.add(Ops.slice(gx, 1, 2 * hd, 3 * hd), Ops.mul(r, Ops.slice(gh, 1, 2 * hd, 3 * hd))));
        // (1 − z) ⊙ n + z ⊙ h = n + z ⊙ (h − n)
        return Ops.add(n, Ops.mul(z, Ops.sub(h, n)));
    }

    private static void check(Var gx, Var gh, Var h) {
        long nRows = h.size(0);
        long three = 3 * h.size(1);
        if (h.rank() != 2 || gx.rank() != 2 || gh.rank() != 2 || gx.size(0) != nRows || gh.size(0) != nRows
                || gx.size(1) != three || gh.size(1) != three || gx.dataType() != h.dataType()
                || gh.dataType() != h.dataType()) {
            throw new IllegalArgumentException("GRU step needs gx, gh [N, 3H] and h [N, H] of one data type, found "
                    + gx + ", " + gh + ", " + h);
        }
    }

    // ---- first order ----------------------------------------------------------------------------

    private Var[] firstOrder(Var g, boolean[] need) {
        double[] gv = read(g.value);
        int three = 3 * hd;
        double[] x = new double[rows * three];
        double[] y = need[1] ? new double[rows * three] : null;
        double[] d = need[2] ? new double[rows * hd] : null;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < hd; j++) {
                int k = i * hd + j;
                int b = i * three + j;
                double omz = 1 - z[k];
                double an = gv[k] * omz * (1 - n[k] * n[k]);
                double az = gv[k] * (hv[k] - n[k]) * z[k] * omz;
                double ar = an * q[k] * r[k] * (1 - r[k]);
                x[b] = ar;
                x[b + hd] = az;
                x[b + 2 * hd] = an;
                if (y != null) {
                    y[b] = ar;
                    y[b + hd] = az;
                    y[b + 2 * hd] = an * r[k];
                }
                if (d != null) {
                    d[k] = gv[k] * z[k];
                }
            }
        }
        // one op with three outputs: their second-order rule runs once with all three cotangents
        return Ops.makeGroup(new INDArray[] {need[0] ? write(x, 3) : null, need[1] ? write(y, 3) : null,
            need[2] ? write(d, 1) : null}, (cs, nd) -> secondOrder(g, gv, cs, nd), g, gx, gh, h);
    }

    // ---- second order ---------------------------------------------------------------------------

    /**
     * The vector-Jacobian product of the first-order outputs (dgx, dgh, dh) for cotangents
     * cs = (cx, cy, cd), null meaning zero, with respect to (g, gx, gh, h). With sr = r(1 − r), sz = z(1 − z),
     * Ā_r = cx_r + cy_r, Ā_z = cx_z + cy_z, Ā_n = cx_n + cy_n r + Ā_r q sr:
     * <pre>
     *   ḡ = cd z + Ā_n (1 − z)(1 − n²) + Ā_z (h − n) sz,          h̄ = Ā_z g sz
     *   z̄ = cd g − Ā_n g (1 − n²) + Ā_z g (h − n)(1 − 2z),       n̄ = −2 Ā_n g (1 − z) n − Ā_z g sz
     *   ā_n = n̄ (1 − n²),  r̄ = cy_n A_n + Ā_r A_n q (1 − 2r) + ā_n q,  q̄ = Ā_r A_n sr + ā_n r
     *   ḡx = [r̄ sr, z̄ sz, ā_n],  ḡh = [r̄ sr, z̄ sz, q̄]
     * </pre>
     */
    private Var[] secondOrder(Var g, double[] gv, Var[] cs, boolean[] need) {
        double[] xs = cs[0] == null ? null : read(cs[0].value);
        double[] ys = cs[1] == null ? null : read(cs[1].value);
        double[] ds = cs[2] == null ? null : read(cs[2].value);
        int three = 3 * hd;
        double[] gBar = new double[rows * hd];
        double[] hBar = new double[rows * hd];
        double[] gxBar = new double[rows * three];
        double[] ghBar = new double[rows * three];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < hd; j++) {
                int k = i * hd + j;
                int b = i * three + j;
                double rk = r[k];
                double zk = z[k];
                double nk = n[k];
                double gk = gv[k];
                double omz = 1 - zk;
                double nn = 1 - nk * nk;
                double sr = rk * (1 - rk);
                double sz = zk * omz;
                double hn = hv[k] - nk;
                double an = gk * omz * nn;
                double barAr = (xs == null ? 0 : xs[b]) + (ys == null ? 0 : ys[b]);
                double barAz = (xs == null ? 0 : xs[b + hd]) + (ys == null ? 0 : ys[b + hd]);
                double cyn = ys == null ? 0 : ys[b + 2 * hd];
                double cdk = ds == null ? 0 : ds[k];
                double barAn = (xs == null ? 0 : xs[b + 2 * hd]) + cyn * rk + barAr * q[k] * sr;
                gBar[k] = cdk * zk + barAn * omz * nn + barAz * hn * sz;
                hBar[k] = barAz * gk * sz;
                double zBar = cdk * gk - barAn * gk * nn + barAz * gk * hn * (1 - 2 * zk);
                double nBar = -2 * barAn * gk * omz * nk - barAz * gk * sz;
                double aN = nBar * nn;
                double rBar = cyn * an + barAr * an * q[k] * (1 - 2 * rk) + aN * q[k];
                double qBar = barAr * an * sr + aN * rk;
                gxBar[b] = rBar * sr;
                gxBar[b + hd] = zBar * sz;
                gxBar[b + 2 * hd] = aN;
                ghBar[b] = gxBar[b];
                ghBar[b + hd] = gxBar[b + hd];
                ghBar[b + 2 * hd] = qBar;
            }
        }
        double[][] values = {gBar, gxBar, ghBar, hBar};
        int[] widths = {1, 3, 3, 1};
        Var[] parents = {cs[0], cs[1], cs[2], g, gx, gh, h};
        Var[] out = new Var[4];
        for (int k = 0; k < 4; k++) {
            if (need[k]) {
                int which = k;
                out[k] = Ops.make(write(values[k], widths[k]), (o, c, nd) -> higherOrder(cs, g, which, c), parents);
            }
        }
        return out;
    }

    /**
     * Third and higher order: output {@code which} (of g, gx, gh, h) of the second-order product
     * for cotangents cs on the first-order outputs, differentiated (with cotangent c) by rebuilding
     * both orders from tape primitives. Returns gradients for (cx, cy, cd, g, gx, gh, h).
     */
    private Var[] higherOrder(Var[] cs, Var g, int which, Var c) {
        boolean outer = Autograd.recording();
        return Autograd.withGrad(() -> {
            // identity proxies: the tape's gradients are total derivatives, and the parents may
            // depend on each other (h on an earlier step's gx); a rule needs the partial ones
            Var[] p = new Var[7];
            for (int k = 0; k < 3; k++) {
                p[k] = cs[k] == null ? null : proxy(cs[k]);
            }
            p[3] = proxy(g);
            p[4] = proxy(gx);
            p[5] = proxy(gh);
            p[6] = proxy(h);
            Var out = reference(p[4], p[5], p[6]);
            List<Var> first = Autograd.grad(out, p[3], List.of(p[4], p[5], p[6]), true);
            Var dot = null;
            for (int k = 0; k < 3; k++) {
                if (p[k] != null) {
                    Var term = Ops.sumAll(Ops.mul(first.get(k), p[k]));
                    dot = dot == null ? term : Ops.add(dot, term);
                }
            }
            Var second = Autograd.grad(dot, List.of(p[3], p[4], p[5], p[6]), true).get(which);
            List<Var> wrt = new java.util.ArrayList<>();
            for (Var v : p) {
                if (v != null) {
                    wrt.add(v);
                }
            }
            List<Var> grads = Autograd.grad(second, c, wrt, outer);
            Var[] result = new Var[7];
            for (int k = 0, m = 0; k < 7; k++) {
                result[k] = p[k] == null ? null : grads.get(m++);
            }
            return result;
        });
    }

    /** A node with the same value whose gradient passes through unchanged. */
    private static Var proxy(Var v) {
        return Ops.make(v.value, false, (o, g, need) -> new Var[] {g}, v);
    }

    // ---- helpers ----------------------------------------------------------------------------------


    /** The elements of an array in C order, as float64 (copied only if not already contiguous C order). */
    static double[] read(INDArray a) {
        INDArray c = a.isView() || a.ordering() != 'c' || a.data().length() != a.length() ? a.dup('c') : a;
        double[] d = c.data().asDouble();
        if (c != a) {
            Scope.release(c);
        }
        return d;
    }

    /** A new [N, width·H] array of this step's data type holding {@code d}. */
    private INDArray write(double[] d, int width) {
        long[] shape = {rows, (long) width * hd};
        if (type == DataType.DOUBLE) {
            return Nd4j.create(d, shape, 'c');
        }
        float[] f = new float[d.length];
        for (int k = 0; k < d.length; k++) {
            f[k] = (float) d[k];
        }
        INDArray a = Nd4j.create(f, shape, 'c');
        return type == DataType.FLOAT ? a : a.castTo(type);
    }
}

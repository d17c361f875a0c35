package org.latentmotion.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.latentmotion.motion.StyleVideoGanConfig;

/**
 * Floating-point operations of one StyleVideoGAN training step, counted from the architecture (the layer list of
 * {@code motion.Generator} and {@code motion.Critic}): every matrix product (Linear, fused GRU gates, the temporal
 * convolutions as im2col products) in the forward pass, the backward pass and the double backward of the two
 * gradient penalties. A product of an [r, i] by an [i, o] matrix costs 2·r·i·o. Elementwise work (activations,
 * batch norm, Adam) is left out: it is O(activations), not O(weights · rows), and below 2 % here.
 *
 * <p>The count is what the mathematics needs, not what an implementation happens to run: weight gradients of
 * frozen weights and input gradients of constant inputs are not counted (an autodiff that computes them anyway
 * runs more FLOPs than this; see bench/PROFILE.md).
 */
public final class FlopCount {

    /** One matrix product of the architecture: rows × in → out. */
    record MatMul(String name, long rows, long in, long out) {
        double flops() {
            return 2.0 * rows * in * out;
        }
    }

    /** The FLOPs of the steps for one configuration. */
    public record Step(double critic, double generator, double sample1500) {}

    private FlopCount() {}

    /** Critic E (6 Linear on B·t frames) and the temporal DCGAN convolutions, as in {@code motion.Critic}. */
    static List<MatMul> critic(StyleVideoGanConfig c, long batch) {
        List<MatMul> m = new ArrayList<>();
        long rows = batch * c.windowLength();
        long in = c.features();
        int[] widths = c.criticExtractorWidths();
        for (int j = 0; j < 6; j++) {
            m.add(new MatMul("critic.fc" + j, rows, in, widths[j]));
            in = widths[j];
        }
        int length = c.windowLength();
        long ch = c.criticFeatures();
        long out = c.criticChannels();
        int j = 0;
        while (length > 4) { // kernel 4, stride 2, padding 1
            int next = (length + 2 - 4) / 2 + 1;
            m.add(new MatMul("critic.conv" + j, batch * next, 4 * ch, out));
            length = next;
            ch = out;
            out *= 2;
            j++;
        }
        m.add(new MatMul("critic.conv" + j, batch, length * ch, 1));
        return m;
    }

    /** Hallucinator H and producer P (the part the gradient angle penalty differentiates twice). */
    static List<MatMul> recurrent(StyleVideoGanConfig c, long batch, int frames) {
        List<MatMul> m = new ArrayList<>();
        long hw = c.hallucinatorWidth();
        long hid = c.hidden();
        long lat = c.latentDim();
        m.add(new MatMul("hallucinator.fc0", batch, lat, hw));
        m.add(new MatMul("hallucinator.fc1", batch, hw, hw));
        m.add(new MatMul("hallucinator.fc2", batch, hw, hw));
        m.add(new MatMul("hallucinator.fc3", batch, hw, 3 * hid));
        long steps = frames - 1L;
        if (steps > 0) {
            m.add(new MatMul("producer.gru0.ih (all steps)", batch * steps, lat, 3 * hid));
            m.add(new MatMul("producer.gru0.hh", batch * steps, hid, 3 * hid));
            for (int j = 1; j < 4; j++) {
                m.add(new MatMul("producer.gru" + j + ".ih", batch * steps, hid, 3 * hid));
                m.add(new MatMul("producer.gru" + j + ".hh", batch * steps, hid, 3 * hid));
            }
        }
        return m;
    }

    /** Mapper T on every frame. */
    static List<MatMul> mapper(StyleVideoGanConfig c, long batch, int frames) {
        List<MatMul> m = new ArrayList<>();
        long rows = batch * frames;
        long mw = c.mapperWidth();
        m.add(new MatMul("mapper.affine_in", rows, c.hidden(), mw));
        for (int j = 0; j < 4; j++) {
            m.add(new MatMul("mapper.fc" + j, rows, mw, mw));
        }
        m.add(new MatMul("mapper.affine_mid", rows, mw, mw));
        m.add(new MatMul("mapper.heads (L parallel)", rows, mw, c.features()));
        return m;
    }

    static double sum(List<MatMul> m) {
        double s = 0;
        for (MatMul x : m) {
            s += x.flops();
        }
        return s;
    }

    /** The first product's input gradient (dX of a layer whose input needs no gradient). */
    static double first(List<MatMul> m) {
        return m.isEmpty() ? 0 : m.get(0).flops();
    }

    public static Step of(StyleVideoGanConfig c) {
        long b = c.batch();
        int t = c.windowLength();
        double cf = sum(critic(c, b));
        double rf = sum(recurrent(c, b, t));
        double mf = sum(mapper(c, b, t));
        double gf = rf + mf;

        // Critic step: fakes without gradient; D on real, fake and x̂; ∇_x̂ D with a graph (input gradients of every
        // product: one forward's worth); then the loss's weight gradients:
        //   through D(real) and D(fake): dW of every product + dX of all but the first (inputs are constants);
        //   through the gradient graph (each dX = dY·Wᵀ is a product again): d(dY) and dW, two forwards' worth.
        // LeakyReLU's derivative is piecewise constant, so nothing flows back through the x̂ forward pass.
        double critic = gf + 3 * cf + cf + 2 * (2 * cf - first(critic(c, b))) + 2 * cf;

        // Generator step: G forward with a graph, D on the fakes; the angle penalty's ∂d/∂s, ∂d/∂i through P and H
        // (input gradients: one forward of P and H); then one reverse sweep of the total loss: through the gradient
        // graph of P and H (two forwards' worth), through D (input gradients only, D's weights stay) and through
        // G's forward pass (dW and dX, minus the input gradients of the leaves i and s). The angle penalty's
        // second-order terms through P and H's forward pass ride on that same sweep.
        double gap = rf + 2 * rf;
        double generator = gf + cf + gap + cf + (2 * gf - first(recurrent(c, b, t)));

        // Sampling 1500 frames: one sequence through the EMA generator, no gradients.
        double sample = sum(recurrent(c, 1, 1500)) + sum(mapper(c, 1, 1500));
        return new Step(critic, generator, sample);
    }

    /** Prints the per-layer ledger and the step totals for small() and paper(). */
    public static void main(String[] args) {
        for (StyleVideoGanConfig c : new StyleVideoGanConfig[] {StyleVideoGanConfig.small(), StyleVideoGanConfig.paper()}) {
            boolean paper = c.batch() == StyleVideoGanConfig.paper().batch();
            System.out.println("== " + (paper ? "paper()" : "small()") + "  B=" + c.batch() + " t=" + c.windowLength());
            List<MatMul> all = new ArrayList<>();
            all.addAll(recurrent(c, c.batch(), c.windowLength()));
            all.addAll(mapper(c, c.batch(), c.windowLength()));
            all.addAll(critic(c, c.batch()));
            for (MatMul m : all) {
                System.out.printf(Locale.ROOT, "  %-32s %7d × %5d → %5d  %9.3f GFLOP%n", m.name(), m.rows(), m.in(),
                        m.out(), m.flops() / 1e9);
            }
            Step s = of(c);
            System.out.printf(Locale.ROOT, "  critic step %.1f GFLOP, generator step %.1f GFLOP, sample 1500 %.3f GFLOP%n",
                    s.critic() / 1e9, s.generator() / 1e9, s.sample1500() / 1e9);
        }
    }
}

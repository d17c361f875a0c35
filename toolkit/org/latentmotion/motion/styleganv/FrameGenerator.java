package org.latentmotion.motion.styleganv;

import org.latentmotion.nn.Ops;
import org.latentmotion.nn.ParameterSet;
import org.latentmotion.nn.Var;

/**
 * A frame's whitened W+ coordinates from the content code and the motion signal at its time:
 * g(x̃₀, v(t)) = MLP([x̃₀, v(t)]) with two hidden layers of {@code generatorHidden} units (the
 * paper's StyleGAN2 synthesis network, which reads v(t) concatenated to its constant input,
 * narrowed to W+ coordinates). A clip anchored at time τ is x̃(τ + t) = x̃₀ + g(x̃₀, v(τ + t)) −
 * g(x̃₀, v(τ)): it starts exactly at the content code, and a frame depends on the motion signal at
 * its own time only, so any frame rate and any length cost the same per frame and cannot drift.
 * Parameters {@code synthesis.fc0 … fc2}.
 */
final class FrameGenerator {
    private final StyleGanVConfig config;
    private final Perceptron mlp;

    FrameGenerator(StyleGanVConfig config, ParameterSet ps, int signalWidth) {
        this.config = config;
        int h = config.generatorHidden();
        mlp = new Perceptron(ps, "synthesis", config.leakySlope(), false, config.components() + signalWidth, h, h,
                config.components());
    }

    /**
     * Clips [B, m − 1, k] from content coordinates [B, k] and the motion signal [B·m, 2F] at m
     * times per clip, the first of them the anchor τ.
     */
    Var clips(Var content, Var signal, int m) {
        long b = content.size(0);
        int k = config.components();
        Var repeated = Ops.reshape(Ops.broadcastTo(Ops.reshape(content, b, 1, k), b, m, k), b * m, k);
        Var g = Ops.reshape(mlp.forward(Ops.concat(1, repeated, signal)), b, m, k);
        Var anchor = Ops.broadcastTo(Ops.slice(g, 1, 0, 1), b, m - 1, k);
        Var start = Ops.broadcastTo(Ops.reshape(content, b, 1, k), b, m - 1, k);
        return Ops.add(start, Ops.sub(Ops.slice(g, 1, 1, m), anchor));
    }
}

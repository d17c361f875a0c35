package org.latentmotion.bench;

import org.latentmotion.motion.StepStats;
import org.latentmotion.motion.StyleVideoGan;
import org.latentmotion.motion.StyleVideoGanConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One StyleVideoGAN critic step and one generator step ({@code StyleVideoGan.criticStep / generatorStep}) at
 * {@code small()} and {@code paper()} (batch 128, t = 25, 18 × 512). Single-shot timing per step (BenchMain
 * sets the mode), each invocation a new seed; the weights keep training across invocations as in a real run.
 * The real windows are random codes with a per-layer offset and scale, like W+ codes around the mean face.
 */
@State(Scope.Benchmark)
public class TrainingStepBench {

    @Param({"small", "paper"})
    public String config;

    private StyleVideoGan gan;
    private INDArray real;
    private long seed;

    static StyleVideoGanConfig config(String name) {
        return switch (name) {
            case "small" -> StyleVideoGanConfig.small();
            case "paper" -> StyleVideoGanConfig.paper();
            default -> throw new IllegalArgumentException("config: expected small or paper, found " + name);
        };
    }

    static INDArray realWindows(StyleVideoGanConfig c, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.randn(DataType.FLOAT, c.batch(), c.windowLength(), c.layers(), c.width()).muli(0.3);
        INDArray offset = Nd4j.randn(DataType.FLOAT, 1, 1, c.layers(), c.width()).muli(0.5);
        x.addi(offset.broadcast(x.shape()));
        offset.close();
        return x;
    }

    @Setup(Level.Trial)
    public void setUp() {
        StyleVideoGanConfig c = config(config);
        gan = StyleVideoGan.create(c);
        real = realWindows(c, 7);
        gan.fitNormalization(real);
        seed = 1000;
    }

    @Benchmark
    public StepStats criticStep() {
        return gan.criticStep(real, seed++);
    }

    @Benchmark
    public StepStats generatorStep() {
        return gan.generatorStep(seed++);
    }
}

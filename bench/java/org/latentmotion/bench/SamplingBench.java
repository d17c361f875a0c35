package org.latentmotion.bench;

import org.latentmotion.motion.StyleVideoGan;
import org.latentmotion.wplus.Trajectory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** {@code StyleVideoGan.sample(1500, seed)}: one minute of video at 25 fps from the EMA generator. */
@State(Scope.Benchmark)
public class SamplingBench {

    @Param({"paper"})
    public String config;

    private StyleVideoGan gan;
    private long seed;

    @Setup(Level.Trial)
    public void setUp() {
        gan = StyleVideoGan.create(TrainingStepBench.config(config));
        gan.fitNormalization(TrainingStepBench.realWindows(gan.config(), 7));
        seed = 1;
    }

    @Benchmark
    public Trajectory sample1500() {
        return gan.sample(1500, seed++);
    }
}

package org.latentmotion.bench;

import java.nio.file.Path;
import java.util.Locale;

import jdk.jfr.Configuration;
import jdk.jfr.Recording;

import org.latentmotion.motion.StyleVideoGan;
import org.latentmotion.motion.StyleVideoGanConfig;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.profiler.OpProfiler;
import org.nd4j.linalg.profiler.ProfilerConfig;

/**
 * Runs training steps for a profiler (bench/profile runs it under JFR): {@code --config small|paper},
 * {@code --steps N} critic + generator steps after one warm-up pair; {@code --jfr FILE} records them (and only them)
 * with JDK Flight Recorder's "profile" settings; {@code --sample FRAMES} times {@code sample(FRAMES)} instead (2 warm-up
 * samples, then {@code --steps} timed ones). With {@code --census} it counts the ND4J
 * ops one step issues (ND4J's OpProfiler; slows every op, so its times are not the step's).
 */
public final class ProfileStep {
    private ProfileStep() {}

    public static void main(String[] args) {
        String config = "small";
        int steps = 3;
        boolean census = false;
        String jfr = null;
        int sample = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config" -> config = args[++i];
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                case "--census" -> census = true;
                case "--jfr" -> jfr = args[++i];
                case "--sample" -> sample = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument '" + args[i]
                        + "': expected --config small|paper, --steps N, --census, --jfr FILE, --sample FRAMES");
            }
        }
        StyleVideoGanConfig c = TrainingStepBench.config(config);
        StyleVideoGan gan = StyleVideoGan.create(c);
        INDArray real = TrainingStepBench.realWindows(c, 7);
        gan.fitNormalization(real);
        gan.criticStep(real, 1);
        gan.generatorStep(2);
        if (census) {
            OpProfiler.getInstance().reset();
            Nd4j.getExecutioner().setProfilingConfig(ProfilerConfig.builder().checkElapsedTime(true).build());
            long t0 = System.nanoTime();
            gan.criticStep(real, 3);
            long ops = OpProfiler.getInstance().getInvocationsCount();
            double ct = (System.nanoTime() - t0) / 1e9;
            System.out.println("---- critic step census");
            OpProfiler.getInstance().printOutDashboard();
            System.out.println("---- generator step census");
            OpProfiler.getInstance().reset();
            t0 = System.nanoTime();
            gan.generatorStep(4);
            long gops = OpProfiler.getInstance().getInvocationsCount();
            double gt = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "census %s: critic step %d ND4J ops (%.2f s with profiling), "
                    + "generator step %d ND4J ops (%.2f s with profiling)%n", config, ops, ct, gops, gt);
            OpProfiler.getInstance().printOutDashboard();
            return;
        }
        // recorded from here on: the steady state, without start-up, JIT warm-up and the first step's memory learning
        Recording recording = null;
        if (jfr != null) {
            try {
                recording = new Recording(Configuration.getConfiguration("profile"));
                recording.setDestination(Path.of(jfr));
            } catch (java.io.IOException | java.text.ParseException e) {
                throw new IllegalStateException("JFR recording to " + jfr + ": " + e.getMessage(), e);
            }
            recording.start();
        }
        if (sample > 0) { // sampling instead of training steps: 2 warm-up samples, then `steps` timed ones
            gan.sample(sample, 100);
            gan.sample(sample, 101);
            double sum = 0;
            for (int k = 0; k < steps; k++) {
                long t0 = System.nanoTime();
                gan.sample(sample, 102 + k);
                sum += (System.nanoTime() - t0) / 1e9;
            }
            System.out.printf(Locale.ROOT, "%s: mean sample of %d frames %.3f s (%d samples)%n", config, sample, sum / steps, steps);
            stop(recording);
            return;
        }
        double sumC = 0;
        double sumG = 0;
        for (int k = 0; k < steps; k++) {
            long t0 = System.nanoTime();
            gan.criticStep(real, 10 + 2L * k);
            long t1 = System.nanoTime();
            gan.generatorStep(11 + 2L * k);
            long t2 = System.nanoTime();
            sumC += (t1 - t0) / 1e9;
            sumG += (t2 - t1) / 1e9;
            System.out.printf(Locale.ROOT, "step %d: critic %.3f s, generator %.3f s%n", k, (t1 - t0) / 1e9,
                    (t2 - t1) / 1e9);
        }
        System.out.printf(Locale.ROOT, "%s: mean critic step %.3f s, generator step %.3f s%n", config, sumC / steps,
                sumG / steps);
        stop(recording);
    }

    private static void stop(Recording recording) {
        if (recording != null) {
            recording.stop(); // writes the destination
            recording.close();
        }
    }
}

package org.latentmotion.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

import org.latentmotion.motion.StyleVideoGan;
import org.latentmotion.motion.StyleVideoGanConfig;
import org.latentmotion.nn.Autograd;
import org.latentmotion.nn.GruCell;
import org.latentmotion.nn.GruStackUnroll;
import org.latentmotion.nn.Ops;
import org.latentmotion.nn.ParameterSet;
import org.latentmotion.nn.Scope;
import org.latentmotion.nn.Var;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What the fused GRU stack node ({@link GruStackUnroll#lastCellStatesRecorded}) does to a training step, and where
 * it stops paying. Two tables:
 * <ol>
 *   <li>{@code StyleVideoGan.criticStep} and {@code generatorStep} of {@code laptop()} and {@code small()}, with
 *       the toolkit as it was before the fused node (the generator's training window on the tape, the
 *       tape-free unroll's products unvectorised) and as it is now, interleaved step by step in one JVM, medians
 *       of the repetitions. The product has no switch: "before" is the earlier commit's toolkit, compiled into a
 *       directory given as {@code -Dbefore.classes=DIR}, and each side runs in its own class loader (child-first
 *       for org.latentmotion, ND4J shared). Without the property only "after" is timed.</li>
 *   <li>The GRU stack alone (hidden 32, 24 steps, 4 cells) as a generator step uses it: forward, the angle
 *       penalty's createGraph gradient with respect to the inputs, then the gradient of a loss of both with
 *       respect to everything (second order), per batch size, tape against fused: the recorded path's crossover.</li>
 * </ol>
 * Run single-threaded, as the numbers in {@code GruStackUnroll} and the report were taken:
 * <pre>
 *   mvn -B -o -q -Pbench -Dlm.build=target-bench -DskipTests package
 *   mkdir -p /tmp/before/src /tmp/before/classes &amp;&amp; git archive BASE toolkit | tar -x -C /tmp/before/src
 *   javac -nowarn -encoding UTF-8 -cp "target-bench/lib/*" -d /tmp/before/classes $(find /tmp/before/src -name '*.java')
 *   OMP_NUM_THREADS=1 java -Dbefore.classes=/tmp/before/classes -cp "target-bench/classes:target-bench/lib/*" \
 *       org.latentmotion.bench.RecordedGruStepBench [repetitions]
 * </pre>
 * with BASE the commit before the fused node (3c17b9b).
 */
public final class RecordedGruStepBench {
    private static final int WARMUP = 4;

    private RecordedGruStepBench() {}

    /** Runs both tables; the first argument is the number of timed repetitions (default 9). */
    public static void main(String[] args) throws Exception {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 9;
        System.out.printf(Locale.ROOT, "load average at start: %s, OMP_NUM_THREADS=%s%n", loadAverage(),
                System.getenv("OMP_NUM_THREADS"));
        stepTable(reps);
        crossoverTable(Math.max(5, reps));
        System.out.printf(Locale.ROOT, "load average at end: %s%n", loadAverage());
    }

    // ---- table 1: whole steps, before and after ---------------------------------------------------

    private static void stepTable(int reps) throws Exception {
        String tape = System.getProperty("before.classes");
        // the toolkit's and this harness's class directories (one directory in a -Pbench build)
        URL toolkit = StyleVideoGan.class.getProtectionDomain().getCodeSource().getLocation();
        URL harness = RecordedGruStepBench.class.getProtectionDomain().getCodeSource().getLocation();
        URL[] classes = toolkit.equals(harness) ? new URL[] {toolkit} : new URL[] {toolkit, harness};
        List<String> sides = new ArrayList<>();
        List<ClassLoader> loaders = new ArrayList<>();
        if (tape != null) {
            if (!Files.isRegularFile(Path.of(tape, "org/latentmotion/motion/Generator.class"))) {
                throw new IllegalArgumentException("before.classes: expected a directory of compiled toolkit classes "
                        + "(holding org/latentmotion/motion/Generator.class), found " + tape);
            }
            sides.add("before");
            URL[] urls = new URL[classes.length + 1];
            urls[0] = Path.of(tape).toUri().toURL();
            System.arraycopy(classes, 0, urls, 1, classes.length);
            loaders.add(new ChildFirst(urls));
        }
        sides.add("after");
        loaders.add(new ChildFirst(classes));
        System.out.println();
        System.out.println("| config | step | " + String.join(" | ", sides.stream().map(s -> s + " median (ms)").toList())
                + (sides.size() == 2 ? " | before / after |" : " |"));
        System.out.println("|---|---|" + "---:|".repeat(sides.size()) + (sides.size() == 2 ? "---:|" : ""));
        for (String config : new String[] {"laptop", "small"}) {
            List<ToDoubleFunction<String>> runners = new ArrayList<>();
            for (ClassLoader l : loaders) {
                @SuppressWarnings("unchecked")
                ToDoubleFunction<String> r = (ToDoubleFunction<String>) l.loadClass(Steps.class.getName())
                        .getConstructor(String.class).newInstance(config);
                runners.add(r);
            }
            for (String step : new String[] {"critic", "generator"}) {
                double[][] times = new double[runners.size()][reps];
                for (int rep = -WARMUP; rep < reps; rep++) {
                    for (int s = 0; s < runners.size(); s++) { // interleaved: both sides see the same load
                        double ms = runners.get(s).applyAsDouble(step);
                        if (rep >= 0) {
                            times[s][rep] = ms;
                        }
                    }
                }
                StringBuilder row = new StringBuilder("| " + config + " | " + step + " |");
                for (double[] t : times) {
                    row.append(String.format(Locale.ROOT, " %.1f |", median(t)));
                }
                if (times.length == 2) {
                    row.append(String.format(Locale.ROOT, " %.2f |", median(times[0]) / median(times[1])));
                }
                System.out.println(row);
            }
        }
    }

    /** One side's model: times one critic or generator step per call (loaded once per class loader). */
    public static final class Steps implements ToDoubleFunction<String> {
        private final StyleVideoGan gan;
        private final INDArray real;
        private long seed = 1000;

        /** A fresh model of the named configuration ({@code laptop} or {@code small}) and random real windows. */
        public Steps(String config) {
            StyleVideoGanConfig c = switch (config) {
                case "laptop" -> StyleVideoGanConfig.laptop();
                case "small" -> StyleVideoGanConfig.small();
                default -> throw new IllegalArgumentException("config: expected laptop or small, found " + config);
            };
            gan = StyleVideoGan.create(c);
            real = realWindows(c);
            gan.criticStep(real, seed++); // fits the normalisation (and for laptop() the motion basis) once
        }

        /** Random codes with a per-layer offset and scale, like W+ codes around the mean face (as TrainingStepBench). */
        private static INDArray realWindows(StyleVideoGanConfig c) {
            Nd4j.getRandom().setSeed(7);
            INDArray x = Nd4j.randn(DataType.FLOAT, c.batch(), c.windowLength(), c.layers(), c.width()).muli(0.3);
            INDArray offset = Nd4j.randn(DataType.FLOAT, 1, 1, c.layers(), c.width()).muli(0.5);
            x.addi(offset.broadcast(x.shape()));
            offset.close();
            return x;
        }

        @Override
        public double applyAsDouble(String step) {
            long t0 = System.nanoTime();
            switch (step) {
                case "critic" -> gan.criticStep(real, seed++);
                case "generator" -> gan.generatorStep(seed++);
                default -> throw new IllegalArgumentException("step: expected critic or generator, found " + step);
            }
            return (System.nanoTime() - t0) / 1e6;
        }
    }

    /** Loads org.latentmotion classes from its own URLs first (so package-private access holds), the rest from the parent. */
    private static final class ChildFirst extends URLClassLoader {
        ChildFirst(URL[] urls) {
            super(urls, RecordedGruStepBench.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("org.latentmotion.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    try {
                        c = findClass(name);
                    } catch (ClassNotFoundException e) {
                        c = super.loadClass(name, false);
                    }
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }

    // ---- table 2: the stack alone, per batch size ---------------------------------------------------

    private static void crossoverTable(int reps) {
        int hid = 32;
        int steps = 24;
        ParameterSet ps = new ParameterSet(DataType.FLOAT, 1);
        GruCell[] cells = new GruCell[4];
        for (int j = 0; j < 4; j++) {
            cells[j] = new GruCell(ps, "cell" + j, hid, hid);
        }
        List<Var> params = ps.parameterList();
        System.out.println();
        System.out.println("GRU stack alone (hidden 32, 24 steps, 4 cells): forward + createGraph input gradient + second-order "
                + "gradient of everything, medians of " + reps);
        System.out.println("| batch | tape (ms) | fused (ms) | tape / fused |");
        System.out.println("|---:|---:|---:|---:|");
        for (int b : new int[] {16, 32, 64, 128}) {
            Var projection = Var.input(Nd4j.randn(DataType.FLOAT, b, (long) steps * 3 * hid));
            Var[] initial = new Var[4];
            for (int j = 0; j < 4; j++) {
                initial[j] = Var.input(Nd4j.randn(DataType.FLOAT, b, hid));
            }
            List<Var> wrt = new ArrayList<>(params);
            wrt.add(projection);
            wrt.addAll(Arrays.asList(initial));
            double[][] times = new double[2][reps];
            for (int rep = -2; rep < reps; rep++) {
                for (int side = 0; side < 2; side++) {
                    boolean fused = side == 1;
                    long t0 = System.nanoTime();
                    try (Scope s = Scope.open()) {
                        Var out = fused ? GruStackUnroll.lastCellStatesRecorded(cells, projection, initial)
                                : tape(cells, projection, initial, steps, hid);
                        Var last = Ops.slice(out, 1, (long) (steps - 1) * hid, (long) steps * hid);
                        Var d = Ops.sumAll(Ops.square(last));
                        List<Var> g = Autograd.grad(d, List.of(projection, initial[3]), true);
                        Var loss = Ops.add(Ops.sumAll(Ops.tanh(out)), Ops.add(Ops.sumAll(Ops.square(g.get(0))),
                                Ops.sumAll(Ops.square(g.get(1)))));
                        Autograd.grad(loss, wrt, false);
                    }
                    if (rep >= 0) {
                        times[side][rep] = (System.nanoTime() - t0) / 1e6;
                    }
                }
            }
            double tape = median(times[0]);
            double fused = median(times[1]);
            System.out.printf(Locale.ROOT, "| %d | %.1f | %.1f | %.2f |%n", b, tape, fused, tape / fused);
        }
    }

    private static Var tape(GruCell[] cells, Var projection, Var[] initial, int steps, int hid) {
        Var[] h = initial.clone();
        Var[] top = new Var[steps];
        for (int k = 0; k < steps; k++) {
            h[0] = cells[0].step(Ops.slice(projection, 1, (long) k * 3 * hid, (long) (k + 1) * 3 * hid), h[0]);
            for (int j = 1; j < 4; j++) {
                h[j] = cells[j].forward(h[j - 1], h[j]);
            }
            top[k] = h[3];
        }
        return Ops.concat(1, top);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

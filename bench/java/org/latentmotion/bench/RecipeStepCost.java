package org.latentmotion.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.latentmotion.motion.RecipeFlags;
import org.latentmotion.motion.StyleVideoGan;
import org.latentmotion.motion.StyleVideoGanConfig;
import org.latentmotion.motion.Trainer;
import org.latentmotion.toy.TalkingHead;
import org.latentmotion.toy.ToyWorld;

/**
 * What a training step of {@code laptop()} costs at other batch sizes and window lengths, on the quickstart's
 * data (actor 7, 5 minutes, 4 shots): the figure that turns the quickstart's 12 minutes into a step budget when
 * a recipe change is weighed (issue 13). Each variant trains its own model, one after the other in rounds, so
 * a machine that gets busier part-way slows every variant alike; the table gives each variant's median over the
 * rounds and its ratio to the first variant.
 *
 * <pre>java -cp "target-bench/classes:target-bench/lib/*" org.latentmotion.bench.RecipeStepCost [--rounds R]
 *     [--steps N] [--warmup W] VARIANT [VARIANT ...]     e.g. laptop batch=32 batch=32,window=50</pre>
 * A variant is {@code laptop} or {@code laptop()} changed by comma-separated {@code name=value} pairs, the
 * {@link RecipeFlags} (e.g. {@code batch}, {@code window}, {@code criticSteps}, {@code span}, {@code spanPoints},
 * {@code spanBackprop}).
 * Each round times {@code N} (default 50) generator steps per variant (each with {@code laptop()}'s 2 critic
 * steps), after {@code W} (default 20) untimed ones in the first round; 3 rounds by default. Run it on a quiet
 * machine with {@code OMP_NUM_THREADS} set to the cores the quickstart gets, and {@code OMP_WAIT_POLICY=passive} as the
 * kernel has it.
 *
 * <p>Measured 2026-12-01 on the quiet 2-core machine (2 rounds of 60–80 steps): {@code laptop()} 270–293 ms a step with
 * 2 threads and passive waiting (the kernel's setting), 210–251 ms with 1 thread, and 577 ms with 2 threads spinning
 * (ND4J's default without the kernel's {@code OMP_WAIT_POLICY}); batch 32 cost 1.34 (2 threads) to 1.46 (1 thread)
 * times a step of 16, and a dense 50-frame span critic on top of it 2.25 times (2 spinning threads, 3 rounds of 40).
 */
public final class RecipeStepCost {
    private RecipeStepCost() {}

    /** One recipe under test: its label, the trainer that keeps training it round after round, and each round's ms per step. */
    private record Variant(String label, Trainer<StyleVideoGan> trainer, List<Double> msPerStep) {
    }

    public static void main(String[] args) {
        int rounds = 3;
        int steps = 50;
        int warmup = 20;
        List<String> specs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                default -> specs.add(args[i]);
            }
        }
        if (specs.isEmpty()) {
            specs = List.of("laptop", "batch=32");
        }
        TalkingHead data = ToyWorld.talkingHead().actor(7).minutes(5).cuts(4).generate(); // the quickstart's data
        List<Variant> variants = new ArrayList<>();
        for (String spec : specs) {
            StyleVideoGanConfig config = variant(spec);
            StyleVideoGan gan = StyleVideoGan.create(config);
            Trainer<StyleVideoGan> trainer = Trainer.of(gan, data.windows(config.windowLength())).epochs(100_000)
                    .seed(1).live(false).maxSteps(warmup);
            trainer.fit();
            variants.add(new Variant(spec, trainer, new ArrayList<>()));
        }
        for (int round = 1; round <= rounds; round++) {
            for (Variant v : variants) {
                long t0 = System.nanoTime();
                v.trainer().maxSteps(warmup + (long) round * steps).fit(); // a total: `steps` more than the last round
                v.msPerStep().add((System.nanoTime() - t0) / 1e6 / steps);
            }
        }
        System.out.printf(Locale.ROOT, "laptop() training step on the quickstart's data, %d rounds of %d steps, "
                + "OMP_NUM_THREADS=%s%n%n| variant | ms per step (median) | per round | × first |%n|---|---:|---|---:|%n",
                rounds, steps, System.getenv().getOrDefault("OMP_NUM_THREADS", "unset"));
        double first = median(variants.get(0).msPerStep());
        for (Variant v : variants) {
            double m = median(v.msPerStep());
            StringBuilder each = new StringBuilder();
            for (double ms : v.msPerStep()) {
                each.append(each.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.0f", ms));
            }
            System.out.printf(Locale.ROOT, "| %s | %.0f | %s | %.2f |%n", v.label(), m, each, m / first);
        }
    }

    /** laptop() with the variant's changes, training seed 1. */
    static StyleVideoGanConfig variant(String spec) {
        StyleVideoGanConfig.Builder b = StyleVideoGanConfig.laptop().toBuilder().seed(1);
        if (spec.equals("laptop")) {
            return b.build();
        }
        for (String pair : spec.split(",")) {
            String[] kv = pair.split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("expected name=value in variant " + spec + ", found " + pair);
            }
            RecipeFlags.apply(b, kv[0].trim(), kv[1]);
        }
        return b.build();
    }

    private static double median(List<Double> xs) {
        List<Double> sorted = new ArrayList<>(xs);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}

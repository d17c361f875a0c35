package org.latentmotion.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.google.gson.GsonBuilder;
import org.latentmotion.metrics.LearnsCheck;
import org.latentmotion.motion.MotionModel;
import org.latentmotion.motion.StyleVideoGan;
import org.latentmotion.motion.StyleVideoGanConfig;
import org.latentmotion.motion.Trainer;
import org.latentmotion.motion.TrainingHistory;
import org.latentmotion.toy.MotionStatistics;
import org.latentmotion.toy.TalkingHead;
import org.latentmotion.toy.ToyWorld;
import org.latentmotion.wplus.Npy;

/**
 * Time to a model that moves (issue #20): the training wall time, in Java and in the idiomatic PyTorch
 * ({@code bench/torch/time_to_motion.py}), until a checkpoint of {@code laptop()} meets the learns check's bar
 * ({@link LearnsCheck}: {@value LearnsCheck#SAMPLES} EMA samples of {@value LearnsCheck#FRAMES} frames, every statistic
 * of the quickstart's table within ±25 % of the data's). Same recipe (the Java config's properties are handed to
 * PyTorch), same data (the quickstart's: actor 7, 5 minutes, 4 shots, written as .npy clips), same training seed
 * (the same number: each side draws from its own generator). Every {@code --every} steps each side's EMA generator
 * is judged by the same Java code: PyTorch saves a model file in the Java layout
 * ({@code stylevideogan_idiomatic.java_checkpoint}), waits, and {@link StyleVideoGan#load} reads it. Judging and
 * saving are not timed, nor is the other side: the two trainings run one after the other, each with all threads.
 *
 * <pre>java -cp ... org.latentmotion.bench.TimeToMotion [--quick] [--threads N] [--every K] [--max-steps N]
 *     [--seed S] --out target-bench/bench-out/motion.json</pre>
 * Full: every 100 steps up to 2500 (the quickstart's step budget; ~30-60 minutes with the evaluations); quick: 2 × 10
 * steps (a smoke test: "not reached").
 */
public final class TimeToMotion {
    private static final double TOLERANCE = 0.25;

    /** One judged checkpoint: training steps and seconds so far, and each statistic's generated / real ratio. */
    record Check(long steps, double seconds, double[] ratios) {
        int within() {
            int n = 0;
            for (double r : ratios) {
                n += LearnsCheck.within(r, TOLERANCE) ? 1 : 0;
            }
            return n;
        }

        boolean meetsBar() {
            return within() == ratios.length;
        }
    }

    /** One side's run: its checkpoints in order, and why it ended if not at the bar or the budget. */
    record Side(String impl, List<Check> checks, String stopped) {
        Check first() {
            return checks.stream().filter(Check::meetsBar).findFirst().orElse(null);
        }

        Check best() {
            return checks.stream().reduce((a, b) -> b.within() > a.within() ? b : a).orElse(null);
        }
    }

    private final MotionStatistics truth;
    private final long every;
    private final long maxSteps;

    private TimeToMotion(MotionStatistics truth, long every, long maxSteps) {
        this.truth = truth;
        this.every = every;
        this.maxSteps = maxSteps;
    }

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        int threads = Threads.count();
        long every = -1;
        long maxSteps = -1;
        long seed = 1;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--every" -> every = Long.parseLong(args[++i]);
                case "--max-steps" -> maxSteps = Long.parseLong(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "': expected [--quick]"
                        + " [--threads N] [--every K] [--max-steps N] [--seed S] --out FILE");
            }
        }
        if (out == null) {
            throw new IllegalArgumentException("expected --out FILE");
        }
        every = every > 0 ? every : quick ? 10 : 100;
        maxSteps = maxSteps > 0 ? maxSteps : quick ? 20 : 2500;
        Path work = out.toAbsolutePath().getParent().resolve("motion-work");
        Files.createDirectories(work);

        TalkingHead data = ToyWorld.talkingHead().actor(7).minutes(5).cuts(4).generate(); // the quickstart's data
        StyleVideoGanConfig config = StyleVideoGanConfig.laptop().toBuilder().seed(seed).build();
        TimeToMotion bench = new TimeToMotion(data.statistics(), every, maxSteps);
        System.out.printf(Locale.ROOT, "time to motion: laptop() seed %d on %s; judged every %d steps up to %d, %d threads%n",
                seed, data, every, maxSteps, threads);
        Side java = bench.java(config, data, seed);
        Side torch = bench.pytorch(config, data, seed, threads, work);

        String command = "bench/run " + (quick ? "--quick " : "") + "--only motion";
        List<Row> rows = new ArrayList<>();
        for (Side side : List.of(java, torch)) {
            rows.addAll(bench.rows(side, seed, command));
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("impl", "mixed");
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("time to motion: recipe", config.toString());
        info.put("time to motion: data", data.toString());
        doc.put("info", info);
        doc.put("rows", rows);
        doc.put("sections", List.of(Map.of("title", "Time to motion: every judged checkpoint",
                "markdown", bench.table(List.of(java, torch)))));
        BenchMain.write(out, new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(doc));
        System.out.println(bench.table(List.of(java, torch)));
        System.out.println("wrote " + rows.size() + " rows to " + out);
    }

    /** Java: the shared Trainer, run to the next judged step at a time (the seeds of a step depend only on its number). */
    private Side java(StyleVideoGanConfig config, TalkingHead data, long seed) {
        StyleVideoGan gan = StyleVideoGan.create(config);
        Trainer<StyleVideoGan> trainer = Trainer.of(gan, data.windows(config.windowLength())).epochs(100_000).seed(seed)
                .live(false);
        List<Check> checks = new ArrayList<>();
        double seconds = 0;
        for (long steps = every; steps <= maxSteps; steps += every) {
            long t0 = System.nanoTime();
            TrainingHistory h = trainer.maxSteps(steps).fit();
            seconds += (System.nanoTime() - t0) / 1e9;
            if (h.outcome() != TrainingHistory.Outcome.COMPLETED) {
                return new Side("java", checks, "training stopped at step " + trainer.stepsDone() + ": " + h.outcome());
            }
            Check c = judge("java", gan, steps, seconds);
            checks.add(c);
            if (c.meetsBar()) {
                break;
            }
        }
        return new Side("java", checks, "");
    }

    /**
     * PyTorch: time_to_motion.py trains and, every {@code every} steps, writes its model in the Java layout and waits
     * for the verdict on stdin ("continue" or "stop").
     */
    private Side pytorch(StyleVideoGanConfig config, TalkingHead data, long seed, int threads, Path work)
            throws IOException, InterruptedException {
        Path dataDir = work.resolve("data");
        Files.createDirectories(dataDir);
        for (int c = 0; c < data.size(); c++) {
            Npy.write(dataDir.resolve(String.format(Locale.ROOT, "clip%03d.npy", c)), data.clip(c));
        }
        Files.writeString(dataDir.resolve("config.properties"), config.toProperties(), StandardCharsets.UTF_8);
        Path script = Path.of(System.getProperty("latentmotion.root", "."), "bench", "torch", "time_to_motion.py");
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/python3", script.toString(), "--data",
                dataDir.toString(), "--every", Long.toString(every), "--max-steps", Long.toString(maxSteps), "--seed",
                Long.toString(seed), "--threads", Integer.toString(threads), "--checkpoint",
                work.resolve("pytorch-checkpoint.npz").toString());
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        List<Check> checks = new ArrayList<>();
        String stopped = "";
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter reply = new PrintWriter(p.getOutputStream(), true, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                String[] f = line.trim().split("\\s+", 4);
                if (f.length == 4 && f[0].equals("checkpoint")) {
                    Check c;
                    try {
                        c = judge("pytorch", StyleVideoGan.load(Path.of(f[3])), Long.parseLong(f[1]),
                                Double.parseDouble(f[2]));
                    } catch (RuntimeException e) { // e.g. a diverged model: the Java side's rows are still written
                        stopped = "its checkpoint at step " + f[1] + " could not be judged: " + e.getMessage();
                        reply.println("stop");
                        continue;
                    }
                    checks.add(c);
                    reply.println(c.meetsBar() ? "stop" : "continue");
                } else {
                    System.out.println("   pytorch: " + line);
                }
            }
        }
        int rc = p.waitFor();
        if (rc != 0 && stopped.isEmpty()) {
            stopped = "time_to_motion.py exited with code " + rc;
        }
        try (var files = Files.list(dataDir)) {
            for (Path f : files.toList()) {
                Files.delete(f); // 280 MB of clips
            }
        }
        return new Side("pytorch", checks, stopped);
    }

    private Check judge(String impl, MotionModel model, long steps, double seconds) {
        long t0 = System.nanoTime();
        MotionStatistics generated = LearnsCheck.samples(model, LearnsCheck.SAMPLES, LearnsCheck.FRAMES);
        double[] ratios = new double[LearnsCheck.STATISTICS.size()];
        for (int k = 0; k < ratios.length; k++) {
            LearnsCheck.Statistic s = LearnsCheck.STATISTICS.get(k);
            ratios[k] = s.of(generated) / s.of(truth);
        }
        Check c = new Check(steps, seconds, ratios);
        System.out.printf(Locale.ROOT, "   %s step %d, %.1f s of training: %d of %d within ±25 %% (judged in %.1f s)%n",
                impl, steps, seconds, c.within(), ratios.length, (System.nanoTime() - t0) / 1e9);
        return c;
    }

    private List<Row> rows(Side side, long seed, String command) {
        String what = String.format(Locale.ROOT, "laptop(), quickstart data, training seed %d, judged every %d steps", seed,
                every);
        String secondsKey = "motion/laptop/seconds";
        String secondsStage = "time to motion: training until the learns check's bar is met (" + what + ")";
        String stepsKey = "motion/laptop/steps";
        String stepsStage = "time to motion: training steps until the bar is met";
        String stepKey = "motion/laptop/step";
        String stepStage = "time to motion: training time per step after the first checkpoint (laptop(), 2 critic + 1"
                + " generator)";
        String note = side.impl().equals("java") ? "Trainer, StyleVideoGan" : "bench/torch/time_to_motion.py"
                + " (stylevideogan_idiomatic.py, float32), judged in Java from its Java-layout checkpoint";
        List<Row> out = new ArrayList<>();
        Check first = side.first();
        Check last = side.checks().isEmpty() ? null : side.checks().get(side.checks().size() - 1);
        if (first != null) {
            out.add(Row.measured(secondsKey, secondsStage, side.impl(), first.seconds(), "s", false).command(command)
                    .note(note + "; bar met at step " + first.steps()));
            out.add(Row.measured(stepsKey, stepsStage, side.impl(), first.steps(), "steps", false).command(command)
                    .note(note));
        } else {
            Check best = side.best();
            String why = "the bar was not met within " + (last == null ? 0 : last.steps()) + " steps"
                    + (side.stopped().isEmpty() ? "" : " (" + side.stopped() + ")")
                    + (best == null ? "" : String.format(Locale.ROOT, "; best checkpoint: step %d, %d of %d statistics within"
                    + " ±25 %%", best.steps(), best.within(), best.ratios().length));
            out.add(Row.notMeasured(secondsKey, secondsStage, side.impl(), "s", why).command(command));
            out.add(Row.notMeasured(stepsKey, stepsStage, side.impl(), "steps", why).command(command));
        }
        if (last != null && side.checks().size() > 1) {
            // after the first checkpoint: without the normalisation fits and the warm-up, which the first interval holds
            Check start = side.checks().get(0);
            out.add(Row.measured(stepKey, stepStage, side.impl(), (last.seconds() - start.seconds())
                    / (last.steps() - start.steps()), "s", false).command(command).note(String.format(Locale.ROOT,
                    "%s; mean of steps %d-%d (the first %d, with the normalisation fits and warm-up: %.1f s)", note,
                    start.steps() + 1, last.steps(), start.steps(), start.seconds())));
        }
        return out;
    }

    /** Every judged checkpoint of both sides: steps, training seconds, each statistic's ratio (✓ within ±25 %). */
    private String table(List<Side> sides) {
        StringBuilder md = new StringBuilder("Each checkpoint's EMA generator, judged by `LearnsCheck` (")
                .append(LearnsCheck.SAMPLES).append(" samples × ").append(LearnsCheck.FRAMES)
                .append(" frames, generated / real; ✓ within ±25 %). Seconds: training wall time so far, judging and"
                        + " saving excluded.\n\n| side | step | training s |");
        for (LearnsCheck.Statistic s : LearnsCheck.STATISTICS) {
            md.append(' ').append(s.name()).append(" |");
        }
        md.append(" within |\n|---|---:|---:|");
        md.append("---:|".repeat(LearnsCheck.STATISTICS.size() + 1)).append('\n');
        for (Side side : sides) {
            for (Check c : side.checks()) {
                md.append(String.format(Locale.ROOT, "| %s | %d | %.1f |", side.impl(), c.steps(), c.seconds()));
                for (double r : c.ratios()) {
                    md.append(String.format(Locale.ROOT, " %.2f %s |", r, LearnsCheck.within(r, TOLERANCE) ? "✓" : "✗"));
                }
                md.append(String.format(Locale.ROOT, " %d of %d |%n", c.within(), c.ratios().length));
            }
        }
        for (Side side : sides) {
            if (!side.stopped().isEmpty()) {
                md.append("\n").append(side.impl()).append(": ").append(side.stopped()).append('\n');
            }
        }
        return md.toString();
    }
}

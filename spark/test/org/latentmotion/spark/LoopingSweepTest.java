package org.latentmotion.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.latentmotion.display.Figures;
import org.latentmotion.metrics.LoopingScore;
import org.latentmotion.motion.ModelTypes;
import org.latentmotion.motion.StyleVideoGan;
import org.latentmotion.motion.StyleVideoGanConfig;
import org.latentmotion.motion.TrainableMotionModel;
import org.latentmotion.pca.LatentPca;
import org.latentmotion.toy.TalkingHead;
import org.latentmotion.toy.ToyWorld;
import org.latentmotion.wplus.Npy;
import tech.tablesaw.api.Table;

/**
 * Seed 002's looping experiment (Sec. 4) with at least ten models per arm, trained as Spark tasks
 * by {@link TrainManyJob}: StyleVideoGAN ({@code small()}) with the gradient angle penalty
 * (λ_GAP = 100) and without it (λ_GAP = 0) on one short recording of the default world's actor 7
 * (20 s, like the paper's one sentence), each arm's preset trained once per training seed; then
 * every trained model's long samples get a looping verdict ({@link LoopingScore} in the data's
 * 10 principal directions), and a model loops when at least half of its long samples do (the rule
 * of {@code EvaluationReport.loopingRuns}). Writes {@code figures/looping-sweep.md}: per arm, the
 * models that loop of the total next to the paper's 6/20 and 19/20, every model's row, and the
 * command that made it.
 *
 * <pre>
 * OMP_NUM_THREADS=1 mvn -B -o -Pspark test -Dtest=LoopingSweepTest -Dlm.sweep=true
 *     [-Dlm.sweep.seeds=10] [-Dlm.sweep.steps=500] [-Dlm.sweep.slots=2] [-Dlm.sweep.samples=4] [-Dlm.sweep.frames=1500]
 * </pre>
 * About an hour on two quiet cores at the defaults; {@code -Dlm.sweep.seeds=2 -Dlm.sweep.steps=5
 * -Dlm.sweep.samples=1 -Dlm.sweep.frames=300 -Dlatentmotion.figures=/tmp/x} tries the command in
 * a minute without touching {@code figures/}.
 */
class LoopingSweepTest {
    /** The paper's counts (seed 002, Sec. 4): models that loop of 20 per arm. */
    private static final Map<String, String> PAPER = Map.of("with GAP", "6/20", "without GAP", "19/20");

    @TempDir
    Path dir;

    @Test
    @EnabledIfSystemProperty(named = "lm.sweep", matches = "true")
    void styleVideoGanLoopsLessWithTheGradientAnglePenalty() throws IOException {
        int seeds = Integer.getInteger("lm.sweep.seeds", 10);
        long steps = Long.getLong("lm.sweep.steps", 500);
        int slots = Integer.getInteger("lm.sweep.slots", 2);
        int samples = Integer.getInteger("lm.sweep.samples", 4);
        int frames = Integer.getInteger("lm.sweep.frames", 1500);
        long started = System.nanoTime();

        TalkingHead data = ToyWorld.talkingHead().actor(7).seed(1).seconds(20).generate();
        List<String> files = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            Path f = dir.resolve("actor7-" + i + ".npy");
            Npy.write(f, data.clip(i));
            files.add(f.toUri().toString());
        }
        StyleVideoGanConfig config = StyleVideoGanConfig.small();
        Map<String, TrainableMotionModel> arms = new LinkedHashMap<>();
        arms.put("with GAP", StyleVideoGan.create(config));
        arms.put("without GAP", StyleVideoGan.create(config.toBuilder().lambdaGap(0).build()));
        long[] trainingSeeds = LongStream.range(1000, 1000 + seeds).toArray();

        Table runs;
        String progress;
        try (SparkJobs jobs = SparkJobs.local(slots)) {
            runs = jobs.trainMany(arms).on(files).seeds(trainingSeeds).maxSteps(steps).into(dir.resolve("runs").toUri().toString());
            progress = jobs.lastProgress().line();
        }
        assertEquals(2 * seeds, runs.rowCount(), "one row per (arm, seed):\n" + runs.print());
        assertEquals(2 * seeds, runs.stream().map(r -> r.getString("preset") + "/" + r.getLong("seed")).distinct().count());

        LatentPca basis = LatentPca.fit(data, 10);
        Map<String, int[]> loops = new LinkedHashMap<>(); // arm → {models that loop, models}
        arms.keySet().forEach(a -> loops.put(a, new int[2]));
        StringBuilder rows = new StringBuilder("| arm | training seed | steps | outcome | training (s) | looping samples"
                + " | not looping | never decorrelates | model loops |\n|---|---:|---:|---|---:|---:|---:|---:|---|\n");
        for (int i = 0; i < runs.rowCount(); i++) {
            String arm = runs.stringColumn("preset").get(i);
            TrainableMotionModel model = ModelTypes.named(runs.stringColumn("type").get(i))
                    .load(Path.of(java.net.URI.create(runs.stringColumn("checkpoint").get(i))));
            int[] verdicts = new int[LoopingScore.Verdict.values().length];
            for (int k = 0; k < samples; k++) {
                verdicts[LoopingScore.detector().score(model.sample(frames, 2000 + k), basis).verdict().ordinal()]++;
            }
            int looping = verdicts[LoopingScore.Verdict.LOOPING.ordinal()];
            boolean modelLoops = looping > 0 && 2 * looping >= samples;
            loops.get(arm)[0] += modelLoops ? 1 : 0;
            loops.get(arm)[1]++;
            rows.append(String.format(Locale.ROOT, "| %s | %d | %d | %s | %.0f | %d | %d | %d | %s |%n", arm,
                    runs.longColumn("seed").get(i), runs.longColumn("steps").get(i), runs.stringColumn("outcome").get(i),
                    runs.doubleColumn("seconds").get(i), looping, verdicts[LoopingScore.Verdict.NOT_LOOPING.ordinal()],
                    verdicts[LoopingScore.Verdict.NEVER_DECORRELATES.ordinal()], modelLoops ? "yes" : "no"));
        }

        String command = String.format(Locale.ROOT, "OMP_NUM_THREADS=1 mvn -B -o -Pspark test -Dtest=LoopingSweepTest"
                + " -Dlm.sweep=true -Dlm.sweep.seeds=%d -Dlm.sweep.steps=%d -Dlm.sweep.slots=%d -Dlm.sweep.samples=%d"
                + " -Dlm.sweep.frames=%d", seeds, steps, slots, samples, frames);
        StringBuilder md = new StringBuilder("# The looping sweep: StyleVideoGAN with and without the gradient angle penalty\n\n");
        md.append(String.format(Locale.ROOT, "Command: `%s` (%.1f min on this machine, %d cores).%n%n", command,
                (System.nanoTime() - started) / 60e9, Runtime.getRuntime().availableProcessors()));
        md.append(String.format(Locale.ROOT, "Training data: %s — one short recording, as the paper's looping test used"
                + " one 20 s sentence. Models: `StyleVideoGanConfig.small()` with λ_GAP = 100 (\"with GAP\") and λ_GAP = 0"
                + " (\"without GAP\"), %d generator steps each; each arm's preset (one set of initial weights) trained"
                + " with %d training seeds (%d…%d: window order and noise draws), %d models in all, as Spark tasks by"
                + " `trainMany` on local[%d]: %s.%n%n", data, steps, seeds, trainingSeeds[0],
                trainingSeeds[seeds - 1], 2 * seeds, slots, progress));
        md.append(String.format(Locale.ROOT, "Looping: %d samples × %d frames of every model (sampling seeds 2000…),"
                + " the looping verdict in the data's 10 principal directions (the real recording: %s); a model loops"
                + " when at least half of its long samples do.%n%n", samples, frames,
                LoopingScore.detector().score(data.clip(0), basis).verdict()));
        md.append("| arm | models that loop | paper (seed 002, Sec. 4) |\n|---|---:|---:|\n");
        loops.forEach((arm, c) -> md.append(String.format(Locale.ROOT, "| %s | %d/%d | %s |%n", arm, c[0], c[1],
                PAPER.get(arm))));
        md.append("\n## Every model\n\n").append(rows);
        System.out.println(md);
        Path figure = Figures.path("looping-sweep.md");
        Figures.writeAtomically(figure, md.toString().getBytes(StandardCharsets.UTF_8));
        assertEquals(md.toString(), Files.readString(figure));
    }
}

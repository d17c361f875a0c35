import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.latentmotion.display.Figures;
import org.latentmotion.display.ReportFiles;
import org.latentmotion.metrics.Evaluation;
import org.latentmotion.metrics.EvaluationReport;
import org.latentmotion.metrics.MotionComparison;
import org.latentmotion.metrics.TransferArtifacts;
import org.latentmotion.motion.StyleVideoGan;
import org.latentmotion.motion.StyleVideoGanConfig;
import org.latentmotion.motion.Trainer;
import org.latentmotion.pca.LatentPca;
import org.latentmotion.toy.TalkingHead;
import org.latentmotion.toy.ToyWorld;
import org.latentmotion.transfer.OffsetTrick;
import org.latentmotion.wplus.Trajectory;

/**
 * The paper's findings in the default world, longer than CI allows (seed 002, Sec. 4):
 * (a) gradient angle penalty on vs off — how many independently trained models loop on long
 * samples, and the W+ distances of short and long sets; (b) offset trick vs naive offset;
 * (c) motion statistics of samples vs the real motion. Writes figures/evaluation-long-run.md.
 *
 * Arguments: models-per-arm steps-per-model long-samples long-frames training-seconds batch
 */
public class LoopingExperiment {
    public static void main(String[] args) {
        int models = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        int longSamples = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        int longFrames = args.length > 3 ? Integer.parseInt(args[3]) : 1500;
        double seconds = args.length > 4 ? Double.parseDouble(args[4]) : 20;
        int batch = args.length > 5 ? Integer.parseInt(args[5]) : StyleVideoGanConfig.small().batch();
        long started = System.nanoTime();
        // Like the paper's looping test: one short recording (20 s) of one actor.
        TalkingHead data = ToyWorld.talkingHead().actor(7).seed(1).seconds(seconds).generate();
        Map<String, List<StyleVideoGan>> arms = new LinkedHashMap<>();
        StringBuilder log = new StringBuilder();
        for (double gap : new double[] {100, 0}) {
            String arm = gap > 0 ? "with L_GAP (λ=100)" : "without L_GAP";
            List<StyleVideoGan> trained = new ArrayList<>();
            for (int m = 0; m < models; m++) {
                StyleVideoGanConfig cfg = StyleVideoGanConfig.small().toBuilder().batch(batch).lambdaGap(gap).seed(1000 + m).build();
                StyleVideoGan gan = StyleVideoGan.create(cfg);
                long t0 = System.nanoTime();
                // epochs are not the budget here (20 s of data is ~30 batches an epoch): steps are
                var history = Trainer.of(gan, data.windows(cfg.windowLength())).seed(1000 + m).epochs(1_000_000)
                        .maxSteps(steps).live(false).fit();
                String line = String.format("%s model %d: %d generator steps in %.0f s, outcome %s%n", arm, m, history.size(),
                        (System.nanoTime() - t0) / 1e9, history.outcome());
                System.out.print(line);
                log.append("- ").append(line);
                trained.add(gan);
            }
            arms.put(arm, trained);
        }
        EvaluationReport report = Evaluation.against(data).shortSamples(256).longSamples(longSamples, longFrames)
                .frechetSamples(1024).run(arms);
        System.out.println(report.summary().print());

        // (b) offset trick vs naive offset, on the first model of each arm, to 8 new actors.
        LatentPca basis = LatentPca.fit(data, 32);
        OffsetTrick trick = OffsetTrick.of(basis);
        double[] sum = new double[6];
        int n = 0;
        for (List<StyleVideoGan> g : arms.values()) {
            Trajectory motion = g.get(0).sample(250, 77);
            for (long actor = 1; actor <= 4; actor++) {
                var stranger = ToyWorld.randomActor(actor);
                TransferArtifacts o = TransferArtifacts.of(motion, trick.transfer(motion, stranger), stranger, "offset");
                TransferArtifacts v = TransferArtifacts.of(motion, trick.naive(motion, stranger), stranger, "naive");
                sum[0] += o.stateError();
                sum[1] += o.saturated();
                sum[2] += o.identityError();
                sum[3] += v.stateError();
                sum[4] += v.saturated();
                sum[5] += v.identityError();
                n++;
            }
        }
        // (c) motion statistics of long samples vs the real motion, per arm (first model).
        StringBuilder motion = new StringBuilder();
        for (var e : arms.entrySet()) {
            List<Trajectory> samples = new ArrayList<>();
            for (int i = 0; i < longSamples; i++) {
                samples.add(e.getValue().get(0).sample(longFrames, 900 + i));
            }
            MotionComparison c = MotionComparison.of(data, samples, 256);
            motion.append("\n**").append(e.getKey()).append("** (first model): ").append(c).append("\n\n");
            motion.append(markdown(c.table()));
        }
        double minutes = (System.nanoTime() - started) / 60e9;
        String command = String.format("bench/evaluation/run %d %d %d %d %s %d", models, steps, longSamples, longFrames,
                seconds == Math.rint(seconds) ? String.valueOf((long) seconds) : String.valueOf(seconds), batch);
        StringBuilder md = new StringBuilder();
        md.append("# Evaluation long run: the paper's findings in the default world\n\n");
        md.append("Command: `").append(command).append("` (").append(String.format("%.1f", minutes))
                .append(" min on this machine). Training data: toy talking head, actor 7, ").append(seconds)
                .append(" s (the paper's looping test used one 20 s sentence). Models: `StyleVideoGanConfig.small()` with batch ")
                .append(batch).append(", ").append(steps).append(" generator steps each, ").append(models).append(" per arm.\n\n");
        md.append("## (a) Gradient angle penalty on vs off\n\n").append(report.markdown()).append('\n');
        for (String g : report.groups()) {
            int[] lr = report.loopingRuns(g);
            md.append("- ").append(g).append(": ").append(lr[0]).append(" of ").append(lr[1])
                    .append(" models loop (a model loops when at least half of its long samples do; paper: 6/20 with, 19/20 without)\n");
        }
        md.append("\nTraining:\n").append(log);
        md.append("\n## (b) Offset trick vs naive offset (").append(n).append(" transfers of 250 frames)\n\n");
        md.append("| method | state error (of range) | saturated values | identity error |\n|---|---|---|---|\n");
        md.append(String.format("| offset trick | %.4f | %.2f %% | %.4f |%n", sum[0] / n, 100 * sum[1] / n, sum[2] / n));
        md.append(String.format("| naive offset | %.4f | %.2f %% | %.4f |%n", sum[3] / n, 100 * sum[4] / n, sum[5] / n));
        md.append("\n## (c) Motion statistics of long samples vs the real motion\n").append(motion);
        Figures.writeAtomically(Figures.path("evaluation-long-run.md"), md.toString().getBytes(StandardCharsets.UTF_8));
        ReportFiles.save(report, "evaluation-long-run-report");
        System.out.println(md);
    }

    static String markdown(tech.tablesaw.api.Table t) {
        StringBuilder md = new StringBuilder("|");
        t.columnNames().forEach(c -> md.append(' ').append(c).append(" |"));
        md.append("\n|");
        t.columnNames().forEach(c -> md.append("---|"));
        md.append('\n');
        for (int r = 0; r < t.rowCount(); r++) {
            md.append('|');
            for (int c = 0; c < t.columnCount(); c++) {
                md.append(' ').append(t.column(c).getString(r)).append(" |");
            }
            md.append('\n');
        }
        return md.toString();
    }
}

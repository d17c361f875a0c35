package org.latentmotion.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interrupts at random times during training, sampling and rendering, at {@code small()} and
 * {@code paper()} size, each followed by more training in the same kernel: the kernel must never
 * die, and the model's parameters must stay finite and trainable.
 *
 * <p>The kernel here stops an interrupted cell after 100 ms instead of 1 s, so even a
 * {@code small()} step (~0.25 s) is cut in the middle if the toolkit does not guard it: the
 * case that crashed the JVM at {@code paper()} size (SIGSEGV in ND4J's workspace free).
 * The count scales with {@code lm.interrupts} (default: 10 in CI, 50 otherwise); a run writes
 * {@code figures/interrupt-stress.md}:
 * <pre>
 * mvn -o test -Dtest=KernelInterruptStressTest -Dlm.interrupts=50
 * </pre>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KernelInterruptStressTest {
    @TempDir
    static Path tmp;
    private KernelClient kernel;

    @BeforeAll
    void startKernel() throws Exception {
        TestKernelSpec spec = TestKernelSpec.create(tmp.resolve("jupyter"), "-Dlatentmotion.kernel.stopAfterMs=100");
        kernel = new KernelClient(spec, tmp);
        KernelClient.Execution setup = kernel.execute(String.join("\n",
                "var data = ToyWorld.talkingHead().actor(7).minutes(0.5).generate();",
                "var windows = data.windows(25);",
                "var small = StyleVideoGan.create(StyleVideoGanConfig.small());",
                "var paper = StyleVideoGan.create(StyleVideoGanConfig.paper().toBuilder().batch(4).build());",
                "var face = Synthesizers.toyFace();",
                "boolean finite(StyleVideoGan g) { return g.parameters().values().stream()"
                        + ".allMatch(a -> Double.isFinite(a.sumNumber().doubleValue())); }",
                "TrainingHistory more(StyleVideoGan g, int n) { return Trainer.of(g, windows)"
                        + ".maxSteps(n).epochs(1000).seed(g.generatorSteps()).live(false).fit(); }",
                "more(small, 2).outcome()"));
        assertTrue(setup.ok(), setup.toString());
    }

    @AfterAll
    void stopKernel() throws Exception {
        if (kernel != null) {
            kernel.close();
        }
    }

    private record Trial(String what, double after, boolean interrupted, boolean survived, boolean finiteAfter,
                         boolean trainedAfter) {
    }

    @Test
    void randomInterruptsNeverKillTheKernelAndLeaveTheModelsTrainable() throws Exception {
        int count = Integer.getInteger("lm.interrupts", "true".equals(System.getenv("CI")) ? 10 : 50);
        Random random = new Random(2026);
        String[][] work = {
            {"small training", "more(small, 40)"},
            {"small sampling", "small.sample(20000, 3).frames()"},
            {"rendering", "face.render(small.sample(300, 4)).frames()"},
            {"paper training", "more(paper, 3)"},
        };
        List<Trial> trials = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            // paper() steps are seconds each: one trial in five, so the run fits CI's budget
            String[] w = work[k % 5 == 4 ? 3 : random.nextInt(3)];
            double after = 0.2 + random.nextDouble() * (w[0].startsWith("paper") ? 6 : 2.5);
            String model = w[0].startsWith("paper") ? "paper" : "small";
            KernelClient.Execution cut;
            KernelClient.Execution check;
            KernelClient.Execution train;
            try {
                cut = kernel.execute(w[1], after);
                check = kernel.execute("finite(" + model + ")");
                train = kernel.execute("more(" + model + ", 1).outcome() + \" \" + finite(" + model + ")");
            } catch (IllegalStateException noAnswer) {
                throw new AssertionError("the kernel died after interrupt " + (k + 1) + " (" + w[0] + " at " + after
                        + " s): " + noAnswer.getMessage() + "\nkernel stderr:\n" + kernel.stderr(), noAnswer);
            }
            boolean interrupted = !cut.ok() || cut.stderr().contains("Interrupt");
            boolean finite = check.ok() && "true".equals(check.resultText());
            boolean trained = train.ok() && train.resultText() != null && train.resultText().endsWith("true");
            trials.add(new Trial(w[0], after, interrupted, check.ok() && train.ok(), finite, trained));
            assertTrue(check.ok() && train.ok(), "kernel after interrupt " + (k + 1) + " (" + w[0] + " at " + after + " s): "
                    + check + " / " + train + "\nkernel stderr:\n" + kernel.stderr());
            assertTrue(finite && trained, "model after interrupt " + (k + 1) + " (" + w[0] + "): " + check + " / " + train);
        }
        KernelClient.Execution alive = kernel.execute("1 + 1");
        assertEquals("2", alive.resultText(), alive.toString());
        writeReport(trials);
    }

    @Test
    void anInterruptedPaperSizeFitStopsAtAStepBoundaryAndKeepsItsHistory() throws Exception {
        // a paper() step takes seconds: longer than the kernel's patience before it stops a cell thread
        KernelClient.Execution cut = kernel.execute("var paperHistory = more(paper, 200);", 4);
        assertTrue(cut.ok(), "the fit returns its history instead of being killed: " + cut);
        KernelClient.Execution h = kernel.execute("paperHistory.outcome() + \" \" + (paperHistory.last() != null)"
                + " + \" \" + finite(paper)");
        assertEquals("INTERRUPTED true true", h.resultText(), h.toString());
    }

    private static void writeReport(List<Trial> trials) throws Exception {
        StringBuilder md = new StringBuilder("# Random interrupts in one kernel\n\n")
                .append("Each trial interrupts a cell at a random time (kernel stops ignored interrupts after 100 ms),\n")
                .append("then checks the model's parameters are finite and trains one more step in the same kernel.\n\n")
                .append("| work | trials | interrupted in flight | kernel survived | parameters finite | trains after |\n")
                .append("|---|---:|---:|---:|---:|---:|\n");
        for (String what : List.of("small training", "small sampling", "rendering", "paper training")) {
            List<Trial> t = trials.stream().filter(x -> x.what().equals(what)).toList();
            md.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %d |%n", what, t.size(),
                    t.stream().filter(Trial::interrupted).count(), t.stream().filter(Trial::survived).count(),
                    t.stream().filter(Trial::finiteAfter).count(), t.stream().filter(Trial::trainedAfter).count()));
        }
        md.append("\nReproduce: `mvn -o test -Dtest=KernelInterruptStressTest -Dlm.interrupts=").append(trials.size()).append("`\n");
        Path out = TestKernelSpec.projectRoot().resolve("figures/interrupt-stress.md");
        if (trials.size() >= 50 || !Files.exists(out)) {
            Files.writeString(out, md.toString(), StandardCharsets.UTF_8);
        }
        System.out.println(md);
    }
}

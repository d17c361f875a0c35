package org.latentmotion.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cell whose code swallows ThreadDeath ({@code catch (Throwable t)} in a loop), or that never
 * leaves a guarded training step (a listener that loops), cannot be stopped: the first interrupt
 * says so in the cell's output, the second restarts the kernel (it exits, and the client restarts
 * it as the notebook server does) instead of hanging for ever.
 */
class KernelUnstoppableCellTest {
    @TempDir
    Path tmp;

    @Test
    void aSecondInterruptRestartsAKernelWhoseCellCannotBeStopped() throws Exception {
        try (KernelClient kernel = new KernelClient(TestKernelSpec.create(tmp.resolve("jupyter")), tmp)) {
            assertTrue(kernel.execute("int before = 5;").ok());
            KernelClient.Execution stuck = kernel.executeWithInterrupts(
                    "while (true) { try { Thread.sleep(5); } catch (Throwable swallowed) { } }", 1.0, 10.0);
            assertTrue(stuck.died(), "the kernel ends instead of hanging: " + stuck);
            String err = stuck.outputs.toString();
            assertTrue(err.contains("does not stop") && err.contains("Restarting the kernel"), err);
            assertTrue(kernel.restart(), "a fresh kernel starts");
            KernelClient.Execution after = kernel.execute("1 + 1");
            assertEquals("2", after.resultText(), after.toString());
        }
    }

    @Test
    void aSecondInterruptRestartsAKernelStuckInsideAGuardedTrainingStep() throws Exception {
        // a listener that never returns (from started(): reached whatever the machine's speed) keeps the thread
        // inside Trainer.fit's guard, where it is never stopped
        try (KernelClient kernel = new KernelClient(TestKernelSpec.create(tmp.resolve("jupyter-guarded"),
                "-Dlatentmotion.kernel.guardedPatienceMs=2000"), tmp)) {
            assertTrue(kernel.execute(String.join("\n",
                    "var data = ToyWorld.talkingHead().actor(7).minutes(0.2).generate();",
                    "var gan = StyleVideoGan.create(StyleVideoGanConfig.small());")).ok());
            KernelClient.Execution stuck = kernel.executeWithInterrupts(
                    String.join("\n",
                            "var stuck = new TrainingListener() {",
                            "    public void started(TrainingHistory h, long planned) { while (true) { } }",
                            "    public void step(TrainingHistory.Step s, TrainingHistory h) { }",
                            "};",
                            "Trainer.of(gan, data.windows(25)).live(false).listener(stuck).fit();"), 3.0, 12.0);
            assertTrue(stuck.died(), "the kernel ends instead of hanging: " + stuck);
            String err = stuck.outputs.toString();
            assertTrue(err.contains("has not finished in 2 s") && err.contains("Restarting the kernel"), err);
            assertTrue(kernel.restart(), "a fresh kernel starts");
            assertEquals("2", kernel.execute("1 + 1").resultText());
        }
    }
}

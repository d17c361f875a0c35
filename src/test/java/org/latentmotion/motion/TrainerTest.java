package org.latentmotion.motion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentmotion.display.MimeBundle;
import org.latentmotion.display.Renderers;
import org.latentmotion.nn.Var;
import org.latentmotion.wplus.Trajectory;
import org.latentmotion.wplus.TrajectorySet;
import org.latentmotion.wplus.Windows;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Trainer behaviour on a tiny model (a few milliseconds per step). */
class TrainerTest {
    static final int T = 6;
    static final int L = 2;
    static final int D = 8;

    @TempDir
    Path dir;

    static StyleVideoGanConfig tiny() {
        return StyleVideoGanConfig.small().toBuilder().batch(4).windowLength(T).layers(L).width(D).latentDim(4)
                .hallucinatorWidth(8).mapperWidth(8).criticWidth(8).criticFeatures(4).criticChannels(4).criticSteps(2)
                .learningRate(0.01).seed(21).build();
    }

    /** Two clips of smooth, slightly noisy motion: windows a critic can tell from noise. */
    static Windows data() {
        Random r = new Random(5);
        Trajectory[] clips = new Trajectory[2];
        for (int c = 0; c < 2; c++) {
            int frames = 30 + 7 * c;
            float[] v = new float[frames * L * D];
            for (int t = 0; t < frames; t++) {
                for (int j = 0; j < L * D; j++) {
                    v[(t * L * D) + j] = (float) (Math.sin(0.4 * t + j) + 0.05 * r.nextGaussian());
                }
            }
            clips[c] = Trajectory.of(v, frames, L, D, 25, "clip " + c);
        }
        return TrajectorySet.of("tiny waves", clips).windows(T);
    }

    static void assertSameParameters(StyleVideoGan a, StyleVideoGan b) {
        Map<String, INDArray> pa = a.parameters();
        Map<String, INDArray> pb = b.parameters();
        assertEquals(pa.keySet(), pb.keySet());
        for (String k : pa.keySet()) {
            assertArrayEquals(pa.get(k).castTo(DataType.DOUBLE).data().asDouble(),
                    pb.get(k).castTo(DataType.DOUBLE).data().asDouble(), 0.0, "parameter " + k);
        }
    }

    static boolean allFinite(StyleVideoGan g) {
        for (INDArray p : g.parameters().values()) {
            double s = p.castTo(DataType.DOUBLE).sumNumber().doubleValue();
            if (!Double.isFinite(s)) {
                return false;
            }
        }
        return true;
    }

    /** Interrupts the training thread after generator step {@code at}. */
    static TrainingListener interruptAfter(long at) {
        return (step, history) -> {
            if (step.step() == at) {
                Thread.currentThread().interrupt();
            }
        };
    }

    @Test
    void resumingFromACheckpointReproducesTheUninterruptedRunExactly() {
        Windows w = data();
        StyleVideoGan straight = StyleVideoGan.create(tiny());
        TrainingHistory full = Trainer.of(straight, w).seed(3).maxSteps(6).fit();
        assertEquals(TrainingHistory.Outcome.COMPLETED, full.outcome());
        assertEquals(6, full.size());

        Path ckpt = dir.resolve("run.ckpt");
        StyleVideoGan first = StyleVideoGan.create(tiny());
        TrainingHistory part = Trainer.of(first, w).seed(3).maxSteps(6).checkpointTo(ckpt).checkpointEvery(2)
                .listener(interruptAfter(3)).fit();
        assertEquals(TrainingHistory.Outcome.INTERRUPTED, part.outcome());
        assertEquals(3, part.size());
        assertFalse(Thread.currentThread().isInterrupted(), "the trainer handles the interrupt");

        Trainer<StyleVideoGan> resumed = Trainer.resume(ckpt, w, StyleVideoGan.class);
        assertEquals(3, resumed.stepsDone());
        TrainingHistory rest = resumed.fit();
        assertEquals(TrainingHistory.Outcome.COMPLETED, rest.outcome());
        assertEquals(6, rest.size());
        assertSameParameters(straight, resumed.model());
        for (int i = 0; i < 6; i++) {
            TrainingHistory.Step a = full.row(i);
            TrainingHistory.Step b = rest.row(i);
            assertEquals(a.values(), b.values(), "figures of step " + (i + 1));
        }
        INDArray s1 = straight.sample(T, 9).codes();
        INDArray s2 = resumed.model().sample(T, 9).codes();
        assertEquals(0.0, s1.sub(s2).amaxNumber().doubleValue(), 0.0);
    }

    @Test
    void aNaNStopsTheRunAndKeepsTheLastGoodState() {
        Windows w = data();
        StyleVideoGan reference = StyleVideoGan.create(tiny());
        Trainer.of(reference, w).seed(4).maxSteps(2).fit();

        StyleVideoGan gan = StyleVideoGan.create(tiny());
        TrainingHistory h = Trainer.of(gan, w).seed(4).maxSteps(8).snapshotEvery(2).listener((step, history) -> {
            if (step.step() == 3) { // poison the generator as a bad update would
                for (Var p : gan.generatorParameters().parameterList()) {
                    p.value().assign(Double.NaN);
                }
            }
        }).fit();
        assertEquals(TrainingHistory.Outcome.DIVERGED, h.outcome());
        assertTrue(h.message().contains("NaN"), h.message());
        assertTrue(h.message().contains("restored"), h.message());
        assertTrue(allFinite(gan), "the model holds its last good state");
        assertSameParameters(reference, gan);
        assertEquals(2, h.size());
        assertTrue(h.toString().contains("diverged"), h.toString());
    }

    @Test
    void anInterruptStopsAtAStepBoundaryWithTheModelIntact() {
        Windows w = data();
        StyleVideoGan gan = StyleVideoGan.create(tiny());
        TrainingHistory h = Trainer.of(gan, w).seed(5).maxSteps(50).listener(interruptAfter(2)).fit();
        assertEquals(TrainingHistory.Outcome.INTERRUPTED, h.outcome());
        assertEquals(2, h.size());
        assertFalse(Thread.currentThread().isInterrupted());
        assertTrue(allFinite(gan));
        // the model is exactly the 2-step model of an uninterrupted run
        StyleVideoGan two = StyleVideoGan.create(tiny());
        Trainer.of(two, w).seed(5).maxSteps(2).fit();
        assertSameParameters(two, gan);
    }

    @Test
    void aTimeLimitStopsAtAStepBoundaryWithTheModelIntact() {
        Windows w = data();
        StyleVideoGan gan = StyleVideoGan.create(tiny());
        // a limit shorter than one step: the run stops after its first step, exactly that model
        TrainingHistory h = Trainer.of(gan, w).seed(5).maxSteps(50).timeLimit(java.time.Duration.ofNanos(1)).fit();
        assertEquals(TrainingHistory.Outcome.TIME_LIMIT, h.outcome());
        assertEquals(1, h.size());
        assertTrue(h.toString().contains("time limit"), h.toString());
        StyleVideoGan one = StyleVideoGan.create(tiny());
        Trainer.of(one, w).seed(5).maxSteps(1).fit();
        assertSameParameters(one, gan);
        assertThrows(IllegalArgumentException.class, () -> Trainer.of(gan, w).timeLimit(java.time.Duration.ZERO));
    }

    @Test
    void samplesHaveAnyRequestedLength() {
        StyleVideoGan gan = StyleVideoGan.create(tiny());
        Trainer.of(gan, data()).seed(1).maxSteps(2).fit();
        for (int length : new int[] {25, 1500}) {
            Trajectory t = gan.sample(length, 11);
            assertEquals(length, t.frames());
            assertEquals(L, t.layers());
            assertEquals(D, t.width());
            assertTrue(Double.isFinite(t.codes().castTo(DataType.DOUBLE).sumNumber().doubleValue()));
        }
        INDArray a = gan.sample(25, 11).codes();
        INDArray b = gan.sample(25, 11).codes();
        assertEquals(0.0, a.sub(b).amaxNumber().doubleValue(), 0.0, "same seed, same sample");
    }

    @Test
    void checkpointsAreWrittenAtomicallyAndBadOnesRejected() throws IOException {
        Path ckpt = dir.resolve("c.ckpt");
        StyleVideoGan gan = StyleVideoGan.create(tiny());
        Trainer.of(gan, data()).seed(2).maxSteps(3).checkpointTo(ckpt).checkpointEvery(1).fit();
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(ckpt.getFileName().toString()), files.map(p -> p.getFileName().toString()).toList(),
                    "no temporary files left beside the checkpoint");
        }
        Checkpoint c = Checkpoint.read(ckpt);
        assertEquals(3, c.steps());
        assertEquals("StyleVideoGan", c.modelType());
        assertSameParameters(gan, c.model(StyleVideoGan.class));

        Path junk = dir.resolve("junk.ckpt");
        Files.writeString(junk, "not a checkpoint");
        var e = assertThrows(IllegalArgumentException.class, () -> Trainer.resume(junk, data()));
        assertTrue(e.getMessage().contains("junk.ckpt"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Trainer.resume(dir.resolve("missing.ckpt"), data()));
        assertTrue(e.getMessage().contains("no file"), e.getMessage());
    }

    /** Rewrites the trainer-state entry of a checkpoint with {@code edit} applied (a hand edit). */
    private static Path edited(Path ckpt, Path out, java.util.function.Consumer<java.util.Properties> edit) throws IOException {
        java.util.Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
        try (var zin = new java.util.zip.ZipInputStream(Files.newInputStream(ckpt))) {
            for (var e = zin.getNextEntry(); e != null; e = zin.getNextEntry()) {
                entries.put(e.getName(), zin.readAllBytes());
            }
        }
        java.util.Properties p = new java.util.Properties();
        p.load(new java.io.StringReader(new String(entries.get(Checkpoint.STATE), java.nio.charset.StandardCharsets.UTF_8)));
        edit.accept(p);
        var w = new java.io.StringWriter();
        p.store(w, null);
        entries.put(Checkpoint.STATE, w.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        try (var zout = new java.util.zip.ZipOutputStream(Files.newOutputStream(out))) {
            for (var e : entries.entrySet()) {
                zout.putNextEntry(new java.util.zip.ZipEntry(e.getKey()));
                zout.write(e.getValue());
                zout.closeEntry();
            }
        }
        return out;
    }

    @Test
    void handEditedCheckpointStateIsRefusedNamingTheKey() throws IOException {
        Path ckpt = dir.resolve("run.ckpt");
        Trainer.of(StyleVideoGan.create(tiny()), data()).seed(2).maxSteps(2).checkpointTo(ckpt).fit();
        Trainer.resume(edited(ckpt, dir.resolve("same.ckpt"), p -> { }), data()); // unchanged: resumes
        record Case(String key, String value, String expected) { }
        for (Case c : List.of(new Case("stepsDone", "-5", "stepsDone"), new Case("model", "NoSuchModel", "'NoSuchModel': not registered"), new Case("divergenceLimit", "NaN", "divergenceLimit"),
                new Case("seed", "twelve", "seed"), new Case("snapshotEvery", "0", "snapshotEvery"),
                new Case("epochs", null, "missing [epochs]"), new Case("typo", "1", "unknown names [typo]"))) {
            Path bad = edited(ckpt, dir.resolve("bad-" + c.key() + ".ckpt"),
                    p -> { if (c.value() == null) { p.remove(c.key()); } else { p.setProperty(c.key(), c.value()); } });
            var e = assertThrows(IllegalArgumentException.class, () -> Trainer.resume(bad, data()), c.key());
            assertTrue(e.getMessage().contains(c.expected()) && e.getMessage().contains(bad.getFileName().toString()),
                    c.key() + ": " + e.getMessage());
        }
    }

    @Test
    void aWriterRemovesTheStaleTemporariesOfAKilledWriterAndNothingElse() throws IOException {
        Path ckpt = dir.resolve("run.ckpt");
        long longAgo = System.currentTimeMillis() - 86_400_000L;
        List<Path> stale = List.of(dir.resolve(".run.ckpt-123.tmp"), dir.resolve(".run.ckpt-model-456.npz"));
        List<Path> kept = List.of(dir.resolve(".other.ckpt-1.tmp"), dir.resolve("run.ckpt-notes.tmp"),
                dir.resolve(".run.ckpt-fresh.tmp"));
        for (Path p : stale) {
            Files.writeString(p, "left by a killed writer");
            Files.setLastModifiedTime(p, java.nio.file.attribute.FileTime.fromMillis(longAgo));
        }
        for (Path p : kept) {
            Files.writeString(p, "not ours, or written after this process started");
            if (!p.getFileName().toString().contains("fresh")) {
                Files.setLastModifiedTime(p, java.nio.file.attribute.FileTime.fromMillis(longAgo));
            }
        }
        Trainer.of(StyleVideoGan.create(tiny()), data()).seed(2).maxSteps(1).checkpointTo(ckpt).fit();
        for (Path p : stale) {
            assertFalse(Files.exists(p), p + " should have been removed");
        }
        for (Path p : kept) {
            assertTrue(Files.exists(p), p + " must be left alone");
        }
    }

    @Test
    void windowsThatDoNotFitTheModelAreRefused() {
        StyleVideoGan gan = StyleVideoGan.create(tiny());
        Windows wrong = data().source().windows(T + 1);
        var e = assertThrows(IllegalArgumentException.class, () -> Trainer.of(gan, wrong));
        assertTrue(e.getMessage().contains("expects windows of [" + T), e.getMessage());
    }

    @Test
    void theHistoryShowsPlotTableAndProvenance() {
        StyleVideoGan gan = StyleVideoGan.create(tiny());
        TrainingHistory h = Trainer.of(gan, data()).seed(7).maxSteps(3).fit();
        MimeBundle b = Renderers.render(h);
        assertTrue(b.get(MimeBundle.HTML).contains("<img"), "a loss plot");
        assertTrue(b.get(MimeBundle.HTML).contains("generator"), "a table of losses");
        assertTrue(h.provenance().contains("seed: 7"), h.provenance());
        assertTrue(h.provenance().contains("tiny waves"), h.provenance());
        assertEquals(3, h.table().rowCount());
        assertTrue(h.provenance().contains("model: StyleVideoGan — StyleVideoGAN: A Temporal Generative Model"), h.provenance());
        // the columns of the history before the training contract, in their order
        assertEquals(List.of("step", "epoch", "critic", "wasserstein", "gp", "generator", "gap", "angle", "gradNormS",
                "gradNormI", "seconds"), h.columns());
        var charts = org.latentmotion.display.TrainingCharts.charts(h);
        assertEquals(List.of("Losses", "Gradient penalty, angle penalty and φ"), List.copyOf(charts.keySet()));
        assertEquals(List.of("critic", "wasserstein", "generator"), List.copyOf(charts.get("Losses").getSeriesMap().keySet()));
        assertEquals(List.of("GP", "GAP", "angle φ (rad)"),
                List.copyOf(charts.get("Gradient penalty, angle penalty and φ").getSeriesMap().keySet()));
        assertEquals(h.column("critic")[2], h.row(2).value("critic"), 0.0);
    }
}

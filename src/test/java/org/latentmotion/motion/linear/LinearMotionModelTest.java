package org.latentmotion.motion.linear;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentmotion.display.MimeBundle;
import org.latentmotion.display.Renderers;
import org.latentmotion.motion.Checkpoint;
import org.latentmotion.motion.ModelType;
import org.latentmotion.motion.ModelTypes;
import org.latentmotion.motion.StyleVideoGan;
import org.latentmotion.motion.Trainer;
import org.latentmotion.motion.TrainingHistory;
import org.latentmotion.motion.TrainingListener;
import org.latentmotion.nn.Autograd;
import org.latentmotion.nn.Var;
import org.latentmotion.wplus.Trajectory;
import org.latentmotion.wplus.TrajectorySet;
import org.latentmotion.wplus.Windows;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A second, non-adversarial model trained by the same {@link Trainer}, from outside the motion
 * package: the contract is all the trainer, checkpoints, the NaN stop, exact resume and the
 * history need.
 */
class LinearMotionModelTest {
    static final int T = 6;
    static final int L = 2;
    static final int D = 8;

    @TempDir
    Path dir;

    static LinearMotionConfig config() {
        return new LinearMotionConfig(4, T, L, D, 50, 11, 0.05, 25);
    }

    /** Two clips of waves turning at a fixed rate, slightly noisy: a linear recurrence predicts them well. */
    static Windows data() {
        Random r = new Random(5);
        Trajectory[] clips = new Trajectory[2];
        for (int c = 0; c < 2; c++) {
            int frames = 40 + 9 * c;
            float[] v = new float[frames * L * D];
            for (int t = 0; t < frames; t++) {
                for (int j = 0; j < L * D; j++) {
                    v[(t * L * D) + j] = (float) (Math.sin(0.4 * t + j) + 0.05 * r.nextGaussian());
                }
            }
            clips[c] = Trajectory.of(v, frames, L, D, 25, "wave " + c);
        }
        return TrajectorySet.of("linear waves", clips).windows(T);
    }

    private static double[] values(INDArray a) {
        return a.castTo(DataType.DOUBLE).data().asDouble();
    }

    static TrainingListener interruptAfter(long at) {
        return (step, history) -> {
            if (step.step() == at) {
                Thread.currentThread().interrupt();
            }
        };
    }

    @Test
    void theTrainerFitsItAndTheHistoryShowsItsOwnLoss() {
        LinearMotionModel model = LinearMotionModel.create(config());
        TrainingHistory h = Trainer.of(model, data()).seed(2).maxSteps(60).live(false).fit();
        assertEquals(TrainingHistory.Outcome.COMPLETED, h.outcome(), h.message());
        assertEquals(List.of("step", "epoch", "prediction", "gradNorm", "seconds"), h.columns());
        double[] loss = h.column("prediction");
        assertEquals(60, loss.length);
        // A starts near 0, so the first loss is the standardised frames' variance, about 1; a rotation is linear
        // measured: 0.990 → 0.0076 (0.045 at step 10)
        assertTrue(loss[0] > 0.5 && loss[59] < 0.05 * loss[0], "prediction loss " + loss[0] + " → " + loss[59]);
        assertEquals(60, model.steps());
        assertTrue(h.table().columnNames().contains("prediction"), h.table().columnNames().toString());
        assertTrue(h.headline().contains("60 of 60 steps, completed"), h.headline());
        assertTrue(h.last().toString().contains("prediction"), h.last().toString());
        assertTrue(h.provenance().contains("model: LinearMotion — a first-order vector autoregression"), h.provenance());
        var e = assertThrows(IllegalArgumentException.class, () -> h.column("critic"));
        assertTrue(e.getMessage().contains("prediction"), e.getMessage());
        MimeBundle b = Renderers.render(h);
        assertTrue(b.get(MimeBundle.HTML).contains("<img"), "its loss chart");
        assertTrue(b.get(MimeBundle.HTML).contains("prediction"), "its loss in the table");
        MimeBundle shown = Renderers.render(model);
        assertTrue(shown.get(MimeBundle.HTML).contains("LinearMotion") && shown.get(MimeBundle.HTML).contains("transition")
                && shown.get(MimeBundle.HTML).contains("learningRate"), shown.get(MimeBundle.HTML));
        Trajectory clip = model.sample(100, 3);
        assertEquals(100, clip.frames());
        assertTrue(Double.isFinite(clip.codes().castTo(DataType.DOUBLE).sumNumber().doubleValue()));
    }

    @Test
    void anInterruptedCheckpointedRunResumesExactly() {
        Windows w = data();
        LinearMotionModel straight = LinearMotionModel.create(config());
        TrainingHistory full = Trainer.of(straight, w).seed(3).maxSteps(9).live(false).fit();

        Path ckpt = dir.resolve("linear.ckpt");
        LinearMotionModel first = LinearMotionModel.create(config());
        TrainingHistory part = Trainer.of(first, w).seed(3).maxSteps(9).live(false).checkpointTo(ckpt).checkpointEvery(2)
                .listener(interruptAfter(4)).fit();
        assertEquals(TrainingHistory.Outcome.INTERRUPTED, part.outcome());
        assertEquals(4, part.size());
        assertFalse(Thread.currentThread().isInterrupted(), "the trainer handles the interrupt");

        Checkpoint c = Checkpoint.read(ckpt); // found by its type name through META-INF/services
        assertEquals("LinearMotion", c.modelType());
        assertEquals(4, c.steps());
        var wrong = assertThrows(IllegalArgumentException.class, () -> c.model(StyleVideoGan.class));
        assertTrue(wrong.getMessage().contains("StyleVideoGan") && wrong.getMessage().contains("LinearMotion"), wrong.getMessage());

        Trainer<LinearMotionModel> resumed = Trainer.resume(ckpt, w, LinearMotionModel.class);
        assertEquals(4, resumed.stepsDone());
        TrainingHistory rest = resumed.live(false).fit();
        assertEquals(TrainingHistory.Outcome.COMPLETED, rest.outcome());
        assertEquals(9, rest.size());
        for (int i = 0; i < 9; i++) {
            assertEquals(full.row(i).values(), rest.row(i).values(), "figures of step " + (i + 1));
            assertEquals(full.row(i).epoch(), rest.row(i).epoch(), 0.0);
        }
        assertArrayEquals(values(straight.transitionMatrix()), values(resumed.model().transitionMatrix()), 0.0);
        assertArrayEquals(values(straight.sample(30, 7).codes()), values(resumed.model().sample(30, 7).codes()), 0.0);
    }

    @Test
    void aNaNStopsTheRunAndRestoresTheLastGoodState() {
        Windows w = data();
        LinearMotionModel reference = LinearMotionModel.create(config());
        Trainer.of(reference, w).seed(4).maxSteps(2).live(false).fit();

        LinearMotionModel model = LinearMotionModel.create(config());
        TrainingHistory h = Trainer.of(model, w).seed(4).maxSteps(8).snapshotEvery(2).live(false).listener((step, history) -> {
            if (step.step() == 3) { // a bad update, as an exploding gradient would make
                model.transitionMatrix().assign(Double.NaN);
            }
        }).fit();
        assertEquals(TrainingHistory.Outcome.DIVERGED, h.outcome());
        assertTrue(h.message().contains("prediction is NaN at step 4"), h.message());
        assertTrue(h.message().contains("restored to its state after step 2"), h.message());
        assertEquals(2, h.size());
        assertArrayEquals(values(reference.transitionMatrix()), values(model.transitionMatrix()), 0.0);
    }

    @Test
    void theLossGradientMatchesFiniteDifferences() {
        LinearMotionModel model = LinearMotionModel.create(config());
        Windows w = data();
        model.prepare(w, "gradient check");
        Trainer.of(model, w).seed(1).maxSteps(3).live(false).fit(); // away from the initial A ≈ 0
        INDArray batch = w.batch(new int[] {0, 5, 9, 17});
        List<Var> params = List.of(varOf(model, "transition"), varOf(model, "bias"));
        List<Var> grads = Autograd.grad(model.predictionLoss(batch), params, false);
        double h = 1e-6;
        double worst = 0;
        for (int p = 0; p < params.size(); p++) {
            INDArray value = params.get(p).value();
            double[] g = values(grads.get(p).value());
            for (int i = 0; i < value.length(); i += 7) {
                double keep = value.getDouble(i);
                value.putScalar(i, keep + h);
                double up = Autograd.noGrad(() -> model.predictionLoss(batch)).item();
                value.putScalar(i, keep - h);
                double down = Autograd.noGrad(() -> model.predictionLoss(batch)).item();
                value.putScalar(i, keep);
                double numeric = (up - down) / (2 * h);
                worst = Math.max(worst, Math.abs(numeric - g[i]) / Math.max(1e-6, Math.abs(numeric) + Math.abs(g[i])));
            }
        }
        assertTrue(worst < 1e-6, "largest relative difference of autograd and central differences: " + worst);
    }

    private static Var varOf(LinearMotionModel m, String name) {
        return m.parameterSet().parameters().get(name);
    }

    @Test
    void typesAreFoundByNameAndAnUnknownOneIsNamedWithTheFix() {
        assertTrue(ModelTypes.names().containsAll(List.of("StyleVideoGan", "LinearMotion")), ModelTypes.names().toString());
        var e = assertThrows(IllegalArgumentException.class, () -> ModelTypes.named("NoSuchModel"));
        assertTrue(e.getMessage().contains("'NoSuchModel': not registered") && e.getMessage().contains("LinearMotion")
                && e.getMessage().contains("ModelTypes.register"), e.getMessage());
        ModelTypes.register(ModelType.of("LinearMotion (alias)", LinearMotionModel::load));
        LinearMotionModel m = LinearMotionModel.create(config());
        Path file = dir.resolve("m.npz");
        m.save(file);
        var loaded = ModelTypes.named("LinearMotion (alias)").load(file);
        assertArrayEquals(values(m.transitionMatrix()), values(((LinearMotionModel) loaded).transitionMatrix()), 0.0);
    }
}

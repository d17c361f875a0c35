package org.latentmotion.motion;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.latentmotion.motion.linear.LinearMotionModel;
import org.latentmotion.motion.linear.LinearMotionModelTestData;
import org.latentmotion.nn.NativeGarbage;
import org.latentmotion.wplus.Trajectory;
import org.latentmotion.wplus.Windows;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A training run's native memory stays bounded when every step leaves arrays to the garbage
 * collector — what a step that allocates outside its workspace does, and what MoCoGAN-HD's did
 * (~5 MB per step, 16.8 GB after a long run). The model here drops 64 MB per step; the trainer's
 * {@link NativeGarbage} must keep the growth near its threshold instead of 40 × 64 MB.
 */
class TrainerNativeMemoryTest {
    static final int STEPS = 40;
    static final long LITTER_BYTES = 64L << 20;

    /** The linear model, plus 64 MB of touched, dropped native memory per step. */
    static final class LitteringModel implements TrainableMotionModel {
        final LinearMotionModel inner;

        LitteringModel(LinearMotionModel inner) {
            this.inner = inner;
        }

        @Override
        public StepReport trainStep(TrainingStep step) {
            Nd4j.ones(DataType.FLOAT, LITTER_BYTES / 4); // written page by page, then unreachable
            return inner.trainStep(step);
        }

        @Override
        public ModelType type() {
            return inner.type();
        }

        @Override
        public MotionModelConfig config() {
            return inner.config();
        }

        @Override
        public int batchesPerStep() {
            return inner.batchesPerStep();
        }

        @Override
        public List<Figure> figures() {
            return inner.figures();
        }

        @Override
        public void prepare(Windows windows, String source) {
            inner.prepare(windows, source);
        }

        @Override
        public TrainableMotionModel copy() {
            return new LitteringModel(inner.copy());
        }

        @Override
        public void restore(TrainableMotionModel snapshot) {
            inner.restore(((LitteringModel) snapshot).inner);
        }

        @Override
        public void save(Path path) {
            inner.save(path);
        }

        @Override
        public Map<String, Long> parameterCounts() {
            return inner.parameterCounts();
        }

        @Override
        public Trajectory sample(int length, long seed) {
            return inner.sample(length, seed);
        }
    }

    @Test
    void stepsThatLeaveArraysToTheCollectorDoNotGrowTheProcess() {
        Assumptions.linuxProc();
        System.gc();
        List<Long> residentMb = new ArrayList<>();
        LitteringModel model = new LitteringModel(LinearMotionModel.create(LinearMotionModelTestData.config()));
        Trainer.of(model, LinearMotionModelTestData.data()).epochs(10_000).maxSteps(STEPS).seed(3).live(false)
                .listener((step, history) -> residentMb.add(NativeGarbage.residentKb() / 1024)).fit();
        long first = residentMb.get(0);
        long peak = residentMb.stream().mapToLong(Long::longValue).max().orElseThrow();
        long littered = STEPS * (LITTER_BYTES >> 20);
        System.out.printf("%d steps dropping %d MB each (%d MB in all): resident %d MB after the first step, peak %d MB%n",
                STEPS, LITTER_BYTES >> 20, littered, first, peak);
        // the collector runs once the process has grown by 256 MB: a few steps' litter, never all of it
        assertTrue(peak - first < NativeGarbage.DEFAULT_GROWTH_MB + 4 * (LITTER_BYTES >> 20),
                "resident memory grew by " + (peak - first) + " MB over " + STEPS + " steps that dropped " + littered + " MB");
    }

    /** Skips where there is no /proc/self/status to read. */
    static final class Assumptions {
        static void linuxProc() {
            org.junit.jupiter.api.Assumptions.assumeTrue(NativeGarbage.residentKb() > 0, "no /proc/self/status here");
        }
    }
}

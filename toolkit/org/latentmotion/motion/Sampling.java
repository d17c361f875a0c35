package org.latentmotion.motion;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.latentmotion.nn.Adam;
import org.latentmotion.nn.Autograd;
import org.latentmotion.nn.Broadcasts;
import org.latentmotion.nn.MemoryBudget;
import org.latentmotion.nn.Mode;
import org.latentmotion.nn.Ops;
import org.latentmotion.nn.ParameterSet;
import org.latentmotion.nn.Scope;
import org.latentmotion.nn.Var;
import org.latentmotion.wplus.Trajectory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Drawing trajectories from a StyleVideoGAN: from the EMA generator in evaluation mode (what a
 * trained model is used with; its batch-norm statistics re-estimated for the averaged weights
 * first), optionally starting at a given code, and from the training generator in training mode
 * (what the critic sees, for diagnosis). Frames go through the mapper in chunks, so memory stays
 * flat in the length.
 */
final class Sampling {
    private static final int CALIBRATION_WINDOWS = 128;
    /** Frames the mapper T turns into W+ codes at once ([256, L·D] arrays: 9 MB at 18 × 512). */
    static final int MAP_CHUNK = 256;

    private final StyleVideoGanConfig config;
    private final DataType dtype;
    private final Generator generator;
    private final Generator emaGenerator;
    private final Standardization standardization;
    private final StepDraws draws;
    /** Generator step at which the EMA generator's batch-norm statistics were last re-estimated (−1: never). */
    private long emaCalibratedAt = -1;

    Sampling(StyleVideoGanConfig config, DataType dtype, Generator generator, Generator emaGenerator,
             Standardization standardization, StepDraws draws) {
        this.config = config;
        this.dtype = dtype;
        this.generator = generator;
        this.emaGenerator = emaGenerator;
        this.standardization = standardization;
        this.draws = draws;
    }

    /** Forgets the calibration (the weights were replaced). */
    void invalidate() {
        emaCalibratedAt = -1;
    }

    List<Trajectory> fromTrainingGenerator(int count, int length, long seed) {
        if (count < 2 || length < 2) {
            throw new IllegalArgumentException("sampleTrainingGenerator: batch statistics need count ≥ 2 and length ≥ 2, found "
                    + count + " and " + length);
        }
        int lat = config.latentDim();
        int f = config.layers() * config.width();
        Random random = new Random(seed);
        List<Trajectory> out = new ArrayList<>(count);
        try (Scope scope = Scope.open()) {
            INDArray i = draws.gaussian(random, count, lat);
            INDArray s = draws.noise(random, count, length - 1);
            INDArray codes = Autograd.noGrad(() -> generator.forward(Var.constant(i), Var.constant(s), Mode.TRAIN_FROZEN).codes())
                    .value();
            for (int k = 0; k < count; k++) {
                INDArray rows = codes.get(NDArrayIndex.interval((long) k * length, (long) (k + 1) * length), NDArrayIndex.all());
                INDArray w = Scope.outside(() -> standardization.destandardize(rows).castTo(DataType.FLOAT)
                        .reshape('c', length, config.layers(), config.width()).dup('c'));
                out.add(Trajectory.of(w, config.fps(), "StyleVideoGan training generator (train mode, seed " + seed + ", sample " + k + ")"));
            }
        }
        return out;
    }

    /**
     * {@code length} frames from the EMA generator, starting at {@code firstCode} [L, D] when it is
     * given, mapping {@code chunk} frames at a time; {@code generatorSteps} says which weights these
     * are (the calibration is redone when they changed) and goes into the trajectory's source.
     */
    Trajectory fromEma(int length, long seed, INDArray firstCode, int chunk, long generatorSteps, String dataSource) {
        if (length < 1) {
            throw new IllegalArgumentException("sample length must be ≥ 1, found " + length);
        }
        if (firstCode != null && (firstCode.length() != (long) config.layers() * config.width()
                || firstCode.rank() != 2 || firstCode.size(0) != config.layers())) {
            throw new IllegalArgumentException("firstCode: expected [" + config.layers() + ", " + config.width() + "], found "
                    + Arrays.toString(firstCode.shape()));
        }
        if (firstCode != null) {
            Checks.requireFinite(firstCode, "firstCode");
        }
        int lat = config.latentDim();
        int f = config.layers() * config.width();
        // the codes [length, L·D] float32, the noise and latents [length, latent] (noise drawn in float64)
        MemoryBudget.require("sample(" + length + ")", MemoryBudget.product(length, (long) f * 4 + (long) lat * 16)
                + (long) MAP_CHUNK * f * 16, "sample shorter clips (a minute is " + (int) Math.round(60 * config.fps())
                + " frames) and concatenate or render them one by one");
        calibrateEma(generatorSteps);
        Random random = new Random(seed);
        try (Scope scope = Scope.open()) {
            INDArray i = draws.gaussian(random, 1, lat);
            INDArray s = draws.noise(random, 1, Math.max(length - 1, 1)); // unused when length is 1
            INDArray target = null;
            if (firstCode != null) {
                i = fitFirstLatent(i, standardization.standardize(firstCode.reshape('c', 1, f).castTo(dtype)));
                target = firstCode.castTo(dtype).dup('c').reshape(new long[] {f});
            }
            INDArray iFinal = i;
            INDArray latents = Autograd.noGrad(() -> length == 1 ? Var.constant(iFinal)
                    : emaGenerator.latents(Var.constant(iFinal), Var.constant(s), Mode.EVAL).all()).value();
            INDArray w = Scope.outside(() -> Nd4j.createUninitialized(DataType.FLOAT, length, config.layers(), config.width()));
            INDArray rows = w.reshape('c', length, f);
            INDArray offset = null;
            // T maps each frame on its own (batch norm uses running statistics here), so frames go through it in
            // chunks, each in the same reused memory: no fresh [length, L·D] buffer per op, and flat in length
            for (int from = 0; from < length; from += chunk) {
                int to = Math.min(length, from + chunk);
                try (Scope mapping = Scope.reusing("sample-mapper")) {
                    INDArray l = latents.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
                    INDArray codes = standardization.destandardize(Autograd.noGrad(() -> emaGenerator.map(Var.constant(l), Mode.EVAL)).value());
                    if (target != null) {
                        // frame 0 lands on the code: the same shift of every frame, in W+ (in motion space it also
                        // carries what lies outside the motion components, e.g. a new actor's identity)
                        if (offset == null) {
                            INDArray first = codes.getRow(0).reshape(f);
                            INDArray goal = target;
                            offset = Scope.outside(() -> goal.sub(first));
                        }
                        Broadcasts.addiRow(codes, offset);
                    }
                    rows.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).assign(codes);
                }
            }
            Scope.release(offset);
            return Trajectory.of(w, config.fps(), "StyleVideoGan sample (seed " + seed + ", " + generatorSteps
                    + " generator steps" + (dataSource.isEmpty() ? "" : ", trained on " + dataSource) + ")");
        }
    }

    /**
     * Re-estimates the EMA generator's batch-norm running statistics for its own (averaged)
     * weights, once per generator step that is sampled from: one training-mode pass over
     * {@value #CALIBRATION_WINDOWS} noise windows whose batch statistics replace the running ones
     * (SWA's {@code update_bn}). The copied statistics of the training generator are what a young
     * run's averaged weights would be normalised with otherwise, and they shrink its motion (measured
     * after 100 steps of small(): temporal spread 0.37 with copied statistics against 0.96 for the
     * training generator). Deterministic: the noise comes from the config's seed.
     */
    private void calibrateEma(long generatorSteps) {
        if (emaCalibratedAt == generatorSteps) {
            return;
        }
        int t = config.windowLength();
        int lat = config.latentDim();
        int length = Math.max(t, config.trainingHorizon());
        Random random = new Random(config.seed() * 31 + 17);
        try (Scope scope = Scope.open()) {
            INDArray i = draws.gaussian(random, CALIBRATION_WINDOWS, lat);
            INDArray s = draws.noise(random, CALIBRATION_WINDOWS, length - 1);
            if (length == t) {
                Autograd.noGrad(() -> emaGenerator.forward(Var.constant(i), Var.constant(s), Mode.CALIBRATE).codes());
            } else {
                // with a training horizon the statistics come from windows spread over it, as the critic saw them
                INDArray latents = Autograd.noGrad(() -> emaGenerator.latents(Var.constant(i), Var.constant(s), Mode.CALIBRATE).all()).value();
                long[] rows = new long[CALIBRATION_WINDOWS * t];
                for (int w = 0; w < CALIBRATION_WINDOWS; w++) {
                    long first = (long) w * length + (long) w * (length - t) / (CALIBRATION_WINDOWS - 1);
                    for (int k = 0; k < t; k++) {
                        rows[w * t + k] = first + k;
                    }
                }
                INDArray windows = latents.get(NDArrayIndex.indices(rows), NDArrayIndex.all());
                Autograd.noGrad(() -> emaGenerator.map(Var.constant(windows), Mode.CALIBRATE));
            }
        }
        emaCalibratedAt = generatorSteps;
    }

    private INDArray fitFirstLatent(INDArray start, INDArray target) {
        ParameterSet ps = new ParameterSet(dtype, 0);
        Var i = ps.parameter("i", start);
        Adam opt = new Adam(ps, 0.05, 0.9, 0.999, 1e-8);
        Var tgt = Var.constant(target);
        for (int step = 0; step < 200; step++) {
            try (Scope inner = Scope.open()) {
                Var err = Ops.meanAll(Ops.square(Ops.sub(emaGenerator.map(i, Mode.EVAL), tgt)));
                opt.step(Autograd.grad(err, List.of(i), false));
            }
        }
        return i.value();
    }
}

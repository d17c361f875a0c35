package org.latentmotion.motion.linear;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.latentmotion.motion.Figure;
import org.latentmotion.motion.ModelFiles;
import org.latentmotion.motion.ModelState;
import org.latentmotion.motion.ModelType;
import org.latentmotion.motion.NamedModelType;
import org.latentmotion.motion.StepReport;
import org.latentmotion.motion.TrainableMotionModel;
import org.latentmotion.motion.TrainingStep;
import org.latentmotion.nn.Adam;
import org.latentmotion.nn.Autograd;
import org.latentmotion.nn.Ops;
import org.latentmotion.nn.ParameterSet;
import org.latentmotion.nn.Scope;
import org.latentmotion.nn.Var;
import org.latentmotion.wplus.Npz;
import org.latentmotion.wplus.Trajectory;
import org.latentmotion.wplus.Windows;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A motion model that is not a GAN, written against the public training contract only (it lives
 * outside {@code org.latentmotion.motion}): a first-order vector autoregression of standardised
 * W+ codes, z_k = z_{k−1} · A + b + σ ⊙ ε_k, with A, b fitted by Adam on the one-step prediction
 * error mean ‖z_k − (z_{k−1} · A + b)‖² / F over one real batch per step, using the {@code nn}
 * autograd. σ is the per-dimension residual RMS of the last step. float64 throughout.
 *
 * <p>It exists to prove the trainer has no per-model code: the same {@code Trainer} trains it
 * with checkpoints, exact resume, the NaN stop, its own loss in the history and the live chart.
 */
public final class LinearMotionModel implements TrainableMotionModel {
    /** The name checkpoints record. */
    public static final String TYPE_NAME = "LinearMotion";

    /** Reads {@link #save}'s files; listed in this test tree's {@code META-INF/services}. */
    public static final class Type extends NamedModelType {
        /** For {@link java.util.ServiceLoader}. */
        public Type() {
            super(TYPE_NAME, LinearMotionModel::load);
        }
    }

    private static final Type TYPE = new Type();
    private static final List<Figure> FIGURES = List.of(Figure.loss("prediction"), Figure.recorded("gradNorm"));

    private final LinearMotionConfig config;
    private final int features;
    private final ParameterSet params;
    private final ParameterSet stats;
    private final Var transition;
    private final Var bias;
    private final INDArray mean;
    private final INDArray scale;
    private final INDArray noise;
    private final INDArray fitted;
    private final Adam adam;
    private final ModelState files;
    private long steps;
    private String source = "";

    private LinearMotionModel(LinearMotionConfig config) {
        this.config = config;
        this.features = config.layers() * config.width();
        params = new ParameterSet(DataType.DOUBLE, config.seed());
        transition = params.parameter("transition", params.normal(0.01, features, features));
        bias = params.parameter("bias", Nd4j.zeros(DataType.DOUBLE, features));
        stats = new ParameterSet(DataType.DOUBLE, 0);
        mean = stats.buffer("mean", Nd4j.zeros(DataType.DOUBLE, features));
        scale = stats.buffer("scale", Nd4j.ones(DataType.DOUBLE, features));
        noise = stats.buffer("noise", Nd4j.ones(DataType.DOUBLE, features));
        fitted = stats.buffer("fitted", Nd4j.zeros(DataType.DOUBLE, 1));
        adam = new Adam(params, config.learningRate(), 0.9, 0.999, 1e-8);
        files = ModelState.of(config, 1).parameters("params.", params).parameters("stats.", stats).optimizer("adam.", adam);
    }

    /** A new model with its transition drawn from {@code config.seed()}. */
    public static LinearMotionModel create(LinearMotionConfig config) {
        return new LinearMotionModel(config);
    }

    @Override
    public ModelType type() {
        return TYPE;
    }

    @Override
    public LinearMotionConfig config() {
        return config;
    }

    @Override
    public int batchesPerStep() {
        return 1;
    }

    @Override
    public List<Figure> figures() {
        return FIGURES;
    }


    /** Updates made so far. */
    public long steps() {
        return steps;
    }

    /** The live transition matrix A [F, F] (tests poison it to see the trainer's NaN stop). */
    INDArray transitionMatrix() {
        return transition.value();
    }

    /** The trained parameters (transition, bias), for gradient checks. */
    ParameterSet parameterSet() {
        return params;
    }

    /** On a fresh model: the mean and standard deviation of every W+ number over all training frames. */
    @Override
    public void prepare(Windows windows, String source) {
        if (fitted.getDouble(0) == 0) {
            INDArray all = windows.source().allFrames().codes().reshape('c', -1, features).castTo(DataType.DOUBLE);
            mean.assign(all.mean(0));
            INDArray std = all.std(false, 0);
            scale.assign(Nd4j.getExecutioner().exec(new org.nd4j.linalg.api.ops.impl.scalar.ScalarMax(std, 1e-8)));
            fitted.assign(1);
        }
        this.source = source;
    }

    /** Consecutive standardised frames of windows [B, t, L, D]: z_{k−1} and z_k, each [B·(t − 1), F]. */
    private INDArray[] pairs(INDArray windows) {
        long b = windows.size(0);
        long t = windows.size(1);
        INDArray z = windows.castTo(DataType.DOUBLE).reshape('c', b, t, features).dup('c');
        z.subi(mean.reshape(1, 1, features)).divi(scale.reshape(1, 1, features));
        INDArray before = z.get(NDArrayIndex.all(), NDArrayIndex.interval(0, t - 1), NDArrayIndex.all()).dup('c');
        INDArray after = z.get(NDArrayIndex.all(), NDArrayIndex.interval(1, t), NDArrayIndex.all()).dup('c');
        return new INDArray[] {before.reshape('c', b * (t - 1), features), after.reshape('c', b * (t - 1), features)};
    }

    /** The one-step prediction loss of windows [B, t, L, D] under the current A, b (on the tape, for gradient checks). */
    Var predictionLoss(INDArray windows) {
        INDArray[] p = pairs(windows);
        Var residual = Ops.sub(Var.constant(p[1]), Ops.affine(Var.constant(p[0]), transition, bias));
        return Ops.meanAll(Ops.square(residual));
    }

    /** One Adam step on the prediction loss of the step's one batch; a non-finite loss or gradient changes nothing. */
    @Override
    public StepReport trainStep(TrainingStep step) {
        TrainingStep.Batch batch = step.batch(0);
        try (Scope scope = Scope.open()) {
            Var loss = predictionLoss(batch.windows());
            List<Var> grads = Autograd.grad(loss, adam.parameters(), false);
            double value = loss.item();
            double squares = 0;
            for (Var g : grads) {
                squares += g.value().mul(g.value()).sumNumber().doubleValue();
            }
            double norm = Math.sqrt(squares);
            if (Double.isFinite(value) && Double.isFinite(norm)) {
                adam.step(grads);
                steps++;
                noise.assign(Nd4j.math().sqrt(residualSquares(batch.windows())));
            }
            return StepReport.of("prediction", value).with("gradNorm", norm);
        } finally {
            batch.release();
        }
    }

    /** Mean squared one-step residual per feature [F], after the update. */
    private INDArray residualSquares(INDArray windows) {
        INDArray[] p = pairs(windows);
        INDArray r = p[1].sub(p[0].mmul(transition.value()).addRowVector(bias.value()));
        return r.mul(r).mean(0);
    }

    /** z_0 ~ N(0, I), then z_k = z_{k−1} · A + b + σ ⊙ ε_k, mapped back to W+. */
    @Override
    public Trajectory sample(int length, long seed) {
        if (length < 1) {
            throw new IllegalArgumentException("sample: expected at least 1 frame, found " + length);
        }
        Random random = new Random(seed);
        double[][] a = transition.value().toDoubleMatrix();
        double[] bv = bias.value().toDoubleVector();
        double[] sd = noise.toDoubleVector();
        double[] mu = mean.toDoubleVector();
        double[] sc = scale.toDoubleVector();
        double[] z = new double[features];
        for (int f = 0; f < features; f++) {
            z[f] = random.nextGaussian();
        }
        float[] out = new float[length * features];
        for (int k = 0; k < length; k++) {
            if (k > 0) {
                double[] next = new double[features];
                for (int j = 0; j < features; j++) {
                    double s = bv[j];
                    for (int i = 0; i < features; i++) {
                        s += z[i] * a[i][j];
                    }
                    next[j] = s + sd[j] * random.nextGaussian();
                }
                z = next;
            }
            for (int f = 0; f < features; f++) {
                out[k * features + f] = (float) (mu[f] + z[f] * sc[f]);
            }
        }
        return Trajectory.of(out, length, config.layers(), config.width(), config.fps(), "LinearMotionModel seed " + seed);
    }

    private Map<String, INDArray> state() {
        return files.write(new long[] {steps}, source);
    }

    private void loadState(Map<String, INDArray> in, String what) {
        ModelState.Saved saved = files.read(in, what);
        steps = saved.steps()[0];
        source = saved.source();
    }

    @Override
    public LinearMotionModel copy() {
        LinearMotionModel c = new LinearMotionModel(config);
        c.loadState(state(), "copy");
        return c;
    }

    @Override
    public void restore(TrainableMotionModel snapshot) {
        loadState(ModelFiles.snapshot(snapshot, LinearMotionModel.class, config).state(), "restore");
    }

    @Override
    public void save(Path path) {
        Npz.write(path, state());
    }

    /** Reads a model written by {@link #save}. */
    public static LinearMotionModel load(Path path) {
        ModelFiles.Contents<LinearMotionConfig> file = ModelFiles.read(path, "LinearMotionModel", LinearMotionConfig::parse);
        LinearMotionModel m = new LinearMotionModel(file.config());
        m.loadState(file.entries(), path.toString());
        return m;
    }

    @Override
    public Map<String, Long> parameterCounts() {
        return Map.of("transition", params.count());
    }

    @Override
    public String toString() {
        return "LinearMotionModel[" + features + " features, " + steps + " steps" + (source.isEmpty() ? "" : ", data " + source) + "]";
    }
}

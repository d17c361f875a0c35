package org.latentmotion.transfer;

import java.util.Arrays;
import java.util.Objects;
import org.latentmotion.nn.Broadcasts;
import org.latentmotion.pca.LatentPca;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.latentmotion.wplus.Trajectory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The offset trick of StyleVideoGAN (seed 002, Sec. 3): moves a motion generated for the
 * training actor onto a new actor without changing the motion.
 *
 * <p>The PCA basis of the training frames spans the directions in which one actor's state
 * (pose, mouth, eyes) varies. A new actor's code {@code w_new} is projected onto that basis,
 * {@code w'_new = mean + Cᵀ C (w_new − mean)}: the training actor in the same state as the new
 * one. The offset {@code Δ = w_new − w'_new} is then orthogonal to every state direction, so
 * adding it to each frame changes who moves, not how:
 * <pre>{@code
 * var trick = OffsetTrick.of(LatentPca.fit(data, 32));
 * Trajectory moved = trick.transfer(gan.sample(250, 1), ToyWorld.randomActor(5));
 * }</pre>
 * {@link #naive} is the comparison the paper warns about: it shifts the motion so that its
 * first frame lands exactly on {@code w_new}, adding the new actor's state on top of the
 * motion's own (a mouth already closed then closes "further").
 *
 * <p>Arithmetic is float64 inside; results are float32 trajectories.
 */
public final class OffsetTrick {
    private final INDArray mean;        // [F] float64
    private final INDArray components;  // [k, F] float64, orthonormal rows
    private final double[] variance;    // [k], variance of the training frames along each row
    private final int layers;
    private final int width;

    private OffsetTrick(INDArray mean, INDArray components, double[] variance, int layers, int width) {
        this.mean = mean;
        this.components = components;
        this.variance = variance;
        this.layers = layers;
        this.width = width;
    }

    /**
     * The offset trick through {@code basis}, the PCA of the training actor's frames (the paper
     * uses 32 directions, {@code LatentPca.fit(trainingSet, 32)}).
     */
    public static OffsetTrick of(LatentPca basis) {
        Objects.requireNonNull(basis, "basis");
        OffsetTrick t = fromBasis(basis.mean(), basis.components(), basis.explainedVariance());
        return new OffsetTrick(t.mean, t.components, t.variance, basis.layers(), basis.width());
    }

    /**
     * The offset trick from a raw basis: {@code mean} [F] and {@code components} [k, F] with
     * orthonormal rows (F = L·D); {@code variance} (length k, may be null) is each direction's
     * variance over the training frames, used only to report how extreme a state is.
     *
     * @throws IllegalArgumentException on wrong shapes, NaNs or rows that are not orthonormal
     */
    public static OffsetTrick fromBasis(INDArray mean, INDArray components, double[] variance) {
        Objects.requireNonNull(mean, "mean");
        Objects.requireNonNull(components, "components");
        INDArray c = components.castTo(DataType.DOUBLE).dup('c');
        if (c.rank() != 2) {
            throw new IllegalArgumentException("offset trick components: expected [k, F], found "
                    + Arrays.toString(components.shape()));
        }
        long f = c.size(1);
        INDArray m = mean.castTo(DataType.DOUBLE).dup('c').reshape(f == mean.length() ? f : -1);
        if (m.length() != f) {
            throw new IllegalArgumentException("offset trick mean: expected " + f + " values (the components' width), found "
                    + Arrays.toString(mean.shape()));
        }
        int k = (int) c.size(0);
        if (k < 1 || k > f) {
            throw new IllegalArgumentException("offset trick: expected 1 ≤ k ≤ F directions, found k = " + k + ", F = " + f);
        }
        if (!finite(c) || !finite(m)) {
            throw new IllegalArgumentException("offset trick basis: found NaN or infinite values");
        }
        INDArray gram = c.mmul(c.transpose());
        double err = gram.sub(Nd4j.eye(k).castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        if (err > 1e-3) {
            throw new IllegalArgumentException("offset trick components: expected orthonormal rows, found |C·Cᵀ − I| max "
                    + err);
        }
        double[] var = variance == null ? null : variance.clone();
        if (var != null && var.length != k) {
            throw new IllegalArgumentException("offset trick variance: expected " + k + " values, found " + var.length);
        }
        int width = f % 512 == 0 ? 512 : (int) f;
        return new OffsetTrick(m, c, var, (int) (f / width), width);
    }

    /** Number of basis directions k. */
    public int directions() {
        return (int) components.size(0);
    }

    /** Flattened code size F = L·D. */
    public long codeSize() {
        return components.size(1);
    }

    /** W+ layers L of the codes the basis is for. */
    public int layers() {
        return layers;
    }

    /** Code width D of each layer. */
    public int width() {
        return width;
    }

    /**
     * {@code w'_new}: the training actor in the state of {@code newIdentity} [L, D] (its
     * projection onto the basis), as [L, D] float32.
     */
    public INDArray anchor(INDArray newIdentity) {
        INDArray w = flatten(newIdentity, "new identity");
        return project(w).castTo(DataType.FLOAT).reshape(shapeOf(newIdentity));
    }

    /** {@code Δ = w_new − w'_new} [L, D] float32: the part of the new code outside the state basis. */
    public INDArray offset(INDArray newIdentity) {
        INDArray w = flatten(newIdentity, "new identity");
        return w.sub(project(w)).castTo(DataType.FLOAT).reshape(shapeOf(newIdentity));
    }

    /** The motion moved to {@code newIdentity} [L, D] by the offset trick: every frame + Δ. */
    public Trajectory transfer(Trajectory motion, INDArray newIdentity) {
        checkMotion(motion);
        INDArray delta = offset(checkIdentity(newIdentity, motion));
        return motion.plus(delta).withSource(label(motion, "offset trick"));
    }

    /**
     * The naive transfer for comparison: every frame + (w_new − first frame of the motion), so
     * the motion starts exactly at {@code newIdentity} and the new actor's own state is added
     * to the motion's (no projection onto the basis).
     */
    public Trajectory naive(Trajectory motion, INDArray newIdentity) {
        checkMotion(motion);
        INDArray w = checkIdentity(newIdentity, motion).castTo(DataType.DOUBLE);
        INDArray delta = w.sub(motion.frame(0).castTo(DataType.DOUBLE)).castTo(DataType.FLOAT);
        return motion.plus(delta).withSource(label(motion, "naive offset"));
    }

    /**
     * State coordinates of each frame in the basis, [T, k] float64, in units of the training
     * frames' standard deviation along each direction when variances are known (else raw).
     */
    public INDArray stateCoordinates(Trajectory t) {
        checkMotion(t);
        INDArray x = t.flatFrames().castTo(DataType.DOUBLE);
        INDArray coords = Broadcasts.subRow(x, mean.reshape(1, codeSize())).mmul(components.transpose());
        if (variance != null) {
            double[] sd = new double[variance.length];
            for (int i = 0; i < sd.length; i++) {
                sd[i] = Math.sqrt(Math.max(variance[i], 1e-30));
            }
            Broadcasts.diviRow(coords, Nd4j.createFromArray(sd).reshape(1, sd.length));
        }
        return coords;
    }

    /** The largest |state coordinate| over frames and directions (in standard deviations if known). */
    public double maxStateExcursion(Trajectory t) {
        return Transforms.abs(stateCoordinates(t), false).maxNumber().doubleValue();
    }

    /**
     * A side-by-side comparison of the naive offset and the offset trick for one motion and
     * one new actor: a table of how far each leaves the training actor's state range.
     */
    public TransferComparison compare(Trajectory motion, INDArray newIdentity) {
        return new TransferComparison(this, motion, newIdentity, naive(motion, newIdentity),
                transfer(motion, newIdentity));
    }

    /** True when each direction's variance over the training frames is known (then state coordinates are in σ). */
    public boolean hasVariance() {
        return variance != null;
    }

    private INDArray project(INDArray w) {
        INDArray centred = w.sub(mean);
        INDArray coords = components.mmul(centred.reshape(codeSize(), 1));           // [k, 1]
        return mean.add(components.transpose().mmul(coords).reshape(codeSize()));   // [F]
    }

    private INDArray flatten(INDArray code, String what) {
        Objects.requireNonNull(code, what);
        if (code.length() != codeSize()) {
            throw new IllegalArgumentException(what + ": expected a code of " + codeSize() + " values ([" + layers
                    + ", " + width + "]), found shape " + Arrays.toString(code.shape()));
        }
        INDArray w = code.castTo(DataType.DOUBLE).dup('c').reshape(codeSize());
        if (!finite(w)) {
            throw new IllegalArgumentException(what + ": found NaN or infinite values");
        }
        return w;
    }

    private long[] shapeOf(INDArray code) {
        return code.rank() == 2 ? code.shape() : new long[] {layers, width};
    }

    private void checkMotion(Trajectory motion) {
        Objects.requireNonNull(motion, "motion");
        long f = (long) motion.layers() * motion.width();
        if (f != codeSize()) {
            throw new IllegalArgumentException("motion: expected frames of " + codeSize() + " values (the basis width), found "
                    + motion.layers() + " × " + motion.width() + " = " + f);
        }
    }

    private INDArray checkIdentity(INDArray newIdentity, Trajectory motion) {
        Objects.requireNonNull(newIdentity, "newIdentity");
        if (newIdentity.length() != codeSize()) {
            throw new IllegalArgumentException("new identity: expected a code of shape [" + motion.layers() + ", "
                    + motion.width() + "], found " + Arrays.toString(newIdentity.shape()));
        }
        return newIdentity.castTo(DataType.FLOAT).dup('c').reshape(motion.layers(), motion.width());
    }

    private static String label(Trajectory motion, String how) {
        return (motion.source().isEmpty() ? "motion" : motion.source()) + " → new actor (" + how + ")";
    }

    private static boolean finite(INDArray a) {
        double s = a.sumNumber().doubleValue();
        return Double.isFinite(s) && Double.isFinite(a.amaxNumber().doubleValue());
    }

    @Override
    public String toString() {
        return "OffsetTrick: " + directions() + " state directions in a " + codeSize() + "-value code ("
                + layers + " × " + width + "); transfer(motion, w_new) adds w_new − projection(w_new)";
    }
}

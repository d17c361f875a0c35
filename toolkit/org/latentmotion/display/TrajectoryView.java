package org.latentmotion.display;

import java.awt.image.BufferedImage;
import java.util.Objects;
import org.latentmotion.wplus.FrameRenderer;
import org.latentmotion.wplus.Trajectory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A trajectory shown with pictures: its summary, its first, middle and last frames drawn by a
 * renderer (a StyleGAN synthesizer, the toy face) and its motion chart. The trajectory itself
 * holds only codes; the view pairs it with what draws them.
 *
 * <pre>{@code
 * TrajectoryView.of(data.clip(0), face)      // as the cell's value
 * }</pre>
 */
public final class TrajectoryView implements Displayable {
    private final Trajectory trajectory;
    private final FrameRenderer renderer;

    private TrajectoryView(Trajectory trajectory, FrameRenderer renderer) {
        this.trajectory = trajectory;
        this.renderer = renderer;
    }

    /**
     * {@code trajectory} with its key frames drawn by {@code renderer}.
     *
     * @throws IllegalArgumentException if the renderer reads codes of another shape than the trajectory's
     */
    public static TrajectoryView of(Trajectory trajectory, FrameRenderer renderer) {
        Objects.requireNonNull(trajectory, "trajectory");
        Objects.requireNonNull(renderer, "renderer");
        if (renderer.layers() != trajectory.layers() || renderer.width() != trajectory.width()) {
            throw new IllegalArgumentException("renderer reads [" + renderer.layers() + ", " + renderer.width()
                    + "] codes, the trajectory has [" + trajectory.layers() + ", " + trajectory.width() + "]");
        }
        return new TrajectoryView(trajectory, renderer);
    }

    /** The trajectory shown. */
    public Trajectory trajectory() {
        return trajectory;
    }

    /** What draws the trajectory's frames. */
    public FrameRenderer renderer() {
        return renderer;
    }

    /** Indices of the key frames: first, middle and last (fewer for one- and two-frame trajectories). */
    public int[] keyFrameIndices() {
        int last = trajectory.frames() - 1;
        if (last == 0) {
            return new int[] {0};
        }
        if (last == 1) {
            return new int[] {0, 1};
        }
        return new int[] {0, last / 2, last};
    }

    /** The first, middle and last frames drawn by the renderer. */
    public BufferedImage[] keyFrames() {
        int[] idx = keyFrameIndices();
        INDArray sel = Nd4j.create(DataType.FLOAT, idx.length, trajectory.layers(), trajectory.width());
        for (int i = 0; i < idx.length; i++) {
            sel.get(NDArrayIndex.point(i), NDArrayIndex.all(), NDArrayIndex.all()).assign(trajectory.frame(idx[i]));
        }
        return renderer.renderFrames(sel);
    }

    @Override
    public void renderTo(MimeBundle bundle) {
        WplusRenderers.trajectory(trajectory, this, bundle);
    }

    @Override
    public String toString() {
        return trajectory.toString();
    }
}

package org.latentmotion.wplus;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Windows of {@code length} consecutive frames taken from the clips of a {@link TrajectorySet}
 * with a stride; a window never crosses from one clip into the next.
 */
public final class Windows {
    private final TrajectorySet set;
    private final int length;
    private final int stride;
    private final List<int[]> starts = new ArrayList<>(); // {clip, firstFrame}

    Windows(TrajectorySet set, int length, int stride) {
        if (length < 1) {
            throw new IllegalArgumentException("window length: expected at least 1, found " + length);
        }
        if (stride < 1) {
            throw new IllegalArgumentException("window stride: expected at least 1, found " + stride);
        }
        this.set = set;
        this.length = length;
        this.stride = stride;
        for (int c = 0; c < set.size(); c++) {
            int frames = set.clip(c).frames();
            for (int s = 0; s + length <= frames; s += stride) {
                starts.add(new int[] {c, s});
            }
        }
        if (starts.isEmpty()) {
            throw new IllegalArgumentException("windows of " + length + " frames: no clip of '" + set.name()
                    + "' is that long (longest has " + longest(set) + " frames)");
        }
    }

    private static int longest(TrajectorySet set) {
        int m = 0;
        for (Trajectory t : set) {
            m = Math.max(m, t.frames());
        }
        return m;
    }

    /** The same windows with another stride. */
    public Windows stride(int newStride) {
        return new Windows(set, length, newStride);
    }

    /** The set the windows are taken from. */
    public TrajectorySet source() {
        return set;
    }

    /** Frames per window. */
    public int length() {
        return length;
    }

    /** Frames between the starts of consecutive windows of a clip. */
    public int stride() {
        return stride;
    }

    /** Number of windows over all clips (at least 1). */
    public int size() {
        return starts.size();
    }

    /** W+ layers L of every frame. */
    public int layers() {
        return set.layers();
    }

    /** Code width D of every layer. */
    public int width() {
        return set.width();
    }

    /** Window {@code i} as a trajectory. */
    public Trajectory get(int i) {
        int[] s = starts.get(i);
        return set.clip(s[0]).slice(s[1], s[1] + length);
    }

    /** A permutation of window indices, the same for the same seed. */
    public int[] order(long seed) {
        int[] idx = new int[size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Random r = new Random(seed);
        for (int i = idx.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        return idx;
    }

    /** The windows at {@code indices} stacked as [B, length, L, D] float32. */
    public INDArray batch(int[] indices) {
        INDArray out = Nd4j.createUninitialized(org.nd4j.linalg.api.buffer.DataType.FLOAT,
                indices.length, length, layers(), width());
        for (int b = 0; b < indices.length; b++) {
            int[] s = starts.get(indices[b]);
            INDArray clip = set.clip(s[0]).codes();
            out.get(NDArrayIndex.point(b), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all())
                    .assign(clip.get(NDArrayIndex.interval(s[1], s[1] + length), NDArrayIndex.all(), NDArrayIndex.all()));
        }
        return out;
    }

    /**
     * Where window {@code i} comes from: {@code {clip, firstFrame}}, its clip's index in
     * {@link #source()} and the clip's frame it starts at (a new array), so frame j of the window
     * is frame {@code firstFrame + j} of that clip.
     */
    public int[] position(int i) {
        if (i < 0 || i >= starts.size()) {
            throw new IndexOutOfBoundsException("window " + i + " asked for, there are " + starts.size());
        }
        return starts.get(i).clone();
    }

    /** Windows per clip. */
    public int[] perClip() {
        int[] n = new int[set.size()];
        for (int[] s : starts) {
            n[s[0]]++;
        }
        return n;
    }

    @Override
    public String toString() {
        return "Windows of " + length + " frames (stride " + stride + "): " + size() + " from '" + set.name() + "'";
    }
}

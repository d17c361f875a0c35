package org.latentmotion.motion;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.latentmotion.wplus.Trajectory;
import org.latentmotion.wplus.TrajectorySet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The span critic's real data: every training clip at least S frames long, in standardised motion
 * coordinates (a few numbers per frame, kept on the Java heap: refused beyond a quarter of it), and
 * draws of spans from them. A
 * span starts uniformly among all S-frame stretches of all such clips, so a long clip gives
 * proportionally more of them, as it gives more training windows.
 */
final class RealSpans {
    private final int span;
    private final int features;
    /** Per eligible clip, its standardised frames, row-major [frames, features]. */
    private final List<double[]> clips = new ArrayList<>();
    /** Per eligible clip, the number of spans that start in it or before it (a running sum). */
    private final long[] cumulative;

    private RealSpans(int span, int features, List<double[]> clips) {
        this.span = span;
        this.features = features;
        this.clips.addAll(clips);
        cumulative = new long[clips.size()];
        long sum = 0;
        for (int c = 0; c < clips.size(); c++) {
            sum += clips.get(c).length / features - span + 1;
            cumulative[c] = sum;
        }
    }

    /**
     * The spans of {@code set}'s clips, standardised by {@code standardization} (fitted).
     *
     * @throws IllegalArgumentException if no clip has S frames, naming the longest
     */
    static RealSpans of(TrajectorySet set, Standardization standardization, int span, int features) {
        long bytes = 0;
        for (Trajectory clip : set.clips()) {
            bytes += clip.frames() >= span ? (long) clip.frames() * features * Double.BYTES : 0;
        }
        long heap = Runtime.getRuntime().maxMemory();
        if (bytes > heap / 4) {
            throw new IllegalArgumentException(String.format("spanFrames = %d: the span critic keeps the training clips in"
                    + " motion coordinates on the Java heap, %.1f GB for %d numbers per frame, more than a quarter of the"
                    + " heap (%.1f GB); use fewer motionComponents, fewer clips, or a larger -Xmx", span, bytes / 1e9, features,
                    heap / 1e9));
        }
        List<double[]> kept = new ArrayList<>();
        int longest = 0;
        for (Trajectory clip : set.clips()) {
            longest = Math.max(longest, clip.frames());
            if (clip.frames() < span) {
                continue;
            }
            INDArray codes = clip.codes().reshape('c', clip.frames(), (long) clip.layers() * clip.width());
            kept.add(standardization.standardize(codes).castTo(DataType.DOUBLE).data().asDouble());
        }
        if (kept.isEmpty()) {
            throw new IllegalArgumentException("spanFrames = " + span + ": the span critic needs a training clip of at least "
                    + span + " frames, the longest of '" + set.name() + "' has " + longest + " (use a smaller spanFrames, or 0)");
        }
        return new RealSpans(span, features, kept);
    }

    /** Spans that can be drawn (S-frame stretches over all eligible clips). */
    long count() {
        return cumulative[cumulative.length - 1];
    }

    /** {@code b} real spans, each at the frame offsets {@code offsets}: [B·K, F] in {@code dtype}, rows by span then point. */
    INDArray draw(Random random, int b, int[] offsets, DataType dtype) {
        double[] out = new double[b * offsets.length * features];
        int row = 0;
        for (int s = 0; s < b; s++) {
            long pick = (long) (random.nextDouble() * count());
            int clip = 0;
            while (cumulative[clip] <= pick) {
                clip++;
            }
            long start = pick - (clip == 0 ? 0 : cumulative[clip - 1]);
            double[] frames = clips.get(clip);
            for (int p : offsets) {
                System.arraycopy(frames, (int) ((start + p) * features), out, row * features, features);
                row++;
            }
        }
        return Nd4j.create(out, new long[] {(long) b * offsets.length, features}, DataType.DOUBLE).castTo(dtype);
    }
}

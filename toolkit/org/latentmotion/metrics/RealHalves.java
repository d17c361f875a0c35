package org.latentmotion.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.latentmotion.wplus.Trajectory;
import org.latentmotion.wplus.TrajectorySet;

/**
 * The real data cut into two disjoint halves, the first and the second half (in time) of every
 * clip, for the "real vs real" row of every distance table: the distance between two samples of
 * the same truth is the noise floor a model's distance should be read against (a model at the
 * floor is as close to the data as more data would be). Halves in time rather than alternate
 * clips, so one clip is enough; a clip of one frame has no halves and is left out. Each half
 * holds half the data, and a short recording's halves see fewer of the actor's states than the
 * whole does: with little real data the floor comes out high (measured in {@code EvaluationTest}
 * on 36 s: FVD in W+ 128 between the halves, 109 for a replay of another full recording), so read
 * it as an upper estimate of how close "as good as the data" is.
 *
 * <pre>{@code
 * RealHalves halves = RealHalves.of(data);
 * double floor = LatentFrechet.of(halves.first(), pca).frames(halves.second().clips());
 * }</pre>
 */
public final class RealHalves {
    /** How distance tables label the real-vs-real row. */
    public static final String LABEL = "real vs real (noise floor: two disjoint halves)";

    private final TrajectorySet first;
    private final TrajectorySet second;

    private RealHalves(TrajectorySet first, TrajectorySet second) {
        this.first = first;
        this.second = second;
    }

    /**
     * Frames [0, T/2) and [T/2, T) of every clip of {@code real} (T/2 rounded down), as two sets
     * that keep the real set's ground-truth reader; throws if no clip has two frames.
     */
    public static RealHalves of(TrajectorySet real) {
        Objects.requireNonNull(real, "real");
        List<Trajectory> a = new ArrayList<>();
        List<Trajectory> b = new ArrayList<>();
        for (Trajectory clip : real) {
            int mid = clip.frames() / 2;
            if (mid >= 1) {
                a.add(clip.slice(0, mid));
                b.add(clip.slice(mid, clip.frames()));
            }
        }
        if (a.isEmpty()) {
            throw new IllegalArgumentException("real halves: expected a clip of at least 2 frames in '" + real.name()
                    + "', found " + real.size() + " clip(s) of 1 frame");
        }
        TrajectorySet first = TrajectorySet.of(real.name() + " (first halves)", a);
        TrajectorySet second = TrajectorySet.of(real.name() + " (second halves)", b);
        if (real.groundTruthReader().isPresent()) {
            first = first.withGroundTruthReader(real.groundTruthReader().get());
            second = second.withGroundTruthReader(real.groundTruthReader().get());
        }
        return new RealHalves(first, second);
    }

    /** The first half of every clip: the reference side. */
    public TrajectorySet first() {
        return first;
    }

    /** The second half of every clip: measured against {@link #first()} as if it were generated. */
    public TrajectorySet second() {
        return second;
    }

    /**
     * The longest half, in frames, on the side where it is shorter: a distance on windows of
     * t frames (clips, 256-frame segments) needs a half at least that long on both sides.
     */
    public int longestHalf() {
        return Math.min(longest(first), longest(second));
    }

    private static int longest(TrajectorySet set) {
        int max = 0;
        for (Trajectory t : set) {
            max = Math.max(max, t.frames());
        }
        return max;
    }

    @Override
    public String toString() {
        return "RealHalves: " + first.size() + " clip halves of " + first.totalFrames() + " and " + second.totalFrames()
                + " frames";
    }
}

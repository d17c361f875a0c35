package org.latentmotion.wplus;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Several clips of one subject (one actor's video split at its cuts), all with the same layer
 * count, width and frame rate, and optionally the {@link GroundTruthReader} that reads what their
 * frames show.
 */
public class TrajectorySet implements Iterable<Trajectory> {
    private final String name;
    private final List<Trajectory> clips;
    private final GroundTruthReader groundTruthReader; // null: no known truth

    protected TrajectorySet(String name, List<Trajectory> clips) {
        this(name, clips, null);
    }

    /** A set whose frames {@code reader} can read the truth of (null: none known). */
    protected TrajectorySet(String name, List<Trajectory> clips, GroundTruthReader reader) {
        Objects.requireNonNull(clips, "clips");
        if (clips.isEmpty()) {
            throw new IllegalArgumentException("trajectory set '" + name + "': expected at least one clip, found none");
        }
        Trajectory first = clips.get(0);
        for (int i = 1; i < clips.size(); i++) {
            Trajectory c = clips.get(i);
            if (c.layers() != first.layers() || c.width() != first.width() || c.fps() != first.fps()) {
                throw new IllegalArgumentException("trajectory set '" + name + "': clip " + i + " is "
                        + c.describeShape() + " at " + c.fps() + " fps, expected [*, " + first.layers() + ", "
                        + first.width() + "] at " + first.fps() + " fps like clip 0");
            }
        }
        this.name = name == null ? "" : name;
        this.clips = List.copyOf(clips);
        this.groundTruthReader = reader;
    }

    /**
     * A set of {@code clips} (copied list) called {@code name}, with no ground truth; throws if there are no clips or
     * they differ in layers, width or fps.
     */
    public static TrajectorySet of(String name, List<Trajectory> clips) {
        return new TrajectorySet(name, clips);
    }

    /** A set of {@code clips} called {@code name}, as {@link #of(String, List)}. */
    public static TrajectorySet of(String name, Trajectory... clips) {
        return new TrajectorySet(name, List.of(clips));
    }

    /** The set's name ("" if none was given). */
    public String name() {
        return name;
    }

    /** What reads the truth of these clips' frames, if it is known (the toy world's codec, your key-point reader). */
    public Optional<GroundTruthReader> groundTruthReader() {
        return Optional.ofNullable(groundTruthReader);
    }

    /** The same clips with {@code reader} as their ground truth (for evaluating models of your own data). */
    public TrajectorySet withGroundTruthReader(GroundTruthReader reader) {
        return new TrajectorySet(name, clips, Objects.requireNonNull(reader, "reader"));
    }

    /** The clips in order (unmodifiable). */
    public List<Trajectory> clips() {
        return clips;
    }

    /** Number of clips. */
    public int size() {
        return clips.size();
    }

    /** Clip {@code i}; throws {@link IndexOutOfBoundsException} outside 0 … size − 1. */
    public Trajectory clip(int i) {
        return clips.get(i);
    }

    /** W+ layers L, the same for every clip. */
    public int layers() {
        return clips.get(0).layers();
    }

    /** Code width D, the same for every clip. */
    public int width() {
        return clips.get(0).width();
    }

    /** Frames per second, the same for every clip. */
    public double fps() {
        return clips.get(0).fps();
    }

    /** Total frames over all clips. */
    public long totalFrames() {
        long n = 0;
        for (Trajectory c : clips) {
            n += c.frames();
        }
        return n;
    }

    /** All clips' frames in one trajectory (for PCA and statistics, not for windows). */
    public Trajectory allFrames() {
        return Trajectory.concat(clips).withSource(name);
    }

    /** Training windows of {@code length} consecutive frames, stride 1, never crossing a cut. */
    public Windows windows(int length) {
        return new Windows(this, length, 1);
    }

    /** Training windows of {@code length} frames taken every {@code stride} frames. */
    public Windows windows(int length, int stride) {
        return new Windows(this, length, stride);
    }

    /**
     * Splits by time: the first {@code trainFraction} of all frames (clips in order) for
     * training, the rest for testing. The clip spanning the cut is cut in two, so a window of
     * either part never holds a frame of the other.
     */
    public Split split(double trainFraction) {
        if (!(trainFraction > 0 && trainFraction < 1)) {
            throw new IllegalArgumentException("split: expected a train fraction in (0, 1), found " + trainFraction);
        }
        long total = totalFrames();
        long cut = Math.round(total * trainFraction);
        if (cut < 1 || cut >= total) {
            throw new IllegalArgumentException("split " + trainFraction + " of " + total
                    + " frames leaves one side empty");
        }
        List<Trajectory> train = new ArrayList<>();
        List<Trajectory> test = new ArrayList<>();
        long start = 0;
        for (Trajectory c : clips) {
            long end = start + c.frames();
            if (end <= cut) {
                train.add(c);
            } else if (start >= cut) {
                test.add(c);
            } else {
                int at = (int) (cut - start);
                train.add(c.slice(0, at));
                test.add(c.slice(at, c.frames()));
            }
            start = end;
        }
        GroundTruthReader reader = groundTruthReader().orElse(null);
        return new Split(new TrajectorySet(name + " (train)", train, reader),
                new TrajectorySet(name + " (test)", test, reader), trainFraction);
    }

    /** Training and test parts of a set, split by time. */
    public record Split(TrajectorySet train, TrajectorySet test, double trainFraction) {
        @Override
        public String toString() {
            return String.format("Split %.0f%% / %.0f%% by time: train %d frames in %d clips, test %d frames in %d clips",
                    100 * trainFraction, 100 * (1 - trainFraction), train.totalFrames(), train.size(),
                    test.totalFrames(), test.size());
        }
    }

    /** One row per clip: source, frames, duration, per-group norms and speeds (see {@link Trajectory#summary()}). */
    public Table table() {
        Table t = Table.create(name.isEmpty() ? "clips" : name);
        t.addColumns(IntColumn.create("clip"), StringColumn.create("source"));
        clips.get(0).addSummaryColumns(t);
        for (int i = 0; i < clips.size(); i++) {
            t.intColumn("clip").append(i);
            t.stringColumn("source").append(clips.get(i).source());
            clips.get(i).appendSummaryRow(t);
        }
        return t;
    }

    @Override
    public Iterator<Trajectory> iterator() {
        return clips.iterator();
    }

    @Override
    public String toString() {
        return String.format("TrajectorySet '%s': %d clips, %d frames × %d layers × %d at %.3g fps", name,
                clips.size(), totalFrames(), layers(), width(), fps());
    }

    List<Trajectory> clipsView() {
        return new ArrayList<>(clips);
    }
}

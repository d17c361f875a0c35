package org.latentmotion.wplus;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.latentmotion.display.Displayable;
import org.latentmotion.display.MimeBundle;

/**
 * Several clips of one subject (one actor's video split at its cuts), all with the same layer
 * count, width and frame rate.
 */
public class TrajectorySet implements Iterable<Trajectory>, Displayable {
    private final String name;
    private final List<Trajectory> clips;

    protected TrajectorySet(String name, List<Trajectory> clips) {
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
    }

    public static TrajectorySet of(String name, List<Trajectory> clips) {
        return new TrajectorySet(name, clips);
    }

    public static TrajectorySet of(String name, Trajectory... clips) {
        return new TrajectorySet(name, List.of(clips));
    }

    public String name() {
        return name;
    }

    public List<Trajectory> clips() {
        return clips;
    }

    public int size() {
        return clips.size();
    }

    public Trajectory clip(int i) {
        return clips.get(i);
    }

    public int layers() {
        return clips.get(0).layers();
    }

    public int width() {
        return clips.get(0).width();
    }

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

    @Override
    public Iterator<Trajectory> iterator() {
        return clips.iterator();
    }

    @Override
    public void renderTo(MimeBundle bundle) {
        bundle.text(toString());
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

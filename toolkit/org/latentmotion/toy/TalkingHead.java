package org.latentmotion.toy;

import java.util.List;
import org.latentmotion.wplus.Trajectory;
import org.latentmotion.wplus.TrajectorySet;
import org.nd4j.linalg.api.ndarray.INDArray;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * One toy actor talking, as W+ clips split at cuts, with the ground-truth face parameters of every
 * frame beside the codes. Made by {@link ToyWorld#talkingHead()}. Its
 * {@link #groundTruthReader()} is the {@link FaceCodec}, so metrics can read any toy-face
 * trajectory's motion and identity the way this ground truth was read.
 */
public final class TalkingHead extends TrajectorySet {
    private final List<FaceParameters> groundTruth;
    private final INDArray identity;
    private final long actor;
    private final long seed;
    private final double jitter;

    TalkingHead(String name, List<Trajectory> clips, List<FaceParameters> groundTruth, INDArray identity, long actor,
            long seed, double jitter) {
        super(name, clips, FaceCodec.spec());
        if (groundTruth.size() != clips.size()) {
            throw new IllegalArgumentException("talking head: " + groundTruth.size() + " ground truths for "
                    + clips.size() + " clips");
        }
        this.groundTruth = List.copyOf(groundTruth);
        this.identity = identity;
        this.actor = actor;
        this.seed = seed;
        this.jitter = jitter;
    }

    /** Ground-truth parameters of every clip, in clip order. */
    public List<FaceParameters> groundTruth() {
        return groundTruth;
    }

    /** Ground-truth parameters of clip {@code i}. */
    public FaceParameters groundTruth(int i) {
        return groundTruth.get(i);
    }

    /** Ground truth of all clips one after another. */
    public FaceParameters allGroundTruth() {
        return FaceParameters.concat(groundTruth);
    }

    /** The actor's code at rest [18, 512] (a copy): identity with the neutral pose and expression. */
    public INDArray identity() {
        return identity.dup();
    }

    /** The actor seed. */
    public long actor() {
        return actor;
    }

    /** The motion seed. */
    public long seed() {
        return seed;
    }

    /** Per-dimension std of the embedding jitter. */
    public double jitter() {
        return jitter;
    }

    /** Motion statistics of the ground truth. */
    public MotionStatistics statistics() {
        return MotionStatistics.of(groundTruth);
    }

    /** One row per clip: frames, seconds, blinks per minute, mouth rhythm. */
    public Table clipTable() {
        IntColumn clip = IntColumn.create("clip");
        IntColumn frames = IntColumn.create("frames");
        DoubleColumn seconds = DoubleColumn.create("seconds");
        DoubleColumn blinks = DoubleColumn.create("blinks / min");
        DoubleColumn rhythm = DoubleColumn.create("mouth rhythm Hz");
        for (int i = 0; i < size(); i++) {
            FaceParameters g = groundTruth.get(i);
            MotionStatistics s = MotionStatistics.of(g);
            clip.append(i);
            frames.append(g.frames());
            seconds.append(Math.round(g.durationSeconds() * 100) / 100.0);
            blinks.append(Math.round(s.blinksPerMinute() * 10) / 10.0);
            rhythm.append(Math.round(s.mouthRhythmHz() * 100) / 100.0);
        }
        return Table.create(name() + ": clips", clip, frames, seconds, blinks, rhythm);
    }

    @Override
    public String toString() {
        return String.format("TalkingHead actor %d (motion seed %d): %d clips, %d frames (%.1f s) × %d layers × %d at "
                + "%.3g fps, jitter %.3g", actor, seed, size(), totalFrames(), totalFrames() / fps(), layers(), width(),
                fps(), jitter);
    }
}

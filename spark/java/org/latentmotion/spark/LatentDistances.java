package org.latentmotion.spark;

import java.util.Locale;
import org.latentmotion.metrics.FrechetDistance;
import org.latentmotion.metrics.Gaussian;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * What {@link LatentEvaluationJob} measured: the Gaussians of real and generated frames and
 * clips (merged from the partitions' sums) and the Fréchet distances between them, by the
 * single-machine {@link FrechetDistance}.
 */
public final class LatentDistances {
    private final Gaussian realFrames;
    private final Gaussian generatedFrames;
    private final Gaussian realClips;
    private final Gaussian generatedClips;
    private final long[] counts; // real frames, generated frames, real clips, generated clips
    private final double frames;
    private final double clips;
    private final int components;
    private final int window;
    private final int clipComponents;
    private final int stride;

    LatentDistances(LatentMoments sums, int components, int window, int clipComponents, int stride) {
        this.components = components;
        this.window = window;
        this.clipComponents = clipComponents;
        this.stride = stride;
        realFrames = gaussian(sums.realFrames, "real frames");
        generatedFrames = gaussian(sums.generatedFrames, "generated frames");
        realClips = gaussian(sums.realClips, "real " + window + "-frame clips");
        generatedClips = gaussian(sums.generatedClips, "generated " + window + "-frame clips");
        counts = new long[] {sums.realFrames.count(), sums.generatedFrames.count(), sums.realClips.count(),
            sums.generatedClips.count()};
        frames = FrechetDistance.between(realFrames, generatedFrames);
        clips = FrechetDistance.between(realClips, generatedClips);
    }

    private static Gaussian gaussian(FeatureMoments m, String what) {
        if (m.count() < 2) {
            throw new IllegalArgumentException("evaluate: a covariance of " + what + " needs at least 2, found "
                    + m.count());
        }
        return m.gaussian();
    }

    /** Fréchet distance between all real and all generated frames in the PCA basis (FID's analogue in W+). */
    public double frames() {
        return frames;
    }

    /** Fréchet distance between all real and all generated clips (FVD's analogue in W+). */
    public double clips() {
        return clips;
    }

    /** The Gaussian of the real frames' PCA coordinates. */
    public Gaussian realFrames() {
        return realFrames;
    }

    /** The Gaussian of the generated frames' PCA coordinates. */
    public Gaussian generatedFrames() {
        return generatedFrames;
    }

    /** The Gaussian of the real clips' feature vectors. */
    public Gaussian realClips() {
        return realClips;
    }

    /** The Gaussian of the generated clips' feature vectors. */
    public Gaussian generatedClips() {
        return generatedClips;
    }

    /** Frames summed on the real side. */
    public long realFrameCount() {
        return counts[0];
    }

    /** Frames summed on the generated side. */
    public long generatedFrameCount() {
        return counts[1];
    }

    /** Clips summed on the real side. */
    public long realClipCount() {
        return counts[2];
    }

    /** Clips summed on the generated side. */
    public long generatedClipCount() {
        return counts[3];
    }

    /** One row per distance: what, how many rows each side, the distance. */
    public Table table() {
        StringColumn what = StringColumn.create("distance");
        LongColumn real = LongColumn.create("real rows");
        LongColumn gen = LongColumn.create("generated rows");
        IntColumn dim = IntColumn.create("features");
        DoubleColumn d = DoubleColumn.create("Fréchet distance");
        what.append("frames (FD in W+)");
        real.append(counts[0]);
        gen.append(counts[1]);
        dim.append(components);
        d.append(frames);
        what.append(window + "-frame clips (FVD in W+), stride " + stride);
        real.append(counts[2]);
        gen.append(counts[3]);
        dim.append(window * clipComponents);
        d.append(clips);
        return Table.create("W+ Fréchet distances on Spark (" + components + " PCA components)", what, real, gen, dim, d);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "LatentDistances[frames %.6g (%d vs %d), clips %.6g (%d vs %d)]", frames,
                counts[0], counts[1], clips, counts[2], counts[3]);
    }
}

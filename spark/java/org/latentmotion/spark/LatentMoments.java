package org.latentmotion.spark;

import java.io.Serializable;

/**
 * The feature sums of one partition (or, merged, of the whole input): frames and clips of the
 * real and the generated side. Merged with {@link #merge}, which Spark's reduce calls.
 */
final class LatentMoments implements Serializable {
    private static final long serialVersionUID = 1L;
    final FeatureMoments realFrames;
    final FeatureMoments realClips;
    final FeatureMoments generatedFrames;
    final FeatureMoments generatedClips;

    LatentMoments(int frameDimension, int clipDimension) {
        realFrames = FeatureMoments.empty(frameDimension);
        realClips = FeatureMoments.empty(clipDimension);
        generatedFrames = FeatureMoments.empty(frameDimension);
        generatedClips = FeatureMoments.empty(clipDimension);
    }

    FeatureMoments frames(boolean real) {
        return real ? realFrames : generatedFrames;
    }

    FeatureMoments clips(boolean real) {
        return real ? realClips : generatedClips;
    }

    LatentMoments merge(LatentMoments other) {
        realFrames.merge(other.realFrames);
        realClips.merge(other.realClips);
        generatedFrames.merge(other.generatedFrames);
        generatedClips.merge(other.generatedClips);
        return this;
    }
}

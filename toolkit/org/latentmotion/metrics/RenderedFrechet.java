package org.latentmotion.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.latentmotion.wplus.FrameRenderer;
import org.latentmotion.wplus.Trajectory;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * FID and FVD on rendered frames, with the references' protocols: FID on N random frames of
 * each set through an image extractor (Inception, {@link InputSpec#fid()}); FVD on N random clips
 * of the clip extractor's length (16 or 25 frames) through a clip extractor (I3D,
 * {@link InputSpec#fvd(int)}). Frames are drawn by a {@link FrameRenderer} (a StyleGAN on ONNX
 * Runtime, or the toy face) from W+ trajectories, so "real" can be the W+ embedding of the
 * training video, as in the paper's W+ rows.
 *
 * <pre>{@code
 * try (var inception = FeatureExtractor.open(Path.of("inception.onnx"), InputSpec.fid())) {
 *     double fid = RenderedFrechet.fid(inception, synthesizer).samples(8000).between(real.clips(), generated);
 * }
 * }</pre>
 */
public final class RenderedFrechet {
    private final FeatureExtractor extractor;
    private final FrameRenderer renderer;
    private int samples;
    private long seed = 0;
    private int batch = 16;

    private RenderedFrechet(FeatureExtractor extractor, FrameRenderer renderer, int samples) {
        this.extractor = Objects.requireNonNull(extractor, "extractor");
        this.renderer = Objects.requireNonNull(renderer, "renderer");
        this.samples = samples;
    }

    /** FID: random frames (default 8000, as the paper) through an image extractor. */
    public static RenderedFrechet fid(FeatureExtractor imageExtractor, FrameRenderer renderer) {
        if (imageExtractor.spec().isClip()) {
            throw new IllegalArgumentException("FID: expected an image extractor, found a clip model (" + imageExtractor.spec() + ")");
        }
        return new RenderedFrechet(imageExtractor, renderer, 8000);
    }

    /** FVD: random clips (default 2048, as the paper) of the extractor's frame count through a clip extractor. */
    public static RenderedFrechet fvd(FeatureExtractor clipExtractor, FrameRenderer renderer) {
        if (!clipExtractor.spec().isClip()) {
            throw new IllegalArgumentException("FVD: expected a clip extractor, found an image model (" + clipExtractor.spec() + ")");
        }
        return new RenderedFrechet(clipExtractor, renderer, 2048);
    }

    /** Frames (FID, default 8000) or clips (FVD, default 2048) drawn from each side; throws if fewer than 2. */
    public RenderedFrechet samples(int n) {
        if (n < 2) {
            throw new IllegalArgumentException("samples: expected at least 2, found " + n);
        }
        samples = n;
        return this;
    }

    /** Seed of the random draws (default 0; the real side draws with it, the generated side with seed + 1). */
    public RenderedFrechet seed(long s) {
        seed = s;
        return this;
    }

    /** Frames (FID) or clips (FVD) rendered per call. */
    public RenderedFrechet batch(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("batch: expected at least 1, found " + n);
        }
        batch = n;
        return this;
    }

    /** Frames per sample: 1 for FID, the clip extractor's length for FVD. */
    int sampleFrames() {
        return extractor.spec().frames();
    }

    /** The Fréchet distance between the features of random frames/clips of {@code real} and {@code generated}. */
    public double between(List<Trajectory> real, List<Trajectory> generated) {
        return FrechetDistance.between(features(real, seed), features(generated, seed + 1));
    }

    /** Features [samples, F] of random frames/clips of {@code set}. */
    public INDArray features(List<Trajectory> set, long drawSeed) {
        int length = extractor.spec().frames();
        long[] cumulative = new long[set.size()];
        long total = 0;
        for (int i = 0; i < set.size(); i++) {
            Trajectory t = set.get(i);
            if (t.layers() != renderer.layers() || t.width() != renderer.width()) {
                throw new IllegalArgumentException("rendered Fréchet: trajectory " + i + " is W+ [" + t.layers() + ", "
                        + t.width() + "], the renderer takes [" + renderer.layers() + ", " + renderer.width() + "]");
            }
            total += Math.max(0, t.frames() - length + 1);
            cumulative[i] = total;
        }
        if (total == 0) {
            throw new IllegalArgumentException("rendered Fréchet: no trajectory has the " + length + " frames a clip needs");
        }
        SplittableRandom r = new SplittableRandom(drawSeed);
        List<INDArray> feats = new ArrayList<>();
        List<INDArray> pending = new ArrayList<>();
        for (int n = 0; n < samples; n++) {
            long pick = r.nextLong(total);
            int clip = 0;
            while (cumulative[clip] <= pick) {
                clip++;
            }
            int start = (int) (pick - (clip == 0 ? 0 : cumulative[clip - 1]));
            pending.add(set.get(clip).codes().get(NDArrayIndex.interval(start, start + length), NDArrayIndex.all(),
                    NDArrayIndex.all()));
            if (pending.size() == batch || n == samples - 1) {
                feats.add(extract(pending, length));
                pending.clear();
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new IllegalStateException("rendered Fréchet: interrupted after " + n + " of " + samples + " samples");
            }
        }
        return Nd4j.concat(0, feats.toArray(new INDArray[0]));
    }

    private INDArray extract(List<INDArray> windows, int length) {
        INDArray codes = Nd4j.concat(0, windows.toArray(new INDArray[0])).dup('c'); // [B·length, L, D]
        INDArray pixels = Frames.toArray(Arrays.asList(renderer.renderFrames(codes))); // [B·length, 3, H, W]
        if (!extractor.spec().isClip()) {
            return extractor.features(pixels);
        }
        long[] s = pixels.shape();
        return extractor.features(pixels.reshape('c', windows.size(), length, s[1], s[2], s[3]));
    }
}

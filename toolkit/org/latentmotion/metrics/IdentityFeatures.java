package org.latentmotion.metrics;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.latentmotion.pca.LatentPca;
import org.latentmotion.toy.FaceParameters;
import org.latentmotion.toy.FaceCodec;
import org.latentmotion.wplus.FrameRenderer;
import org.latentmotion.wplus.Trajectory;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Who is on screen in each frame, as a feature vector: what {@link IdentityConsistency} (ACD)
 * compares between frames of one sample.
 */
public interface IdentityFeatures {

    /** Identity features of every frame of {@code sample}, [T, F]. */
    INDArray of(Trajectory sample);

    /** A short name for tables. */
    String name();

    /**
     * The default world: the toy face's identity parameters (face shape, colours, light) read from
     * each frame's code, each scaled by its valid range to [0, 1]. Exact ground truth of who the
     * toy face draws; only meaningful for toy-face W+ codes.
     */
    static IdentityFeatures toyFace() {
        return new IdentityFeatures() {
            @Override
            public INDArray of(Trajectory sample) {
                FaceCodec face = FaceCodec.spec();
                if (sample.layers() != face.layers() || sample.width() != face.width()) {
                    throw new IllegalArgumentException("toy-face identity: expected W+ [" + face.layers() + ", "
                            + face.width() + "] codes, found [" + sample.layers() + ", " + sample.width() + "]");
                }
                FaceParameters p = FaceCodec.decode(sample);
                List<String> names = face.names(FaceCodec.Kind.IDENTITY);
                float[][] out = new float[sample.frames()][names.size()];
                for (int j = 0; j < names.size(); j++) {
                    FaceCodec.Parameter par = face.parameter(names.get(j));
                    double[] v = p.get(names.get(j));
                    for (int t = 0; t < v.length; t++) {
                        out[t][j] = (float) ((v[t] - par.lo()) / (par.hi() - par.lo()));
                    }
                }
                return Nd4j.createFromArray(out);
            }

            @Override
            public String name() {
                return "toy-face identity parameters";
            }
        };
    }

    /**
     * Any StyleGAN, no extractor: the part of each code outside the real motion subspace — the
     * code minus its reconstruction from the first k components of {@code stateBasis} (the same
     * split of W+ into state and identity that the offset trick relies on).
     */
    static IdentityFeatures latentResidual(LatentPca stateBasis) {
        Objects.requireNonNull(stateBasis, "stateBasis");
        return new IdentityFeatures() {
            @Override
            public INDArray of(Trajectory sample) {
                INDArray flat = sample.flatFrames();
                return flat.sub(stateBasis.reconstruct(stateBasis.project(flat)));
            }

            @Override
            public String name() {
                return "W+ outside the " + stateBasis.k() + "-component motion basis";
            }
        };
    }

    /**
     * A face-recognition network on rendered frames (the paper uses face_recognition's 128-d
     * embeddings): frames are drawn by {@code renderer} in batches and fed to {@code network}.
     */
    static IdentityFeatures onnx(FeatureExtractor network, FrameRenderer renderer) {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(renderer, "renderer");
        if (network.spec().isClip()) {
            throw new IllegalArgumentException("identity features: expected an image model, found a clip model ("
                    + network.spec() + ")");
        }
        return new IdentityFeatures() {
            @Override
            public INDArray of(Trajectory sample) {
                if (sample.layers() != renderer.layers() || sample.width() != renderer.width()) {
                    throw new IllegalArgumentException("identity features: the renderer takes W+ [" + renderer.layers()
                            + ", " + renderer.width() + "], the sample is [" + sample.layers() + ", " + sample.width() + "]");
                }
                List<INDArray> parts = new ArrayList<>();
                int batch = 16;
                for (int s = 0; s < sample.frames(); s += batch) {
                    int e = Math.min(sample.frames(), s + batch);
                    INDArray codes = sample.codes().get(NDArrayIndex.interval(s, e), NDArrayIndex.all(), NDArrayIndex.all());
                    BufferedImage[] images = renderer.renderFrames(codes.dup('c'));
                    parts.add(network.features(Arrays.asList(images)));
                }
                return Nd4j.concat(0, parts.toArray(new INDArray[0]));
            }

            @Override
            public String name() {
                return network.toString();
            }
        };
    }
}

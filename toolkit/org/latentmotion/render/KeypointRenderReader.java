package org.latentmotion.render;

import java.util.List;
import org.latentmotion.wplus.KeypointReader;
import org.latentmotion.wplus.Trajectory;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A {@link KeypointModel} reading the frames a {@link Synthesizer} renders ({@link KeypointModel#on}):
 * W+ frames → images → points, a block of frames at a time so memory stays bounded whatever the
 * trajectory's length. It borrows both models; closing them is their owner's business.
 */
final class KeypointRenderReader implements KeypointReader {
    private final KeypointModel detector;
    private final Synthesizer synthesizer;

    KeypointRenderReader(KeypointModel detector, Synthesizer synthesizer) {
        this.detector = detector;
        this.synthesizer = synthesizer;
    }

    @Override
    public String name() {
        return detector.title();
    }

    @Override
    public List<String> keypointNames() {
        return detector.keypointNames();
    }

    /**
     * Frames rendered and detected at once: the synthesizer's own batch (4 at 128², 1 at 1024²).
     * ONNX Runtime keeps the largest working memory a session ever needed, so blocks of 64 frames
     * left the detector (and a notebook's kernel) holding about 3 GB after one read.
     */
    int block() {
        int own = synthesizer.options().batchFor(synthesizer.imageHeight(), synthesizer.imageWidth());
        long pixels = (long) Math.max(1, synthesizer.imageHeight()) * Math.max(1, synthesizer.imageWidth());
        int bound = (int) Math.max(1, Math.min(KeypointModel.READ_BLOCK_MAX, KeypointModel.READ_BLOCK_PIXELS / pixels));
        return Math.max(1, Math.min(own, bound));
    }

    /**
     * Renders every frame of {@code frames} with the synthesizer and detects its points: float32
     * [T, K, 2] in [−1, 1]. Throws before rendering if the codes do not fit the synthesizer.
     */
    @Override
    public INDArray read(Trajectory frames) {
        if (frames == null) {
            throw new IllegalArgumentException(name() + ": expected a trajectory of W+ frames, found null");
        }
        if (frames.layers() != synthesizer.layers() || frames.width() != synthesizer.width()) {
            throw new IllegalArgumentException(name() + ": synthesis model " + synthesizer.name() + " expects codes [T, "
                    + synthesizer.layers() + ", " + synthesizer.width() + "], found trajectory [" + frames.frames() + ", "
                    + frames.layers() + ", " + frames.width() + "]");
        }
        int t = frames.frames();
        int k = detector.keypoints();
        INDArray codes = frames.codes();
        // ND4J gets a view of a view wrong (see Synthesizer.runBatches): cut blocks from a copy of a view
        INDArray all = codes.isView() ? codes.dup('c') : codes;
        float[] points = new float[t * k * 2];
        int block = block();
        for (int from = 0; from < t; from += block) {
            int to = Math.min(t, from + block);
            INDArray part = all.get(NDArrayIndex.interval(from, to), NDArrayIndex.all(), NDArrayIndex.all()).dup('c');
            INDArray images = synthesizer.synthesize(part);
            part.close();
            INDArray found = detector.detect(images, synthesizer.range());
            images.close(); // native memory: left to the GC it piles up over a long clip
            float[] p = found.data().asFloat();
            found.close();
            System.arraycopy(p, 0, points, from * k * 2, (to - from) * k * 2);
        }
        return Nd4j.create(points, new long[] {t, k, 2}, 'c');
    }

    @Override
    public String toString() {
        return name() + ": " + detector.name() + " (" + detector.keypoints() + " points: "
                + String.join(", ", detector.keypointNames()) + ") on frames rendered by " + synthesizer.name() + " ("
                + synthesizer.imageWidth() + "×" + synthesizer.imageHeight() + (detector.inputWidth() > 0
                && (detector.inputWidth() != synthesizer.imageWidth() || detector.inputHeight() != synthesizer.imageHeight())
                ? ", resized to " + detector.inputWidth() + "×" + detector.inputHeight() : "") + ")";
    }
}

package org.latentmotion.spark;

import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.Function2;
import org.latentmotion.pca.LatentPca;
import org.latentmotion.wplus.Trajectory;
import org.nd4j.linalg.api.buffer.DataType;
import scala.Tuple2;

/**
 * One partition of {@link LatentEvaluationJob}: reads its NPY files (tagged real or generated),
 * projects every frame on the shipped PCA basis and sums frames and clips into
 * {@link LatentMoments}. Returns exactly one element, so the driver's reduce sees every partition.
 */
final class LatentMomentsPartition implements FlatMapFunction<Iterator<Tuple2<Boolean, String>>, LatentMoments> {
    private static final long serialVersionUID = 1L;
    private final byte[] pcaNpz;
    private final int components;
    private final int window;
    private final int clipComponents;
    private final int stride;
    private final HadoopConfiguration conf;

    LatentMomentsPartition(byte[] pcaNpz, int components, int window, int clipComponents, int stride,
            HadoopConfiguration conf) {
        this.pcaNpz = pcaNpz;
        this.components = components;
        this.window = window;
        this.clipComponents = clipComponents;
        this.stride = stride;
        this.conf = conf;
    }

    @Override
    public Iterator<LatentMoments> call(Iterator<Tuple2<Boolean, String>> items) {
        LatentPca pca = TrajectoryFiles.pcaOf(pcaNpz);
        LatentMoments sums = new LatentMoments(components, window * clipComponents);
        while (items.hasNext()) {
            Tuple2<Boolean, String> item = items.next();
            String path = item._2();
            List<Trajectory> clips;
            try {
                clips = TrajectoryFiles.read(path, 25, conf.get());
            } catch (RuntimeException e) {
                throw new BadInputException(path, "evaluate: bad input file " + path + ": " + e.getMessage(), e);
            }
            for (Trajectory t : clips) {
                if (t.layers() != pca.layers() || t.width() != pca.width()) {
                    throw new BadInputException(path, "evaluate: bad input file " + path + ": " + t.source()
                            + " is W+ [" + t.layers() + ", " + t.width() + "], the PCA basis is for [" + pca.layers()
                            + ", " + pca.width() + "]", null);
                }
                double[][] coords = pca.project(t).castTo(DataType.DOUBLE).toDoubleMatrix();
                sums.frames(item._1()).add(coords);
                sums.clips(item._1()).add(LatentEvaluationJob.clipRows(coords, window, clipComponents, stride));
            }
        }
        return List.of(sums).iterator();
    }

    /** Spark's reduce of partition sums into one, on the driver. */
    static final class Merge implements Function2<LatentMoments, LatentMoments, LatentMoments> {
        private static final long serialVersionUID = 1L;

        @Override
        public LatentMoments call(LatentMoments a, LatentMoments b) {
            return a.merge(b);
        }
    }
}

package org.latentmotion.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.latentmotion.pca.LatentPca;
import org.latentmotion.wplus.Npy;
import org.latentmotion.wplus.NpyFormatException;
import org.latentmotion.wplus.Trajectory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Reading the jobs' inputs on an executor: NPY trajectories and a PCA basis, through Hadoop paths. */
final class TrajectoryFiles {
    private TrajectoryFiles() {
    }

    /**
     * The trajectories in one NPY file: [T, L, D] is one, [N, T, L, D] is N (named
     * {@code file[i]}), as {@link Npy#readTrajectories} reads them.
     */
    static List<Trajectory> read(String path, double fps, Configuration conf) {
        byte[] bytes = HadoopFiles.read(path, conf);
        String name = new org.apache.hadoop.fs.Path(path).getName();
        INDArray a = Npy.fromBytes(bytes, path, DataType.FLOAT, false);
        List<Trajectory> out = new ArrayList<>();
        if (a.rank() == 3) {
            out.add(trajectory(a, fps, name, path));
        } else if (a.rank() == 4) {
            for (int i = 0; i < a.size(0); i++) {
                INDArray clip = a.get(NDArrayIndex.point(i), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all());
                out.add(trajectory(clip.dup('c'), fps, name + "[" + i + "]", path));
            }
        } else {
            throw new NpyFormatException(path, "expected a trajectory [T, L, D] or trajectories [N, T, L, D], found shape "
                    + Arrays.toString(a.shape()));
        }
        return out;
    }

    private static Trajectory trajectory(INDArray a, double fps, String name, String path) {
        if (a.length() == 0) {
            throw new NpyFormatException(path, "expected a trajectory with no empty axis, found shape "
                    + Arrays.toString(a.shape()));
        }
        return Trajectory.of(a, fps, name);
    }

    /** The bytes of {@code pca}'s NPZ archive ({@link LatentPca#save}), to ship with a task. */
    static byte[] bytesOf(LatentPca pca) {
        try {
            java.nio.file.Path tmp = Files.createTempFile("latentmotion-pca-", ".npz");
            try {
                pca.save(tmp);
                return Files.readAllBytes(tmp);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not serialize the PCA basis: " + e.getMessage(), e);
        }
    }

    /** The PCA basis {@link #bytesOf} shipped: the same float32 mean and components, so projections agree bit for bit. */
    static LatentPca pcaOf(byte[] npz) {
        try {
            java.nio.file.Path tmp = Files.createTempFile("latentmotion-pca-", ".npz");
            try {
                Files.write(tmp, npz);
                return LatentPca.load(tmp);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the shipped PCA basis: " + e.getMessage(), e);
        }
    }
}

package org.latentmotion.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.hadoop.fs.Path;
import org.latentmotion.video.VideoOptions;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Encodes footage to W+ trajectories on Spark: each input — a folder of frames (.png, .jpg,
 * .jpeg, .bmp or .gif, in name order) or a video file (.mp4, .mov, .mkv, .avi or .webm, decoded by
 * ffmpeg on the executor) — becomes one NPY trajectory [T, L, 512] named after it
 * ({@code frames/clip-7/} → {@code clip-7.npy}, {@code talk.mp4} → {@code talk.npy}). Each
 * executor opens the encoder of {@link #with} once ({@link ExecutorSessions}) and encodes a batch
 * of frames at a time exactly as {@link org.latentmotion.render.Encoder#encode(org.latentmotion.video.Footage)}
 * does on one machine; every NPY is written under a temporary name and renamed when complete.
 *
 * <p>A bad input (an unreadable picture, a folder with no frames, a file that is not a video)
 * does not stop the others: they are encoded and written, and then the job fails with a
 * {@link BadInputException} naming every bad input and why.
 *
 * <pre>{@code
 * Table codes = jobs.encode(frameFolders).with(EncoderModel.file("hdfs:///models/psp.onnx")).fps(25)
 *         .into("file:///data/wplus");
 * }</pre>
 */
public final class EncodeJob {
    private final SparkJobs jobs;
    private final List<String> inputs;
    private EncoderModel model = EncoderModel.testPsp();
    private double fps = 25;
    private int partitions;

    EncodeJob(SparkJobs jobs, List<String> inputs) {
        this.jobs = jobs;
        this.inputs = SparkJobs.distinctInputs("encode", inputs, "frame folders or video files", EncodeJob::stem,
                "trajectories");
    }

    /** The encoder (default {@link EncoderModel#testPsp()}). */
    public EncodeJob with(EncoderModel encoderModel) {
        model = Objects.requireNonNull(encoderModel, "encoderModel");
        return this;
    }

    /** Frame rate of folders of frames (default 25); a video file keeps its own. */
    public EncodeJob fps(double framesPerSecond) {
        VideoOptions.requireSupportedFps(framesPerSecond);
        fps = framesPerSecond;
        return this;
    }

    /** Number of Spark partitions (default: the context's default parallelism, at most one per input). */
    public EncodeJob partitions(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("partitions: expected at least 1, found " + n);
        }
        partitions = n;
        return this;
    }

    /**
     * Runs the job, writing one NPY per input into {@code outputFolder} (a Hadoop path, created
     * if missing), and returns one row per trajectory: input, output, frames, layers, seconds.
     *
     * @throws BadInputException after every good input is written, if any input could not be encoded
     */
    public Table into(String outputFolder) {
        Objects.requireNonNull(outputFolder, "outputFolder");
        int tasks = jobs.tasksFor(partitions, inputs.size());
        HadoopConfiguration conf = jobs.hadoopConfiguration();
        EncodePartition partition = new EncodePartition(model, outputFolder, fps, conf);
        List<EncodedFile> done = jobs.run("encode " + inputs.size() + " input" + (inputs.size() == 1 ? "" : "s"), tasks,
                "frames", () -> jobs.context().parallelize(inputs, tasks).mapPartitions(partition).collect(),
                rows -> rows.stream().mapToLong(EncodedFile::frames).sum());
        List<EncodedFile> written = new ArrayList<>();
        List<EncodedFile> bad = new ArrayList<>();
        for (EncodedFile r : done) {
            (r.error() == null ? written : bad).add(r);
            HadoopFiles.deleteTemporaries(outputOf(outputFolder, r.input()), conf.get());
        }
        jobs.failIfAnyBad(bad, EncodedFile::input, EncodedFile::error, "encode: " + bad.size() + " of " + inputs.size()
                + " inputs could not be encoded (the other " + written.size() + " trajectories are written in "
                + outputFolder + ")");
        StringColumn input = StringColumn.create("input");
        StringColumn output = StringColumn.create("output");
        IntColumn frames = IntColumn.create("frames");
        IntColumn layers = IntColumn.create("layers");
        DoubleColumn seconds = DoubleColumn.create("seconds");
        written.sort((a, b) -> a.output().compareTo(b.output()));
        for (EncodedFile r : written) {
            input.append(r.input());
            output.append(r.output());
            frames.append(r.frames());
            layers.append(r.layers());
            seconds.append(r.millis() / 1000.0);
        }
        return Table.create("encoded with " + model + " on " + jobs.context().master(), input, output, frames, layers,
                seconds);
    }

    /** The name an input's trajectory gets: a folder's name, or a video file's name without its extension. */
    static String stem(String input) {
        String name = new Path(input).getName();
        int dot = name.lastIndexOf('.');
        return dot > 0 && EncodePartition.isVideo(name) ? name.substring(0, dot) : name;
    }

    /** Where the trajectory of {@code input} goes. */
    static String outputOf(String folder, String input) {
        return new Path(new Path(folder), stem(input) + ".npy").toString();
    }
}

package org.latentmotion.spark;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.latentmotion.video.VideoFormat;
import org.latentmotion.video.VideoOptions;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Renders NPY trajectory files to video files on Spark: each task opens (once per executor)
 * the synthesis network of {@link #with}, renders its files' trajectories batch by batch and
 * writes each video under a temporary name that is renamed when complete. Running the job
 * again, or Spark retrying a failed task, leaves exactly one complete file per trajectory.
 *
 * <p>A bad input file (not an NPY file, or W+ of another shape than the model takes) does not stop
 * the others: their videos are written, and then the job fails with a {@link BadInputException}
 * naming every bad file and why.
 *
 * <pre>{@code
 * Table videos = jobs.render(files).with(RenderModel.toyFace()).fps(25).into("file:///data/videos");
 * }</pre>
 */
public final class RenderJob {
    private final SparkJobs jobs;
    private final List<String> inputs;
    private RenderModel model = RenderModel.toyFace();
    private double fps = 25;
    private VideoFormat format = VideoFormat.MP4;
    private int partitions;

    RenderJob(SparkJobs jobs, List<String> inputs) {
        this.jobs = jobs;
        this.inputs = SparkJobs.distinctInputs("render", inputs, ".npy trajectory files", RenderPartition::stem, "videos");
    }

    /** The synthesis network (default {@link RenderModel#toyFace()}). */
    public RenderJob with(RenderModel renderModel) {
        model = Objects.requireNonNull(renderModel, "renderModel");
        return this;
    }

    /** Frame rate of the videos (default 25). */
    public RenderJob fps(double framesPerSecond) {
        VideoOptions.requireSupportedFps(framesPerSecond);
        fps = framesPerSecond;
        return this;
    }

    /** Video format (default {@link VideoFormat#MP4}, pure Java; {@code MP4_FFMPEG} needs ffmpeg on every executor). */
    public RenderJob format(VideoFormat videoFormat) {
        format = Objects.requireNonNull(videoFormat, "videoFormat");
        return this;
    }

    /** Number of Spark partitions (default: the context's default parallelism, at most one per file). */
    public RenderJob partitions(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("partitions: expected at least 1, found " + n);
        }
        partitions = n;
        return this;
    }

    /**
     * Runs the job, writing the videos into {@code outputFolder} (a Hadoop path, created if
     * missing), and returns one row per video: input, trajectory, output, frames, bytes, seconds.
     * Temporary files that killed attempts left beside the outputs are deleted at the end.
     *
     * @throws BadInputException after every good file's videos are written, if any input file could not be rendered
     */
    public Table into(String outputFolder) {
        Objects.requireNonNull(outputFolder, "outputFolder");
        HadoopConfiguration conf = jobs.hadoopConfiguration();
        int tasks = jobs.tasksFor(partitions, inputs.size());
        List<RenderedFile> done = jobs.run("render " + inputs.size() + " file" + (inputs.size() == 1 ? "" : "s"), tasks,
                "frames", () -> jobs.context().parallelize(inputs, tasks)
                        .mapPartitions(new RenderPartition(model, outputFolder, fps, format, conf))
                        .collect(),
                rows -> rows.stream().mapToLong(RenderedFile::frames).sum());
        Set<String> cleaned = new HashSet<>();
        List<RenderedFile> written = new ArrayList<>();
        List<RenderedFile> bad = new ArrayList<>();
        for (RenderedFile r : done) {
            (r.error() == null ? written : bad).add(r);
            if (r.output() != null && cleaned.add(r.output())) {
                HadoopFiles.deleteTemporaries(r.output(), conf.get());
            }
        }
        jobs.failIfAnyBad(bad, RenderedFile::input, RenderedFile::error, "render: " + bad.size() + " of " + inputs.size()
                + " input files could not be rendered (the other " + written.size() + " videos are written in "
                + outputFolder + ")");
        StringColumn input = StringColumn.create("input");
        StringColumn trajectory = StringColumn.create("trajectory");
        StringColumn output = StringColumn.create("output");
        IntColumn frames = IntColumn.create("frames");
        LongColumn bytes = LongColumn.create("bytes");
        DoubleColumn seconds = DoubleColumn.create("seconds");
        List<RenderedFile> rows = written;
        rows.sort((a, b) -> a.output().compareTo(b.output()));
        for (RenderedFile r : rows) {
            input.append(r.input());
            trajectory.append(r.trajectory());
            output.append(r.output());
            frames.append(r.frames());
            bytes.append(r.bytes());
            seconds.append(r.millis() / 1000.0);
        }
        return Table.create("rendered with " + model + " on " + jobs.context().master(), input, trajectory, output,
                frames, bytes, seconds);
    }

    /** Where the video of {@code input}'s trajectory {@code index} goes (index −1: the file's only trajectory). */
    static String outputOf(String folder, String input, int index, VideoFormat format) {
        String ext = format == VideoFormat.GIF ? ".gif" : ".mp4";
        String name = RenderPartition.stem(input) + (index < 0 ? "" : String.format("-%04d", index)) + ext;
        return new Path(new Path(folder), name).toString();
    }
}

package org.latentmotion.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.latentmotion.render.Synthesizer;
import org.latentmotion.video.Video;
import org.latentmotion.video.VideoFormat;
import org.latentmotion.video.VideoOptions;
import org.latentmotion.wplus.Trajectory;

/**
 * One partition of {@link RenderJob}: renders every trajectory of its NPY files with this
 * executor's session ({@link ExecutorSessions}), frame batch by frame batch, and writes each
 * video atomically ({@link HadoopFiles#write}) as {@code <output>/<file stem>.mp4} (or
 * {@code <stem>-<i>.mp4} for the i-th trajectory of an [N, T, L, D] file). A bad input file (not an
 * NPY file, or trajectories of the wrong shape) becomes a row with its error, and the partition
 * goes on with its other files.
 */
final class RenderPartition implements FlatMapFunction<Iterator<String>, RenderedFile> {
    private static final long serialVersionUID = 1L;
    private final RenderModel model;
    private final String output;
    private final double fps;
    private final VideoFormat format;
    private final HadoopConfiguration conf;

    RenderPartition(RenderModel model, String output, double fps, VideoFormat format, HadoopConfiguration conf) {
        this.model = model;
        this.output = output;
        this.fps = fps;
        this.format = format;
        this.conf = conf;
    }

    @Override
    public Iterator<RenderedFile> call(Iterator<String> inputs) {
        List<RenderedFile> done = new ArrayList<>();
        while (inputs.hasNext()) {
            String input = inputs.next();
            try {
                done.addAll(render(input));
            } catch (BadInputException e) {
                // reported as a row, so the other inputs are still rendered and Spark does not retry a file that fails again
                done.add(RenderedFile.bad(input, e.getMessage()));
            }
        }
        return done.iterator();
    }

    /** The videos of one input file's trajectories, written; a {@link BadInputException} before any is written if it is bad. */
    private List<RenderedFile> render(String input) {
        List<Trajectory> clips;
        try {
            clips = TrajectoryFiles.read(input, fps, conf.get());
        } catch (RuntimeException e) {
            throw new BadInputException(input, "render: bad input file " + input + ": " + e.getMessage(), e);
        }
        Synthesizer synthesizer = ExecutorSessions.synthesizer(model, conf.get());
        for (Trajectory t : clips) {
            if (t.layers() != synthesizer.layers() || t.width() != synthesizer.width()) {
                throw new BadInputException(input, "render: bad input file " + input + ": " + t.source() + " is W+ ["
                        + t.layers() + ", " + t.width() + "], " + model + " takes [" + synthesizer.layers() + ", "
                        + synthesizer.width() + "]", null);
            }
        }
        List<RenderedFile> done = new ArrayList<>();
        for (int i = 0; i < clips.size(); i++) {
            Trajectory t = clips.get(i);
            String target = RenderJob.outputOf(output, input, clips.size() == 1 ? -1 : i, format);
            long start = System.nanoTime();
            byte[] video = encode(synthesizer, t);
            HadoopFiles.write(target, video, conf.get());
            done.add(new RenderedFile(input, t.source(), target, t.frames(), video.length,
                    (System.nanoTime() - start) / 1_000_000, null));
        }
        return done;
    }

    private byte[] encode(Synthesizer synthesizer, Trajectory t) {
        VideoOptions options = VideoOptions.builder().fps(fps).format(format).build();
        try (Video.Writer writer = Video.writer(synthesizer.imageWidth(), synthesizer.imageHeight(), fps, options)) {
            synthesizer.frames(t).forEachOrdered(writer::add);
            return writer.finish().bytes();
        }
    }

    static String stem(String input) {
        String name = new Path(input).getName();
        return name.endsWith(".npy") ? name.substring(0, name.length() - 4) : name;
    }

}

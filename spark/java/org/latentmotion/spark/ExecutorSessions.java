package org.latentmotion.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.latentmotion.render.Encoder;
import org.latentmotion.render.OnnxOptions;
import org.latentmotion.render.Synthesizer;
import org.latentmotion.render.Synthesizers;

/**
 * The ONNX Runtime sessions of this JVM (an executor, or the driver in local mode): one per
 * {@link RenderModel} and one per {@link EncoderModel}, opened lazily by the first task that needs it and reused by every later
 * task and partition, closed when the JVM exits. Opening a session costs far more than rendering
 * a short clip, so a job of many small partitions opens it once per executor, not once per task.
 */
public final class ExecutorSessions {
    private static final Map<RenderModel, Synthesizer> OPEN = new ConcurrentHashMap<>();
    private static final Map<EncoderModel, Encoder> ENCODERS = new ConcurrentHashMap<>();
    private static final AtomicInteger OPENED = new AtomicInteger();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ExecutorSessions::closeAll, "latentmotion-sessions-close"));
    }

    private ExecutorSessions() {
    }

    /** The session for {@code model}, opened on first use in this JVM. */
    static Synthesizer synthesizer(RenderModel model, Configuration conf) {
        return OPEN.computeIfAbsent(model, m -> {
            Synthesizer s = open(m, conf);
            OPENED.incrementAndGet();
            return s;
        });
    }

    /** The encoder session for {@code model}, opened on first use in this JVM. */
    static Encoder encoder(EncoderModel model, Configuration conf) {
        return ENCODERS.computeIfAbsent(model, m -> {
            Encoder e = open(m, conf);
            OPENED.incrementAndGet();
            return e;
        });
    }

    /** How many sessions this JVM has opened so far (a job reusing its sessions does not raise it). */
    public static int opened() {
        return OPENED.get();
    }

    private static Synthesizer open(RenderModel m, Configuration conf) {
        OnnxOptions options = OnnxOptions.builder().threads(m.threadCount()).build();
        switch (m.kind()) {
            case RenderModel.TOY_FACE:
                return Synthesizers.toyFace(options);
            case RenderModel.TEST_STYLEGAN2:
                return Synthesizers.testStyleGan2(options);
            case OnnxModelChoice.FILE:
                return Synthesizer.open(localCopy(m.location(), conf, "render model"), options);
            default:
                throw new IllegalStateException("render model: unknown kind " + m.kind());
        }
    }

    private static Encoder open(EncoderModel m, Configuration conf) {
        OnnxOptions options = OnnxOptions.builder().threads(m.threadCount()).build();
        switch (m.kind()) {
            case EncoderModel.TEST_PSP:
                return Encoder.open("psp.onnx (random weights)", shippedModel(Synthesizers.TEST_PSP), options);
            case OnnxModelChoice.FILE:
                return Encoder.open(localCopy(m.location(), conf, "encoder model"), options);
            default:
                throw new IllegalStateException("encoder model: unknown kind " + m.kind());
        }
    }

    /** A copy of the model file at the Hadoop path {@code location} on this executor's local disk. */
    private static java.nio.file.Path localCopy(String location, Configuration conf, String what) {
        try {
            Path src = new Path(location);
            java.nio.file.Path local = Files.createTempFile("latentmotion-model-", ".onnx");
            local.toFile().deleteOnExit();
            FileSystem fs = HadoopFiles.fileSystem(src, conf);
            fs.copyToLocalFile(false, src, new Path(local.toUri()), true);
            return local;
        } catch (IOException e) {
            throw new UncheckedIOException(what + ": could not copy " + location + " to this executor: " + e.getMessage(), e);
        }
    }

    /** The bytes of a model shipped on the class path (datasets/models/ in the source tree). */
    private static byte[] shippedModel(String resource) {
        try (InputStream in = ExecutorSessions.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("shipped model: expected class-path resource " + resource
                        + " on this executor, found nothing (is the toolkit's jar on the executors' class path?)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read class-path resource " + resource, e);
        }
    }

    private static void closeAll() {
        for (Synthesizer s : OPEN.values()) {
            try {
                s.close();
            } catch (RuntimeException ignored) {
                // the JVM is exiting; a session that fails to close frees its memory with the process
            }
        }
        OPEN.clear();
        for (Encoder e : ENCODERS.values()) {
            try {
                e.close();
            } catch (RuntimeException ignored) {
                // as above
            }
        }
        ENCODERS.clear();
    }
}

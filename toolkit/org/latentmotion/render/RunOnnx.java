package org.latentmotion.render;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.latentmotion.wplus.Npy;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs an ONNX model once on ONNX Runtime (CPU) with inputs from numpy files and writes every
 * output as a numpy file. The exporters' self-checks call it, so that "the ONNX file matches the
 * PyTorch module" is measured on the runtime the toolkit renders with, not on a Python stand-in.
 *
 * <pre>
 * java -cp CLASSPATH org.latentmotion.render.RunOnnx model.onnx --input w=w.npy [--input ...] --out DIR
 * </pre>
 *
 * {@code --repeat K} runs the model K more times after the first and prints each run's wall time
 * (a rough speed figure for a model's README; the first run includes ONNX Runtime's warm-up).
 *
 * <p>Writes DIR/&lt;outputName&gt;.npy for each output. Exits 2 on bad arguments or inputs (missing,
 * unknown, wrong dtype or shape, stated before the model runs), 1 when ONNX Runtime fails. The
 * model is opened by path, so a model saved with external data ({@code model.onnx.data}) works.
 */
public final class RunOnnx {
    private RunOnnx() {
    }

    /** A refusal the user can act on: printed without a stack trace. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    /** Runs the command line in the class comment; exits 2 on bad arguments or inputs, 1 when ONNX Runtime fails. */
    public static void main(String[] args) {
        try {
            run(args);
        } catch (UsageException e) {
            System.err.println("RunOnnx: " + e.getMessage());
            System.exit(2);
        } catch (OrtException | RuntimeException e) {
            System.err.println("RunOnnx: failed: " + e);
            System.exit(1);
        }
        System.exit(0); // ORT's native threads must not keep the JVM alive
    }

    static void run(String[] args) throws OrtException {
        Path model = null;
        Path out = null;
        Map<String, Path> inputs = new LinkedHashMap<>();
        int repeat = 0;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--repeat")) {
                if (i + 1 >= args.length || !args[i + 1].matches("\\d+")) {
                    throw new UsageException("--repeat expects a count, found " + (i + 1 < args.length ? args[i + 1] : "nothing"));
                }
                repeat = Integer.parseInt(args[++i]);
            } else if (a.equals("--input") || a.equals("--out")) {
                if (i + 1 >= args.length) {
                    throw new UsageException(a + " needs a value");
                }
                String v = args[++i];
                if (a.equals("--out")) {
                    out = Path.of(v);
                } else {
                    int eq = v.indexOf('=');
                    if (eq <= 0 || eq == v.length() - 1) {
                        throw new UsageException("--input expects name=file.npy, found '" + v + "'");
                    }
                    inputs.put(v.substring(0, eq), Path.of(v.substring(eq + 1)));
                }
            } else if (a.startsWith("--")) {
                throw new UsageException("unknown option " + a + "; usage: RunOnnx model.onnx --input name=file.npy ... --out DIR");
            } else if (model == null) {
                model = Path.of(a);
            } else {
                throw new UsageException("one model expected, found a second: " + a);
            }
        }
        if (model == null || out == null) {
            throw new UsageException("usage: RunOnnx model.onnx --input name=file.npy [--input ...] --out DIR");
        }
        if (!Files.isRegularFile(model)) {
            throw new UsageException("model " + model + ": no such file");
        }
        OrtEnvironment env = OnnxEnvironment.get();
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setInterOpNumThreads(1);
            try (OrtSession session = env.createSession(model.toString(), so)) {
                for (String name : inputs.keySet()) {
                    if (!session.getInputInfo().containsKey(name)) {
                        throw new UsageException("unknown input '" + name + "', expected one of "
                                + session.getInputInfo().keySet());
                    }
                }
                Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
                try {
                    for (var e : session.getInputInfo().entrySet()) {
                        Path file = inputs.get(e.getKey());
                        if (file == null) {
                            throw new UsageException("model " + model.getFileName() + " needs input '" + e.getKey() + "' "
                                    + e.getValue().getInfo() + "; given " + inputs.keySet());
                        }
                        feeds.put(e.getKey(), tensor(env, e.getValue(), file));
                    }
                    Files.createDirectories(out);
                    for (int r = 0; r <= repeat && repeat > 0; r++) {
                        long t0 = System.nanoTime();
                        session.run(feeds).close();
                        System.out.printf("run %d: %.1f ms%n", r, (System.nanoTime() - t0) / 1e6);
                    }
                    try (OrtSession.Result result = session.run(feeds)) {
                        for (var r : result) {
                            write(out.resolve(r.getKey() + ".npy"), r.getKey(), r.getValue());
                        }
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                } finally {
                    feeds.values().forEach(OnnxTensor::close);
                }
            }
        }
    }

    /** The file's array as a tensor of the input's element type, after checking dtype and fixed sizes. */
    private static OnnxTensor tensor(OrtEnvironment env, NodeInfo info, Path file) throws OrtException {
        if (!Files.isRegularFile(file)) {
            throw new UsageException("input '" + info.getName() + "': no such file " + file);
        }
        if (!(info.getInfo() instanceof TensorInfo t)) {
            throw new UsageException("input '" + info.getName() + "' is not a tensor: " + info.getInfo());
        }
        INDArray a = Npy.reader().asStored().allowNonFinite().read(file);
        long[] shape = a.shape();
        long[] want = t.getShape();
        boolean fits = shape.length == want.length;
        for (int i = 0; fits && i < want.length; i++) {
            fits = want[i] < 0 || want[i] == shape[i];
        }
        if (!fits) {
            throw new UsageException("input '" + info.getName() + "' from " + file + ": expected shape "
                    + OnnxModel.shape(want) + ", found " + Arrays.toString(shape));
        }
        DataType found = a.dataType();
        switch (t.type) {
            case FLOAT -> {
                requireType(info, file, found, DataType.FLOAT, "float32");
                return OnnxTensor.createTensor(env, FloatBuffer.wrap(a.dup('c').data().asFloat()), shape);
            }
            case DOUBLE -> {
                requireType(info, file, found, DataType.DOUBLE, "float64");
                return OnnxTensor.createTensor(env, DoubleBuffer.wrap(a.dup('c').data().asDouble()), shape);
            }
            case INT64 -> {
                requireType(info, file, found, DataType.LONG, "int64");
                return OnnxTensor.createTensor(env, LongBuffer.wrap(a.dup('c').data().asLong()), shape);
            }
            case INT32 -> {
                requireType(info, file, found, DataType.INT, "int32");
                return OnnxTensor.createTensor(env, IntBuffer.wrap(a.dup('c').data().asInt()), shape);
            }
            default -> throw new UsageException("input '" + info.getName() + "': element type " + t.type
                    + " is not supported (float32, float64, int64, int32 are)");
        }
    }

    private static void requireType(NodeInfo info, Path file, DataType found, DataType want, String numpyName) {
        if (found != want) {
            throw new UsageException("input '" + info.getName() + "' from " + file + ": expected dtype " + numpyName
                    + ", found " + found + " (convert with a.astype(np." + numpyName + "))");
        }
    }

    private static void write(Path file, String name, OnnxValue value) throws OrtException {
        if (!(value instanceof OnnxTensor t)) {
            throw new IllegalStateException("output '" + name + "' is not a tensor: " + value.getInfo());
        }
        long[] shape = t.getInfo().getShape();
        OnnxJavaType type = t.getInfo().type;
        INDArray a = switch (type) {
            case FLOAT -> Nd4j.create(copy(t.getFloatBuffer()), shape, 'c');
            case DOUBLE -> Nd4j.create(copyD(t.getDoubleBuffer()), shape, 'c');
            case INT64 -> Nd4j.createFromArray(copyL(t.getLongBuffer())).reshape(shape);
            default -> throw new IllegalStateException("output '" + name + "': element type " + type + " not supported");
        };
        Npy.write(file, a);
    }

    private static float[] copy(FloatBuffer b) {
        float[] x = new float[b.remaining()];
        b.get(x);
        return x;
    }

    private static double[] copyD(DoubleBuffer b) {
        double[] x = new double[b.remaining()];
        b.get(x);
        return x;
    }

    private static long[] copyL(LongBuffer b) {
        long[] x = new long[b.remaining()];
        b.get(x);
        return x;
    }
}

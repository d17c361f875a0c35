package org.latentmotion.toy;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.latentmotion.wplus.GroundTruthReader;
import org.latentmotion.wplus.Npy;
import org.latentmotion.wplus.Trajectory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The toy face's codec between W+ codes and face parameters: which named parameters (pose, mouth,
 * eyes, colours, …) a W+ code makes the shipped toy face model draw ({@link #decode}), and the code
 * that draws a chosen value ({@link #set}). It is the default world's {@link GroundTruthReader}.
 * (The shipped model itself, which draws the pictures, is {@code render.Synthesizers.toyFace()}.)
 *
 * <p>It reads exactly what the ONNX model reads (same direction file, same layer groups, same
 * squashing), from {@code models/toyface/directions.npy} and {@code models/toyface/toyface.json}
 * on the classpath: for parameter p with unit direction d_p, layer group G_p and range
 * [lo_p, hi_p], {@code x_p = mean_{l in G_p} (w[l] · d_p)} and {@code value = lo_p + (hi_p - lo_p)
 * · sigmoid(x_p)}. State parameters (pose and expression) and identity parameters (shape, colours,
 * light) lie along mutually orthogonal directions.
 */
public class FaceCodec implements GroundTruthReader {
    /** Classpath location of the shipped model (128 × 128). */
    public static final String MODEL_RESOURCE = "models/toyface/toyface.onnx";
    /** Classpath location of the 256 × 256 variant. */
    public static final String MODEL_256_RESOURCE = "models/toyface/toyface-256.onnx";
    static final String SPEC_RESOURCE = "models/toyface/toyface.json";
    static final String DIRECTIONS_RESOURCE = "models/toyface/directions.npy";

    /** Whether a parameter belongs to who the actor is or to what the actor is doing. */
    public enum Kind {
        /** Pose and expression: changes from frame to frame. */
        STATE,
        /** Face shape, colours and light: fixed for an actor. */
        IDENTITY
    }

    /** One named parameter of the toy face and how the model reads it. */
    public record Parameter(String name, Kind kind, int[] layers, double lo, double hi, double neutral, int index) {
        /** The latent coordinate x (before squashing) that gives {@code value}; clamped inside the range. */
        public double latentOf(double value) {
            double q = (value - lo) / (hi - lo);
            q = Math.min(1 - 1e-6, Math.max(1e-6, q));
            return Math.log(q / (1 - q));
        }

        /** The value the model draws for latent coordinate {@code x}. */
        public double valueOf(double x) {
            return lo + (hi - lo) / (1 + Math.exp(-x));
        }

        @Override
        public String toString() {
            return String.format("%s (%s, layers %d–%d, range [%g, %g])", name, kind.name().toLowerCase(java.util.Locale.ROOT),
                    layers[0], layers[layers.length - 1], lo, hi);
        }
    }

    private static volatile FaceCodec instance;

    private final int layers;
    private final int width;
    private final List<Parameter> parameters;
    private final Map<String, Parameter> byName;
    private final INDArray directions; // [P, D] float32, orthonormal rows

    private FaceCodec(int layers, int width, List<Parameter> parameters, INDArray directions) {
        this.layers = layers;
        this.width = width;
        this.parameters = List.copyOf(parameters);
        Map<String, Parameter> m = new LinkedHashMap<>();
        for (Parameter p : parameters) {
            m.put(p.name(), p);
        }
        this.byName = Collections.unmodifiableMap(m);
        this.directions = directions;
    }

    /** The same codec under another name (for the deprecated {@link ToyFace}). */
    FaceCodec(FaceCodec codec) {
        this(codec.layers, codec.width, codec.parameters, codec.directions);
    }

    /** The toy face's codec, loaded once from the classpath. */
    public static FaceCodec spec() {
        FaceCodec f = instance;
        if (f == null) {
            synchronized (FaceCodec.class) {
                f = instance;
                if (f == null) {
                    f = load();
                    instance = f;
                }
            }
        }
        return f;
    }

    /** The parameters the model draws for every frame of {@code trajectory} (its fps is kept). */
    public static FaceParameters decode(Trajectory trajectory) {
        return spec().read(trajectory.codes(), trajectory.fps());
    }

    /** The parameters for codes [N, 18, 512] or one code [18, 512]; {@code fps} labels the time axis. */
    public static FaceParameters decode(INDArray codes, double fps) {
        return spec().read(codes, fps);
    }

    /**
     * A copy of {@code code} [18, 512] in which parameter {@code name} reads {@code value} (clamped
     * just inside its range); every other parameter is unchanged.
     */
    public static INDArray set(INDArray code, String name, double value) {
        FaceCodec face = spec();
        if (code.rank() != 2 || code.size(0) != face.layers || code.size(1) != face.width) {
            throw new IllegalArgumentException("toy face code: expected [" + face.layers + ", " + face.width
                    + "], found " + Arrays.toString(code.shape()));
        }
        float[] c = code.castTo(DataType.FLOAT).dup('c').data().asFloat();
        ToyWorld.setValue(face, c, name, value);
        return Nd4j.create(c, new long[] {face.layers, face.width}, 'c');
    }

    /** Number of W+ layers the model takes (18). */
    public int layers() {
        return layers;
    }

    /** Width of each W+ layer (512). */
    public int width() {
        return width;
    }

    /** All parameters in model order. */
    public List<Parameter> parameters() {
        return parameters;
    }

    /** All parameter names in model order. */
    public List<String> names() {
        return parameters.stream().map(Parameter::name).toList();
    }

    /** Names of the parameters of one kind, in model order. */
    public List<String> names(Kind kind) {
        return parameters.stream().filter(p -> p.kind() == kind).map(Parameter::name).toList();
    }

    /** One parameter by name. */
    public Parameter parameter(String name) {
        Parameter p = byName.get(name);
        if (p == null) {
            throw new IllegalArgumentException("toy face has no parameter '" + name + "'; expected one of " + names());
        }
        return p;
    }

    /** The unit direction [512] (a copy) that moves {@code name}. */
    public INDArray direction(String name) {
        return directions.getRow(parameter(name).index()).dup();
    }

    /** All directions [P, 512] (a copy), rows in model order. */
    public INDArray directions() {
        return directions.dup();
    }

    /** Shared directions (package use; do not modify). */
    INDArray directionsView() {
        return directions;
    }

    FaceParameters read(INDArray codes, double fps) {
        INDArray c = codes;
        if (c.rank() == 2) {
            c = c.reshape(1, c.size(0), c.size(1));
        }
        if (c.rank() != 3 || c.size(1) != layers || c.size(2) != width) {
            throw new IllegalArgumentException("toy face codes: expected [N, " + layers + ", " + width + "] or ["
                    + layers + ", " + width + "], found " + Arrays.toString(codes.shape()));
        }
        int n = (int) c.size(0);
        int pCount = parameters.size();
        if (c.dataType() != DataType.FLOAT) {
            c = c.castTo(DataType.FLOAT);
        }
        // the mean over a group's layers commutes with the projection: average first (fewer flops)
        double[][] values = new double[pCount][n];
        Map<String, INDArray> groupMeans = new LinkedHashMap<>();
        INDArray cc = c.ordering() == 'c' && !c.isView() ? c : c.dup('c');
        for (int pi = 0; pi < pCount; pi++) {
            Parameter p = parameters.get(pi);
            String key = Arrays.toString(p.layers());
            INDArray proj = groupMeans.computeIfAbsent(key, k -> groupMean(cc, p.layers()).mmul(directions.transpose()));
            float[] col = proj.getColumn(pi).dup().data().asFloat();
            for (int t = 0; t < n; t++) {
                double x = col[t];
                if (!Double.isFinite(x)) {
                    throw new IllegalArgumentException("toy face codes: frame " + t + " gives a non-finite "
                            + p.name() + " (the codes contain NaN or infinity)");
                }
                values[pi][t] = p.valueOf(x);
            }
        }
        return new FaceParameters(names(), values, fps);
    }

    /** Mean over the given layers: [N, L, D] -> [N, D]. */
    private static INDArray groupMean(INDArray codes, int[] group) {
        boolean contiguous = group[group.length - 1] - group[0] == group.length - 1;
        if (contiguous) {
            return codes.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.interval(group[0], group[group.length - 1] + 1),
                    org.nd4j.linalg.indexing.NDArrayIndex.all()).mean(1);
        }
        INDArray sum = null;
        for (int l : group) {
            INDArray layer = codes.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.point(l), org.nd4j.linalg.indexing.NDArrayIndex.all());
            sum = sum == null ? layer.dup() : sum.addi(layer);
        }
        return sum.divi(group.length);
    }

    @SuppressWarnings("deprecation") // JsonParser.parse: the gson on our classpath (2.8) predates parseString
    private static FaceCodec load() {
        JsonObject spec;
        try (InputStream in = resource(SPEC_RESOURCE)) {
            spec = new JsonParser().parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + SPEC_RESOURCE + ": " + e.getMessage(), e);
        }
        INDArray dirs;
        try (InputStream in = resource(DIRECTIONS_RESOURCE)) {
            dirs = Npy.fromBytes(in.readAllBytes(), DIRECTIONS_RESOURCE, DataType.FLOAT, false);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + DIRECTIONS_RESOURCE + ": " + e.getMessage(), e);
        }
        int layers = spec.get("layers").getAsInt();
        int width = spec.get("width").getAsInt();
        JsonArray ps = spec.getAsJsonArray("parameters");
        List<Parameter> parameters = new ArrayList<>();
        for (int i = 0; i < ps.size(); i++) {
            JsonObject o = ps.get(i).getAsJsonObject();
            JsonArray ls = o.getAsJsonArray("layers");
            int[] group = new int[ls.size()];
            int k = 0;
            for (JsonElement e : ls) {
                group[k++] = e.getAsInt();
            }
            parameters.add(new Parameter(o.get("name").getAsString(),
                    Kind.valueOf(o.get("kind").getAsString().toUpperCase(java.util.Locale.ROOT)), group, o.get("lo").getAsDouble(),
                    o.get("hi").getAsDouble(), o.get("neutral").getAsDouble(), i));
        }
        if (dirs.rank() != 2 || dirs.size(0) != parameters.size() || dirs.size(1) != width) {
            throw new IllegalStateException(DIRECTIONS_RESOURCE + ": expected [" + parameters.size() + ", " + width
                    + "] (one direction per parameter in " + SPEC_RESOURCE + "), found " + Arrays.toString(dirs.shape()));
        }
        return new FaceCodec(layers, width, parameters, dirs.dup('c'));
    }

    private static InputStream resource(String name) {
        InputStream in = FaceCodec.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("toy face resource '" + name + "' is not on the classpath (it is built "
                    + "from datasets/" + name + " by Maven's resources step)");
        }
        return in;
    }

    /** One row per parameter: kind, layers it is read from, range and neutral value. */
    public Table table() {
        StringColumn name = StringColumn.create("parameter");
        StringColumn kind = StringColumn.create("kind");
        StringColumn layerCol = StringColumn.create("layers");
        DoubleColumn lo = DoubleColumn.create("min");
        DoubleColumn hi = DoubleColumn.create("max");
        DoubleColumn neutral = DoubleColumn.create("neutral");
        for (Parameter p : parameters) {
            name.append(p.name());
            kind.append(p.kind().name().toLowerCase(java.util.Locale.ROOT));
            layerCol.append(p.layers()[0] + "–" + p.layers()[p.layers().length - 1]);
            lo.append(p.lo());
            hi.append(p.hi());
            neutral.append(p.neutral());
        }
        return Table.create("toy face parameters", name, kind, layerCol, lo, hi, neutral);
    }

    // ---- ground truth -------------------------------------------------------------------

    /** "toy face". */
    @Override
    public String name() {
        return "toy face";
    }

    /** "toy-face identity parameters". */
    @Override
    public String identityName() {
        return "toy-face identity parameters";
    }

    /**
     * The identity parameters (face shape, colours, light) of every frame, each scaled by its
     * valid range to [0, 1], [T, P] float32: exactly who the toy face draws.
     */
    @Override
    public INDArray identity(Trajectory sample) {
        if (sample.layers() != layers || sample.width() != width) {
            throw new IllegalArgumentException("toy-face identity: expected W+ [" + layers + ", " + width
                    + "] codes, found [" + sample.layers() + ", " + sample.width() + "]");
        }
        FaceParameters p = read(sample.codes(), sample.fps());
        List<String> identityNames = names(Kind.IDENTITY);
        float[][] out = new float[sample.frames()][identityNames.size()];
        for (int j = 0; j < identityNames.size(); j++) {
            Parameter par = parameter(identityNames.get(j));
            double[] v = p.get(identityNames.get(j));
            for (int t = 0; t < v.length; t++) {
                out[t][j] = (float) ((v[t] - par.lo()) / (par.hi() - par.lo()));
            }
        }
        return Nd4j.createFromArray(out);
    }

    /** The state parameters (pose, expression, gaze), in model order. */
    @Override
    public List<String> motionChannels() {
        return names(Kind.STATE);
    }

    /** The state parameters of every frame of {@code sample}. */
    @Override
    public Map<String, double[]> motion(Trajectory sample) {
        FaceParameters p = read(sample.codes(), sample.fps());
        Map<String, double[]> out = new LinkedHashMap<>();
        for (String n : motionChannels()) {
            out.put(n, p.get(n));
        }
        return out;
    }

    /** Keeps the name the notebooks have always shown ("ToyFace: …" describes the toy face's parameters). */
    @Override
    public String toString() {
        return "ToyFace: " + parameters.size() + " parameters (" + names(Kind.STATE).size() + " state, "
                + names(Kind.IDENTITY).size() + " identity) read from W+ [" + layers + ", " + width + "]";
    }
}

package org.latentmotion.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import com.google.gson.GsonBuilder;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the Java side of the benchmark report with JMH (one forked JVM per benchmark) and writes its figures as
 * JSON rows (bench/README.md). Usage:
 *
 * <pre>java -cp ... org.latentmotion.bench.BenchMain [--quick] [--only REGEX] --out bench-out/java.json</pre>
 *
 * Every group that cannot run (a class not yet in the toolkit, a model file missing, an exception) becomes a row
 * "not measured: reason" instead of a number.
 */
public final class BenchMain {

    /** A set of JMH benchmarks run with the same settings, and how its results become report rows. */
    private record Group(String name, String include, boolean singleShot, int warmups, int measurements,
                         double seconds, Map<String, String[]> params, Converter converter) {}

    private interface Converter {
        Row convert(RunResult result, String command);
    }

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        Path out = null;
        Pattern only = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--out" -> out = Path.of(args[++i]);
                case "--only" -> only = Pattern.compile(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument '" + args[i]
                        + "': expected --quick, --only REGEX, --out FILE");
            }
        }
        if (out == null) {
            throw new IllegalArgumentException("--out FILE is required (where the JSON rows go)");
        }
        String mode = quick ? "--quick" : "full";
        List<Row> rows = new ArrayList<>();
        for (Group g : groups(quick)) {
            if (only != null && !only.matcher(g.name()).find()) {
                continue;
            }
            String command = "bench/run " + (quick ? "--quick " : "") + "--only '" + g.name() + "'";
            System.out.println("== " + g.name() + " (" + mode + ")");
            try {
                Collection<RunResult> results = new Runner(options(g, quick)).run();
                if (results.isEmpty()) {
                    throw new RunnerException("no results (benchmark failed in its fork; see the log above)");
                }
                for (RunResult r : results) {
                    rows.add(g.converter().convert(r, command));
                }
            } catch (Exception | Error e) {
                String reason = firstLine(e);
                System.out.println("   not measured: " + reason);
                rows.add(Row.notMeasured(g.name(), g.name(), "java", "", reason).command(command));
            }
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("impl", "java");
        doc.put("mode", mode);
        doc.put("info", MachineInfo.java());
        doc.put("rows", rows);
        write(out, new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(doc));
        System.out.println("wrote " + rows.size() + " rows to " + out);
    }

    private static List<Group> groups(boolean quick) {
        List<Group> g = new ArrayList<>();
        g.add(new Group("gemm", GemmBench.class.getName() + "\\.", false, quick ? 1 : 3, quick ? 2 : 5,
                quick ? 1 : 2, Map.of(), (r, cmd) -> {
                    String shape = r.getParams().getParam("shape");
                    double ms = r.getPrimaryResult().getScore();
                    double err = r.getPrimaryResult().getScoreError();
                    double gflops = GemmBench.flops(shape) / (ms * 1e-3) / 1e9;
                    double gflopsErr = Double.isNaN(err) ? Double.NaN : gflops * err / ms;
                    return Row.measured("gemm/" + shape, "GEMM " + prettyShape(shape) + " (float32)", "java",
                            gflops, "GFLOP/s", true).error(gflopsErr).command(cmd).note("Nd4j.gemm");
                }));
        g.add(new Group("ops", OpOverheadBench.class.getName() + "\\.", false, quick ? 1 : 3, quick ? 2 : 5,
                quick ? 1 : 2, Map.of(), (r, cmd) -> {
                    String m = r.getParams().getBenchmark();
                    String name = m.substring(m.lastIndexOf('.') + 1);
                    String[] ks = switch (name) {
                        case "addAllocating" -> new String[] {"op/add-allocating",
                                "one small op: add [128, 32] into a new array"};
                        case "addInPlace" -> new String[] {"op/add-inplace", "one small op: add [128, 32] in place"};
                        case "gruStepGrad" -> new String[] {"op/gru-step-grad",
                                "GRU cell step (B 128, H 32) forward + backward"};
                        default -> new String[] {"op/gru-step-double-grad",
                                "GRU cell step with double backprop (gradient-penalty style)"};
                    };
                    return Row.measured(ks[0], ks[1], "java", r.getPrimaryResult().getScore(), "µs", false)
                            .error(r.getPrimaryResult().getScoreError()).command(cmd).note("org.latentmotion.nn tape");
                }));
        // Training step, sampling and rendering: classes added in bench/java once the toolkit has them.
        g.add(new Group("train-small", "TrainingStepBench\\.", true, quick ? 1 : 10, quick ? 1 : 20, 0,
                Map.of("config", new String[] {"small"}), BenchMain::stepRow));
        if (!quick) {
            g.add(new Group("train-paper", "TrainingStepBench\\.", true, 2, 5, 0,
                    Map.of("config", new String[] {"paper"}), BenchMain::stepRow));
        }
        g.add(new Group("sample", "SamplingBench\\.", true, quick ? 0 : 2, quick ? 1 : 5, 0, Map.of(),
                (r, cmd) -> {
                    String config = r.getParams().getParam("config");
                    Row row = Row.measured("sample/1500", "sample 1500 frames (EMA generator, " + config + "())",
                            "java", r.getPrimaryResult().getScore(), "s", false)
                            .error(r.getPrimaryResult().getScoreError()).command(cmd);
                    row.flops = FlopCount.of(TrainingStepBench.config(config)).sample1500();
                    return row;
                }));
        g.add(new Group("toyface", "ToyFaceBench\\.", false, quick ? 1 : 3, quick ? 2 : 5, quick ? 1 : 2, Map.of(),
                (r, cmd) -> {
                    int batch = Integer.parseInt(r.getParams().getParam("batch"));
                    double ms = r.getPrimaryResult().getScore();
                    return Row.measured("toyface/b" + batch, "toy face render (ONNX Runtime), batch " + batch,
                                    "java", batch / (ms * 1e-3), "frames/s", true)
                            .error(batch / (ms * 1e-3) * r.getPrimaryResult().getScoreError() / ms).command(cmd);
                }));
        return g;
    }

    private static Row stepRow(RunResult r, String cmd) {
        String config = r.getParams().getParam("config");
        String method = r.getParams().getBenchmark();
        String step = method.substring(method.lastIndexOf('.') + 1);
        String what = step.startsWith("critic") ? "critic step" : "generator step";
        boolean critic = step.startsWith("critic");
        Row row = Row.measured("train/" + config + "/" + (critic ? "critic" : "generator"),
                what + ", " + config + "()", "java", r.getPrimaryResult().getScore(), "s", false)
                .error(r.getPrimaryResult().getScoreError()).command(cmd);
        FlopCount.Step f = FlopCount.of(TrainingStepBench.config(config));
        row.flops = critic ? f.critic() : f.generator();
        return row;
    }

    private static org.openjdk.jmh.runner.options.Options options(Group g, boolean quick) {
        ChainedOptionsBuilder b = new OptionsBuilder()
                .include(g.include())
                .forks(1)
                .shouldFailOnError(true)
                // -Xss8m: without it the forked JVM dies with SIGSEGV (exit 139, no hs_err) while opening the toy
                // face's ONNX Runtime session; the same code runs in a plain JVM and in the JMH host VM.
                .jvmArgsAppend("-Xss8m", "-Xmx6g", "-Dorg.bytedeco.javacpp.maxbytes=10G",
                        "-Dlatentmotion.root=" + System.getProperty("latentmotion.root", "."))
                .warmupIterations(g.warmups())
                .measurementIterations(g.measurements());
        if (g.singleShot()) {
            b.mode(org.openjdk.jmh.annotations.Mode.SingleShotTime).timeUnit(TimeUnit.SECONDS);
        } else {
            b.warmupTime(TimeValue.milliseconds((long) (g.seconds() * 1000)))
                    .measurementTime(TimeValue.milliseconds((long) (g.seconds() * 1000)));
        }
        for (Map.Entry<String, String[]> p : g.params().entrySet()) {
            b.param(p.getKey(), p.getValue());
        }
        return b.build();
    }

    static String prettyShape(String shape) {
        long[] mkn = GemmBench.parse(shape);
        return mkn[0] + "×" + mkn[1] + "·" + mkn[1] + "×" + mkn[2];
    }

    private static String firstLine(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    static void write(Path out, String text) throws IOException {
        Path dir = out.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, out.getFileName().toString(), ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}

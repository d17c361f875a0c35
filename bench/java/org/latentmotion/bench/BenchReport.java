package org.latentmotion.bench;

import java.awt.Color;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonReader;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Writes {@code figures/benchmarks.md} and {@code figures/benchmarks.png} from the JSON files the stages wrote
 * into one output folder (bench/README.md). It only formats what was measured: a stage whose file is missing or
 * whose script failed appears as "not measured: reason", never as a number.
 *
 * <pre>java -cp ... org.latentmotion.bench.BenchReport --in target-bench/bench-out --md figures/benchmarks.md
 *     --png figures/benchmarks.png</pre>
 */
public final class BenchReport {

    /** Stage files in report order, with the figures each is expected to provide if it is missing. */
    private static final Map<String, String[]> STAGES = new LinkedHashMap<>();

    static {
        STAGES.put("java", new String[] {"Java harness (GEMM, training step, sampling, toy face)"});
        STAGES.put("torch-gemm", new String[] {"PyTorch GEMM"});
        STAGES.put("torch-ops", new String[] {"PyTorch per-op cost"});
        STAGES.put("torch-toyface", new String[] {"PyTorch toy face render"});
        STAGES.put("torch-train", new String[] {"PyTorch training step and sampling"});
        STAGES.put("train-memory", new String[] {"peak resident memory of a paper() training run"});
        STAGES.put("kernel", new String[] {"kernel start → first result", "trivial cell round trip"});
        STAGES.put("wplus", new String[] {"NPY read throughput", "PCA fit 7500 × 9216"});
        STAGES.put("render", new String[] {"StyleGAN2 export render, batch 1 / 8 / 32", "video encode",
                "peak heap and native memory over a 1500-frame render"});
        STAGES.put("quickstart", new String[] {"end-to-end quickstart notebook"});
        STAGES.put("motion", new String[] {"time to motion: laptop() until the learns check's bar is met"});
    }

    private record Line(String key, String stage, JsonObject java, JsonObject torch, List<String> notes) {}

    public static void main(String[] args) throws IOException {
        Path in = null;
        Path md = null;
        Path png = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--in" -> in = Path.of(args[++i]);
                case "--md" -> md = Path.of(args[++i]);
                case "--png" -> png = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument '" + args[i]
                        + "': expected --in DIR --md FILE --png FILE");
            }
        }
        if (in == null || md == null || png == null) {
            throw new IllegalArgumentException("expected --in DIR --md FILE --png FILE");
        }
        if (!Files.isDirectory(in)) {
            throw new IllegalArgumentException("--in: expected the folder of stage JSON files, found no folder " + in);
        }
        new BenchReport(in).write(md, png);
    }

    private final Path in;
    private final Map<String, JsonObject> docs = new LinkedHashMap<>();
    private final Map<String, String> failures = new LinkedHashMap<>();
    private final Map<String, Line> lines = new LinkedHashMap<>();
    private final JsonObject run;

    BenchReport(Path in) throws IOException {
        this.in = in;
        this.run = readOrNull(in.resolve("run.json"));
        for (String stage : STAGES.keySet()) {
            Path f = in.resolve(stage + ".json");
            String status = statusOf(stage);
            JsonObject doc = Files.exists(f) ? readOrNull(f) : null;
            if (status != null && status.startsWith("skipped")) {
                continue;
            }
            if (doc == null) {
                failures.put(stage, status != null ? status : "no " + f.getFileName() + " was written");
                continue;
            }
            if (status != null && !status.isBlank()) {
                failures.put(stage, status);
            }
            docs.put(stage, doc);
            JsonArray rows = doc.has("rows") ? doc.getAsJsonArray("rows") : new JsonArray();
            for (JsonElement e : rows) {
                JsonObject r = e.getAsJsonObject();
                String key = str(r, "key", stage + "/" + str(r, "stage", "?"));
                Line line = lines.computeIfAbsent(key,
                        k -> new Line(k, str(r, "stage", k), new JsonObject(), new JsonObject(), new ArrayList<>()));
                String impl = str(r, "impl", "java");
                JsonObject target = impl.equals("java") ? line.java() : line.torch();
                for (Map.Entry<String, JsonElement> kv : r.entrySet()) {
                    target.add(kv.getKey(), kv.getValue());
                }
                String note = str(r, "note", "");
                if (!note.isBlank()) {
                    line.notes().add((impl.equals("java") ? "Java: " : "PyTorch: ") + note);
                }
            }
        }
    }

    /** bench/run writes {@code <stage>.status} with the failure (exit code, missing script); empty when fine. */
    private String statusOf(String stage) throws IOException {
        Path s = in.resolve(stage + ".status");
        return Files.exists(s) ? Files.readString(s).trim() : null;
    }

    void write(Path md, Path png) throws IOException {
        StringBuilder sb = new StringBuilder();
        boolean quick = run != null && "--quick".equals(str(run, "mode", ""));
        sb.append("# Benchmarks\n\n");
        sb.append("Written by `bench/run").append(quick ? " --quick" : "").append("` on ")
                .append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append(". Every number below was measured in ")
                .append("that run; rerun the command to reproduce it.\n\n");
        if (quick) {
            sb.append("> **Smoke-test figures (`--quick`)**: tiny iteration counts, paper-configuration steps skipped. ")
                    .append("Not for quoting.\n\n");
        }
        double load = startLoad();
        if (!Double.isNaN(load) && load > Runtime.getRuntime().availableProcessors()) {
            sb.append(String.format(Locale.ROOT, "> **Busy machine**: the 1-minute load average was %.1f on %d cores "
                    + "when the run started; other processes shared the CPU, so times are inflated and ratios noisy.%n%n",
                    load, Runtime.getRuntime().availableProcessors()));
        }
        appendMachine(sb);
        sb.append("\n## Java vs PyTorch, stage by stage\n\n");
        sb.append("Java/PyTorch is a time ratio: Java's time for the same work divided by PyTorch's (for rates, ")
                .append("PyTorch's rate ÷ Java's; for memory rows, Java's bytes ÷ PyTorch's). Below 1 means Java is ")
                .append("faster (or smaller).\n\n");
        sb.append("| stage | Java | PyTorch | Java/PyTorch | notes |\n|---|---:|---:|---:|---|\n");
        Map<String, Double> ratios = new LinkedHashMap<>();
        for (Line l : lines.values()) {
            double ratio = ratio(l);
            if (!Double.isNaN(ratio) && !l.key().startsWith("memory/")) { // the chart is of time ratios
                ratios.put(shortLabel(l), ratio);
            }
            sb.append("| ").append(l.stage()).append(" | ").append(cell(l.java())).append(" | ")
                    .append(cell(l.torch())).append(" | ")
                    .append(Double.isNaN(ratio) ? "—" : String.format(Locale.ROOT, "%.2f×", ratio)).append(" | ")
                    .append(String.join("; ", l.notes()).replace("|", "\\|")).append(" |\n");
        }
        for (Map.Entry<String, String> f : failures.entrySet()) {
            for (String what : STAGES.get(f.getKey())) {
                sb.append("| ").append(what).append(" | not measured | not measured | — | not measured: ")
                        .append(f.getValue().replace("|", "\\|").replace("\n", " ")).append(" |\n");
            }
        }
        appendRoofline(sb);
        appendExtra(sb);
        if (!ratios.isEmpty()) {
            sb.append("\n![Java/PyTorch time ratio per stage](").append(png.getFileName()).append(")\n");
            writeChart(ratios, png);
        }
        atomicWrite(md, sb.toString().getBytes(StandardCharsets.UTF_8));
        System.out.println("wrote " + md + (ratios.isEmpty() ? "" : " and " + png));
    }

    /** The 1-minute load average bench/run recorded at the start, NaN if unknown. */
    private double startLoad() {
        if (run == null) {
            return Double.NaN;
        }
        for (Map.Entry<String, JsonElement> kv : run.entrySet()) {
            if (kv.getKey().startsWith("load average")) {
                try {
                    return Double.parseDouble(plain(kv.getValue()).trim().split("\\s+")[0]);
                } catch (RuntimeException e) {
                    return Double.NaN;
                }
            }
        }
        return Double.NaN;
    }

    private void appendMachine(StringBuilder sb) {
        sb.append("## Machine, threads, versions\n\n| what | value |\n|---|---|\n");
        if (run != null) {
            for (Map.Entry<String, JsonElement> kv : run.entrySet()) {
                sb.append("| ").append(kv.getKey()).append(" | ").append(plain(kv.getValue())).append(" |\n");
            }
        }
        for (Map.Entry<String, JsonObject> d : docs.entrySet()) {
            JsonObject info = d.getValue().has("info") && d.getValue().get("info").isJsonObject()
                    ? d.getValue().getAsJsonObject("info") : new JsonObject();
            for (Map.Entry<String, JsonElement> kv : info.entrySet()) {
                sb.append("| ").append(d.getKey()).append(": ").append(kv.getKey()).append(" | ")
                        .append(plain(kv.getValue()).replace("|", "\\|")).append(" |\n");
            }
        }
    }

    /** Roofline: FLOPs of a step counted from the architecture (FlopCount) ÷ time ÷ measured GEMM peak. */
    private void appendRoofline(StringBuilder sb) {
        double peakJava = bestGemm(true);
        double peakTorch = bestGemm(false);
        List<Line> steps = new ArrayList<>();
        for (Line l : lines.values()) {
            if (l.key().startsWith("train/") && (l.java().has("flops") || l.torch().has("flops"))) {
                steps.add(l);
            }
        }
        if (steps.isEmpty()) {
            return;
        }
        sb.append("\n## Roofline of the training step\n\n");
        sb.append(String.format(Locale.ROOT, "Peak = best GEMM rate measured in this run: ND4J %s, torch %s. ",
                gf(peakJava), gf(peakTorch)));
        sb.append("FLOPs = the matmul/conv floating-point operations a step needs (forward, backward, and the double ")
                .append("backward of the gradient penalties), counted from the architecture by `FlopCount`; ")
                .append("elementwise ops are not counted, so 100 % is out of reach by design.\n\n");
        sb.append("| step | GFLOP per step | Java GFLOP/s | Java % of ND4J peak | PyTorch GFLOP/s | PyTorch % of torch peak |\n");
        sb.append("|---|---:|---:|---:|---:|---:|\n");
        for (Line l : steps) {
            double flops = num(l.java().has("flops") ? l.java() : l.torch(), "flops");
            double tj = num(l.java(), "value");
            double tt = num(l.torch(), "value");
            double gj = flops / tj / 1e9;
            double gt = flops / tt / 1e9;
            sb.append("| ").append(l.stage()).append(" | ").append(String.format(Locale.ROOT, "%.1f", flops / 1e9))
                    .append(" | ").append(gf(gj)).append(" | ").append(pct(gj / peakJava)).append(" | ")
                    .append(gf(gt)).append(" | ").append(pct(gt / peakTorch)).append(" |\n");
        }
    }

    /** Free-form sections a stage may add (e.g. a memory curve): {"sections": [{"title":..., "markdown":...}]}. */
    private void appendExtra(StringBuilder sb) {
        for (Map.Entry<String, JsonObject> d : docs.entrySet()) {
            if (d.getValue().has("sections")) {
                for (JsonElement e : d.getValue().getAsJsonArray("sections")) {
                    JsonObject s = e.getAsJsonObject();
                    sb.append("\n## ").append(str(s, "title", d.getKey())).append("\n\n")
                            .append(str(s, "markdown", "")).append("\n");
                }
            }
        }
    }

    private double bestGemm(boolean java) {
        double best = Double.NaN;
        for (Line l : lines.values()) {
            if (l.key().startsWith("gemm/")) {
                double v = num(java ? l.java() : l.torch(), "value");
                if (!Double.isNaN(v) && (Double.isNaN(best) || v > best)) {
                    best = v;
                }
            }
        }
        return best;
    }

    private static double ratio(Line l) {
        double j = num(l.java(), "value");
        double t = num(l.torch(), "value");
        if (Double.isNaN(j) || Double.isNaN(t) || j <= 0 || t <= 0) {
            return Double.NaN;
        }
        boolean higher = l.java().has("higherIsBetter") && l.java().get("higherIsBetter").getAsBoolean();
        return higher ? t / j : j / t;
    }

    private static String cell(JsonObject r) {
        if (r.size() == 0) {
            return "—";
        }
        double v = num(r, "value");
        if (Double.isNaN(v)) {
            return "not measured";
        }
        double e = num(r, "error");
        String unit = str(r, "unit", "");
        return fmt(v) + (Double.isNaN(e) ? "" : " ± " + fmt(e)) + " " + unit;
    }

    private static String fmt(double v) {
        double a = Math.abs(v);
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (a >= 0.1) {
            return String.format(Locale.ROOT, "%.3f", v);
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }

    private static String gf(double g) {
        return Double.isNaN(g) ? "—" : String.format(Locale.ROOT, "%.1f GFLOP/s", g);
    }

    private static String pct(double f) {
        return Double.isNaN(f) ? "—" : String.format(Locale.ROOT, "%.1f %%", 100 * f);
    }

    private static String shortLabel(Line l) {
        return l.key();
    }

    private static void writeChart(Map<String, Double> ratios, Path png) throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(Math.max(720, 70 * ratios.size() + 200)).height(480)
                .title("Java time / PyTorch time per stage, log10 (0: equal; +1: Java 10× slower; −1: 10× faster)")
                .xAxisTitle("stage").yAxisTitle("log10(Java / PyTorch)").build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setXAxisLabelRotation(45);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setDecimalPattern("0.00");
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setSeriesColors(new Color[] {new Color(0x3b6ea5)});
        List<Double> logs = new ArrayList<>();
        for (double r : ratios.values()) {
            logs.add(Math.log10(r)); // ratios span 0.01–1000: a log scale keeps every bar readable
        }
        chart.addSeries("ratio", new ArrayList<>(ratios.keySet()), logs);
        atomicWrite(png, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
    }

    private static JsonObject readOrNull(Path f) {
        try {
            JsonReader r = new JsonReader(new StringReader(Files.readString(f)));
            r.setLenient(true); // Python's json writes NaN
            JsonElement e = new JsonParser().parse(r); // gson 2.8.5 on this class path
            return e.isJsonObject() ? e.getAsJsonObject() : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String str(JsonObject o, String k, String dflt) {
        return o.has(k) && !o.get(k).isJsonNull() ? plain(o.get(k)) : dflt;
    }

    private static String plain(JsonElement e) {
        return e.isJsonPrimitive() ? e.getAsString() : e.toString();
    }

    private static double num(JsonObject o, String k) {
        if (!o.has(k) || o.get(k).isJsonNull()) {
            return Double.NaN;
        }
        try {
            return o.get(k).getAsDouble();
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    private static void atomicWrite(Path out, byte[] bytes) throws IOException {
        Path dir = out.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, out.getFileName().toString(), ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}

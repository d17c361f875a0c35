package org.latentmotion.kernel;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import jdk.jshell.JShell;
import org.latentmotion.display.Renderers;

/**
 * Where a trivial cell's time goes inside the kernel, phase by phase (issue 20, item 4): the
 * kernel's own {@link CellEngine} evaluates {@code 1 + 1} many times while Java Flight Recorder
 * samples the evaluating thread; each sample is put in the innermost phase on its stack. JShell's
 * phases have no hook, so sampling is the only way to split them without changing the kernel.
 * Also prints wall and CPU medians of whole cells, of rendering the value, and of the kernel's
 * start: creating the engine, the default imports, the first cell. The socket side (ZeroMQ, JSON,
 * request polling) is the difference between {@code bench/kernel/run.sh}'s round trip and this.
 * A table, not a test: the machine may be busy; read medians and ratios.
 * <pre>
 * java -XX:FlightRecorderOptions:stackdepth=2048 -cp target/classes:target/test-classes:target/lib/'*' \
 *     org.latentmotion.kernel.CellPhaseProfile [cells, default 400] [cell source, default "1 + 1"]
 * </pre>
 * ({@code -Dlm.profile.jfr=file.jfr} keeps the recording for {@code jfr print}. The deep stack depth matters: javac's stacks are deeper than JFR's default 64 frames, and a
 * truncated sample cannot be placed; those are counted as "(stack truncated)".)
 */
public final class CellPhaseProfile {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /**
     * Phase names by a frame that marks them (simple class name and method prefix), checked in this
     * order against the whole stack: the first that appears names the sample's phase (javac's
     * analyze task also runs inside JShell's expression typing, so typing is checked first).
     */
    private static final Map<String, String> PHASES = new LinkedHashMap<>();

    static {
        PHASES.put("CellExecutionControl.invoke", "execute the cell's code");
        PHASES.put("CellLoaderDelegate.load", "define the compiled classes");
        PHASES.put("ExpressionToTypeInfo.", "JShell: type the expression (javac attribution)");
        PHASES.put("Eval.sourceToSnippets", "JShell: parse into snippets");
        PHASES.put("TaskFactory.analyze", "JShell: analyze the wrapper (javac attribution)");
        PHASES.put("TaskFactory.compile", "JShell: compile the wrapper to bytecode (javac)");
        PHASES.put("JShell.eval", "JShell: its own bookkeeping");
        PHASES.put("SourceCodeAnalysisImpl.analyzeCompletion", "completeness split (SourceCodeAnalysis)");
        PHASES.put("OverwrittenVariables.", "overwritten-variable release");
        PHASES.put("CellTracebacks.", "traceback bookkeeping");
        PHASES.put("Renderers.", "render the value + display encoding");
        PHASES.put("KernelDisplaySink.", "render the value + display encoding");
        PHASES.put("CellEngine.", "cell engine, other");
    }

    /** Work found anywhere on a sample's stack, across phases. */
    private static final Map<String, String> ACROSS = new LinkedHashMap<>();

    static {
        ACROSS.put("TypeEnter$ImportsPhase.", "resolving the imports each javac task starts with");
        ACROSS.put("ClassReader.", "reading class files (earlier cells' wrappers, the classpath)");
        ACROSS.put("ClassFinder.fillIn", "listing packages");
        ACROSS.put("SnippetMaps.packageAndImportsExcept", "JShell writing the import header");
        ACROSS.put("JavacTaskPool.getTask", "all javac tasks");
    }

    private CellPhaseProfile() {
    }

    public static void main(String[] args) throws Exception {
        int cells = args.length > 0 ? Integer.parseInt(args[0]) : 400;
        String cell = args.length > 1 ? args[1] : "1 + 1";
        long jvmUptimeAtMain = ManagementFactory.getRuntimeMXBean().getUptime();
        CellEngine warm = start("cold JVM", cell, jvmUptimeAtMain);
        for (int i = 0; i < cells; i++) { // warm-up: the JIT compiles javac and JShell
            warm.run(cell, i);
        }
        warm.close();
        // Measured on a fresh engine, so the session holds as many earlier cells as a notebook's first
        // hundred (JShell's cost per cell grows with the snippets before it), with the JIT warm.
        CellEngine engine = start("warm JVM", cell, -1);
        long[] wall = new long[cells];
        long[] cpu = new long[cells];
        long[] render = new long[cells];
        for (int i = 0; i < cells; i++) { // timed without the recorder, whose stack walks cost time too
            long w0 = System.nanoTime();
            long c0 = THREADS.getCurrentThreadCpuTime();
            CellEngine.Result r = engine.run(cell, i);
            long c1 = THREADS.getCurrentThreadCpuTime();
            long w1 = System.nanoTime();
            if (r.hasValue()) {
                KernelDisplaySink.toDisplayData(Renderers.render(r.value()));
            }
            render[i] = System.nanoTime() - w1;
            wall[i] = w1 - w0;
            cpu[i] = c1 - c0;
        }
        String keep = System.getProperty("lm.profile.jfr"); // keep the recording there, for jfr print
        Path jfr = keep != null ? Path.of(keep) : Files.createTempFile("cell-phases", ".jfr");
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1));
            recording.start();
            for (int i = 0; i < cells; i++) {
                CellEngine.Result r = engine.run(cell, cells + i);
                if (r.hasValue()) {
                    KernelDisplaySink.toDisplayData(Renderers.render(r.value()));
                }
            }
            recording.stop();
            recording.dump(jfr);
        }
        System.out.printf("cell %s, %d times (then %d more, sampled): run median %.2f ms wall, %.2f ms CPU; render + display encoding median %.3f ms%n",
                quoted(cell), cells, cells, median(wall), median(cpu), median(render));
        printPhases(RecordingFile.readAllEvents(jfr), Thread.currentThread().getName());
        compareFileManagers(cell, cells);
        if (keep == null) {
            Files.deleteIfExists(jfr);
        }
        engine.close();
        System.exit(0);
    }

    /**
     * JShell with javac's file manager as it comes and with {@link IndexKeepingFileManager}, both
     * with the kernel's class path and default imports, evaluating {@code cell} in turns: the same
     * load on both, so the ratio of their CPU medians is the file manager's effect.
     */
    private static void compareFileManagers(String cell, int cells) {
        JShell[] shells = new JShell[2];
        for (int k = 0; k < 2; k++) {
            JShell.Builder builder = JShell.builder().executionEngine("local").compilerOptions("-Xlint:none");
            if (k == 1) {
                builder.fileManager(IndexKeepingFileManager::new);
            }
            shells[k] = builder.build();
            shells[k].addToClasspath(System.getProperty("java.class.path"));
            DefaultImports.statements().forEach(shells[k]::eval);
        }
        long[][] cpu = new long[2][cells];
        for (int i = 0; i < 2 * cells; i++) {
            int k = i % 2;
            long c0 = THREADS.getCurrentThreadCpuTime();
            shells[k].eval(cell);
            cpu[k][i / 2] = THREADS.getCurrentThreadCpuTime() - c0;
        }
        System.out.printf("%nplain JShell, %d cells each in turns: javac's file manager %.2f ms CPU median,"
                + " IndexKeepingFileManager %.2f ms (ratio %.2f)%n", cells, median(cpu[0]), median(cpu[1]),
                median(cpu[1]) / median(cpu[0]));
        for (JShell shell : shells) {
            shell.close();
        }
    }

    /** Creates an engine, runs the default imports and one cell, and prints how long each took. */
    private static CellEngine start(String label, String cell, long jvmUptimeAtMain) throws CellException {
        long t0 = System.nanoTime();
        CellEngine engine = new CellEngine();
        long t1 = System.nanoTime();
        engine.importDefaults();
        long t2 = System.nanoTime();
        engine.run(cell, 0);
        long t3 = System.nanoTime();
        System.out.printf("start, %s:%s new CellEngine %.0f ms, default imports %.0f ms, first cell %.0f ms%n", label,
                jvmUptimeAtMain >= 0 ? " JVM start to main " + jvmUptimeAtMain + " ms," : "",
                (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6);
        return engine;
    }

    private static void printPhases(List<RecordedEvent> events, String thread) {
        Map<String, Integer> phases = new LinkedHashMap<>();
        Map<String, Integer> across = new LinkedHashMap<>();
        PHASES.values().forEach(p -> phases.put(p, 0));
        ACROSS.values().forEach(p -> across.put(p, 0));
        int total = 0;
        for (RecordedEvent e : events) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getThread("sampledThread") == null
                    || !thread.equals(e.getThread("sampledThread").getJavaName()) || e.getStackTrace() == null) {
                continue;
            }
            List<String> frames = e.getStackTrace().getFrames().stream().map(CellPhaseProfile::frameName).toList();
            String phase = firstMarked(PHASES, frames);
            if (e.getStackTrace().isTruncated() && phase == null) {
                phase = "(stack truncated)";
            }
            if (phase == null) {
                continue; // the harness's own loop
            }
            total++;
            phases.merge(phase, 1, Integer::sum);
            for (Map.Entry<String, String> a : ACROSS.entrySet()) {
                if (frames.stream().anyMatch(f -> f.startsWith(a.getKey()))) {
                    across.merge(a.getValue(), 1, Integer::sum);
                }
            }
        }
        System.out.printf("%n%d samples of the evaluating thread (1 ms period), by innermost phase:%n", total);
        for (Map.Entry<String, Integer> p : phases.entrySet()) {
            if (p.getValue() > 0) {
                System.out.printf("  %5.1f %%  %s%n", 100.0 * p.getValue() / Math.max(1, total), p.getKey());
            }
        }
        System.out.println("across phases (a sample can count in several):");
        for (Map.Entry<String, Integer> p : across.entrySet()) {
            System.out.printf("  %5.1f %%  %s%n", 100.0 * p.getValue() / Math.max(1, total), p.getKey());
        }
    }

    /** The phase of the first marker in {@code table} that some frame carries, or null. */
    private static String firstMarked(Map<String, String> table, List<String> frames) {
        for (Map.Entry<String, String> p : table.entrySet()) {
            for (String f : frames) {
                if (f.startsWith(p.getKey())) {
                    return p.getValue();
                }
            }
        }
        return null;
    }

    /** A frame as SimpleClassName.method (nested classes keep their $ part). */
    private static String frameName(RecordedFrame f) {
        if (f.getMethod() == null) {
            return "";
        }
        String type = f.getMethod().getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + "." + f.getMethod().getName();
    }

    private static String quoted(String s) {
        return "'" + s.replace("\n", "\\n") + "'";
    }

    private static double median(long[] v) {
        long[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2] / 1e6;
    }
}

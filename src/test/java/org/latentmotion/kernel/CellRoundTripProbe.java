package org.latentmotion.kernel;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import jdk.jshell.JShell;
import org.latentmotion.display.Renderers;

/**
 * Where a trivial cell's time goes inside the kernel (issue 20, item 4), in CPU time of the
 * evaluating thread, so a busy machine does not blur it: the kernel's {@link CellEngine} running
 * {@code 1 + 1} (after warm-up), rendering its value, and a plain local JShell compiling the same
 * with the kernel's class path, with and without the default imports. The socket side (request
 * polling, replies) is what {@code bench/kernel/run.sh} adds on top.
 * <pre>
 * java -cp target/classes:target/test-classes:$(cat cp.txt) org.latentmotion.kernel.CellRoundTripProbe [cells]
 * </pre>
 */
public final class CellRoundTripProbe {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private CellRoundTripProbe() {
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args.length > 0 ? args[0] : "100");
        CellEngine engine = new CellEngine();
        engine.importDefaults();
        long[] run = new long[n];
        long[] render = new long[n];
        for (int rep = 0; rep < 3; rep++) { // the first two warm the compiler up
            for (int i = 0; i < n; i++) {
                long t0 = THREADS.getCurrentThreadCpuTime();
                CellEngine.Result r = engine.run("1 + 1", i);
                long t1 = THREADS.getCurrentThreadCpuTime();
                KernelDisplaySink.toDisplayData(Renderers.render(r.value()));
                run[i] = t1 - t0;
                render[i] = THREADS.getCurrentThreadCpuTime() - t1;
            }
        }
        System.out.printf("kernel cell engine: run median %.1f ms CPU, render median %.2f ms CPU%n", median(run), median(render));
        for (boolean imports : new boolean[] {false, true}) {
            try (JShell shell = JShell.builder().executionEngine("local").compilerOptions("-Xlint:none").build()) {
                shell.addToClasspath(System.getProperty("java.class.path"));
                if (imports) {
                    DefaultImports.statements().forEach(shell::eval);
                }
                for (int i = 0; i < n; i++) {
                    long t0 = THREADS.getCurrentThreadCpuTime();
                    shell.eval("1 + 1");
                    run[i] = THREADS.getCurrentThreadCpuTime() - t0;
                }
                System.out.printf("plain local JShell, kernel class path%s: eval median %.1f ms CPU%n",
                        imports ? " and default imports" : "", median(run));
            }
        }
        System.exit(0);
    }

    private static double median(long[] v) {
        long[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2] / 1e6;
    }
}

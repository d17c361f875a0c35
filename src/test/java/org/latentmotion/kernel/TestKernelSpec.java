package org.latentmotion.kernel;

import com.google.gson.Gson;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Jupyter kernelspec, in a temporary JUPYTER_PATH, that starts the kernel exactly as the
 * installed one does but from the classes this build just compiled (the test classpath).
 */
public final class TestKernelSpec {
    public static final String NAME = "latentmotion-test";
    public static final String PYTHON = "/usr/bin/python3";
    public static final String JUPYTER = "/usr/bin/jupyter";

    /** The packages the installed kernel opens to unnamed modules (kernels-setup/install.sh's SPARK_OPENS). */
    static final List<String> SPARK_OPENS = List.of("java.base/java.lang", "java.base/java.lang.invoke",
            "java.base/java.lang.reflect", "java.base/java.io", "java.base/java.net", "java.base/java.nio",
            "java.base/java.util", "java.base/java.util.concurrent", "java.base/java.util.concurrent.atomic",
            "java.base/jdk.internal.ref", "java.base/sun.nio.ch", "java.base/sun.nio.cs", "java.base/sun.security.action",
            "java.base/sun.util.calendar", "java.security.jgss/sun.security.krb5");

    private final Path jupyterPath;

    private TestKernelSpec(Path jupyterPath) {
        this.jupyterPath = jupyterPath;
    }

    /** Whether this JVM knows a HotSpot option (the kernel runs on the same JVM as the tests). */
    static boolean jvmHasOption(String name) {
        try {
            java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                    .getVMOption(name);
            return true;
        } catch (IllegalArgumentException unknown) {
            return false;
        }
    }

    /** Writes the kernelspec; {@code extraJvmArgs} go before the main class (e.g. -D options). */
    public static TestKernelSpec create(Path dir, String... extraJvmArgs) {
        try {
            Path kernelDir = dir.resolve("kernels").resolve(NAME);
            Files.createDirectories(kernelDir);
            List<String> argv = new ArrayList<>();
            argv.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
            // The installed kernel's rule (kernels-setup/install.sh): a quarter of the machine's memory for the
            // heap, within 1–2 GB; half for ND4J off-heap; G1 collecting, and freed native memory trimmed, when the kernel is idle.
            long totalMb = ((com.sun.management.OperatingSystemMXBean)
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize() >> 20;
            long heapMb = Math.min(2048, Math.max(1024, totalMb / 4));
            argv.add("-Xmx" + heapMb + "m");
            argv.add("-Dorg.bytedeco.javacpp.maxbytes=" + Math.max(1024, totalMb / 2) + "m");
            argv.add("-Dorg.bytedeco.javacpp.maxphysicalbytes=" + (Math.max(1024, totalMb / 2) + heapMb + 1024) + "m");
            argv.add("-XX:+UseG1GC");
            argv.add("-XX:G1PeriodicGCInterval=15000");
            if (jvmHasOption("TrimNativeHeapInterval")) {
                argv.add("-XX:TrimNativeHeapInterval=15000");
            }
            argv.add("-Djava.awt.headless=true");
            argv.add("-Djava.security.manager=allow");
            // JDK internals Spark 4 reaches into, as the installed kernel opens them (install.sh): a notebook runs
            // Spark in the kernel after %jars ../target/spark-lib (spark/README.md)
            for (String p : SPARK_OPENS) {
                argv.add("--add-opens=" + p + "=ALL-UNNAMED");
            }
            argv.add("-Djdk.reflect.useDirectMethodHandle=false");
            argv.add("-Dio.netty.tryReflectionSetAccessible=true");
            argv.add("-Dlatentmotion.root=" + projectRoot());
            argv.addAll(List.of(extraJvmArgs));
            argv.add("-cp");
            argv.add(classpath());
            argv.add("org.latentmotion.kernel.LatentMotionKernel");
            argv.add("{connection_file}");
            Map<String, Object> spec = new LinkedHashMap<>();
            spec.put("argv", argv);
            spec.put("display_name", "Java (latentmotion, test build)");
            spec.put("language", "java");
            spec.put("interrupt_mode", "message");
            spec.put("env", Map.of("OMP_WAIT_POLICY", "passive")); // as the installed kernel
            Files.writeString(kernelDir.resolve("kernel.json"), new Gson().toJson(spec));
            return new TestKernelSpec(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JUPYTER_PATH value under which the spec is found. */
    public Path jupyterPath() {
        return jupyterPath;
    }

    /** Sets JUPYTER_PATH (and a private runtime dir) for a client process. */
    public void configure(ProcessBuilder pb) {
        pb.environment().put("JUPYTER_PATH", jupyterPath.toString());
        pb.environment().put("JUPYTER_RUNTIME_DIR", jupyterPath.resolve("runtime").toString());
        pb.environment().put("PYTHONNOUSERSITE", "1");
    }

    public static Path projectRoot() {
        return Paths.get(System.getProperty("latentmotion.root", "")).toAbsolutePath();
    }

    /** The test JVM's classpath (surefire exposes the real one even with a manifest-only jar). */
    static String classpath() {
        String cp = System.getProperty("surefire.test.class.path");
        if (cp == null || cp.isBlank()) {
            cp = System.getProperty("java.class.path");
        }
        StringBuilder out = new StringBuilder();
        for (String entry : cp.split(File.pathSeparator)) {
            if (entry.isBlank() || entry.contains("surefire")) {
                continue;
            }
            if (out.length() > 0) {
                out.append(File.pathSeparator);
            }
            out.append(Paths.get(entry).toAbsolutePath());
        }
        return out.toString();
    }
}

package org.latentmotion.spark;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.spark.SparkConf;

/**
 * A Spark standalone cluster on this machine for tests: a master and one worker started as child
 * JVMs from the jars already on the test class path (no Spark download), on the loopback address
 * and free ports. Executors the worker launches get the same class path, so the jobs' classes
 * and the toolkit reach them as they would through {@code spark.jars} on a real cluster.
 *
 * <p>{@link #close} destroys the worker's process tree (its executors), the worker and the
 * master, and waits for them; a shutdown hook does the same if the test JVM exits first, so no
 * JVM outlives the test. Every wait is time-bound and fails with what it was waiting for and
 * where the processes' logs are.
 */
final class StandaloneCluster implements AutoCloseable {
    private static final String LOOPBACK = "127.0.0.1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(150);

    private final Path dir;
    private final String classPath;
    private final int masterPort;
    private final int masterUiPort;
    private final List<Process> processes = new ArrayList<>();
    private final Thread shutdownHook = new Thread(this::destroyAll, "standalone-cluster-stop");
    private Process master;
    private Process worker;

    private StandaloneCluster(Path dir) {
        this.dir = dir;
        this.classPath = testClassPath();
        this.masterPort = freePort();
        this.masterUiPort = freePort();
    }

    /**
     * Starts a master and one worker with {@code cores} cores and {@code memory} (e.g. "1g") for
     * executors, and waits until the worker has registered with the master.
     *
     * @param dir a folder for the processes' logs, the worker's work folder and a stand-in Spark home
     */
    static StandaloneCluster start(Path dir, int cores, String memory) {
        StandaloneCluster c = new StandaloneCluster(dir);
        Runtime.getRuntime().addShutdownHook(c.shutdownHook);
        try {
            c.startProcesses(cores, memory);
            return c;
        } catch (RuntimeException | Error e) {
            c.close();
            throw e;
        }
    }

    private void startProcesses(int cores, String memory) {
        try {
            // the worker builds each executor's command line as Spark's launcher does: it needs a Spark
            // home with a RELEASE file and a jars/ folder; the jars themselves come from the class path below
            Path home = Files.createDirectories(dir.resolve("spark-home"));
            Files.createDirectories(home.resolve("jars"));
            Files.writeString(home.resolve("RELEASE"), "stand-in Spark home for latentmotion's tests\n");
            Path work = Files.createDirectories(dir.resolve("work"));
            master = launch("master", "org.apache.spark.deploy.master.Master", "--host", LOOPBACK, "--port",
                    String.valueOf(masterPort), "--webui-port", String.valueOf(masterUiPort));
            waitFor(() -> status().contains("\"status\" : \"ALIVE\""), "the master to answer on " + masterUi());
            worker = launch("worker", "org.apache.spark.deploy.worker.Worker", "--host", LOOPBACK, "--webui-port",
                    String.valueOf(freePort()), "--cores", String.valueOf(cores), "--memory", memory, "--work-dir",
                    work.toString(), masterUrl());
            waitFor(() -> status().replace(" ", "").contains("\"aliveworkers\":1"),
                    "the worker to register with the master (" + masterUi() + "/json/)");
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare the cluster's folders in " + dir, e);
        }
    }

    private Process launch(String name, String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        cmd.addAll(moduleOptions());
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.put("SPARK_HOME", dir.resolve("spark-home").toString());
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.put("SPARK_LOCAL_IP", LOOPBACK);
        env.put("SPARK_LOCAL_DIRS", Files.createDirectories(dir.resolve("local")).toString());
        env.put("OMP_NUM_THREADS", "1");
        pb.redirectErrorStream(true);
        pb.redirectOutput(log(name).toFile());
        Process p = pb.start();
        synchronized (processes) {
            processes.add(p);
        }
        return p;
    }

    /** The master's URL, {@code spark://127.0.0.1:<port>}. */
    String masterUrl() {
        return "spark://" + LOOPBACK + ":" + masterPort;
    }

    private String masterUi() {
        return "http://" + LOOPBACK + ":" + masterUiPort;
    }

    /** Where a process's standard output and error go. */
    Path log(String name) {
        return dir.resolve(name + ".log");
    }

    /**
     * Settings for an application on this cluster: the driver on the loopback address, executors
     * with the test class path, {@code executorMemory} of heap and the module openings Spark needs
     * on Java 17.
     */
    SparkConf appConf(String appName, String executorMemory) {
        return new SparkConf().setMaster(masterUrl()).setAppName(appName)
                .set("spark.driver.host", LOOPBACK)
                .set("spark.driver.bindAddress", LOOPBACK)
                .set("spark.ui.enabled", "false")
                .set("spark.ui.showConsoleProgress", "false")
                .set("spark.executor.memory", executorMemory)
                .set("spark.executor.extraClassPath", classPath)
                .set("spark.executor.extraJavaOptions", String.join(" ", moduleOptions()))
                .set("spark.executorEnv.OMP_NUM_THREADS", "1");
    }

    /** The worker's executor JVMs now running (its child processes running Spark's executor backend). */
    List<ProcessHandle> executors() {
        if (worker == null) {
            return List.of();
        }
        return worker.toHandle().descendants()
                .filter(h -> commandLine(h).contains("CoarseGrainedExecutorBackend"))
                .filter(ProcessHandle::isAlive)
                .collect(Collectors.toList());
    }

    /**
     * The whole command line of a process: /proc on Linux, since {@link ProcessHandle.Info}
     * truncates it to 4096 characters there (an executor's class path alone is longer).
     */
    private static String commandLine(ProcessHandle h) {
        Path proc = Path.of("/proc", String.valueOf(h.pid()), "cmdline");
        try {
            if (Files.isReadable(proc)) {
                return new String(Files.readAllBytes(proc), StandardCharsets.UTF_8).replace('\0', ' ');
            }
        } catch (IOException e) {
            // the process ended between listing and reading
            return "";
        }
        return h.info().commandLine().orElse("");
    }

    /** Waits until the worker runs an executor, and returns it. */
    ProcessHandle awaitExecutor(Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            List<ProcessHandle> running = executors();
            if (!running.isEmpty()) {
                return running.get(0);
            }
            sleep(100);
        }
        throw new AssertionError("no executor process under the worker (pid " + worker.pid() + ") after " + timeout
                + "; see " + log("worker") + " and " + dir.resolve("work"));
    }

    /** The master's state as JSON (its web UI's /json/ page), or "" if it does not answer yet. */
    String status() {
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(masterUi() + "/json/"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return r.statusCode() == 200 ? r.body() : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private void waitFor(BooleanSupplier condition, String what) {
        long end = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return;
            }
            for (Process p : List.copyOf(processes)) {
                if (!p.isAlive()) {
                    throw new AssertionError("waiting for " + what + ": a cluster process exited with " + p.exitValue()
                            + "; see " + log("master") + " and " + log("worker") + tail());
                }
            }
            sleep(250);
        }
        throw new AssertionError("timed out after " + START_TIMEOUT.toSeconds() + " s waiting for " + what + "; see "
                + log("master") + " and " + log("worker") + tail());
    }

    private String tail() {
        StringBuilder sb = new StringBuilder();
        for (String name : List.of("master", "worker")) {
            try {
                List<String> lines = Files.exists(log(name)) ? Files.readAllLines(log(name)) : List.of();
                sb.append("\n--- last lines of ").append(name).append(".log ---\n")
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
            } catch (IOException | UncheckedIOException e) {
                sb.append("\n(").append(name).append(".log unreadable: ").append(e.getMessage()).append(')');
            }
        }
        return sb.toString();
    }

    /** Stops every process this cluster started (executors first), waiting at most a few seconds each. */
    @Override
    public void close() {
        destroyAll();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or has run: it stops the same processes
        }
    }

    private void destroyAll() {
        List<ProcessHandle> all = new ArrayList<>();
        synchronized (processes) {
            for (Process p : processes) {
                p.toHandle().descendants().forEach(all::add);
            }
            for (int i = processes.size() - 1; i >= 0; i--) {
                all.add(processes.get(i).toHandle());
            }
        }
        for (ProcessHandle h : all) {
            h.destroy();
        }
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        }
    }

    /** The processes still alive among those started here and their descendants (empty after {@link #close}). */
    List<ProcessHandle> alive() {
        List<ProcessHandle> out = new ArrayList<>();
        synchronized (processes) {
            for (Process p : processes) {
                if (p.isAlive()) {
                    out.add(p.toHandle());
                }
                p.toHandle().descendants().filter(ProcessHandle::isAlive).forEach(out::add);
            }
        }
        return out;
    }

    /**
     * The JVM options the cluster's processes start with: this test JVM's module openings (the
     * {@code spark} profile gives surefire the list Spark's launcher passes).
     */
    private static List<String> moduleOptions() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("-XX:+IgnoreUnrecognizedVMOptions")
                        || a.startsWith("-Djdk.reflect.useDirectMethodHandle") || a.startsWith("-Dio.netty.tryReflection"))
                .collect(Collectors.toList());
    }

    /**
     * The test class path as entries a child JVM takes: surefire's real class path (it may start
     * the test JVM with a manifest-only jar), else this JVM's.
     */
    static String testClassPath() {
        String cp = Optional.ofNullable(System.getProperty("surefire.test.class.path"))
                .filter(s -> !s.isBlank()).orElse(System.getProperty("java.class.path"));
        List<String> entries = new ArrayList<>();
        for (String e : cp.split(File.pathSeparator)) {
            if (!e.isBlank()) {
                entries.add(new File(e).getAbsolutePath());
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName(LOOPBACK))) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + LOOPBACK, e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}

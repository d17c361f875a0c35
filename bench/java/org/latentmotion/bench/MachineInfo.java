package org.latentmotion.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import org.nd4j.linalg.factory.Nd4j;

/** What the Java side ran on: CPU, cores, JVM, ND4J (version, BLAS, threads) and ONNX Runtime versions. */
final class MachineInfo {
    private MachineInfo() {}

    static Map<String, Object> java() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpu", cpuModel());
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("nd4j", version("org.nd4j", "nd4j-api"));
        m.put("onnxruntime", version("com.microsoft.onnxruntime", "onnxruntime"));
        m.put("OMP_NUM_THREADS", String.valueOf(System.getenv("OMP_NUM_THREADS")));
        m.put("OMP_WAIT_POLICY", String.valueOf(System.getenv("OMP_WAIT_POLICY")));
        try {
            Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
            for (String k : new String[] {"blas.vendor", "omp.threads", "cores", "backend"}) {
                if (env.containsKey(k)) {
                    m.put("nd4j." + k, String.valueOf(env.get(k)));
                }
            }
            m.put("nd4j.maxThreads", Nd4j.getEnvironment().maxThreads());
        } catch (RuntimeException | LinkageError e) {
            m.put("nd4j.error", String.valueOf(e));
        }
        return m;
    }

    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux: fall through
        }
        return System.getProperty("os.arch");
    }

    /** Version of a Maven artifact on the class path, from its jar's pom.properties. */
    static String version(String group, String artifact) {
        String res = "/META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (var in = MachineInfo.class.getResourceAsStream(res)) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}

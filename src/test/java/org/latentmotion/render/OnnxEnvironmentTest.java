package org.latentmotion.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * ONNX Runtime's first use on a default-stack thread (like a notebook cell's), in a fresh JVM
 * with the project's full classpath. Without {@link OnnxEnvironment} that JVM dies with a
 * segmentation fault on this machine (the control below shows whether it still does).
 */
class OnnxEnvironmentTest {

    /** Entry point of the child JVM: first ORT use on a 1 MB-stack thread. */
    public static void main(String[] args) throws Exception {
        boolean safe = args[0].equals("safe");
        Thread cell = new Thread(null, () -> {
            if (safe) {
                try (Synthesizer g = Synthesizers.testStyleGan2(OnnxOptions.builder().threads(1).build())) {
                    System.out.println("rendered " + g.renderFrames(org.nd4j.linalg.factory.Nd4j.zeros(1, 10, 512)).length);
                }
            } else {
                ai.onnxruntime.OrtEnvironment.getEnvironment();
                System.out.println("plain getEnvironment ok");
            }
        }, "cell", 1L << 20);
        cell.start();
        cell.join();
    }

    static int child(String mode, StringBuilder out) throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(List.of(java.toString(), "-Xmx512m", "-Xss1m", "-cp", cp,
                OnnxEnvironmentTest.class.getName(), mode)).redirectErrorStream(true).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("child JVM did not finish");
        }
        out.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        return p.exitValue();
    }

    @Test
    void firstUseOnADefaultStackThreadWorks() throws Exception {
        StringBuilder out = new StringBuilder();
        int code = child("safe", out);
        assertEquals(0, code, out.toString());
        assertTrue(out.toString().contains("rendered 1"), out.toString());
        StringBuilder control = new StringBuilder();
        int plain = child("plain", control);
        System.out.println("control (plain OrtEnvironment.getEnvironment on a 1 MB thread): exit " + plain
                + (plain == 139 || plain == 134 ? " — crashes, as OnnxEnvironment's comment says" : ""));
    }
}

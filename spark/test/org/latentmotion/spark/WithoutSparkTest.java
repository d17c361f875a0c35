package org.latentmotion.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The jobs' jar without Spark's (a notebook that added one but not the other): the first use
 * says that Spark is missing and how to add it, instead of naming one Spark class.
 */
class WithoutSparkTest {

    /** Run in a JVM without Spark: prints what {@code SparkJobs.local(1)} throws. */
    public static void main(String[] args) {
        try {
            SparkJobs.local(1).close();
            System.out.println("no error");
        } catch (Throwable t) {
            System.out.println(t);
        }
    }

    @Test
    void theFirstUseSaysSparkIsMissingAndHowToAddIt() throws Exception {
        List<String> withoutSpark = Arrays.stream(StandaloneCluster.testClassPath().split(File.pathSeparator))
                .filter(e -> !e.contains("org/apache/spark/") && !e.contains("org/scala-lang/"))
                .collect(Collectors.toList());
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                "-cp", String.join(File.pathSeparator, withoutSpark), WithoutSparkTest.class.getName())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child JVM ends");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.endsWith("java.lang.NoClassDefFoundError: Apache Spark is not on the class path: latentmotion's"
                + " Spark jobs need Spark's jars beside theirs. In a notebook: %jars ../target/spark-lib (made by mvn -B"
                + " -Pspark -Dmaven.test.skip=true package); see spark/README.md"), out);
    }
}

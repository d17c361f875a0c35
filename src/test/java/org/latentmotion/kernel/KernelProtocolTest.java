package org.latentmotion.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel as a notebook sees it: Debian's jupyter_client starts the real kernel process and
 * sends real execute / complete / is_complete / interrupt requests. One kernel serves all tests
 * (starting a JVM + JShell costs seconds), so each test uses its own names.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KernelProtocolTest {
    @TempDir
    static Path tmp;
    private KernelClient kernel;
    private Path greeterJar;
    private Path docJar;

    @BeforeAll
    void startKernel() throws Exception {
        greeterJar = buildJar(tmp.resolve("greeter"), "lmtest.Greeter",
                "package lmtest; public class Greeter { public static String greet(String n) { return \"hello \" + n; } }");
        // A private local Maven repository holding one artifact, and no remote: %maven must resolve offline.
        Path repo = tmp.resolve("m2");
        Path artifactDir = Files.createDirectories(repo.resolve("org/latentmotion/testing/answer/1.0"));
        Path answerJar = buildJar(tmp.resolve("answer"), "lmanswer.Answer",
                "package lmanswer; public class Answer { public static int value() { return 42; } }");
        Files.copy(answerJar, artifactDir.resolve("answer-1.0.jar"));
        Files.writeString(artifactDir.resolve("answer-1.0.pom"), """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>org.latentmotion.testing</groupId><artifactId>answer</artifactId><version>1.0</version>
                </project>
                """);
        docJar = CellDocumentationTest.docJar(tmp.resolve("doclib"));
        TestKernelSpec spec = TestKernelSpec.create(tmp.resolve("jupyter"),
                "-Dmaven.repo.local=" + repo, "-Dlatentmotion.maven.remote=");
        kernel = new KernelClient(spec, tmp);
    }

    @AfterAll
    void stopKernel() throws Exception {
        if (kernel != null) {
            kernel.close();
        }
    }

    @Test
    void valueOfTheLastExpressionIsTheResult() throws Exception {
        KernelClient.Execution r = kernel.execute("int sevenTimes(int x) { return 7 * x; }\nsevenTimes(6)");
        assertTrue(r.ok(), r.toString());
        assertEquals("42", r.resultText());
    }

    @Test
    void printGoesToStdout() throws Exception {
        KernelClient.Execution r = kernel.execute("System.out.println(\"printed \" + (40 + 2));");
        assertTrue(r.ok(), r.toString());
        assertEquals("printed 42\n", r.stdout());
        assertNull(r.resultText(), "a statement has no result");
    }

    @Test
    void classDefinedInOneCellIsUsedInTheNext() throws Exception {
        assertTrue(kernel.execute("record Pair(String name, int n) { String twice() { return name + name; } }").ok());
        KernelClient.Execution r = kernel.execute("var p = new Pair(\"ab\", 3);\np.twice() + p.n()");
        assertTrue(r.ok(), r.toString());
        assertEquals("abab3", r.resultText(), "strings show as their text");
    }

    @Test
    void toolkitValuesRenderRichly() throws Exception {
        KernelClient.Execution r = kernel.execute(
                "Table.create(\"tiny\", DoubleColumn.create(\"x\", 1.5, 2.5))");
        assertTrue(r.ok(), r.toString());
        JsonObject data = r.ofType("execute_result").get(0).getAsJsonObject("data");
        assertTrue(data.get("text/html").getAsString().contains("<td>2.5</td>"), data.toString());
        KernelClient.Execution img = kernel.execute("new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB)");
        assertTrue(img.ofType("execute_result").get(0).getAsJsonObject("data").has("image/png"), img.toString());
    }

    @Test
    void displayThenUpdateDisplayTargetOneOutput() throws Exception {
        KernelClient.Execution r = kernel.execute(
                "String shownId = display(\"first\");\nupdateDisplay(shownId, \"second\");");
        assertTrue(r.ok(), r.toString());
        List<JsonObject> shown = r.ofType("display_data");
        List<JsonObject> updated = r.ofType("update_display_data");
        assertEquals(1, shown.size(), r.toString());
        assertEquals(1, updated.size(), r.toString());
        String id = shown.get(0).getAsJsonObject("transient").get("display_id").getAsString();
        assertEquals(id, updated.get(0).getAsJsonObject("transient").get("display_id").getAsString());
        assertEquals("first", shown.get(0).getAsJsonObject("data").get("text/plain").getAsString());
        assertEquals("second", updated.get(0).getAsJsonObject("data").get("text/plain").getAsString());
    }

    @Test
    void liveProgressBarIsOneDisplayUpdatedInPlace() throws Exception {
        KernelClient.Execution r = kernel.execute("""
                try (var bar = ProgressBar.start("steps", 5)) {
                    for (int i = 1; i <= 5; i++) { Thread.sleep(120); bar.step(i); }
                }""");
        assertTrue(r.ok(), r.toString());
        assertEquals(1, r.ofType("display_data").size(), r.toString());
        List<JsonObject> updates = r.ofType("update_display_data");
        assertFalse(updates.isEmpty());
        assertTrue(updates.get(updates.size() - 1).getAsJsonObject("data").get("text/html").getAsString().contains("5/5"));
    }

    @Test
    void compileErrorNamesLineAndColumn() throws Exception {
        KernelClient.Execution r = kernel.execute("int okay = 1;\nString s = \"abc\";\nint n = s.lenght();");
        assertFalse(r.ok());
        assertEquals("CompilationException", r.error().get("ename").getAsString());
        String tb = r.traceback();
        assertTrue(tb.contains("line 3, column 10"), tb);
        assertTrue(tb.contains("cannot find symbol"), tb);
        assertTrue(tb.contains("int n = s.lenght();"), tb);
    }

    @Test
    void runtimeExceptionShowsTheUsersLineFirstAndNoKernelInternals() throws Exception {
        KernelClient.Execution r = kernel.execute(
                "void explode(int x) {\n    throw new IllegalStateException(\"bad x: \" + x);\n}\n\nexplode(7);");
        assertFalse(r.ok());
        String tb = r.traceback();
        String[] lines = tb.split("\n");
        assertEquals("IllegalStateException: bad x: 7", lines[0], tb);
        assertTrue(lines[1].contains("line 2") && lines[1].contains("throw new IllegalStateException"), tb);
        assertTrue(tb.contains("at explode (cell ["), tb);
        assertTrue(tb.contains("line 5)"), "the calling line is named too: " + tb);
        assertFalse(tb.contains("jdk.jshell") || tb.contains("org.latentmotion.kernel") || tb.contains("spencerpark"), tb);
    }

    /** The in-process table of {@link CellErrorLocationTest}, as a notebook receives it (error messages' tracebacks). */
    @Test
    void errorLocationsReachTheFrontEnd() throws Exception {
        List<org.junit.jupiter.api.function.Executable> checks = new java.util.ArrayList<>();
        for (ErrorLocations.Case c : ErrorLocations.all()) {
            KernelClient.Execution r = kernel.execute(c.cell());
            String tb = r.traceback();
            checks.add(() -> {
                assertFalse(r.ok(), c + ": " + r);
                if (c.kind() == ErrorLocations.Kind.COMPILE) {
                    assertEquals("CompilationException", r.error().get("ename").getAsString(), c.name());
                    assertTrue(tb.matches("(?s)Compilation error in cell \\[\\d+\\], line " + c.line() + ", column "
                            + c.column() + ":\n.*"), c + ":\n" + tb);
                    assertTrue(tb.contains("\n  " + c.expectedLine() + "\n"), c + ":\n" + tb);
                } else {
                    String second = tb.split("\n")[1];
                    assertTrue(second.matches("  in cell \\[\\d+\\], line " + c.line() + ":  .*"), c + ":\n" + tb);
                    assertTrue(second.endsWith(":  " + c.expectedLine().strip()), c + ":\n" + tb);
                }
            });
        }
        org.junit.jupiter.api.Assertions.assertAll(checks);
    }

    @Test
    void aFloodOfPrintedLinesIsBatchedCappedAndTheKernelStaysResponsive() throws Exception {
        // a million lines (12.9 MB): basekernel alone sent one message per line and stopped answering
        KernelClient.Execution r = kernel.execute("for (int i = 0; i < 1_000_000; i++) System.out.println(\"line \" + i);");
        assertTrue(r.ok(), r.reply.toString());
        String out = r.stdout();
        assertTrue(out.startsWith("line 0\nline 1\n"), out.substring(0, Math.min(40, out.length())));
        assertTrue(out.contains("[output truncated: this cell printed"), out.substring(Math.max(0, out.length() - 300)));
        assertTrue(out.length() < LatentMotionKernel.OUTPUT_CAP_BYTES + 1000, "capped: " + out.length());
        long messages = r.ofType("stream").size();
        assertTrue(messages < 1000, "batched: " + messages + " stream messages");
        KernelClient.Execution after = kernel.execute("6 * 7");
        assertEquals("42", after.resultText(), after.toString());
        // text printed before a display comes before it
        KernelClient.Execution mixed = kernel.execute("System.out.println(\"before\"); display(\"shown\"); System.out.println(\"after\");");
        // (a batch may split one line over two stream messages; front ends join them, so consecutive ones count once)
        List<String> kinds = new java.util.ArrayList<>();
        for (var o : mixed.outputs) {
            String k = o.get("msg_type").getAsString();
            if ((k.equals("stream") || k.equals("display_data")) && (kinds.isEmpty() || !kinds.get(kinds.size() - 1).equals(k))) {
                kinds.add(k);
            }
        }
        assertEquals(List.of("stream", "display_data", "stream"), kinds, mixed.toString());
        assertEquals("before\nafter\n", mixed.stdout());
    }

    @Test
    void systemExitInACellIsAnErrorAndTheKernelKeepsItsVariables() throws Exception {
        assertTrue(kernel.execute("int keptAcrossExit = 41;").ok());
        for (String call : List.of("System.exit(1);", "Runtime.getRuntime().halt(3);",
                "new Thread(() -> System.exit(4)).start(); Thread.sleep(300);")) {
            KernelClient.Execution r = kernel.execute(call);
            if (call.startsWith("new Thread")) {
                assertTrue(r.ok(), "the thread's exit fails in that thread, the cell itself is fine: " + r);
            } else {
                assertFalse(r.ok(), call + " must fail the cell: " + r);
                assertTrue(r.traceback().contains("the kernel keeps running") && r.traceback().contains("restart"), r.traceback());
            }
            KernelClient.Execution after = kernel.execute("keptAcrossExit + 1");
            assertEquals("42", after.resultText(), "after " + call + ": " + after);
        }
    }

    @Test
    void interruptStopsAnEndlessLoopAndTheKernelKeepsWorking() throws Exception {
        kernel.execute("long spins = 0;");
        KernelClient.Execution r = kernel.execute("while (true) { spins++; }", 1.5);
        assertFalse(r.ok(), r.toString());
        assertTrue(r.traceback().contains("Interrupted"), r.traceback());
        KernelClient.Execution after = kernel.execute("spins > 0");
        assertTrue(after.ok(), after.toString());
        assertEquals("true", after.resultText(), "state survives the interrupt");
    }

    @Test
    void interruptIsSeenByCodeThatChecksAndItsValueIsKept() throws Exception {
        assertTrue(kernel.execute(
                "long spinUntilInterrupted() { long n = 0; while (!Thread.currentThread().isInterrupted()) { n++; } return n; }").ok());
        // A long count: on an idle machine an int overflows in the 2.5 s before the interrupt.
        KernelClient.Execution r = kernel.execute("long spun = spinUntilInterrupted();\nSystem.out.println(\"skipped\");", 2.5);
        assertTrue(r.ok(), "a loop that stops at the interrupt ends cleanly: " + r);
        assertTrue(r.resultText() != null && r.resultText().matches("[1-9]\\d*"), "its value is kept: " + r);
        assertFalse(r.stdout().contains("skipped"), "the rest of the cell does not run: " + r);
    }

    @Test
    void completionAndIsComplete() throws Exception {
        assertTrue(kernel.execute("var wordList = new ArrayList<String>();").ok());
        String code = "wordList.ad";
        JsonObject c = kernel.complete(code, code.length());
        List<String> matches = new java.util.ArrayList<>();
        c.getAsJsonArray("matches").forEach(e -> matches.add(e.getAsString()));
        assertTrue(matches.contains("add("), matches.toString());
        assertTrue(matches.contains("addAll("), matches.toString());
        assertEquals(9, c.get("cursor_start").getAsInt());
        assertEquals(code.length(), c.get("cursor_end").getAsInt());

        JsonObject toolkit = kernel.complete("ProgressBar.st", 14);
        assertTrue(toolkit.getAsJsonArray("matches").toString().contains("start("), toolkit.toString());

        assertEquals("incomplete", kernel.isComplete("for (int i = 0; i < 3; i++) {").get("status").getAsString());
        assertEquals("complete", kernel.isComplete("int q = 3;\nq + 1").get("status").getAsString());
    }

    @Test
    void shiftTabShowsToolkitSignatureAndJavadoc() throws Exception {
        String code = "ProgressBar.start(";
        JsonObject reply = kernel.inspect(code, code.length(), 0);
        assertEquals("ok", reply.get("status").getAsString(), reply.toString());
        assertTrue(reply.get("found").getAsBoolean(), reply.toString());
        JsonObject data = reply.getAsJsonObject("data");
        String plain = data.get("text/plain").getAsString();
        String expected = CellDocumentationTest.firstSentenceOfJavadocBefore(
                TestKernelSpec.projectRoot().resolve("toolkit/org/latentmotion/display/ProgressBar.java"),
                "public static ProgressBar start(String label, long total)");
        assertTrue(plain.startsWith("ProgressBar ProgressBar.start(String label, long total)\n"), plain);
        assertTrue(plain.replaceAll("\\s+", " ").contains(expected), "the installed kernel reads the toolkit's sources: " + plain);
        assertTrue(data.get("text/markdown").getAsString().startsWith("```java\nProgressBar ProgressBar.start("), data.toString());
        assertFalse(plain.contains("Source ("), "detail level 0 has no source: " + plain);

        JsonObject more = kernel.inspect(code, code.length(), 1);
        assertTrue(more.getAsJsonObject("data").get("text/plain").getAsString()
                .contains("public static ProgressBar start(String label, long total) {"), more.toString());

        JsonObject none = kernel.inspect("int nothingToSee = 1; ", 22, 0);
        assertFalse(none.get("found").getAsBoolean(), none.toString());
    }

    @Test
    void shiftTabReadsAThirdPartyJarsSourcesAndTheJdk() throws Exception {
        assertTrue(kernel.execute("%classpath " + docJar).ok());
        String code = "lmdoc.Greeter.greet(\"ann\", ";
        String plain = kernel.inspect(code, code.length(), 0).getAsJsonObject("data").get("text/plain").getAsString();
        assertTrue(plain.startsWith("String lmdoc.Greeter.greet(String name, int times)\n"), plain);
        assertTrue(plain.contains("Returns: the greeting, e.g. \"hello ann hello ann\""), plain);
        String jdk = kernel.inspect("Math.max", 8, 0).getAsJsonObject("data").get("text/plain").getAsString();
        assertTrue(jdk.contains("int Math.max(int a, int b)") && jdk.contains("double Math.max(double a, double b)"), jdk);
    }

    @Test
    void completionMatchesCarryTheirKindAndSignature() throws Exception {
        assertTrue(kernel.execute("var typedWords = new ArrayList<String>();").ok());
        String code = "typedWords.ad";
        JsonObject reply = kernel.complete(code, code.length());
        com.google.gson.JsonArray types = reply.getAsJsonObject("metadata").getAsJsonArray("_jupyter_types_experimental");
        assertEquals(reply.getAsJsonArray("matches").size(), types.size(), reply.toString());
        JsonObject add = null;
        for (var t : types) {
            if (t.getAsJsonObject().get("text").getAsString().equals("add(")) {
                add = t.getAsJsonObject();
            }
        }
        assertNotNull(add, reply.toString());
        assertEquals("function", add.get("type").getAsString());
        assertEquals(reply.get("cursor_start").getAsInt(), add.get("start").getAsInt());
        assertEquals(code.length(), add.get("end").getAsInt());
        assertTrue(add.get("signature").getAsString().contains("boolean ArrayList<E>.add(E e)"), add.toString());
        assertTrue(add.get("signature").getAsString().contains("void ArrayList<E>.add(int index, E element)"), add.toString());
    }

    @Test
    void classpathMagicAddsAJarBuiltHere() throws Exception {
        KernelClient.Execution before = kernel.execute("lmtest.Greeter.greet(\"x\")");
        assertFalse(before.ok(), "not on the classpath yet");
        KernelClient.Execution r = kernel.execute("%classpath " + greeterJar + "\nlmtest.Greeter.greet(\"jar\")");
        assertTrue(r.ok(), r.toString());
        assertEquals("hello jar", r.resultText());
    }

    @Test
    void mavenMagicResolvesFromTheLocalRepository() throws Exception {
        KernelClient.Execution r = kernel.execute("%maven org.latentmotion.testing:answer:1.0\nlmanswer.Answer.value()");
        assertTrue(r.ok(), r.toString());
        assertEquals("42", r.resultText());
        assertTrue(r.stdout().contains("1 jar on the classpath"), r.stdout());
        KernelClient.Execution missing = kernel.execute("%maven org.latentmotion.testing:absent:9.9");
        assertFalse(missing.ok());
        assertTrue(missing.traceback().contains("%maven failed"), missing.traceback());
    }

    @Test
    void loadMagicRunsAFile() throws Exception {
        Path script = tmp.resolve("helpers.jsh");
        Files.writeString(script, "int loadedAnswer() { return 6 * 7; }\n");
        KernelClient.Execution r = kernel.execute("%load " + script + "\nloadedAnswer()");
        assertTrue(r.ok(), r.toString());
        assertEquals("42", r.resultText());
    }

    /** Compiles one class and packs it into a jar. */
    static Path buildJar(Path dir, String className, String source) throws IOException {
        Path src = dir.resolve("src").resolve(className.replace('.', '/') + ".java");
        Path classes = dir.resolve("classes");
        Files.createDirectories(src.getParent());
        Files.createDirectories(classes);
        Files.writeString(src, source);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "-d", classes.toString(), src.toString());
        if (rc != 0) {
            throw new IllegalStateException("javac failed for " + className);
        }
        Path jar = dir.resolve(className.substring(className.lastIndexOf('.') + 1).toLowerCase() + ".jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out);
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                j.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                j.write(Files.readAllBytes(f));
                j.closeEntry();
            }
        }
        return jar;
    }
}

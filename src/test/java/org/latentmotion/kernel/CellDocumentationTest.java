package org.latentmotion.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Documentation at the cursor and completion signatures, in-process: the toolkit's javadoc (read
 * from its sources, checked against the source file itself), a third-party jar's javadoc from the
 * sources jar beside it, the JDK's signatures (and javadoc when the JDK has its src.zip).
 */
class CellDocumentationTest {
    private static CellEngine engine;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() throws Exception {
        engine = new CellEngine();
        engine.importDefaults();
        Path jar = docJar(tmp.resolve("doclib"));
        engine.run("%classpath " + jar, 1);
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    /** A jar compiled without parameter names, with its -sources.jar beside it (as Maven publishes them). */
    static Path docJar(Path dir) throws IOException {
        String source = """
                package lmdoc;

                /**
                 * Says hello, politely.
                 * <p>Greets by name; see {@link #greet(String, int)}.
                 */
                public class Greeter {
                    /** How many greetings at most. */
                    public static final int MAX_TIMES = 3;

                    /**
                     * Greets {@code name} a number of times.
                     *
                     * @param name who is greeted
                     * @param times how often, at most {@value #MAX_TIMES}
                     * @return the greeting, e.g. {@code "hello ann hello ann"}
                     * @throws IllegalArgumentException if {@code times < 1}
                     */
                    public static String greet(String name, int times) {
                        if (times < 1) {
                            throw new IllegalArgumentException("times < 1: " + times);
                        }
                        return ("hello " + name + " ").repeat(times).strip();
                    }

                    /** Greets {@code name} once. */
                    public static String greet(String name) {
                        return greet(name, 1);
                    }
                }
                """;
        Path jar = KernelProtocolTest.buildJar(dir, "lmdoc.Greeter", source);
        Path sources = dir.resolve("greeter-sources.jar");
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(sources))) {
            out.putNextEntry(new java.util.jar.JarEntry("lmdoc/Greeter.java"));
            out.write(source.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return jar;
    }

    private static CellDocumentation.Inspection inspect(String code, int level) {
        return engine.analysis().inspect(code, code.length(), level);
    }

    @Test
    void toolkitMethodShowsItsSignatureAndTheJavadocOfItsSourceFile() throws IOException {
        CellDocumentation.Inspection doc = inspect("ProgressBar.start(", 0);
        assertNotNull(doc);
        String expected = firstSentenceOfJavadocBefore(
                Paths.get(System.getProperty("latentmotion.root"), "toolkit/org/latentmotion/display/ProgressBar.java"),
                "public static ProgressBar start(String label, long total)");
        assertTrue(doc.plain().startsWith("ProgressBar ProgressBar.start(String label, long total)\n\n"), doc.plain());
        assertTrue(doc.plain().replaceAll("\\s+", " ").contains(expected), "expected '" + expected + "' in\n" + doc.plain());
        assertTrue(doc.markdown().startsWith("```java\nProgressBar ProgressBar.start(String label, long total)\n```"), doc.markdown());
        assertFalse(doc.plain().contains("{@code") || doc.plain().contains("<p>"), "javadoc markup is rendered: " + doc.plain());
    }

    @Test
    void toolkitClassShowsItsJavadocAndEveryOverloadIsListed() {
        CellDocumentation.Inspection type = inspect("Trajectory", 0);
        assertNotNull(type);
        assertTrue(type.plain().startsWith("org.latentmotion.wplus.Trajectory\n\n    "), type.plain());
        CellDocumentation.Inspection fit = inspect("LatentPca.fit", 0); // a method named without '(' lists its overloads
        assertNotNull(fit);
        long overloads = fit.plain().lines().filter(l -> l.startsWith("LatentPca LatentPca.fit(")).count();
        assertTrue(overloads >= 2, fit.plain());
        assertTrue(fit.markdown().contains("\n\n---\n\n"), "overloads are separated: " + fit.markdown());
    }

    @Test
    void thirdPartyJarGetsNamesAndJavadocFromItsSourcesJar() {
        CellDocumentation.Inspection doc = inspect("lmdoc.Greeter.greet(\"ann\", ", 0);
        assertNotNull(doc);
        String plain = doc.plain();
        // the class file has no parameter names (javac without -parameters): they come from the source
        assertTrue(plain.startsWith("String lmdoc.Greeter.greet(String name, int times)\n"), plain);
        assertTrue(plain.contains("Greets name a number of times."), plain);
        assertTrue(plain.contains("Parameters:\n      name - who is greeted\n      times - how often, at most MAX_TIMES"), plain);
        assertTrue(plain.contains("Returns: the greeting, e.g. \"hello ann hello ann\""), plain);
        assertTrue(plain.contains("Throws:\n      IllegalArgumentException - if times < 1"), plain);
        String md = doc.markdown();
        assertTrue(md.contains("Greets `name` a number of times."), md);
        assertTrue(md.contains("**Parameters:**\n- `name` – who is greeted"), md);
        assertTrue(md.contains("**Throws:**\n- `IllegalArgumentException` – if `times < 1`"), md);

        CellDocumentation.Inspection type = inspect("lmdoc.Greeter", 0);
        assertTrue(type.plain().contains("Says hello, politely.\n\n    Greets by name; see greet(String, int)."), type.plain());
        CellDocumentation.Inspection field = inspect("lmdoc.Greeter.MAX_TIMES", 0);
        assertTrue(field.plain().contains("How many greetings at most."), field.plain());
    }

    @Test
    void detailLevelOneAddsTheDeclarationsSource() {
        CellDocumentation.Inspection brief = inspect("lmdoc.Greeter.greet(\"ann\", ", 0);
        CellDocumentation.Inspection more = inspect("lmdoc.Greeter.greet(\"ann\", ", 1);
        assertFalse(brief.plain().contains("repeat(times)"), brief.plain());
        assertTrue(more.plain().contains("Source (jar:file:"), more.plain());
        assertTrue(more.plain().contains("\n    public static String greet(String name, int times) {\n        if (times < 1) {"), more.plain());
        assertTrue(more.markdown().contains("```java\npublic static String greet(String name, int times) {"), more.markdown());
    }

    @Test
    void jdkMethodsShowSignaturesAndJavadocWhenTheJdkHasItsSources() {
        CellDocumentation.Inspection doc = inspect("Math.max(1, ", 0);
        assertNotNull(doc);
        assertTrue(doc.plain().contains("int Math.max(int a, int b)"), doc.plain());
        boolean jdkSources = Files.isReadable(Paths.get(System.getProperty("java.home"), "lib", "src.zip"));
        if (jdkSources) {
            assertTrue(doc.plain().contains("Returns the greater of two"), doc.plain());
        } else {
            assertTrue(doc.plain().contains("No javadoc: this JDK has no lib/src.zip"), doc.plain());
        }
    }

    @Test
    void nothingToDocumentIsNull() {
        assertNull(inspect("", 0));
        assertNull(inspect("int nothingHere = 1; // ", 0));
    }

    @Test
    void completionItemsCarryKindAndSignature() throws Exception {
        engine.run("var docWords = new ArrayList<String>();", 2);
        Map<String, CellAnalysis.CompletionItem> items = complete("lmdoc.Greeter.");
        assertEquals("function", items.get("greet(").type());
        // every overload, as the class file shows it (Shift-Tab adds the names from the sources; Tab stays cheap)
        assertEquals("String lmdoc.Greeter.greet(String, int)\nString lmdoc.Greeter.greet(String)",
                sorted(items.get("greet(").signature()));
        assertEquals("instance", items.get("MAX_TIMES").type());
        assertEquals("int", items.get("MAX_TIMES").signature());
        assertEquals("keyword", items.get("class").type());
        Map<String, CellAnalysis.CompletionItem> adds = complete("docWords.ad");
        assertTrue(adds.get("add(").signature().contains("boolean ArrayList<E>.add(E e)"), adds.toString());
        Map<String, CellAnalysis.CompletionItem> types = complete("Trajector");
        assertEquals("class", types.get("Trajectory").type());
        assertEquals("org.latentmotion.wplus.Trajectory", types.get("Trajectory").signature());
        // JShell lists packages from an index it builds in the background: wait for it
        Map<String, CellAnalysis.CompletionItem> packages = complete("java.ut");
        for (long deadline = System.nanoTime() + 60_000_000_000L; packages.isEmpty() && System.nanoTime() < deadline; ) {
            Thread.sleep(200);
            packages = complete("java.ut");
        }
        CellAnalysis.CompletionItem util = packages.values().stream().filter(i -> i.text().startsWith("util")).findFirst()
                .orElseThrow(() -> new AssertionError("no java.util package among the candidates"));
        assertEquals("module", util.type(), util.toString());
    }

    @Test
    void onlyTheFirstCandidatesAreDescribed() {
        CellAnalysis.CompletionResult r = engine.analysis().complete("Str", 3);
        assertEquals(r.matches().size(), r.items().size());
        for (int i = 0; i < r.items().size(); i++) {
            assertEquals(r.matches().get(i), r.items().get(i).text());
            assertEquals(i >= CellAnalysis.DESCRIBED_MATCHES, r.items().get(i).type().equals("<unknown>"), r.items().get(i).toString());
        }
    }

    private static Map<String, CellAnalysis.CompletionItem> complete(String code) {
        CellAnalysis.CompletionResult r = engine.analysis().complete(code, code.length());
        return r.items().stream().collect(Collectors.toMap(CellAnalysis.CompletionItem::text, i -> i, (a, b) -> a));
    }

    private static String sorted(String lines) {
        return lines.lines().sorted((a, b) -> b.length() - a.length()).collect(Collectors.joining("\n"));
    }

    /** The first sentence of the javadoc right before {@code declaration}, read with a regular expression. */
    static String firstSentenceOfJavadocBefore(Path file, String declaration) throws IOException {
        String text = Files.readString(file);
        int at = text.indexOf(declaration);
        assertTrue(at > 0, declaration + " not in " + file);
        Matcher m = Pattern.compile("/\\*\\*((?:(?!\\*/).)*)\\*/\\s*$", Pattern.DOTALL).matcher(text.substring(0, at));
        assertTrue(m.find(), "no javadoc before " + declaration);
        String comment = m.group(1).replaceAll("(?m)^\\s*\\*", " ").replaceAll("\\{@\\w+\\s+([^}]*)}", "$1")
                .replaceAll("<[^>]+>", "").replaceAll("\\s+", " ").strip();
        int dot = comment.indexOf(". ");
        return dot < 0 ? comment : comment.substring(0, dot + 1);
    }

    @Test
    void signaturesNameTheirDeclaration() {
        Map<String, String> qualified = Map.of("LatentPca", "org.latentmotion.pca.LatentPca", "ArrayList", "java.util.ArrayList",
                "Outer.Inner", "a.Outer.Inner");
        SourceDocs.Member m = Signatures.member("LatentPca LatentPca.fit(TrajectorySet set, int k)", qualified::get);
        assertEquals(new SourceDocs.Member("org.latentmotion.pca.LatentPca", SourceDocs.Kind.METHOD, "fit",
                List.of("TrajectorySet", "int")), m);
        assertEquals(new SourceDocs.Member("java.util.ArrayList", SourceDocs.Kind.METHOD, "addAll",
                        List.of("int", "Collection<? extends E>")),
                Signatures.member("boolean ArrayList<E>.addAll(int index, Collection<? extends E> c)", qualified::get));
        assertEquals(new SourceDocs.Member("a.Outer.Inner", SourceDocs.Kind.CONSTRUCTOR, "Inner", List.of("Map<K, V>")),
                Signatures.member("<K, V> Outer.Inner(Map<K, V> m)", qualified::get));
        assertEquals(new SourceDocs.Member("java.util.ArrayList", SourceDocs.Kind.FIELD, "size", List.of()),
                Signatures.member("ArrayList.size:int", qualified::get));
        assertEquals(new SourceDocs.Member("java.util.Map", SourceDocs.Kind.TYPE, "", List.of()),
                Signatures.member("java.util.Map<K, V>", qualified::get));
        assertNull(Signatures.member("int twice(int x)", qualified::get), "a method declared in the shell has no source");
        assertNull(Signatures.member("x:int", qualified::get), "a local variable has no source");
        assertEquals("int Math.max(int a, int b)", Signatures.withParameterNames("int Math.max(int arg0, int arg1)", List.of("a", "b")));
        assertEquals("int Math.max(int a, int b)", Signatures.withParameterNames("int Math.max(int, int)", List.of("a", "b")));
        assertEquals("List[]", SourceDocs.erased("java.util.List<T>..."));
    }

    @Test
    void javadocMarkupBecomesReadableText() {
        String comment = """
                Adds {@code a} and {@literal b<c>}; see {@link java.util.List#add(Object) add} and {@link #sum}.
                <p>Second paragraph with <b>bold</b>, <i>italic</i> &amp; &lt;tags&gt;.
                <ul><li>one</li><li>two</li></ul>
                <pre>{@code
                    int x = add(1, 2);
                      // indented
                }</pre>
                @param a the first
                @return the sum
                @see java.lang.Math#addExact(int, int)
                @since 1.2
                """;
        assertEquals("""
                Adds a and b<c>; see add and sum.

                Second paragraph with bold, italic & <tags>.

                  - one
                  - two

                    int x = add(1, 2);
                      // indented

                Parameters:
                  a - the first

                Returns: the sum

                See also: java.lang.Math.addExact(int, int)

                Since: 1.2""", JavadocText.plain(comment));
        assertEquals("""
                Adds `a` and b\\<c\\>; see add and `sum`.

                Second paragraph with **bold**, *italic* & \\<tags\\>.

                - one
                - two

                ```java
                int x = add(1, 2);
                  // indented
                ```

                **Parameters:**
                - `a` – the first

                **Returns:** the sum

                **See also:** `java.lang.Math.addExact(int, int)`

                **Since:** 1.2""", JavadocText.markdown(comment));
    }
}

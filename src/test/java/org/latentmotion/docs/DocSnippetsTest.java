package org.latentmotion.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.source.util.JavacTask;
import java.io.IOException;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SourceCodeAnalysis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Documentation whose code runs: every {@code ```java} block of README.md and datasets/**&#47;README.md
 * and every {@code <pre>{@code ...}</pre>} example in the toolkit's javadoc is compiled, as a
 * notebook cell, against the real toolkit; a snippet that does not compile fails the build with
 * its file and line. (Plain {@code <pre>} blocks without {@code @code} are formulas, file layouts
 * and command lines, not Java, and are not compiled; inline {@code @code} fragments are names.)
 *
 * <p>How a snippet becomes a class: it is split into the units a notebook kernel would run
 * (JShell's own {@code analyzeCompletion}, the kernel's splitter); imports go on top after the
 * kernel's default imports (read from the kernel itself), method and type declarations become
 * members, everything else runs in order in one method, and a unit that is a bare expression
 * (the value a cell shows, like {@code g}) is assigned to a variable. The class extends
 * {@link DocGivens}, which declares the few names examples may take as given ({@code data},
 * {@code gan}, {@code clip} ...). Compiled, not run: examples point at files users have
 * ({@code my-stylegan2/stylegan2.onnx}) and train models for minutes.
 *
 * <p>README shell blocks: every script and path they name must exist (their scripts are run by
 * CI itself; the datasets READMEs' shell blocks are run by the exporters' own tests).
 */
class DocSnippetsTest {
    static final Path ROOT = Paths.get(System.getProperty("latentmotion.root", ".")).toAbsolutePath();
    private static JShell shell;

    @BeforeAll
    static void start() {
        shell = JShell.builder().executionEngine("local").build(); // only its source analysis is used
    }

    @AfterAll
    static void stop() {
        shell.close();
    }

    /** A code block in a documentation file; {@code line} is the 1-based line of its first code line. */
    record Block(Path file, int line, String code) {
        String where() {
            return ROOT.relativize(file) + ":" + line;
        }
    }

    // ------------------------------------------------------------------ finding the blocks

    static List<Path> readmes() throws IOException {
        List<Path> files = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> s = Files.walk(ROOT.resolve("datasets"))) {
            s.filter(p -> p.getFileName().toString().equals("README.md")).sorted().forEach(files::add);
        }
        return files;
    }

    /** Fenced blocks of {@code language} (```java, ```sh ...) in a markdown file, indentation removed. */
    static List<Block> fenced(Path file, Set<String> languages) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = Pattern.compile("^(\\s*)```\\s*(\\w+)\\s*$").matcher(lines.get(i));
            if (m.matches() && languages.contains(m.group(2).toLowerCase(Locale.ROOT))) {
                int indent = m.group(1).length();
                StringBuilder code = new StringBuilder();
                int j = i + 1;
                for (; j < lines.size() && !lines.get(j).strip().startsWith("```"); j++) {
                    String l = lines.get(j);
                    code.append(l, Math.min(indent, leadingSpaces(l)), l.length()).append('\n');
                }
                blocks.add(new Block(file, i + 2, code.toString()));
                i = j;
            }
        }
        return blocks;
    }

    private static int leadingSpaces(String s) {
        int n = 0;
        while (n < s.length() && s.charAt(n) == ' ') {
            n++;
        }
        return n;
    }

    /** {@code <pre>{@code ... }</pre>} examples in the javadoc of a source file. */
    static List<Block> javadocExamples(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).matches("\\s*\\*\\s*<pre>\\{@code\\s*")) {
                StringBuilder code = new StringBuilder();
                int j = i + 1;
                for (; j < lines.size() && !lines.get(j).matches("\\s*\\*\\s*}</pre>\\s*"); j++) {
                    code.append(lines.get(j).replaceFirst("^\\s*\\*( |$)", "")).append('\n');
                }
                blocks.add(new Block(file, i + 2, code.toString()));
                i = j;
            }
        }
        return blocks;
    }

    static List<Block> javaBlocks() throws IOException {
        List<Block> blocks = new ArrayList<>();
        for (Path readme : readmes()) {
            blocks.addAll(fenced(readme, Set.of("java")));
        }
        try (Stream<Path> s = Files.walk(ROOT.resolve("toolkit"))) {
            for (Path p : s.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                blocks.addAll(javadocExamples(p));
            }
        }
        return blocks;
    }

    // ------------------------------------------------------------------ snippet → class

    /** One compilable class made of a block, with the block line of every class line. */
    static final class Unit {
        final Block block;
        final String className;
        final List<String> pieces = new ArrayList<>();   // units of source as the kernel splits them
        final List<Integer> pieceLines = new ArrayList<>(); // block-relative line (0-based) of each piece's first line
        final List<Boolean> member = new ArrayList<>();
        final List<Boolean> imports = new ArrayList<>();
        final Set<Integer> expressions = new HashSet<>(); // pieces to assign to a variable
        final Map<Integer, Integer> lineMap = new LinkedHashMap<>(); // class line (1-based) → file line
        String source;

        Unit(Block block, String className) {
            this.block = block;
            this.className = className;
        }
    }

    static Unit split(Block block, String className) {
        Unit u = new Unit(block, className);
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        String code = block.code();
        String rest = code;
        int offset = 0;
        while (!rest.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
            int consumed = info.completeness().isComplete() ? rest.length() - info.remaining().length() : rest.length();
            String piece = rest.substring(0, consumed);
            u.pieces.add(piece);
            u.pieceLines.add(countLines(code, offset));
            boolean isImport = piece.strip().startsWith("import ");
            boolean isMember = false;
            if (!isImport && info.completeness().isComplete()) {
                for (Snippet s : analysis.sourceToSnippets(info.source())) {
                    isMember |= s.kind() == Snippet.Kind.METHOD || s.kind() == Snippet.Kind.TYPE_DECL;
                }
            }
            u.imports.add(isImport);
            u.member.add(isMember);
            offset += consumed;
            rest = rest.substring(consumed);
        }
        return u;
    }

    private static int countLines(String s, int upTo) {
        int n = 0;
        for (int i = 0; i < upTo; i++) {
            if (s.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
    }

    static void assemble(Unit u, List<String> defaultImports) {
        StringBuilder sb = new StringBuilder();
        int[] line = {1};
        java.util.function.BiConsumer<String, Integer> emit = (text, fileLine) -> {
            String[] ls = text.split("\n", -1);
            for (int k = 0; k < ls.length; k++) {
                if (fileLine != null) {
                    u.lineMap.put(line[0], fileLine + k);
                }
                sb.append(ls[k]).append('\n');
                line[0]++;
            }
        };
        emit.accept("package org.latentmotion.docs.snippets;", null);
        for (String imp : defaultImports) {
            emit.accept(imp, null);
        }
        for (int i = 0; i < u.pieces.size(); i++) {
            if (u.imports.get(i)) {
                emit.accept(u.pieces.get(i), u.block.line() + u.pieceLines.get(i));
            }
        }
        emit.accept("@SuppressWarnings(\"all\") class " + u.className + " extends org.latentmotion.docs.DocGivens {", null);
        for (int i = 0; i < u.pieces.size(); i++) {
            if (u.member.get(i)) {
                emit.accept(u.pieces.get(i), u.block.line() + u.pieceLines.get(i));
            }
        }
        emit.accept("void run() throws Throwable {", null);
        for (int i = 0; i < u.pieces.size(); i++) {
            if (u.imports.get(i) || u.member.get(i)) {
                continue;
            }
            String piece = u.pieces.get(i);
            if (u.expressions.contains(i)) {
                emit.accept("Object value" + i + " = (", null);
                emit.accept(withoutFinalSemicolon(piece), u.block.line() + u.pieceLines.get(i));
                emit.accept(");", null);
            } else {
                emit.accept(piece, u.block.line() + u.pieceLines.get(i));
                emit.accept(";", null); // an empty statement if the piece had its own
            }
        }
        emit.accept("}}", null);
        u.source = sb.toString();
    }

    /** The piece without a final ';' (and the line comment after it). */
    static String withoutFinalSemicolon(String piece) {
        String s = piece.stripTrailing();
        int lastLine = s.lastIndexOf('\n') + 1;
        String last = s.substring(lastLine);
        int comment = last.indexOf("//");
        if (comment >= 0 && last.substring(0, comment).chars().filter(c -> c == '"').count() % 2 == 0) {
            s = s.substring(0, lastLine) + last.substring(0, comment);
        }
        s = s.stripTrailing();
        return s.endsWith(";") ? s.substring(0, s.length() - 1) : s;
    }

    // ------------------------------------------------------------------ compiling

    /** The kernel's default imports, from the kernel itself (it decides by what is on its classpath). */
    @SuppressWarnings("unchecked")
    static List<String> kernelImports() throws Exception {
        Class<?> c = Class.forName("org.latentmotion.kernel.DefaultImports");
        Method m = c.getDeclaredMethod("statements");
        m.setAccessible(true);
        // Surefire starts this JVM through a manifest-only jar: show the kernel the real classpath it would have.
        String before = System.getProperty("java.class.path");
        System.setProperty("java.class.path", testClassPath());
        try {
            return (List<String>) m.invoke(null);
        } finally {
            System.setProperty("java.class.path", before);
        }
    }

    static String testClassPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    /** Compiles the units (together: one compiler start); returns each unit's errors as "file:line: message". */
    static Map<Unit, List<String>> compile(List<Unit> units) throws Exception {
        List<String> imports = kernelImports();
        Map<Unit, List<String>> errors = new LinkedHashMap<>();
        for (int round = 0; round < 3; round++) {
            for (Unit u : units) {
                assemble(u, imports);
            }
            DiagnosticCollector<JavaFileObject> diagnostics = runCompiler(units);
            errors.clear();
            boolean again = false;
            Map<String, Unit> byName = new LinkedHashMap<>();
            units.forEach(u -> byName.put(u.className, u));
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                if (d.getKind() != Diagnostic.Kind.ERROR || d.getSource() == null) {
                    continue;
                }
                String name = d.getSource().getName().replaceAll(".*/|\\.java$", "");
                Unit u = byName.get(name);
                int classLine = (int) d.getLineNumber();
                if ("compiler.err.not.stmt".equals(d.getCode())) {
                    int piece = pieceAt(u, classLine);
                    if (piece >= 0 && u.expressions.add(piece)) {
                        again = true; // a cell's value ("g"): assign it and compile again
                        continue;
                    }
                }
                Integer fileLine = u.lineMap.get(classLine);
                String line = classLine >= 1 ? u.source.split("\n", -1)[classLine - 1].strip() : "";
                errors.computeIfAbsent(u, k -> new ArrayList<>()).add(ROOT.relativize(u.block.file()) + ":"
                        + (fileLine != null ? fileLine : u.block.line() + " (block)") + ": " + d.getMessage(Locale.ROOT)
                        + "\n        " + line);
            }
            if (!again) {
                break;
            }
        }
        return errors;
    }

    private static int pieceAt(Unit u, int classLine) {
        Integer fileLine = u.lineMap.get(classLine);
        if (fileLine == null) {
            return -1;
        }
        int rel = fileLine - u.block.line();
        int found = -1;
        for (int i = 0; i < u.pieces.size(); i++) {
            int start = u.pieceLines.get(i);
            int end = start + countLines(u.pieces.get(i), u.pieces.get(i).length());
            if (rel >= start && rel <= end && !u.member.get(i) && !u.imports.get(i)) {
                found = i;
            }
        }
        return found;
    }

    static DiagnosticCollector<JavaFileObject> runCompiler(List<Unit> units) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<JavaFileObject> sources = new ArrayList<>();
        for (Unit u : units) {
            sources.add(new SimpleJavaFileObject(URI.create("string:///org/latentmotion/docs/snippets/" + u.className + ".java"),
                    JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return u.source;
                }
            });
        }
        List<String> options = List.of("-classpath", testClassPath(), "-proc:none", "-Xlint:none", "-nowarn",
                "--release", "17", "-encoding", "UTF-8", "-Xmaxerrs", "10000");
        StringWriter out = new StringWriter();
        JavacTask task = (JavacTask) javac.getTask(out, null, diagnostics, options, null, sources);
        task.analyze(); // types and flow checked; no class files written
        return diagnostics;
    }

    // ------------------------------------------------------------------ the tests

    @TestFactory
    Stream<DynamicTest> everyJavaSnippetCompiles() throws Exception {
        List<Block> blocks = javaBlocks();
        assertTrue(blocks.size() >= 20, "expected the README and javadoc examples, found " + blocks.size());
        List<Unit> units = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            units.add(split(blocks.get(i), "Snippet" + i));
        }
        Map<Unit, List<String>> errors = compile(units);
        return units.stream().map(u -> DynamicTest.dynamicTest(u.block.where(), () -> {
            List<String> e = errors.get(u);
            if (e != null) {
                fail("the example at " + u.block.where() + " does not compile:\n" + String.join("\n", e)
                        + "\n--- as compiled:\n" + u.source);
            }
        }));
    }

    @Test
    void aBrokenSnippetFailsWithItsFileAndLine() throws Exception {
        Path readme = ROOT.resolve("README.md");
        Block good = new Block(readme, 100, "var g = Synthesizers.testStyleGan2();\nint L = g.layers();\ng\n");
        Block bad = new Block(readme, 200, "var g = Synthesizers.testStyleGan2();\n\ng.layerCount()   // no such method\n");
        Block given = new Block(readme, 300, "pca.project(clip)\n");
        List<Unit> units = List.of(split(good, "Good"), split(bad, "Bad"), split(given, "Given"));
        Map<Unit, List<String>> errors = compile(units);
        assertFalse(errors.containsKey(units.get(0)), String.valueOf(errors.get(units.get(0))));
        assertFalse(errors.containsKey(units.get(2)), String.valueOf(errors.get(units.get(2))));
        List<String> e = errors.get(units.get(1));
        assertEquals(1, e.size(), String.valueOf(e));
        assertTrue(e.get(0).startsWith("README.md:202: cannot find symbol") && e.get(0).contains("g.layerCount()"), e.get(0));
    }

    @Test
    void javadocExamplesAreFoundWithTheirLines() throws Exception {
        Path synthesizer = ROOT.resolve("toolkit/org/latentmotion/render/Synthesizer.java");
        List<Block> blocks = javadocExamples(synthesizer);
        assertFalse(blocks.isEmpty());
        List<String> lines = Files.readAllLines(synthesizer);
        assertEquals(lines.get(blocks.get(0).line() - 1).replaceFirst("^\\s*\\* ", ""), blocks.get(0).code().lines().findFirst().orElse(""));
    }

    /** Paths in README.md's shell blocks (scripts, folders) must exist; the scripts must parse. */
    @Test
    void readmeShellBlocksNameFilesThatExist() throws Exception {
        List<Block> blocks = fenced(ROOT.resolve("README.md"), Set.of("bash", "sh", "shell"));
        assertFalse(blocks.isEmpty());
        List<String> missing = new ArrayList<>();
        int checked = 0;
        for (Block b : blocks) {
            for (String token : b.code().split("\\s+")) {
                if (token.isBlank() || token.startsWith("-") || token.startsWith("$") || token.contains("=")
                        || !(token.contains("/") || token.endsWith(".sh"))) {
                    continue;
                }
                Path p = ROOT.resolve(token);
                checked++;
                if (!Files.exists(p)) {
                    missing.add(b.where() + ": " + token);
                } else if (token.endsWith(".sh")) {
                    Process bash = new ProcessBuilder("bash", "-n", p.toString()).redirectErrorStream(true).start();
                    String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    if (bash.waitFor() != 0) {
                        missing.add(b.where() + ": " + token + " does not parse: " + out);
                    }
                }
            }
        }
        assertTrue(checked > 0, "no paths found in README.md's shell blocks");
        assertTrue(missing.isEmpty(), "README.md shell blocks name what is not there:\n" + String.join("\n", missing));
    }
}

package org.latentmotion.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentmotion.display.Notebook;

/** The cell evaluator in-process (no Jupyter): snippet splitting, line numbers, values, magics. */
class CellEngineTest {
    private static CellEngine engine;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() {
        engine = new CellEngine();
        engine.importDefaults();
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @Test
    void lastSnippetsValueIsKeptAsTheObjectItself() throws Exception {
        CellEngine.Result r = engine.run("var xs = new ArrayList<Integer>();\nxs.add(3);\nxs", 1);
        assertTrue(r.hasValue());
        assertEquals(java.util.List.of(3), r.value());
        assertFalse(engine.run("int unshown = 5;\nSystem.out.print(\"\");", 2).hasValue(), "a statement ends the cell: no value");
    }

    @Test
    void aVariableDeclaredAgainLetsGoOfItsOldValue() throws Exception {
        engine.run("var payload = new int[1000];", 40);
        // (a statement, not a variable: JShell resets variables that depend on a redeclared one)
        engine.run("System.getProperties().put(\"lm.test.payload\", new java.lang.ref.WeakReference<Object>(payload));", 41);
        engine.run("int payloadLength() { return payload.length; }", 42);
        engine.run("var payload = new int[10];", 43); // as a user re-running an edited cell
        assertEquals(10, engine.run("payloadLength()", 44).value(), "the live declaration is untouched");
        boolean collected = false;
        for (int attempt = 0; attempt < 20 && !collected; attempt++) {
            collected = (Boolean) engine.run(
                    "System.gc(); ((java.lang.ref.Reference<?>) System.getProperties().get(\"lm.test.payload\")).get() == null", 45).value();
        }
        assertTrue(collected, "JShell's old wrapper class still holds the first array");
    }

    @Test
    void cellsShareTheKernelsToolkitClasses() throws Exception {
        CellEngine.Result r = engine.run("org.latentmotion.display.Notebook.class", 3);
        assertEquals(Notebook.class, r.value(), "one Notebook class for kernel and cells, so the kernel's sink is the cells' sink");
    }

    @Test
    void compileErrorLinesCountMagicsAndBlankLines() throws Exception {
        Path empty = Files.writeString(tmp.resolve("empty.jsh"), "");
        CellException e = assertThrows(CellException.CompilationException.class,
                () -> engine.run("%load " + empty + "\n\nint fine = 1;\n  String s = 42;", 4));
        assertTrue(e.getMessage().startsWith("line 4, column 14"), e.getMessage());
    }

    @Test
    void exceptionsPointAtTheCellLine() throws Exception {
        CellException e = assertThrows(CellException.EvaluationException.class,
                () -> engine.run("int[] small = new int[1];\n\nint oops = small[3];", 5));
        String tb = String.join("\n", e.traceback()).replaceAll("\u001b\\[[0-9;]*m", "");
        assertTrue(tb.contains("in cell [5], line 3:  int oops = small[3];"), tb);
        assertTrue(e.getMessage().startsWith("java.lang.ArrayIndexOutOfBoundsException"), e.getMessage());
    }

    @Test
    void jarsMagicAddsEveryJarOfAFolderAndGlobs() throws Exception {
        Path lib = Files.createDirectories(tmp.resolve("lib"));
        Path built = KernelProtocolTest.buildJar(tmp.resolve("inlib"), "lmjars.Seven",
                "package lmjars; public class Seven { public static int value() { return 7; } }");
        Files.copy(built, lib.resolve("seven.jar"));
        assertEquals(7, engine.run("%jars " + lib + "\nlmjars.Seven.value()", 7).value());
        CellException none = assertThrows(CellException.MagicException.class,
                () -> engine.run("%jars " + tmp.resolve("nothing-*.jar"), 8));
        assertTrue(none.getMessage().contains("no file or folder matches"), none.getMessage());
    }

    @Test
    void unknownMagicSaysWhichExist() {
        CellException e = assertThrows(CellException.MagicException.class, () -> engine.run("%classpth x", 6));
        assertTrue(e.getMessage().contains("%classpath, %jars, %maven, %load"), e.getMessage());
    }

    @Test
    void defaultImportsOnlyNamePackagesThatExist() {
        assertTrue(DefaultImports.packageExists("org.latentmotion.display"));
        assertTrue(DefaultImports.packageExists("tech.tablesaw.api"), "packages inside jars are found too");
        assertFalse(DefaultImports.packageExists("org.latentmotion.nosuchpackage"));
        assertTrue(DefaultImports.statements().contains("import org.latentmotion.display.*;"));
        assertFalse(DefaultImports.statements().stream().anyMatch(s -> s.contains("nosuchpackage")));
    }

    @Test
    void completenessFollowsJShell() {
        assertEquals(Completeness.INCOMPLETE, engine.analysis().completeness("if (true) {"));
        assertEquals(Completeness.COMPLETE, engine.analysis().completeness("%classpath lib\nint a = 1;"));
    }
}

package org.latentmotion.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Errors point at the line (and, for compile errors, the column) a reader would point at, in
 * every shape of {@link ErrorLocations}: the structured location, the traceback's "line L" text,
 * the quoted source line and the caret under the column.
 */
class CellErrorLocationTest {
    private static CellEngine engine;
    private static int cellNumber = 100;

    @BeforeAll
    static void start() {
        engine = new CellEngine();
        engine.importDefaults();
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    static List<ErrorLocations.Case> cases() {
        return ErrorLocations.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void errorPointsAtTheUsersLineAndColumn(ErrorLocations.Case c) {
        int n = ++cellNumber;
        Class<? extends CellException> expected = c.kind() == ErrorLocations.Kind.COMPILE
                ? CellException.CompilationException.class : CellException.EvaluationException.class;
        CellException e = assertThrows(expected, () -> engine.run(c.cell(), n));
        List<String> tb = e.traceback().stream().map(l -> l.replaceAll("\u001b\\[[0-9;]*m", "")).toList();
        String text = String.join("\n", tb);
        assertNotNull(e.location(), text);
        assertEquals(new CellException.Location(n, c.line(), c.column()), e.location(), text);
        if (c.kind() == ErrorLocations.Kind.COMPILE) {
            int header = indexOf(tb, "Compilation error in cell [" + n + "], line " + c.line() + ", column " + c.column() + ":");
            int quoted = indexOf(tb.subList(header, tb.size()), "  " + c.expectedLine()) + header;
            String caret = tb.get(quoted + 1);
            assertEquals(c.column() + 1, caret.indexOf('^'), "the caret sits under column " + c.column() + ":\n" + text);
            assertTrue(e.getMessage().startsWith("line " + c.line() + ", column " + c.column() + ":"), e.getMessage());
        } else {
            assertTrue(tb.get(1).equals("  in cell [" + n + "], line " + c.line() + ":  " + c.expectedLine().strip()),
                    "the user's line comes right after the headline:\n" + text);
        }
    }

    @Test
    void aFrameInAMethodDeclaredEarlierNamesItsOwnCellAndTheCallersLine() {
        ErrorLocations.Case declared = ErrorLocations.all().stream()
                .filter(c -> c.name().equals("exception inside a declared method")).findFirst().orElseThrow();
        CellException e = assertThrows(CellException.EvaluationException.class, () -> engine.run(declared.cell(), 90));
        String tb = String.join("\n", e.traceback()).replaceAll("\u001b\\[[0-9;]*m", "");
        assertTrue(tb.contains("at inverseOf (cell [90], line 4)"), tb);
        assertTrue(tb.contains("(cell [90], line 8)"), "the calling line, after the comment: " + tb);
        CellException later = assertThrows(CellException.EvaluationException.class,
                () -> engine.run("\n// a later cell\nint z9 = inverseOf(0);", 91));
        String tb2 = String.join("\n", later.traceback()).replaceAll("\u001b\\[[0-9;]*m", "");
        assertTrue(tb2.contains("at inverseOf (cell [90], line 4)"), tb2);
        assertTrue(tb2.contains("(cell [91], line 3)"), tb2);
    }

    @Test
    void codeStartSkipsBlankLinesAndCommentsOnly() {
        assertEquals(0, CellEngine.codeStart("int a;"));
        assertEquals(8, CellEngine.codeStart("// c\n\n  x"));
        assertEquals(13, CellEngine.codeStart("/* a */ // b\nx"));
        assertEquals(0, CellEngine.codeStart("/* never closed"));
        assertEquals(4, CellEngine.codeStart("// c"));
        assertEquals(0, CellEngine.codeStart("\"// not a comment\""));
    }

    @Test
    void cellSourceMapsOffsetsToLinesAndColumns() {
        CellSource s = new CellSource("ab\r\n\ncd");
        assertEquals(3, s.lineCount());
        assertEquals("ab", s.line(0), "a CR before the line break is not part of the line");
        assertEquals("", s.line(1));
        assertEquals(1, s.lineOf(0));
        assertEquals(2, s.columnOf(1));
        assertEquals(2, s.lineOf(4));
        assertEquals(3, s.lineOf(5));
        assertEquals(2, s.columnOf(6));
        assertEquals(3, s.lineOf(99), "clamped to the cell");
    }

    private static int indexOf(List<String> lines, String wanted) {
        int i = lines.indexOf(wanted);
        assertTrue(i >= 0, "no line '" + wanted + "' in:\n" + String.join("\n", lines));
        return i;
    }
}

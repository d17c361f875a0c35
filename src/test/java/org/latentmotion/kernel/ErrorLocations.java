package org.latentmotion.kernel;

import java.util.List;

/**
 * Cell shapes whose error location is known by reading the cell: comments, blank lines, imports,
 * method and class declarations, multi-line expressions, several snippets on one line. Each names
 * the 1-based line (and, for compile errors, the column) a reader would point at. Shared by the
 * in-process table ({@link CellErrorLocationTest}) and the protocol test, so both check the same
 * truth.
 */
final class ErrorLocations {
    /** A compile error is located by line and column; an exception by line (frames carry no column). */
    enum Kind { COMPILE, EXCEPTION }

    /**
     * One cell; {@code column} is 0 for exceptions. Columns are javac's own: a member access
     * points at its '.', a call's result at its '('. {@code name} keeps test reports readable.
     */
    record Case(String name, String cell, Kind kind, int line, int column) {
        @Override
        public String toString() {
            return name;
        }

        /** The text of the line the error must point at. */
        String expectedLine() {
            return cell.split("\n", -1)[line - 1];
        }
    }

    private ErrorLocations() {
    }

    static Case compile(String name, String cell, int line, int column) {
        return new Case(name, cell, Kind.COMPILE, line, column);
    }

    static Case exception(String name, String cell, int line) {
        return new Case(name, cell, Kind.EXCEPTION, line, 0);
    }

    /** The table: names are unique per case so one kernel can run them all. */
    static List<Case> all() {
        return List.of(
                exception("leading line comment", "// comment\nint a1 = 1 / 0;", 2),
                exception("comment line after an earlier snippet (issue 17)",
                        "int b1 = 1;\n// a comment after a snippet\nint b2 = b1 / 0;", 3),
                compile("comment line after an earlier snippet, compile error",
                        "int c1 = 1;\n// comment\nString c2 = c1;", 3, 13),
                exception("blank lines and indentation first",
                        "\n\n   \n   Object d1 = \"s\";\n   Integer d2 = (Integer) d1;", 5),
                compile("block comment and a blank line first", "/* block\n   comment */\n\nString e1 = 42;", 4, 13),
                exception("import, comment, then a failing expression",
                        "import java.util.*;\n// imports first\nList<String> f1 = new ArrayList<>();\nf1.get(0)", 4),
                compile("import then a blank line", "import java.util.*;\n\nList<String> g1 = 3;", 3, 19),
                compile("failing line after a method declaration",
                        "int halfOf(int x) {\n    return x / 2;\n}\n\n// call it\nString h1 = halfOf(4);", 6, 19), // javac: a call's '('

                exception("exception inside a declared method",
                        "int inverseOf(int x) {\n    // no guard\n\n    return 10 / x;\n}\n\n// call it\ninverseOf(0)", 4),
                exception("expression after a method and a comment",
                        "int oneMore(int x) { return x + 1; }\n\n// now\n\noneMore(1) / 0", 5),
                exception("multi-line expression, the failing call on its last line",
                        "int j1 = 1 +\n    2 +\n    \"x\".length() / 0;", 3),
                compile("multi-line expression, a wrong argument on its third line",
                        "int j2 = Math.max(1,\n    // the second\n    \"two\");", 1, 14),
                compile("two snippets on one line", "int k1 = 1; String k2 = k1;", 1, 25),
                exception("two snippets on one line, the second throws", "int k3 = 0; int k4 = 5 / k3;", 1),
                exception("class declaration, then a comment and a use",
                        "class Counter {\n    int n;\n    int per() { return 100 / n; }\n}\n// use it\nnew Counter().per()", 3),
                compile("tab-indented line after a comment", "// tabs\n\n\tString n1 = 5;", 3, 14),
                compile("misspelt method two lines down", "String p1 = \"a\";\n\n  p1.lenght()", 3, 5),
                exception("throw inside a lambda's block",
                        "Runnable q1 = () -> {\n    throw new IllegalStateException(\"inside\");\n};\n// run it\nq1.run();", 2),
                exception("throw inside a loop body after a comment",
                        "for (int r = 0; r < 3; r++) {\n    // step\n    if (r == 2) throw new IllegalStateException(\"r=\" + r);\n}", 3));
    }
}

package org.latentmotion.kernel;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import jdk.jshell.JShell;
import jdk.jshell.SourceCodeAnalysis;

/**
 * What the front end asks about code it has not run: tab completion, whether a cell is complete
 * (Jupyter's is_complete, for the console's Enter key) and the documentation of the symbol under
 * the cursor (Shift-Tab). Magic lines are blanked first, so cursor offsets still match the cell.
 */
final class CellAnalysis {
    /** Completion candidates: replacements for the cell's characters [start, end). */
    record CompletionResult(List<String> matches, int start, int end) {
    }

    private final JShell shell;

    CellAnalysis(JShell shell) {
        this.shell = shell;
    }

    /** Replaces magic lines by spaces so offsets still match the cell. */
    private static String blankMagics(String cell) {
        StringBuilder out = new StringBuilder(cell.length());
        for (String line : cell.split("(?<=\\n)", -1)) {
            String t = line.strip();
            if (t.startsWith("%")) {
                out.append(line.replaceAll("[^\\n]", " "));
            } else {
                out.append(line);
            }
        }
        return out.toString();
    }

    /** Completion candidates at {@code cursor}: replacements for [start, cursor), type matches first. */
    CompletionResult complete(String cell, int cursor) {
        String code = blankMagics(cell);
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        int start = 0;
        String rest = code;
        while (true) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
            int consumed = rest.length() - info.remaining().length();
            if (!info.completeness().isComplete() || consumed <= 0 || start + consumed >= cursor || info.remaining().isBlank()) {
                break;
            }
            start += consumed;
            rest = rest.substring(consumed);
        }
        String chunk = code.substring(start, Math.min(code.length(), Math.max(cursor, start)));
        int[] anchor = new int[1];
        List<SourceCodeAnalysis.Suggestion> suggestions = analysis.completionSuggestions(chunk, cursor - start, anchor);
        Set<String> preferred = new LinkedHashSet<>();
        Set<String> others = new LinkedHashSet<>();
        for (SourceCodeAnalysis.Suggestion s : suggestions) {
            (s.matchesType() ? preferred : others).add(s.continuation());
        }
        preferred.addAll(others);
        return new CompletionResult(new ArrayList<>(preferred), start + anchor[0], cursor);
    }

    /** Whether every snippet of the cell is complete, as JShell judges it. */
    Completeness completeness(String cell) {
        String rest = blankMagics(cell);
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        while (!rest.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
            switch (info.completeness()) {
                case DEFINITELY_INCOMPLETE:
                case CONSIDERED_INCOMPLETE:
                    return Completeness.INCOMPLETE;
                case UNKNOWN:
                    return Completeness.INVALID;
                default:
                    break;
            }
            if (info.remaining().length() >= rest.length()) {
                break;
            }
            rest = info.remaining();
        }
        return Completeness.COMPLETE;
    }

    /** Documentation of the symbol at {@code cursor} (signatures and javadoc), or null. */
    String documentation(String cell, int cursor) {
        String code = blankMagics(cell);
        List<SourceCodeAnalysis.Documentation> docs = shell.sourceCodeAnalysis().documentation(code, cursor, true);
        if (docs.isEmpty()) {
            return null;
        }
        StringBuilder s = new StringBuilder();
        for (SourceCodeAnalysis.Documentation d : docs) {
            s.append(d.signature()).append('\n');
            if (d.javadoc() != null && !d.javadoc().isBlank()) {
                s.append(d.javadoc().strip()).append("\n\n");
            }
        }
        return s.toString().strip();
    }
}

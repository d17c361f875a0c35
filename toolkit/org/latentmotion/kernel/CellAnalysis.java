package org.latentmotion.kernel;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.lang.model.SourceVersion;
import jdk.jshell.JShell;
import jdk.jshell.SourceCodeAnalysis;

/**
 * What the front end asks about code it has not run: tab completion (with each candidate's kind
 * and signature), whether a cell is complete (Jupyter's is_complete, for the console's Enter key)
 * and the documentation of the symbol under the cursor (Shift-Tab, {@link CellDocumentation}).
 * Magic lines are blanked first, so cursor offsets still match the cell.
 */
final class CellAnalysis {
    /**
     * Completion candidates: replacements for the cell's characters [start, end), and for each its
     * kind and signature (what ipykernel sends as {@code _jupyter_types_experimental}).
     */
    record CompletionResult(List<String> matches, int start, int end, List<CompletionItem> items) {
    }

    /**
     * One candidate as a front end shows it: {@code type} is ipykernel's vocabulary (function,
     * class, instance, module, keyword, or {@code <unknown>} past {@link #DESCRIBED_MATCHES});
     * {@code signature} holds every overload of a method, one per line, or a field's type.
     */
    record CompletionItem(String text, String type, String signature) {
    }

    /**
     * Candidates that get a kind and signature; each costs JShell one analysis (a few ms), and a
     * front end shows the first screenful, so a long list is not worth a slow Tab.
     */
    static final int DESCRIBED_MATCHES = 20;

    private final JShell shell;
    private final CellDocumentation documentation;

    CellAnalysis(JShell shell, SourceDocs sources) {
        this.shell = shell;
        this.documentation = new CellDocumentation(shell, sources);
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
        List<String> matches = new ArrayList<>(preferred);
        String before = chunk.substring(0, Math.max(0, Math.min(anchor[0], chunk.length())));
        List<CompletionItem> items = new ArrayList<>();
        for (int i = 0; i < matches.size(); i++) {
            items.add(i < DESCRIBED_MATCHES ? describe(before, matches.get(i)) : new CompletionItem(matches.get(i), "<unknown>", ""));
        }
        return new CompletionResult(matches, start + anchor[0], cursor, items);
    }

    /** A candidate's kind and signature, from the documentation of the code it completes to. */
    private CompletionItem describe(String before, String match) {
        String name = match.endsWith("(") ? match.substring(0, match.length() - 1) : match;
        if (SourceVersion.isKeyword(name)) {
            return new CompletionItem(match, "keyword", "");
        }
        String completed = before + name;
        List<String> entries = documentation.signatures(completed, completed.length());
        if (entries.isEmpty()) {
            // a package (java.uti → util) has no documentation; a method call always has some
            return new CompletionItem(match, match.endsWith("(") ? "function" : "module", "");
        }
        String first = entries.get(0);
        String type;
        String signature;
        if (first.indexOf('(') >= 0 && !match.endsWith("(") && !first.contains(" ") && first.contains(".")) {
            type = "class"; // a record's header: pkg.Pair(String name, int n)
            signature = first;
        } else if (first.indexOf('(') >= 0) {
            type = "function";
            signature = String.join("\n", entries);
        } else if (first.indexOf(':') >= 0) {
            type = "instance";
            signature = first.substring(first.indexOf(':') + 1);
        } else {
            type = "class";
            signature = first;
        }
        return new CompletionItem(match, type, signature);
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

    /** Documentation of the symbol at {@code cursor}: signatures and javadoc (and source, at detail level 1), or null. */
    CellDocumentation.Inspection inspect(String cell, int cursor, int detailLevel) {
        return documentation.inspect(blankMagics(cell), cursor, detailLevel);
    }
}

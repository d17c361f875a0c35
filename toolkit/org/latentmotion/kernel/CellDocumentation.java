package org.latentmotion.kernel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import jdk.jshell.JShell;
import jdk.jshell.SourceCodeAnalysis;

/**
 * The documentation of the symbol at the cursor (Jupyter's inspect request, Shift-Tab): every
 * signature JShell finds there (all overloads of a method), each with its javadoc. JShell gives
 * signatures, and javadoc only from the JDK's src.zip; the toolkit's and third-party javadoc comes
 * from their sources ({@link SourceDocs}). Detail level 0 shows signatures and javadoc; level 1
 * (Jupyter's "more detail", {@code ??} in IPython) adds the declaration's source.
 */
final class CellDocumentation {
    /** The documentation as plain text and as Markdown (what a notebook's inspector renders). */
    record Inspection(String plain, String markdown) {
    }

    /**
     * One documented declaration: its signature and javadoc (either may be improved from sources),
     * its class (null for the shell's own declarations) and its source, if found.
     */
    record Entry(String signature, String javadoc, String className, SourceDocs.Found source) {
    }

    /** Lines of a declaration shown at detail level 1, at most (a class's source can be long). */
    private static final int MAX_SOURCE_LINES = 80;

    private final JShell shell;
    private final SourceDocs sources;

    CellDocumentation(JShell shell, SourceDocs sources) {
        this.shell = shell;
        this.sources = sources;
    }

    /** The documentation at {@code cursor} of {@code code} (magic lines already blanked), or null if none. */
    Inspection inspect(String code, int cursor, int detailLevel) {
        List<Entry> entries = entries(code, cursor);
        if (entries.isEmpty()) {
            return null;
        }
        StringBuilder plain = new StringBuilder();
        StringBuilder md = new StringBuilder();
        boolean anyJdkWithoutDoc = false;
        for (Entry e : entries) {
            if (plain.length() > 0) {
                plain.append("\n\n");
                md.append("\n\n---\n\n");
            }
            plain.append(e.signature());
            md.append("```java\n").append(e.signature()).append("\n```");
            if (e.javadoc() != null && !e.javadoc().isBlank()) {
                plain.append("\n\n").append(indent(JavadocText.plain(e.javadoc())));
                md.append("\n\n").append(JavadocText.markdown(e.javadoc()));
            } else if (e.className() != null && sources.sourcePath().isJdkClass(e.className())) {
                anyJdkWithoutDoc = true;
            }
            if (detailLevel > 0 && e.source() != null && !e.source().declaration().isBlank()) {
                String decl = clip(e.source().declaration());
                plain.append("\n\nSource (").append(e.source().location()).append("):\n").append(indent(decl));
                md.append("\n\n*Source* (`").append(e.source().location()).append("`):\n\n```java\n").append(decl).append("\n```");
            }
        }
        if (anyJdkWithoutDoc && !sources.sourcePath().hasJdkSources()) {
            String note = "(No javadoc: this JDK has no lib/src.zip. On Debian: apt-get install openjdk-"
                    + Runtime.version().feature() + "-source.)";
            plain.append("\n\n").append(note);
            md.append("\n\n*").append(note).append('*');
        }
        return new Inspection(plain.toString(), md.toString());
    }

    /**
     * The signatures at the cursor as JShell prints them, without javadoc or sources: what a
     * completion list shows, cheap enough for every candidate.
     */
    List<String> signatures(String code, int cursor) {
        return documentation(code, cursor, false).stream().map(SourceCodeAnalysis.Documentation::signature).toList();
    }

    /** The declarations at the cursor with their best signature and javadoc; empty if none. */
    List<Entry> entries(String code, int cursor) {
        List<Entry> out = new ArrayList<>();
        Map<String, Optional<String>> qualified = new HashMap<>(); // overloads share their owner: resolve it once
        UnaryOperator<String> qualify = shown -> qualified.computeIfAbsent(shown, k -> Optional.ofNullable(qualifiedType(k))).orElse(null);
        for (SourceCodeAnalysis.Documentation d : documentation(code, cursor, true)) {
            out.add(improve(d.signature(), d.javadoc(), qualify));
        }
        return out;
    }

    private List<SourceCodeAnalysis.Documentation> documentation(String code, int cursor, boolean javadoc) {
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        List<SourceCodeAnalysis.Documentation> docs = analysis.documentation(code, cursor, javadoc);
        if (docs.isEmpty()) {
            // a method named without its parentheses (Math.max): JShell documents it as a call
            int end = cursor;
            while (end < code.length() && Character.isJavaIdentifierPart(code.charAt(end))) {
                end++;
            }
            if (end > 0 && Character.isJavaIdentifierPart(code.charAt(end - 1))) {
                String call = code.substring(0, end) + "(";
                docs = analysis.documentation(call, call.length(), javadoc);
            }
        }
        return docs;
    }

    /** The signature and javadoc, completed from sources: javadoc JShell lacks, parameter names a class file lacks. */
    private Entry improve(String signature, String javadoc, UnaryOperator<String> qualify) {
        SourceDocs.Member member = Signatures.member(signature, qualify);
        String className = member == null ? null : member.className();
        Optional<SourceDocs.Found> found = member == null ? Optional.empty() : sources.find(member);
        if (found.isEmpty() && member != null && member.kind() == SourceDocs.Kind.CONSTRUCTOR) {
            // a record's header reads like a constructor call: Pair(String name, int n)
            found = sources.find(new SourceDocs.Member(member.className(), SourceDocs.Kind.TYPE, "", List.of()));
        }
        if (found.isEmpty()) {
            return new Entry(signature, javadoc, className, null);
        }
        SourceDocs.Found f = found.get();
        String doc = javadoc != null && !javadoc.isBlank() ? javadoc : f.javadoc();
        return new Entry(Signatures.withParameterNames(signature, f.parameterNames()), doc, className, f);
    }

    /**
     * The qualified name of a type as JShell printed it in a signature: a simple name when its
     * package is imported in the shell, so the shell resolves it back; null if it cannot.
     */
    private String qualifiedType(String shown) {
        if (shown.isEmpty()) {
            return null;
        }
        List<SourceCodeAnalysis.Documentation> docs = shell.sourceCodeAnalysis().documentation(shown, shown.length(), false);
        for (SourceCodeAnalysis.Documentation d : docs) {
            String s = d.signature();
            if (s.indexOf(':') < 0 && s.indexOf(' ') < 0) {
                return Signatures.withoutTypeArguments(s.contains("(") ? s.substring(0, s.indexOf('(')) : s);
            }
        }
        return null;
    }

    private static String clip(String declaration) {
        List<String> lines = declaration.lines().toList();
        if (lines.size() <= MAX_SOURCE_LINES) {
            return declaration;
        }
        return String.join("\n", lines.subList(0, MAX_SOURCE_LINES)) + "\n    … (" + (lines.size() - MAX_SOURCE_LINES) + " more lines)";
    }

    private static String indent(String text) {
        return text.lines().map(l -> l.isEmpty() ? l : "    " + l).reduce((a, b) -> a + "\n" + b).orElse("");
    }
}

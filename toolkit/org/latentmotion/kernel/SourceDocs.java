package org.latentmotion.kernel;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.Trees;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/**
 * Javadoc and declarations read from source files: the class is found on a {@link SourcePath},
 * parsed (syntax only, so no dependency needs to be on any path) and the declaration matched by
 * kind, name and parameter types. This is how the toolkit's and third-party classes get their
 * javadoc at the cursor; JShell itself reads only the JDK's src.zip.
 */
final class SourceDocs {
    /** What kind of declaration a {@link Member} is. */
    enum Kind { TYPE, METHOD, CONSTRUCTOR, FIELD }

    /**
     * A declaration to look up: {@code className} is the binary-style name with dots
     * ({@code a.b.Outer.Inner}); {@code parameterTypes} as written in a signature (generics and
     * packages are ignored when matching).
     */
    record Member(String className, Kind kind, String name, List<String> parameterTypes) {
    }

    /** A found declaration: its javadoc (null if it has none), parameter names, source text and file. */
    record Found(String javadoc, List<String> parameterNames, String declaration, String location) {
    }

    /** Parsed files, newest last; a few suffice (Shift-Tab asks about one class at a time). */
    private static final int CACHE = 16;

    private final SourcePath path;
    private final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    private final Map<String, Optional<Parsed>> parsed = new LinkedHashMap<>(CACHE, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Optional<Parsed>> eldest) {
            return size() > CACHE;
        }
    };

    private record Parsed(CompilationUnitTree unit, SourcePositions positions, String text, String location) {
    }

    SourceDocs(SourcePath path) {
        this.path = path;
    }

    SourcePath sourcePath() {
        return path;
    }

    /** The declaration of {@code m} in its source file, or empty if no source has it. */
    synchronized Optional<Found> find(Member m) {
        String[] parts = m.className().split("\\.");
        // the top-level class is the longest prefix that has a source file: a.b.Outer.Inner → a/b/Outer.java
        for (int top = parts.length; top >= 1; top--) {
            String topName = String.join(".", java.util.Arrays.copyOfRange(parts, 0, top));
            Optional<Parsed> p = parse(topName);
            if (p.isEmpty()) {
                continue;
            }
            ClassTree type = typeIn(p.get().unit().getTypeDecls(), parts, top - 1);
            if (type == null) {
                return Optional.empty();
            }
            Tree decl = m.kind() == Kind.TYPE ? type : member(type, m);
            return decl == null ? Optional.empty() : Optional.of(found(p.get(), decl));
        }
        return Optional.empty();
    }

    private Optional<Parsed> parse(String topLevelClass) {
        return parsed.computeIfAbsent(topLevelClass, name -> path.find(name).map(source -> {
            try {
                JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///" + name.replace('.', '/') + ".java"),
                        JavaFileObject.Kind.SOURCE) {
                    @Override
                    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                        return source.text();
                    }
                };
                JavacTask task = (JavacTask) javac.getTask(null, null, d -> { }, List.of("-proc:none"), null, List.of(file));
                CompilationUnitTree unit = task.parse().iterator().next();
                return new Parsed(unit, Trees.instance(task).getSourcePositions(), source.text(), source.location());
            } catch (IOException | RuntimeException e) {
                return null; // a file javac cannot parse has no docs to give
            }
        }));
    }

    /** The class {@code parts[index]} among {@code trees}, descending into nested classes for the rest. */
    private static ClassTree typeIn(List<? extends Tree> trees, String[] parts, int index) {
        for (Tree t : trees) {
            if (t instanceof ClassTree c && c.getSimpleName().contentEquals(parts[index])) {
                return index == parts.length - 1 ? c : typeIn(c.getMembers(), parts, index + 1);
            }
        }
        return null;
    }

    /** The member of {@code type} that {@code m} names: exact parameter types first, then the only one of its arity. */
    private static Tree member(ClassTree type, Member m) {
        List<MethodTree> sameArity = new ArrayList<>();
        for (Tree t : type.getMembers()) {
            if (m.kind() == Kind.FIELD && t instanceof VariableTree v && v.getName().contentEquals(m.name())) {
                return v;
            }
            if (t instanceof MethodTree method && (m.kind() == Kind.METHOD || m.kind() == Kind.CONSTRUCTOR)) {
                String name = m.kind() == Kind.CONSTRUCTOR ? "<init>" : m.name();
                if (!method.getName().contentEquals(name) || method.getParameters().size() != m.parameterTypes().size()) {
                    continue;
                }
                sameArity.add(method);
                boolean same = true;
                for (int i = 0; i < m.parameterTypes().size() && same; i++) {
                    same = erased(method.getParameters().get(i).getType().toString()).equals(erased(m.parameterTypes().get(i)));
                }
                if (same) {
                    return method;
                }
            }
        }
        return sameArity.size() == 1 ? sameArity.get(0) : null;
    }

    /** A type as matched: no type arguments, no package, varargs as an array ({@code java.util.List<T>...} → {@code List[]}). */
    static String erased(String type) {
        StringBuilder s = new StringBuilder();
        int depth = 0;
        for (char c : type.toCharArray()) {
            if (c == '<') {
                depth++;
            } else if (c == '>') {
                depth--;
            } else if (depth == 0 && !Character.isWhitespace(c)) {
                s.append(c);
            }
        }
        String t = s.toString().replace("...", "[]");
        if (t.startsWith("@")) { // a type annotation: keep the type after it
            t = t.replaceAll("^(@[\\w.]+(\\([^)]*\\))?)+", "");
        }
        int dims = t.indexOf('[');
        String base = dims < 0 ? t : t.substring(0, dims);
        return base.substring(base.lastIndexOf('.') + 1) + (dims < 0 ? "" : t.substring(dims));
    }

    private static Found found(Parsed p, Tree decl) {
        long start = p.positions().getStartPosition(p.unit(), decl);
        long end = p.positions().getEndPosition(p.unit(), decl);
        String declaration = start >= 0 && end > start ? dedent(p.text(), (int) start, (int) end) : "";
        List<String> names = decl instanceof MethodTree method
                ? method.getParameters().stream().map(v -> v.getName().toString()).toList() : List.of();
        return new Found(docCommentBefore(p.text(), (int) Math.max(0, start)), names, declaration, p.location());
    }

    /** The text [start, end) from the start of its first line, with the indentation its lines share removed. */
    static String dedent(String text, int start, int end) {
        int from = start;
        while (from > 0 && (text.charAt(from - 1) == ' ' || text.charAt(from - 1) == '\t')) {
            from--;
        }
        List<String> lines = text.substring(from, end).lines().toList();
        int indent = lines.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        StringBuilder out = new StringBuilder();
        for (String l : lines) {
            out.append(l.length() >= indent ? l.substring(indent) : l.strip()).append('\n');
        }
        return out.toString().stripTrailing();
    }

    /**
     * The javadoc comment just before {@code start} (only white space between), with the comment
     * markers and each line's leading '*' removed; null if there is none.
     */
    static String docCommentBefore(String text, int start) {
        int end = start;
        while (end > 0 && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        if (end < 2 || !text.startsWith("*/", end - 2)) {
            return null;
        }
        int open = text.lastIndexOf("/*", end - 2);
        if (open < 0 || !text.startsWith("/**", open) || open + 3 > end - 2) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        for (String line : text.substring(open + 3, end - 2).split("\n", -1)) {
            String l = line.stripLeading();
            if (l.startsWith("*")) {
                l = l.substring(1);
                if (l.startsWith(" ")) {
                    l = l.substring(1);
                }
            } else {
                l = line.strip();
            }
            out.append(l.stripTrailing()).append('\n');
        }
        return out.toString().strip();
    }
}

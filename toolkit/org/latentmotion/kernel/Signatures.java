package org.latentmotion.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Reads the signatures JShell prints ({@code LatentPca LatentPca.fit(TrajectorySet set, int k)},
 * {@code java.util.ArrayList<E>}, {@code Owner.field:int}) back into the declaration they name,
 * so its source can be found. Type arguments ({@code Map<K, V>}) are kept together when splitting.
 */
final class Signatures {
    private Signatures() {
    }

    /**
     * The declaration a signature names, or null if it names none with a class (a local variable,
     * a shell method). {@code qualify} turns the owner as printed (simple when imported) into its
     * qualified name, or null if it cannot.
     */
    static SourceDocs.Member member(String signature, UnaryOperator<String> qualify) {
        String s = signature.strip();
        int paren = topLevelIndexOf(s, '(');
        if (paren < 0) {
            int colon = topLevelIndexOf(s, ':');
            if (colon >= 0) { // Owner.field:type
                String target = s.substring(0, colon);
                int dot = topLevelLastIndexOf(target, '.');
                if (dot < 0) {
                    return null; // a local variable or parameter
                }
                String owner = qualify.apply(withoutTypeArguments(target.substring(0, dot)));
                return owner == null ? null : new SourceDocs.Member(owner, SourceDocs.Kind.FIELD, target.substring(dot + 1), List.of());
            }
            return topLevelIndexOf(s, ' ') >= 0 ? null : new SourceDocs.Member(withoutTypeArguments(s), SourceDocs.Kind.TYPE, "", List.of());
        }
        List<String> head = splitTopLevel(s.substring(0, paren).strip(), ' ');
        List<String> params = new ArrayList<>();
        int close = matchingParen(s, paren);
        for (String p : splitTopLevel(s.substring(paren + 1, close), ',')) {
            List<String> words = splitTopLevel(p.strip(), ' ');
            if (!words.isEmpty() && !words.get(0).isEmpty()) {
                params.add(words.size() > 1 ? String.join(" ", words.subList(0, words.size() - 1)) : words.get(0));
            }
        }
        String target = head.get(head.size() - 1);
        boolean constructor = head.size() == 1 || head.size() == 2 && head.get(0).startsWith("<");
        if (constructor) {
            String owner = qualify.apply(withoutTypeArguments(target));
            String name = withoutTypeArguments(target);
            return owner == null ? null : new SourceDocs.Member(owner, SourceDocs.Kind.CONSTRUCTOR,
                    name.substring(name.lastIndexOf('.') + 1), params);
        }
        int dot = topLevelLastIndexOf(target, '.');
        if (dot <= 0) {
            return null; // a method declared in the shell: no class, no source file
        }
        String owner = qualify.apply(withoutTypeArguments(target.substring(0, dot)));
        String name = target.substring(dot + 1).replaceFirst("^<.*>", "");
        return owner == null ? null : new SourceDocs.Member(owner, SourceDocs.Kind.METHOD, name, params);
    }

    /**
     * The signature with parameter names from the source where the class file had none
     * ({@code arg0, arg1}) or where JShell printed types only.
     */
    static String withParameterNames(String signature, List<String> names) {
        int paren = topLevelIndexOf(signature, '(');
        if (paren < 0 || names.isEmpty()) {
            return signature;
        }
        int close = matchingParen(signature, paren);
        List<String> params = splitTopLevel(signature.substring(paren + 1, close), ',');
        if (params.size() != names.size()) {
            return signature;
        }
        List<String> named = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            List<String> words = splitTopLevel(params.get(i).strip(), ' ');
            boolean synthetic = words.size() > 1 && words.get(words.size() - 1).matches("arg\\d+");
            String type = words.size() > 1 ? String.join(" ", words.subList(0, words.size() - 1)) : words.get(0);
            named.add(words.size() == 1 || synthetic ? type + " " + names.get(i) : params.get(i).strip());
        }
        return signature.substring(0, paren + 1) + String.join(", ", named) + signature.substring(close);
    }

    /** {@code java.util.Map<K, V>} → {@code java.util.Map}; a record header's components are dropped too. */
    static String withoutTypeArguments(String type) {
        StringBuilder s = new StringBuilder();
        int depth = 0;
        for (char c : type.toCharArray()) {
            if (c == '<' || c == '(') {
                depth++;
            } else if (c == '>' || c == ')') {
                depth--;
            } else if (depth == 0) {
                s.append(c);
            }
        }
        return s.toString().strip();
    }

    private static int matchingParen(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            if (s.charAt(i) == '(') {
                depth++;
            } else if (s.charAt(i) == ')' && --depth == 0) {
                return i;
            }
        }
        return s.length();
    }

    private static int topLevelIndexOf(String s, char wanted) {
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == wanted && depth == 0) {
                return i;
            }
            depth += c == '<' ? 1 : c == '>' ? -1 : 0;
        }
        return -1;
    }

    private static int topLevelLastIndexOf(String s, char wanted) {
        int depth = 0;
        for (int i = s.length() - 1; i >= 0; i--) {
            char c = s.charAt(i);
            if (c == wanted && depth == 0) {
                return i;
            }
            depth += c == '>' ? 1 : c == '<' ? -1 : 0;
        }
        return -1;
    }

    /** Splits at {@code sep} outside type arguments and parentheses; empty parts are dropped. */
    static List<String> splitTopLevel(String s, char sep) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        StringBuilder cur = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == sep && depth == 0) {
                if (!cur.toString().isBlank()) {
                    out.add(cur.toString().strip());
                }
                cur.setLength(0);
                continue;
            }
            depth += c == '<' || c == '(' ? 1 : c == '>' || c == ')' ? -1 : 0;
            cur.append(c);
        }
        if (!cur.toString().isBlank()) {
            out.add(cur.toString().strip());
        }
        if (out.isEmpty()) {
            out.add("");
        }
        return out;
    }
}

package org.latentmotion.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A javadoc comment's text (as written between {@code /**} and its end, leading stars removed)
 * rendered for a reader: as plain text for a console tooltip, or as Markdown for a notebook's
 * inspector. Inline tags ({@code {@code}}, {@code {@link}}, ...), the common HTML of javadoc
 * ({@code <p>}, lists, {@code <pre>}, emphasis, entities) and block tags ({@code @param},
 * {@code @return}, {@code @throws}, ...) become sections a reader scans: description first, then
 * parameters, return value, exceptions.
 */
final class JavadocText {
    private static final Map<String, String> ENTITIES = Map.of(
            "lt", "<", "gt", ">", "amp", "&", "quot", "\"", "apos", "'", "nbsp", " ", "#64", "@", "#39", "'", "#47", "/",
            "#42", "*");

    /** One block tag: {@code @param x the x}. */
    private record Tag(String name, String text) {
    }

    private final boolean markdown;

    private JavadocText(boolean markdown) {
        this.markdown = markdown;
    }

    /** The comment as plain text: paragraphs, indented code, labelled sections. */
    static String plain(String comment) {
        return new JavadocText(false).render(comment);
    }

    /** The comment as Markdown: code spans, fenced code blocks, bold section labels, bullet lists. */
    static String markdown(String comment) {
        return new JavadocText(true).render(comment);
    }

    private String render(String comment) {
        if (comment == null || comment.isBlank()) {
            return "";
        }
        StringBuilder description = new StringBuilder();
        List<Tag> tags = new ArrayList<>();
        splitBlockTags(comment, description, tags);
        StringBuilder out = new StringBuilder();
        for (Tag t : tags) {
            if (t.name.equals("deprecated")) {
                out.append(markdown ? "**Deprecated.** " : "Deprecated. ").append(body(t.text).strip()).append("\n\n");
            }
        }
        out.append(body(description.toString()).strip());
        section(out, tags, "param", "Parameters", true);
        section(out, tags, "return", "Returns", false);
        section(out, tags, "throws", "Throws", true);
        section(out, tags, "apiNote", "API note", false);
        section(out, tags, "implSpec", "Implementation requirements", false);
        section(out, tags, "implNote", "Implementation note", false);
        section(out, tags, "see", "See also", false);
        section(out, tags, "since", "Since", false);
        return out.toString().replaceAll("\n{3,}", "\n\n").strip();
    }

    /** Splits the comment at block tags (a line starting with '@', outside {@code <pre>} and inline tags). */
    private static void splitBlockTags(String comment, StringBuilder description, List<Tag> tags) {
        String current = null;
        StringBuilder text = description;
        int braces = 0;
        boolean pre = false;
        for (String line : comment.split("\n", -1)) {
            String t = line.strip();
            if (braces == 0 && !pre && t.startsWith("@") && t.length() > 1 && Character.isLetter(t.charAt(1))) {
                if (current != null) {
                    tags.add(new Tag(current, text.toString()));
                }
                int end = 1;
                while (end < t.length() && !Character.isWhitespace(t.charAt(end))) {
                    end++;
                }
                current = t.substring(1, end);
                current = current.equals("exception") ? "throws" : current;
                text = new StringBuilder(t.substring(end).strip()).append('\n');
            } else {
                text.append(line).append('\n');
            }
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                braces += c == '{' ? 1 : c == '}' && braces > 0 ? -1 : 0;
            }
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.contains("<pre")) {
                pre = true;
            }
            if (lower.contains("</pre")) {
                pre = false;
            }
        }
        if (current != null) {
            tags.add(new Tag(current, text.toString()));
        }
    }

    /** Appends one labelled section: a bullet per tag when {@code named} (its first word is the name). */
    private void section(StringBuilder out, List<Tag> tags, String name, String label, boolean named) {
        List<Tag> mine = tags.stream().filter(t -> t.name.equals(name)).toList();
        if (mine.isEmpty()) {
            return;
        }
        out.append("\n\n").append(markdown ? "**" + label + ":**" : label + ":");
        if (!named && mine.size() == 1) {
            String text = mine.get(0).text.strip();
            boolean reference = name.equals("see") && !text.startsWith("<") && !text.startsWith("\"");
            out.append(' ').append(reference ? seeReference(text) : body(text).strip());
            return;
        }
        for (Tag t : mine) {
            String text = t.text.strip();
            String item = text;
            if (named) {
                int sp = 0;
                while (sp < text.length() && !Character.isWhitespace(text.charAt(sp))) {
                    sp++;
                }
                String what = text.substring(0, sp);
                item = code(what) + (sp < text.length() ? " " + (markdown ? "– " : "- ") + body(text.substring(sp)).strip() : "");
            } else if (name.equals("see") && !text.startsWith("<") && !text.startsWith("\"")) {
                item = seeReference(text);
            } else {
                item = body(text).strip();
            }
            out.append('\n').append(markdown ? "- " : "  ").append(item);
        }
    }

    /** A {@code @see} reference ({@code java.lang.Object#toString() label}): its label, else the reference as code. */
    private String seeReference(String text) {
        int end = referenceEnd(text);
        String label = text.substring(end).strip();
        if (!label.isEmpty()) {
            return body(label).strip();
        }
        String ref = text.substring(0, end);
        return code(ref.startsWith("#") ? ref.substring(1) : ref.replace('#', '.'));
    }

    /** A description: paragraphs with inline tags and HTML rendered; {@code <pre>} blocks kept verbatim. */
    private String body(String text) {
        StringBuilder out = new StringBuilder();
        String lower = text.toLowerCase(Locale.ROOT);
        int i = 0;
        while (i < text.length()) {
            int pre = lower.indexOf("<pre", i);
            if (pre < 0) {
                out.append(flow(text.substring(i)));
                break;
            }
            out.append(flow(text.substring(i, pre)));
            int open = text.indexOf('>', pre);
            int close = lower.indexOf("</pre>", open < 0 ? pre : open);
            if (open < 0) {
                out.append(flow(text.substring(pre)));
                break;
            }
            String code = text.substring(open + 1, close < 0 ? text.length() : close);
            out.append(codeBlock(code));
            i = close < 0 ? text.length() : close + "</pre>".length();
        }
        return out.toString();
    }

    /** A {@code <pre>} block: inline tags resolved, HTML entities decoded, indentation kept. */
    private String codeBlock(String code) {
        String inner = inlineTags(code, true).replaceAll("(?i)</?code>", "");
        inner = decode(inner.replaceAll("<[^>]+>", ""));
        List<String> lines = new ArrayList<>(inner.lines().toList());
        while (!lines.isEmpty() && lines.get(0).isBlank()) {
            lines.remove(0);
        }
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
            lines.remove(lines.size() - 1);
        }
        int indent = lines.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        StringBuilder s = new StringBuilder("\n\n");
        if (markdown) {
            s.append("```java\n");
        }
        for (String l : lines) {
            s.append(markdown ? "" : "    ").append(l.length() >= indent ? l.substring(indent) : l.strip()).append('\n');
        }
        if (markdown) {
            s.append("```");
        }
        return s.append("\n\n").toString();
    }

    /** Running text: white space collapsed, HTML turned into paragraphs, bullets and emphasis. */
    private String flow(String text) {
        String s = inlineTags(text, false);
        s = s.replaceAll("\\s+", " ");
        s = s.replaceAll("(?i)\\s*<p\\s*/?>\\s*|\\s*</p>\\s*", "\n\n");
        s = s.replaceAll("(?i)\\s*<br\\s*/?>\\s*", "\n");
        s = s.replaceAll("(?i)\\s*</?(ul|ol|dl|table|div|blockquote)[^>]*>\\s*", "\n\n");
        s = s.replaceAll("(?i)[ \\t]*<li[^>]*>\\s*", markdown ? "\n- " : "\n  - "); // (keeps the list's blank line)
        s = s.replaceAll("(?i)\\s*<dt[^>]*>\\s*", "\n");
        s = s.replaceAll("(?i)\\s*<dd[^>]*>\\s*", "\n  ");
        s = s.replaceAll("(?i)\\s*<h[1-6][^>]*>\\s*", markdown ? "\n\n**" : "\n\n");
        s = s.replaceAll("(?i)\\s*</h[1-6]>\\s*", markdown ? "**\n\n" : "\n\n");
        if (markdown) {
            s = s.replaceAll("(?i)</?(b|strong)>", "**");
            s = s.replaceAll("(?i)</?(i|em)>", "*");
        }
        s = s.replaceAll("(?i)<code>(.*?)</code>", "\u0001$1\u0002");
        s = s.replaceAll("<[^>]+>", "");
        s = decode(s);
        // code spans were marked while the text was still HTML; now they become `x` (or stay x in plain text)
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            int a = s.indexOf('\u0001', i);
            if (a < 0) {
                out.append(escape(s.substring(i)));
                break;
            }
            int b = s.indexOf('\u0002', a);
            if (b < 0) {
                b = s.length();
            }
            out.append(escape(s.substring(i, a))).append(code(s.substring(a + 1, b)));
            i = Math.min(s.length(), b + 1);
        }
        return out.toString().replaceAll("[ \\t]+\n", "\n").replaceAll("\n[ \\t]+(?![-\\s])", "\n");
    }

    /** Inline tags: {@code {@code x}} and {@code {@literal x}} as code, {@code {@link a#b label}} as its label or reference. */
    private String inlineTags(String text, boolean inPre) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            int start = text.indexOf("{@", i);
            if (start < 0) {
                out.append(text, i, text.length());
                break;
            }
            out.append(text, i, start);
            int depth = 0;
            int end = start;
            for (; end < text.length(); end++) {
                char c = text.charAt(end);
                if (c == '{') {
                    depth++;
                } else if (c == '}' && --depth == 0) {
                    break;
                }
            }
            String inner = text.substring(start + 2, Math.min(end, text.length()));
            int sp = 0;
            while (sp < inner.length() && !Character.isWhitespace(inner.charAt(sp))) {
                sp++;
            }
            String tag = inner.substring(0, sp);
            String arg = sp < inner.length() ? inner.substring(sp + 1) : "";
            out.append(inlineTag(tag, arg, inPre));
            i = Math.min(text.length(), end + 1);
        }
        return out.toString();
    }

    private String inlineTag(String tag, String arg, boolean inPre) {
        switch (tag) {
            case "code":
            case "literal": {
                // literal text: HTML-escape so the later HTML pass leaves it as written
                String lit = arg.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
                return inPre || tag.equals("literal") ? lit : "<code>" + lit + "</code>";
            }
            case "link":
            case "linkplain": {
                String a = arg.strip();
                int sp = referenceEnd(a);
                String ref = a.substring(0, sp);
                String label = a.substring(sp).strip();
                if (!label.isEmpty()) {
                    return label;
                }
                String shown = ref.startsWith("#") ? ref.substring(1) : ref.replace('#', '.');
                return tag.equals("link") && !inPre ? "<code>" + shown + "</code>" : shown;
            }
            case "value":
                String ref = arg.strip();
                return ref.isEmpty() ? "" : "<code>" + (ref.startsWith("#") ? ref.substring(1) : ref.replace('#', '.')) + "</code>";
            case "inheritDoc":
                return "";
            case "index":
            case "summary":
            case "systemProperty":
            default:
                return arg;
        }
    }

    /** End of a {@code {@link}} reference: the first space outside its parameter list. */
    private static int referenceEnd(String a) {
        int depth = 0;
        for (int i = 0; i < a.length(); i++) {
            char c = a.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (Character.isWhitespace(c) && depth == 0) {
                return i;
            }
        }
        return a.length();
    }

    private String code(String s) {
        if (!markdown) {
            return s;
        }
        String fence = s.contains("`") ? "``" : "`";
        return fence + (s.startsWith("`") ? " " + s + " " : s) + fence;
    }

    /** Markdown-escapes running text (not code spans): characters that would start emphasis, links or HTML. */
    private String escape(String s) {
        if (!markdown) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ("\\`_<>[]".indexOf(c) >= 0 || c == '*' && !(s.startsWith("**", i) || i > 0 && s.startsWith("**", i - 1))
                    && !emphasisMark(s, i)) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    /** True for a '*' the HTML pass wrote for {@code <i>}/{@code <em>}: it touches a word on one side only. */
    private static boolean emphasisMark(String s, int i) {
        boolean before = i > 0 && !Character.isWhitespace(s.charAt(i - 1));
        boolean after = i + 1 < s.length() && !Character.isWhitespace(s.charAt(i + 1));
        return before != after;
    }

    private static String decode(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            int semi = c == '&' ? s.indexOf(';', i) : -1;
            if (semi > i && semi - i <= 8) {
                String name = s.substring(i + 1, semi);
                String decoded = ENTITIES.get(name);
                if (decoded == null && name.matches("#\\d+")) {
                    decoded = String.valueOf((char) Integer.parseInt(name.substring(1)));
                }
                if (decoded != null) {
                    out.append(decoded);
                    i = semi + 1;
                    continue;
                }
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }
}

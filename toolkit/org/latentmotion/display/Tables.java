package org.latentmotion.display;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.FloatColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Tablesaw tables as a notebook shows them: compact, styled HTML and plain text, floating-point
 * numbers with 6 significant digits as pandas prints them ({@link #formatted}), the table's own
 * values untouched.
 *
 * <p>Every table the toolkit renders is built from {@link #openTable()} and {@link #cell}, so it
 * reads in JupyterLab, the classic notebook and nbconvert's HTML export alike: a cell holding a
 * long unbroken token (a path, a hash, a comma-separated list) wraps inside the table instead of
 * widening it past the page, where right-aligned short values would be pushed out of sight
 * (issue 17: the synthesizer's info table looked empty in the quickstart's export).
 */
public final class Tables {
    private static final int MAX_ROWS = 40;

    /**
     * A token (run of non-space characters) longer than this makes its cell wrap anywhere: at
     * 12 px about 140 px wide, so ordinary numbers and words never break, while any token that
     * could push a table past a 1200 px page does.
     */
    static final int LONG_TOKEN = 20;

    /**
     * The {@code <style>} element every toolkit table carries, scoped to the {@code lm-table}
     * class. The class is doubled in each selector to outrank the front ends' own table rules
     * (JupyterLab's {@code :not(.jp-RenderedMarkdown).jp-RenderedHTMLCommon td}, the classic
     * notebook's {@code .rendered_html td}); no external CSS, so a saved export shows the same.
     * Cells with long tokens ({@code lm-wrap}) may break anywhere but keep at least 8em, so they
     * take the width the short columns leave rather than squeezing them. Numbers align right; text
     * columns ({@code lm-text}), a row header and the value beside it (a property table) align left.
     */
    public static final String STYLE = "<style>"
            + ".lm-table.lm-table{border-collapse:collapse;table-layout:auto;width:auto;max-width:100%;"
            + "margin:0.25em 0 0.75em 0;font-size:12px}"
            + ".lm-table.lm-table caption{caption-side:top;text-align:left;font-weight:bold;padding:2px 0;"
            + "overflow-wrap:anywhere;word-break:break-word}"
            + ".lm-table.lm-table th,.lm-table.lm-table td{padding:3px 8px;text-align:right;vertical-align:top;"
            + "white-space:normal;max-width:none}"
            + ".lm-table.lm-table tbody th,.lm-table.lm-table tbody th+td{text-align:left}"
            + ".lm-table.lm-table .lm-text{text-align:left}"
            + ".lm-table.lm-table .lm-wrap{text-align:left;overflow-wrap:anywhere;word-break:break-word;min-width:8em}"
            + "</style>";

    private Tables() {
    }

    /**
     * A copy of {@code table} whose double and float columns print with 6 significant digits
     * (67.6 rather than 67.59999999999999; 1.23457e-05; NaN) in {@code print()}, {@code getString}
     * and this class's HTML; the values in the copy are the original's, to the last bit.
     */
    public static Table formatted(Table table) {
        Table copy = table.copy();
        for (Column<?> c : copy.columns()) {
            if (c instanceof DoubleColumn d) {
                d.setPrintFormatter(new SignificantDigits());
            } else if (c instanceof FloatColumn f) {
                f.setPrintFormatter(new SignificantDigits());
            }
        }
        return copy;
    }

    /** The whole table as aligned plain text (the notebook's text/plain), numbers as {@link #formatted}. */
    public static String toText(Table table) {
        return formatted(table).printAll();
    }

    /** An HTML table with the table's name as caption; long tables show head and tail; numbers as {@link #formatted}. */
    public static String toHtml(Table table) {
        table = formatted(table);
        StringBuilder html = new StringBuilder(openTable());
        if (table.name() != null && !table.name().isBlank()) {
            html.append("<caption>").append(escape(table.name())).append("</caption>");
        }
        html.append("<thead><tr>");
        for (Column<?> c : table.columns()) {
            html.append(cell("th", c.name(), isText(c)));
        }
        html.append("</tr></thead><tbody>");
        int rows = table.rowCount();
        for (int r = 0; r < rows; r++) {
            if (rows > MAX_ROWS && r == MAX_ROWS / 2) {
                html.append("<tr><td colspan=\"").append(table.columnCount()).append("\">… ")
                        .append(rows - MAX_ROWS).append(" more rows …</td></tr>");
                r = rows - MAX_ROWS / 2;
            }
            html.append("<tr>");
            for (Column<?> c : table.columns()) {
                html.append(cell("td", c.getString(r), isText(c)));
            }
            html.append("</tr>");
        }
        return html.append("</tbody></table>").toString();
    }

    /** The start of a toolkit table: {@link #STYLE} and the opening {@code <table class="lm-table">} tag. */
    public static String openTable() {
        return STYLE + "<table class=\"lm-table\">";
    }

    /**
     * One table cell, {@code tag} being "td" or "th", with {@code text} escaped (null shows as an
     * empty cell). If the text holds a token longer than 20 characters the cell gets the
     * {@code lm-wrap} class, and the token a word-break opportunity ({@code <wbr>}) after each
     * {@code / \ , ;}, so a path or list breaks at its separators before anywhere else (names
     * with dots and underscores stay searchable in the markup and break only where they must).
     */
    public static String cell(String tag, String text) {
        return cell(tag, text, false);
    }

    /** {@link #cell(String, String)}, aligned left as text ({@code lm-text}) if {@code text} is set. */
    static String cell(String tag, String text, boolean alignLeft) {
        text = text == null ? "" : text;
        if (!"td".equals(tag) && !"th".equals(tag)) {
            throw new IllegalArgumentException("table cell tag: expected \"td\" or \"th\", found \"" + tag + "\"");
        }
        boolean wrap = hasLongToken(text);
        if (!wrap && !alignLeft) {
            return "<" + tag + ">" + escape(text) + "</" + tag + ">";
        }
        StringBuilder html = new StringBuilder("<").append(tag).append(" class=\"")
                .append(wrap && alignLeft ? "lm-wrap lm-text" : wrap ? "lm-wrap" : "lm-text").append("\">");
        if (!wrap) {
            return html.append(escape(text)).append("</").append(tag).append(">").toString();
        }
        for (String part : text.split("(?<=\\s)|(?=\\s)")) {
            if (part.length() <= LONG_TOKEN) {
                html.append(escape(part));
                continue;
            }
            for (int i = 0; i < part.length(); i++) {
                char ch = part.charAt(i);
                html.append(escape(String.valueOf(ch)));
                if ("/\\,;".indexOf(ch) >= 0 && i < part.length() - 1) {
                    html.append("<wbr>");
                }
            }
        }
        return html.append("</").append(tag).append(">").toString();
    }

    /** True for a column of words (names, labels), which reads best aligned left; numbers align right. */
    private static boolean isText(Column<?> c) {
        return c.type() == ColumnType.STRING || c.type() == ColumnType.TEXT;
    }

    private static boolean hasLongToken(String text) {
        int run = 0;
        for (int i = 0; i < text.length(); i++) {
            run = Character.isWhitespace(text.charAt(i)) ? 0 : run + 1;
            if (run > LONG_TOKEN) {
                return true;
            }
        }
        return false;
    }

    /** {@code s} with &amp;, &lt;, &gt; and " escaped for HTML text and attribute values. */
    public static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}

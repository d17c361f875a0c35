package org.latentmotion.display;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.FloatColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Tablesaw tables as a notebook shows them: compact, styled HTML and plain text, floating-point
 * numbers with 6 significant digits as pandas prints them ({@link #formatted}), the table's own
 * values untouched.
 */
public final class Tables {
    private static final int MAX_ROWS = 40;

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
        StringBuilder html = new StringBuilder("<table class=\"lm-table\">");
        if (table.name() != null && !table.name().isBlank()) {
            html.append("<caption>").append(escape(table.name())).append("</caption>");
        }
        html.append("<thead><tr>");
        for (Column<?> c : table.columns()) {
            html.append("<th>").append(escape(c.name())).append("</th>");
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
                html.append("<td>").append(escape(c.getString(r))).append("</td>");
            }
            html.append("</tr>");
        }
        return html.append("</tbody></table>").toString();
    }

    /** {@code s} with &amp;, &lt;, &gt; and " escaped for HTML text and attribute values. */
    public static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}

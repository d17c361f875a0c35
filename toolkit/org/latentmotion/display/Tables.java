package org.latentmotion.display;

import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/** Tablesaw tables as compact, notebook-styled HTML. */
public final class Tables {
    private static final int MAX_ROWS = 40;

    private Tables() {
    }

    /** An HTML table with the table's name as caption; long tables show head and tail. */
    public static String toHtml(Table table) {
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

package org.latentmotion.display;

import java.util.Map;
import java.util.function.Supplier;
import tech.tablesaw.api.Table;

/**
 * The notebook output of a value that is best seen as a table: a text summary, and the table as
 * HTML when the front end wants HTML (the table is built only then). One copy of what the
 * renderers of models, comparisons and reports used to repeat.
 */
final class TableOutput {
    private TableOutput() {
    }

    /** {@code text} as text/plain, and {@code table} as HTML if HTML is wanted. */
    static void write(MimeBundle bundle, String text, Supplier<Table> table) {
        bundle.text(text);
        if (bundle.wants(MimeBundle.HTML)) {
            bundle.html(Tables.toHtml(table.get()));
        }
    }

    /**
     * Property/value pairs as an HTML table with a caption, one row each: the property as a row
     * header, the value beside it.
     */
    static String properties(String caption, Map<String, String> rows) {
        StringBuilder html = new StringBuilder(Tables.openTable()).append("<caption>").append(Tables.escape(caption))
                .append("</caption><tbody>");
        rows.forEach((property, value) -> html.append("<tr>").append(Tables.cell("th", property))
                .append(Tables.cell("td", value)).append("</tr>"));
        return html.append("</tbody></table>").toString();
    }
}

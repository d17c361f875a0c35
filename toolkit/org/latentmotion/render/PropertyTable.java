package org.latentmotion.render;

import java.util.function.Supplier;
import org.latentmotion.display.MimeBundle;
import org.latentmotion.display.Tables;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The two-column "property / value" table a model of this package shows itself with
 * ({@link Synthesizer}, {@link Encoder}, {@link Mapping}), and how it renders in a notebook.
 */
final class PropertyTable {
    private final StringColumn key = StringColumn.create("property");
    private final StringColumn value = StringColumn.create("value");

    PropertyTable row(String property, String text) {
        key.append(property);
        value.append(text);
        return this;
    }

    Table build(String title) {
        return Table.create(title, key, value);
    }

    /** The one-line text, and the table as HTML when the front end wants it (built only then). */
    static void render(MimeBundle bundle, String text, Supplier<Table> table) {
        bundle.text(text);
        if (bundle.wants(MimeBundle.HTML)) {
            bundle.html(Tables.toHtml(table.get()));
        }
    }
}

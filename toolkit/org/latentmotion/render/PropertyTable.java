package org.latentmotion.render;

import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The two-column "property / value" table of a model's interface and settings
 * ({@link Synthesizer#interfaceTable()}, {@link Encoder#interfaceTable()},
 * {@link Mapping#interfaceTable()}); a notebook shows the model as this table.
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
}

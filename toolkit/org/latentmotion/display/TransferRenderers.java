package org.latentmotion.display;

import java.util.LinkedHashMap;
import java.util.Map;
import org.latentmotion.transfer.OffsetTrick;
import org.latentmotion.transfer.TransferComparison;

/** How the values of {@code transfer} show in a notebook. */
final class TransferRenderers {
    private TransferRenderers() {
    }

    static void register() {
        // Its basis, as a small property table.
        Renderers.register(OffsetTrick.class, (trick, bundle) -> {
            Map<String, String> rows = new LinkedHashMap<>();
            rows.put("state directions (PCA)", Integer.toString(trick.directions()));
            rows.put("code size", trick.codeSize() + " (" + trick.layers() + " × " + trick.width() + ")");
            rows.put("variances known", Boolean.toString(trick.hasVariance()));
            bundle.html(TableOutput.properties("Offset trick", rows));
        });
        // The table of how far each method leaves the training actor's states (frames: TransferStrips).
        Renderers.register(TransferComparison.class,
                (comparison, bundle) -> TableOutput.write(bundle, comparison.toString(), comparison::table));
    }
}

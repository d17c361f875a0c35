package org.latentmotion.wplus;

import java.util.ArrayList;
import java.util.List;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * StyleGAN's W+ layers in the three groups that control different things: coarse (pose, face
 * shape), middle (expression, eyes, mouth) and fine (colour, light). For 18 layers these are
 * 0–3, 4–7 and 8–17; other layer counts are cut in the same proportions.
 */
public final class LayerGroups {
    /** One group: layers [from, to). */
    public record Group(String name, int from, int to) {
        /** Number of layers in the group. */
        public int size() {
            return to - from;
        }

        /** "0–3" style label. */
        public String range() {
            return size() == 1 ? Integer.toString(from) : from + "–" + (to - 1);
        }

        /**
         * Root mean square over this group's layers, per row of a [rows, L] per-layer statistic
         * (such as {@link Trajectory#distanceFromMean()}).
         */
        public double[] rms(double[][] perLayer) {
            double[] out = new double[perLayer.length];
            for (int t = 0; t < perLayer.length; t++) {
                double s = 0;
                for (int l = from; l < to; l++) {
                    s += perLayer[t][l] * perLayer[t][l];
                }
                out[t] = Math.sqrt(s / size());
            }
            return out;
        }
    }

    private LayerGroups() {
    }

    /** The groups for {@code layers} W+ layers (fewer than three groups when layers &lt; 3). */
    public static List<Group> of(int layers) {
        if (layers < 1) {
            throw new IllegalArgumentException("layer groups: expected at least 1 layer, found " + layers);
        }
        if (layers == 1) {
            return List.of(new Group("all", 0, 1));
        }
        int coarseEnd = Math.max(1, (int) Math.round(layers * 4.0 / 18.0));
        int middleEnd = Math.max(coarseEnd + 1, (int) Math.round(layers * 8.0 / 18.0));
        List<Group> g = new ArrayList<>();
        g.add(new Group("coarse", 0, coarseEnd));
        if (middleEnd >= layers) {
            g.add(new Group("fine", coarseEnd, layers));
            return List.copyOf(g);
        }
        g.add(new Group("middle", coarseEnd, middleEnd));
        g.add(new Group("fine", middleEnd, layers));
        return List.copyOf(g);
    }

    /** The groups as a table: name, layer range, count, and what each group controls in StyleGAN. */
    public static Table table(int layers) {
        StringColumn name = StringColumn.create("group");
        StringColumn range = StringColumn.create("layers");
        IntColumn count = IntColumn.create("count");
        StringColumn controls = StringColumn.create("controls (StyleGAN faces)");
        for (Group g : of(layers)) {
            name.append(g.name());
            range.append(g.range());
            count.append(g.size());
            controls.append(switch (g.name()) {
                case "coarse" -> "pose, face shape";
                case "middle" -> "expression: mouth, eyes, brows";
                case "fine" -> "colour, light, texture";
                default -> "everything";
            });
        }
        return Table.create("W+ layer groups of " + layers + " layers", name, range, count, controls);
    }
}

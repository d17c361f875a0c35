package org.latentmotion.display;

import java.awt.image.BufferedImage;
import org.latentmotion.wplus.Trajectory;
import org.latentmotion.wplus.TrajectorySet;
import org.latentmotion.wplus.Windows;
import tech.tablesaw.api.Table;

/** How the values of {@code wplus} show themselves: trajectories, sets of clips, their splits and windows. */
final class WplusRenderers {
    private WplusRenderers() {
    }

    static void register() {
        Renderers.register(Trajectory.class, (t, bundle) -> trajectory(t, null, bundle));
        Renderers.register(TrajectorySet.class, WplusRenderers::trajectorySet);
        Renderers.register(TrajectorySet.Split.class, (split, bundle) -> {
            bundle.text(split.toString());
            bundle.html("<div><b>" + Tables.escape(split.toString()) + "</b>" + Tables.toHtml(split.train().table())
                    + Tables.toHtml(split.test().table()) + "</div>");
        });
        Renderers.register(Windows.class, WplusRenderers::windows);
    }

    /** Summary table, key frames (when {@code view} has a renderer) and the motion chart. */
    static void trajectory(Trajectory t, TrajectoryView view, MimeBundle bundle) {
        bundle.text(t.toString() + "\n" + Tables.toText(t.summary()));
        if (bundle.wants(MimeBundle.HTML)) {
            StringBuilder html = new StringBuilder("<div class=\"lm-trajectory\">");
            html.append("<div><b>").append(Tables.escape(t.toString())).append("</b></div>");
            html.append(Tables.toHtml(t.summary()));
            if (view != null) {
                html.append(keyFramesHtml(view));
            }
            html.append("<div>").append(MimeBundle.imgTag(Charts.toImage(TrajectoryCharts.motion(t)), "max-width:100%"))
                    .append("</div></div>");
            bundle.html(html.toString());
        } else if (bundle.wants(MimeBundle.PNG)) {
            bundle.png(Charts.toImage(TrajectoryCharts.motion(t)));
        }
    }

    private static String keyFramesHtml(TrajectoryView view) {
        StringBuilder html = new StringBuilder("<div style=\"display:flex;gap:8px;margin:6px 0\">");
        try {
            BufferedImage[] images = view.keyFrames();
            int[] idx = view.keyFrameIndices();
            double fps = view.trajectory().fps();
            for (int i = 0; i < images.length; i++) {
                html.append("<figure style=\"margin:0;text-align:center\">")
                        .append(MimeBundle.imgTag(images[i], "width:160px;image-rendering:auto"))
                        .append(String.format("<figcaption>frame %d (%.2f s)</figcaption></figure>", idx[i], idx[i] / fps));
            }
        } catch (RuntimeException e) {
            html.append("<i>frames could not be rendered: ").append(Tables.escape(String.valueOf(e.getMessage())))
                    .append("</i>");
        }
        return html.append("</div>").toString();
    }

    /** The set's one-row-per-clip table under its description (a toy TalkingHead has its own). */
    static void trajectorySet(TrajectorySet set, MimeBundle bundle) {
        Table t = set.table();
        bundle.text(set.toString() + "\n" + Tables.toText(t));
        bundle.html("<div><b>" + Tables.escape(set.toString()) + "</b>" + Tables.toHtml(t) + "</div>");
    }

    private static void windows(Windows w, MimeBundle bundle) {
        bundle.text(w.toString());
        int[] per = w.perClip();
        StringBuilder html = new StringBuilder("<div><b>").append(Tables.escape(w.toString())).append("</b>")
                .append(Tables.openTable()).append("<thead><tr><th>clip</th><th>frames</th><th>windows</th></tr></thead><tbody>");
        for (int c = 0; c < per.length && c < 40; c++) {
            html.append("<tr><td>").append(c).append("</td><td>").append(w.source().clip(c).frames()).append("</td><td>")
                    .append(per[c]).append("</td></tr>");
        }
        bundle.html(html.append("</tbody></table></div>").toString());
    }
}

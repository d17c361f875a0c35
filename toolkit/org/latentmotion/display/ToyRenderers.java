package org.latentmotion.display;

import org.latentmotion.toy.FaceCodec;
import org.latentmotion.toy.FaceParameters;
import org.latentmotion.toy.MotionStatistics;
import org.latentmotion.toy.TalkingHead;

/** How the values of {@code toy} show themselves: the codec's parameter table, parameters over time, statistics, a talking head. */
final class ToyRenderers {
    private ToyRenderers() {
    }

    static void register() {
        Renderers.register(FaceCodec.class, (codec, bundle) -> {
            bundle.text(codec.toString());
            if (bundle.wants(MimeBundle.HTML)) {
                bundle.html(Tables.toHtml(codec.table()));
            }
        });
        Renderers.register(FaceParameters.class, ToyRenderers::faceParameters);
        Renderers.register(MotionStatistics.class, (stats, bundle) -> {
            bundle.text(stats.toString());
            if (bundle.wants(MimeBundle.HTML)) {
                bundle.html(Tables.toHtml(stats.table()));
            }
        });
        Renderers.register(TalkingHead.class, ToyRenderers::talkingHead);
    }

    private static void faceParameters(FaceParameters p, MimeBundle bundle) {
        bundle.text(p.toString());
        if (bundle.wants(MimeBundle.HTML)) {
            StringBuilder html = new StringBuilder("<div>");
            if (p.frames() > 1) {
                html.append(MimeBundle.imgTag(FaceCharts.stateImage(p), "max-width:100%"));
            }
            html.append(Tables.toHtml(p.summary())).append("</div>");
            bundle.html(html.toString());
        } else if (bundle.wants(MimeBundle.PNG) && p.frames() > 1) {
            bundle.png(FaceCharts.stateImage(p));
        }
    }

    /** Description, clip 0's ground truth over time, the motion statistics and one row per clip. */
    private static void talkingHead(TalkingHead head, MimeBundle bundle) {
        bundle.text(head.toString());
        if (bundle.wants(MimeBundle.HTML)) {
            FaceParameters first = head.groundTruth(0);
            StringBuilder html = new StringBuilder("<div><p><b>").append(Tables.escape(head.toString())).append("</b></p>");
            html.append("<p>ground truth of clip 0, first ")
                    .append(String.format("%.0f", Math.min(FaceCharts.SECONDS, first.durationSeconds())))
                    .append(" s:</p>");
            html.append(MimeBundle.imgTag(FaceCharts.stateImage(first), "max-width:100%"));
            html.append(Tables.toHtml(head.statistics().table()));
            html.append(Tables.toHtml(head.clipTable()));
            bundle.html(html.append("</div>").toString());
        }
    }
}

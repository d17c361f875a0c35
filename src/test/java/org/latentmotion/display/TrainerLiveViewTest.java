package org.latentmotion.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.latentmotion.motion.StyleVideoGan;
import org.latentmotion.motion.StyleVideoGanConfig;
import org.latentmotion.motion.LiveTrainingDisplay;
import org.latentmotion.motion.Trainer;
import org.latentmotion.motion.TrainingHistory;
import org.latentmotion.motion.linear.LinearMotionModel;
import org.latentmotion.motion.linear.LinearMotionModelTestData;
import org.latentmotion.toy.ToyWorld;

/**
 * The trainer shows itself through the progress package's Watcher, which display provides as a service
 * (motion does not import display):
 * in an interactive notebook a run shows a progress bar and two live plots and updates them; told
 * {@code live(false)}, or with no notebook attached, it shows nothing.
 */
class TrainerLiveViewTest {
    private final DisplaySink before = Notebook.sink();

    @AfterEach
    void restore() {
        Notebook.install(before);
    }

    private static TrainingHistory train(Boolean live) {
        var data = ToyWorld.talkingHead().actor(7).minutes(0.5).cuts(0).generate();
        var config = StyleVideoGanConfig.small().toBuilder().layers(18).batch(4).criticSteps(1).build();
        Trainer<StyleVideoGan> t = Trainer.of(StyleVideoGan.create(config), data.windows(config.windowLength())).maxSteps(3);
        if (live != null) {
            t.live(live);
        }
        return t.fit();
    }

    @Test
    void anInteractiveNotebookSeesTheRunLive() {
        RecordingSink sink = new RecordingSink(true);
        Notebook.install(sink);
        train(null);
        assertEquals(3, sink.count("display"), "a progress bar and two plots: " + sink.events);
        assertTrue(sink.count("update") >= 3, "updated as the run goes: " + sink.count("update"));
    }

    /** The charts follow the model's figures: StyleVideoGan's two, the linear model's one, drawing its own loss. */
    @Test
    void anotherModelIsShownWithItsOwnLoss() {
        RecordingSink sink = new RecordingSink(true);
        Notebook.install(sink);
        LinearMotionModel model = LinearMotionModel.create(LinearMotionModelTestData.config());
        LiveTrainingDisplay shown = new LiveTrainingDisplay("linear");
        TrainingHistory h = Trainer.of(model, LinearMotionModelTestData.data()).maxSteps(5).live(false).listener(shown).fit();
        assertEquals(2, sink.count("display"), "a progress bar and one plot: " + sink.events);
        assertEquals(java.util.List.of("Losses"), java.util.List.copyOf(shown.charts().keySet()));
        LivePlot plot = (LivePlot) shown.losses();
        assertEquals(java.util.List.of("prediction"), plot.seriesNames());
        org.junit.jupiter.api.Assertions.assertArrayEquals(h.column("prediction"), plot.y("prediction"), 0.0);
        String last = sink.events.stream().filter(e -> e.bundle().get(MimeBundle.TEXT) != null
                && e.bundle().get(MimeBundle.TEXT).startsWith("LivePlot")).reduce((a, b) -> b).orElseThrow().bundle().get(MimeBundle.TEXT);
        assertTrue(last.contains("prediction[5 pts"), last);
        var charts = TrainingCharts.charts(h);
        assertEquals(java.util.List.of("Losses"), java.util.List.copyOf(charts.keySet()));
        assertEquals(java.util.List.of("prediction"), java.util.List.copyOf(charts.get("Losses").getSeriesMap().keySet()));
    }

    /**
     * Issue 17: a cell ending in {@code fit()} showed each curve twice, live and again in the
     * returned history. The history shown right after its live run leaves the curves to the live
     * plots; shown again later, or after a run nobody watched, it draws them.
     */
    @Test
    void theHistoryAfterALiveRunDoesNotDrawItsCurvesAgain() {
        RecordingSink sink = new RecordingSink(true);
        Notebook.install(sink);
        TrainingHistory h = train(null);
        long livePlots = sink.events.stream().filter(e -> e.kind().equals("display") && e.bundle().has(MimeBundle.PNG)).count();
        assertEquals(2, livePlots, "the live plots: " + sink.events);
        String right = Notebook.render(h).get(MimeBundle.HTML);
        assertFalse(right.contains("<img"), "curves drawn a second time under the live plots");
        assertTrue(right.contains("the live plots above"), right.substring(0, Math.min(400, right.length())));
        assertTrue(Notebook.render(h).get(MimeBundle.HTML).contains("<img"), "displayed again later: the curves are drawn");

        RecordingSink batch = new RecordingSink(false);
        Notebook.install(batch);
        TrainingHistory unwatched = train(null);
        assertTrue(Notebook.render(unwatched).get(MimeBundle.HTML).contains("<img"), "a run nobody watched draws its curves");
    }

    @Test
    void noLiveViewWhenToldOrWithoutANotebook() {
        RecordingSink told = new RecordingSink(true);
        Notebook.install(told);
        train(false);
        assertEquals(0, told.events.size(), told.events.toString());
        RecordingSink batch = new RecordingSink(false);
        Notebook.install(batch);
        train(null);
        assertEquals(0, batch.events.size(), batch.events.toString());
    }
}

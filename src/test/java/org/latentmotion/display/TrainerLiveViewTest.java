package org.latentmotion.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.latentmotion.motion.StyleVideoGan;
import org.latentmotion.motion.StyleVideoGanConfig;
import org.latentmotion.motion.Trainer;
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

    private static void train(Boolean live) {
        var data = ToyWorld.talkingHead().actor(7).minutes(0.5).cuts(0).generate();
        var config = StyleVideoGanConfig.small().toBuilder().layers(18).batch(4).criticSteps(1).build();
        Trainer t = Trainer.of(StyleVideoGan.create(config), data.windows(config.windowLength())).maxSteps(3);
        if (live != null) {
            t.live(live);
        }
        t.fit();
    }

    @Test
    void anInteractiveNotebookSeesTheRunLive() {
        RecordingSink sink = new RecordingSink(true);
        Notebook.install(sink);
        train(null);
        assertEquals(3, sink.count("display"), "a progress bar and two plots: " + sink.events);
        assertTrue(sink.count("update") >= 3, "updated as the run goes: " + sink.count("update"));
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

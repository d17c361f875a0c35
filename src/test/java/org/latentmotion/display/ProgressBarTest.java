package org.latentmotion.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProgressBarTest {

    @Test
    void showsOnceThenUpdatesTheSameDisplayThrottled() {
        RecordingSink sink = new RecordingSink(true);
        FakeClock clock = new FakeClock();
        ProgressBar bar = new ProgressBar("epochs", 100, sink, clock);
        assertEquals(1, sink.count("display"));
        String id = sink.events.get(0).id();

        // 100 steps 10 ms apart = 1 s: at 200 ms minimum spacing that is at most 5 redraws.
        for (int i = 1; i <= 100; i++) {
            clock.advanceMillis(10);
            bar.step(i);
        }
        bar.finish();

        assertEquals(1, sink.count("display"), "a progress bar is one output, never a stream of new ones");
        long updates = sink.count("update");
        assertTrue(updates >= 4 && updates <= 6, "expected ~5 throttled redraws + final, found " + updates);
        assertTrue(sink.events.stream().skip(1).allMatch(e -> e.id().equals(id)), "all updates target the first id");

        MimeBundle last = sink.last().bundle();
        assertTrue(last.get(MimeBundle.HTML).contains("100/100 (100%)"), last.get(MimeBundle.HTML));
        assertTrue(last.get(MimeBundle.HTML).contains("width:100.0%"), last.get(MimeBundle.HTML));
        assertTrue(last.get(MimeBundle.TEXT).startsWith("epochs [####################] 100/100"), last.get(MimeBundle.TEXT));
    }

    @Test
    void rateAndTimeLeftFollowTheClock() {
        FakeClock clock = new FakeClock();
        ProgressBar bar = new ProgressBar("work", 40, new RecordingSink(true), clock);
        clock.advanceMillis(2_000);
        bar.step(10); // 10 steps in 2 s: 5/s, 30 left → 6 s
        assertEquals(5.0, bar.rate(), 1e-9);
        assertEquals(6.0, bar.etaSeconds(), 1e-9);
        assertTrue(bar.toString().contains("5.0/s"), bar.toString());
        assertTrue(bar.toString().contains("6s left"), bar.toString());
    }

    @Test
    void finishEarlySaysStoppedAndFinishIsIdempotent() {
        RecordingSink sink = new RecordingSink(true);
        FakeClock clock = new FakeClock();
        ProgressBar bar = new ProgressBar("train", 10, sink, clock);
        clock.advanceMillis(500);
        bar.step(3);
        bar.close();
        bar.close();
        assertEquals(3, sink.events.size(), "display, one redraw at 3, one final redraw; the second close adds nothing");
        assertTrue(sink.last().bundle().get(MimeBundle.TEXT).contains("stopped"));
    }

    @Test
    void unknownTotalShowsCountAndRate() {
        FakeClock clock = new FakeClock();
        ProgressBar bar = new ProgressBar("frames", 0, new RecordingSink(true), clock);
        clock.advanceMillis(1_000);
        bar.advance(7);
        assertTrue(Double.isNaN(bar.etaSeconds()));
        assertEquals("frames 7 · 7.0/s", bar.toString());
    }

    @Test
    void costsNothingWhenNobodyWatches() {
        RecordingSink sink = new RecordingSink(false);
        ProgressBar bar = new ProgressBar("x", 5, sink, new FakeClock());
        for (int i = 0; i <= 5; i++) {
            bar.step(i);
        }
        bar.finish();
        assertEquals(0, sink.events.size());
        assertEquals(5, bar.done());
    }

    @Test
    void rejectsNegativeCounts() {
        ProgressBar bar = new ProgressBar("x", 5, new RecordingSink(false), new FakeClock());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bar.step(-1));
        assertTrue(e.getMessage().contains("-1"));
    }

    @Test
    void durationsReadLikeAClock() {
        assertEquals("59s", ProgressBar.formatDuration(59));
        assertEquals("2:05", ProgressBar.formatDuration(125));
        assertEquals("1:00:01", ProgressBar.formatDuration(3601));
    }
}

package org.latentmotion.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class WatcherTest {

    @Test
    void nobodyCountsProgressAndDropsCharts() {
        assertFalse(Watcher.NOBODY.watching());
        try (Progress p = Watcher.NOBODY.progress("work", 10)) {
            p.step(3).advance(4);
            assertEquals(7, p.done());
            assertThrows(IllegalArgumentException.class, () -> p.step(-1));
        }
        LiveChart c = Watcher.NOBODY.chart("t", "x", "y");
        assertSame(c, c.add("s", 1, 2).refresh());
        c.finish();
    }
}

package org.latentmotion.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JobProgressRateTest {
    @Test
    void slowJobsReadPerMinuteOrPerHour() {
        assertEquals("308.00 frames/s", JobProgress.rate(308, "frames"));
        assertEquals("0.10 tasks/s", JobProgress.rate(0.1, "tasks"));
        // the looping sweep: 20 training runs in 3897 s
        assertEquals("0.31 runs/min", JobProgress.rate(20 / 3896.8, "runs"));
        assertEquals("0.36 runs/h", JobProgress.rate(1e-4, "runs"));
        assertEquals("0.00 tasks/s", JobProgress.rate(0, "tasks"));
    }
}

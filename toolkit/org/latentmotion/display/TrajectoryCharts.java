package org.latentmotion.display;

import org.knowm.xchart.XYChart;
import org.latentmotion.wplus.LayerGroups;
import org.latentmotion.wplus.Trajectory;

/**
 * Charts of W+ trajectories: how a clip moves over time.
 *
 * <pre>{@code
 * TrajectoryCharts.motion(clip)     // distance from the mean code per layer group, against time
 * }</pre>
 */
public final class TrajectoryCharts {
    private TrajectoryCharts() {
    }

    /**
     * Motion over time: for each layer group (coarse, middle, fine), the RMS over its layers of
     * each layer's distance from its mean code, against time in seconds.
     */
    public static XYChart motion(Trajectory trajectory) {
        String source = trajectory.source();
        XYChart chart = Charts.xy("Motion: distance from the mean code" + (source.isEmpty() ? "" : " — " + source),
                "time (s)", "L2 distance per layer");
        double[][] d = trajectory.distanceFromMean();
        double[] time = new double[trajectory.frames()];
        for (int i = 0; i < time.length; i++) {
            time[i] = i / trajectory.fps();
        }
        for (LayerGroups.Group g : LayerGroups.of(trajectory.layers())) {
            Charts.addLine(chart, g.name() + " (layers " + g.range() + ")", time, g.rms(d));
        }
        return chart;
    }
}

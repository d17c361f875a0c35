package org.latentmotion.display;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.latentmotion.toy.FaceParameters;

/**
 * Charts of toy-face parameters over time: head pose; mouth, eyes and brows; gaze.
 *
 * <pre>{@code
 * var truth = data.groundTruth(0);
 * var pose = FaceCharts.state(truth, 4, 8).get(0);   // the head-pose panel alone, as an XChart chart
 * FaceCharts.stateImage(truth, 4, 8)                  // the three panels between 4 s and 8 s, as one picture
 * }</pre>
 */
public final class FaceCharts {
    /** Seconds shown by {@link #stateImage(FaceParameters)} (long clips would hide the blinks). */
    public static final double SECONDS = 20;

    private static final String[][] PANELS = {
        {"yaw", "pitch", "roll"},
        {"mouthOpen", "eyeOpen", "browRaise", "smile"},
        {"gazeX", "gazeY"}};
    private static final String[] TITLES = {"head pose (rad)", "mouth, eyes, brows", "gaze"};
    private static final int PANEL_HEIGHT = 210;

    private FaceCharts() {
    }

    /**
     * The state parameters between two times in seconds, one chart per panel: head pose (rad);
     * mouth, eyes, brows; gaze.
     *
     * @throws IllegalArgumentException if the time range holds no frame
     */
    public static List<XYChart> state(FaceParameters parameters, double fromSeconds, double toSeconds) {
        double fps = parameters.fps();
        int from = Math.max(0, (int) Math.floor(fromSeconds * fps));
        int to = Math.min(parameters.frames(), (int) Math.ceil(toSeconds * fps));
        if (from >= to) {
            throw new IllegalArgumentException("plot: empty time range [" + fromSeconds + ", " + toSeconds + ") of a "
                    + String.format("%.3g", parameters.durationSeconds()) + " s sequence");
        }
        double[] time = Arrays.copyOfRange(parameters.seconds(), from, to);
        List<XYChart> charts = new ArrayList<>();
        for (int k = 0; k < PANELS.length; k++) {
            XYChart chart = Charts.xy(TITLES[k], k == PANELS.length - 1 ? "time (s)" : "", "", Charts.WIDTH, PANEL_HEIGHT);
            chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
            for (String n : PANELS[k]) {
                if (parameters.names().contains(n)) {
                    Charts.addLine(chart, n, time, Arrays.copyOfRange(parameters.get(n), from, to));
                }
            }
            charts.add(chart);
        }
        return charts;
    }

    /** The {@link #state} panels over the first {@link #SECONDS} seconds, stacked in one picture. */
    public static BufferedImage stateImage(FaceParameters parameters) {
        return stateImage(parameters, 0, Math.min(parameters.durationSeconds(), SECONDS));
    }

    /** The {@link #state} panels between two times in seconds, stacked in one picture. */
    public static BufferedImage stateImage(FaceParameters parameters, double fromSeconds, double toSeconds) {
        List<XYChart> charts = state(parameters, fromSeconds, toSeconds);
        BufferedImage img = new BufferedImage(Charts.WIDTH, PANEL_HEIGHT * charts.size(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        for (int k = 0; k < charts.size(); k++) {
            g.drawImage(Charts.toImage(charts.get(k)), 0, k * PANEL_HEIGHT, null);
        }
        g.dispose();
        return img;
    }
}

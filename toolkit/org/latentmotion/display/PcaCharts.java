package org.latentmotion.display;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.latentmotion.pca.LatentPca;
import org.latentmotion.wplus.Trajectory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Charts of a {@link LatentPca}: how much each component explains, and where a trajectory goes in
 * the plane of two components.
 *
 * <pre>{@code
 * var scree = PcaCharts.scree(pca);   // share of variance per component, and cumulative
 * PcaCharts.plane(pca, clip, 0, 1)     // the clip's path in components 0 and 1
 * }</pre>
 */
public final class PcaCharts {
    private PcaCharts() {
    }

    /** Share of the total variance per component and cumulative share (the scree plot). */
    public static XYChart scree(LatentPca pca) {
        int k = pca.k();
        XYChart chart = Charts.xy("PCA scree: " + k + " components of " + pca.mean().length() + " dims",
                "component", "share of total variance");
        double[] x = new double[k];
        double[] ratio = pca.explainedVarianceRatio();
        double[] cum = new double[k];
        double c = 0;
        for (int i = 0; i < k; i++) {
            x[i] = i;
            c += ratio[i];
            cum[i] = c;
        }
        XYSeries r = chart.addSeries("per component", x, ratio);
        r.setMarker(SeriesMarkers.CIRCLE);
        XYSeries s = chart.addSeries("cumulative", x, cum);
        s.setMarker(SeriesMarkers.NONE);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        return chart;
    }

    /**
     * The trajectory's path in the plane of components {@code a} and {@code b}, with its start and
     * end marked.
     *
     * @throws IndexOutOfBoundsException if a component is not one of the PCA's
     */
    public static XYChart plane(LatentPca pca, Trajectory trajectory, int a, int b) {
        double sigmaA = pca.sigma(a);
        double sigmaB = pca.sigma(b);
        INDArray z = pca.project(trajectory);
        double[] x = z.getColumn(a).castTo(DataType.DOUBLE).toDoubleVector();
        double[] y = z.getColumn(b).castTo(DataType.DOUBLE).toDoubleVector();
        XYChart chart = Charts.xy(trajectory.source() + " in PCA plane (" + a + ", " + b + ")",
                "component " + a + " (σ " + String.format("%.3g", sigmaA) + ")",
                "component " + b + " (σ " + String.format("%.3g", sigmaB) + ")", 520, 480);
        Charts.addLine(chart, "path", x, y);
        XYSeries start = chart.addSeries("start", new double[] {x[0]}, new double[] {y[0]});
        start.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        start.setMarker(SeriesMarkers.CIRCLE);
        XYSeries end = chart.addSeries("end", new double[] {x[x.length - 1]}, new double[] {y[y.length - 1]});
        end.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        end.setMarker(SeriesMarkers.DIAMOND);
        return chart;
    }
}

package org.latentmotion.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.latentmotion.display.MimeBundle;
import org.latentmotion.display.Renderers;
import org.latentmotion.toy.ToyWorld;
import org.latentmotion.toy.TalkingHead;

class DifferenceSpectrumTest {
    private static double[][] clip(double[]... series) {
        return series;
    }

    @Test
    void whiteNoiseHasTheAnalyticChangeSpectrum() {
        // x white with variance 1: differences have variance 2 and spectrum ∝ 1 − cos ω, so the share of
        // change power above f0 is (π − ω0 + sin ω0) / π with ω0 = 2π f0 / fps
        Random r = new Random(5);
        double[] x = new double[200_000];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextGaussian();
        }
        DifferenceSpectrum s = DifferenceSpectrum.ofSeries("noise").addSeries("white", 25, List.<double[][]>of(clip(x)));
        assertEquals(Math.sqrt(2), s.rmsChange("white", "noise"), 0.01);
        assertEquals(1.0, s.std("white", "noise"), 0.01);
        double w0 = 2 * Math.PI * DifferenceSpectrum.HIGH_HZ / 25;
        assertEquals((Math.PI - w0 + Math.sin(w0)) / Math.PI, s.highFrequencyShare("white", "noise"), 0.02);
    }

    @Test
    void aSinusoidsChangePowerPeaksAtItsFrequencyAndScalesWithIt() {
        double fps = 25;
        double[] slow = new double[5000];
        double[] fast = new double[5000];
        for (int i = 0; i < slow.length; i++) {
            slow[i] = Math.sin(2 * Math.PI * 0.5 * i / fps);
            fast[i] = Math.sin(2 * Math.PI * 5.0 * i / fps);
        }
        DifferenceSpectrum s = DifferenceSpectrum.ofSeries("a").addSeries("slow", fps, List.<double[][]>of(clip(slow)))
                .addSeries("fast", fps, List.<double[][]>of(clip(fast)));
        double[] f = s.frequencies();
        double[] p = s.power("fast", "a");
        int peak = 0;
        for (int k = 1; k < p.length; k++) {
            if (p[k] > p[peak]) {
                peak = k;
            }
        }
        assertEquals(5.0, f[peak], fps / DifferenceSpectrum.WINDOW);
        // same amplitude, 10× the frequency: RMS change 2 sin(πf/fps)/√2 per frame, ratio ≈ 9.4
        double expected = Math.sin(Math.PI * 5 / fps) / Math.sin(Math.PI * 0.5 / fps);
        assertEquals(expected, s.rmsChange("fast", "a") / s.rmsChange("slow", "a"), 0.01 * expected);
        assertTrue(s.highFrequencyShare("fast", "a") > 0.95 && s.highFrequencyShare("slow", "a") < 0.05);
        assertEquals(expected, s.table().doubleColumn("change / reference").get(1), 0.01 * expected);
    }

    @Test
    void readsToyFaceParametersFromCodesLikeTheGroundTruth() {
        TalkingHead data = ToyWorld.talkingHead().actor(3).minutes(0.5).jitter(0).generate();
        DifferenceSpectrum s = DifferenceSpectrum.ofParameters("yaw", "mouthOpen")
                .addParameters("truth", data.groundTruth())
                .add("decoded", data.clips());
        for (String name : s.series()) {
            assertEquals(s.rmsChange("truth", name), s.rmsChange("decoded", name), 1e-4 * s.rmsChange("truth", name), name);
        }
        MimeBundle b = Renderers.render(s);
        assertTrue(b.get(MimeBundle.HTML).contains("<img") && b.get(MimeBundle.HTML).contains("mouthOpen"));
    }

    @Test
    void badInputNamesWhatWasExpected() {
        assertThrows(IllegalArgumentException.class, () -> DifferenceSpectrum.ofParameters("nose"));
        var s = DifferenceSpectrum.ofSeries("a", "b");
        var e = assertThrows(IllegalArgumentException.class, () -> s.addSeries("x", 25, List.<double[][]>of(clip(new double[100]))));
        assertTrue(e.getMessage().contains("expected 2 series"), e.getMessage());
        var short_ = assertThrows(IllegalArgumentException.class,
                () -> s.addSeries("x", 25, List.<double[][]>of(clip(new double[10], new double[10]))));
        assertTrue(short_.getMessage().contains("65 frames"), short_.getMessage());
    }
}

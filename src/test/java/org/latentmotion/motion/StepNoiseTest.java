package org.latentmotion.motion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The generator's step noise: white as the paper draws it; smooth channels with the correlation their width implies. */
class StepNoiseTest {

    @Test
    void whiteNoiseIsThePlainGaussianStream() {
        INDArray n = new StepNoise(4, 0).draw(new Random(5), 3, 7, DataType.DOUBLE);
        Random r = new Random(5);
        assertEquals(3, n.size(0));
        assertEquals(28, n.size(1));
        for (int row = 0; row < 3; row++) {
            for (int col = 0; col < 28; col++) {
                assertEquals(r.nextGaussian(), n.getDouble(row, col), 0.0);
            }
        }
    }

    /**
     * White noise convolved with a Gaussian of width σ has unit variance at every step (also the
     * first: no warm-up) and lag-k correlation exp(−k²/(4σ²)); checked per channel over many sequences.
     */
    @Test
    void smoothChannelsAreStationaryWithTheirWidthsCorrelation() {
        int latent = 8;
        StepNoise noise = new StepNoise(latent, 12);
        double[] widths = noise.widths();
        assertEquals(0, widths[0], 0.0);
        assertEquals(0, widths[1], 0.0);
        assertEquals(1, widths[2], 1e-12);
        assertEquals(12, widths[latent - 1], 1e-12);
        int rows = 4000;
        int steps = 6;
        INDArray n = noise.draw(new Random(1), rows, steps, DataType.DOUBLE);
        for (int j = 0; j < latent; j++) {
            for (int k : new int[] {0, steps - 1}) {
                double var = moment(n, latent, j, k, k);
                assertEquals(1, var, 0.08, "channel " + j + " step " + k + " variance");
            }
            for (int lag : new int[] {1, 3}) {
                double expected = widths[j] == 0 ? 0 : Math.exp(-lag * lag / (4 * widths[j] * widths[j]));
                double found = moment(n, latent, j, 0, lag);
                assertEquals(expected, found, 0.06, "channel " + j + " width " + widths[j] + " lag " + lag);
            }
        }
        // a white channel and a smooth one are independent
        double cross = 0;
        for (int r = 0; r < rows; r++) {
            cross += n.getDouble(r, 0) * n.getDouble(r, latent - 1);
        }
        assertEquals(0, cross / rows, 0.06);
    }

    private static double moment(INDArray n, int latent, int channel, int a, int b) {
        double sum = 0;
        for (int r = 0; r < n.size(0); r++) {
            sum += n.getDouble(r, (long) a * latent + channel) * n.getDouble(r, (long) b * latent + channel);
        }
        return sum / n.size(0);
    }

    @Test
    void widthsBelowOneFrameAreRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> new StepNoise(8, 0.5));
        assertTrue(e.getMessage().contains("0.5"), e.getMessage());
        var c = assertThrows(IllegalArgumentException.class,
                () -> StyleVideoGanConfig.small().toBuilder().noiseSmoothing(-1).build());
        assertTrue(c.getMessage().contains("noiseSmoothing"), c.getMessage());
    }
}

package org.latentmotion.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ActivationsTest {
    @Test
    void tanhAgreesWithMathTanhToRoundingInAbsoluteTerms() {
        SplittableRandom r = new SplittableRandom(5);
        double worst = 0;
        for (int i = 0; i < 200_000; i++) {
            double x = i % 2 == 0 ? r.nextDouble(-20, 20) : r.nextGaussian() * Math.pow(10, r.nextInt(-12, 2));
            worst = Math.max(worst, Math.abs(Activations.tanh(x) - Math.tanh(x)));
        }
        assertTrue(worst <= 4e-16, "largest |difference| " + worst);
        assertEquals(1.0, Activations.tanh(Double.POSITIVE_INFINITY));
        assertEquals(-1.0, Activations.tanh(Double.NEGATIVE_INFINITY));
        assertEquals(1.0, Activations.tanh(800));
        assertEquals(0.0, Activations.tanh(0.0));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(Activations.tanh(-0.0)));
        assertTrue(Double.isNaN(Activations.tanh(Double.NaN)));
        assertEquals(-Activations.tanh(0.3), Activations.tanh(-0.3));
    }

    @Test
    void sigmoidIsTheLogisticFunction() {
        assertEquals(0.5, Activations.sigmoid(0));
        assertEquals(1 / (1 + Math.exp(-2.5)), Activations.sigmoid(2.5));
        assertEquals(0.0, Activations.sigmoid(-1000));
        assertEquals(1.0, Activations.sigmoid(1000));
    }
}

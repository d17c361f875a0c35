package org.latentmotion.motion.styleinv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.latentmotion.nn.Autograd;
import org.latentmotion.nn.Var;
import org.latentmotion.wplus.Trajectory;
import org.latentmotion.wplus.TrajectorySet;
import org.latentmotion.wplus.Windows;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * What StyleInV promises by construction: frame 0 is the given code to the last bit (for trained
 * and untrained weights), the positional encoding's style at t = 0 does not depend on the motion
 * noise, the untrained model is the identity inversion (every frame is the first), samples of any
 * length, the config's text form, and clear errors for bad input.
 */
class StyleInVTest {

    static Windows waves(StyleInVConfig c) {
        Random r = new Random(4);
        int f = c.layers() * c.width();
        Trajectory[] clips = new Trajectory[2];
        for (int k = 0; k < 2; k++) {
            int frames = 30 + 7 * k;
            float[] v = new float[frames * f];
            for (int t = 0; t < frames; t++) {
                for (int j = 0; j < f; j++) {
                    v[t * f + j] = (float) (Math.sin(0.3 * t + j) + 0.05 * r.nextGaussian());
                }
            }
            clips[k] = Trajectory.of(v, frames, c.layers(), c.width(), 25, "waves " + k);
        }
        return TrajectorySet.of("styleinv waves", clips).windows(c.windowLength());
    }

    private static double[] values(INDArray a) {
        return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    @Test
    void frameZeroIsTheGivenCodeExactlyAndLaterFramesMove() {
        StyleInVConfig c = StyleInVGradientTest.tiny64();
        StyleInV model = StyleInVGradientTest.model(c).prepare(waves(c));
        INDArray code = StyleInVGradientTest.gaussian(9, c.layers(), c.width()).castTo(DataType.FLOAT);
        Trajectory clip = model.animateFrames(code, 40, 2);
        assertEquals(40, clip.frames());
        INDArray frames = clip.codes();
        assertArrayEquals(values(code), values(frames.get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.all())),
                0.0, "frame 0 is the code, bit for bit");
        double moved = frames.get(NDArrayIndex.point(30), NDArrayIndex.all(), NDArrayIndex.all()).castTo(DataType.DOUBLE)
                .sub(code.castTo(DataType.DOUBLE)).norm2Number().doubleValue();
        assertTrue(moved > 1e-3, "frame 30 moves away from the code: " + moved);
        // also in whitened coordinates, before the basis maps back: row 0 of every generated clip is x₀
        INDArray x0 = StyleInVGradientTest.gaussian(6, c.batch(), c.components());
        MotionDraw d = StyleInVGradientTest.draw(c, 7);
        INDArray x = Autograd.noGrad(() -> model.generate(Var.constant(x0), d)).value();
        assertArrayEquals(values(x0), values(x.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all())), 0.0);
    }

    @Test
    void theStyleAtTimeZeroDoesNotDependOnTheMotionNoise() {
        StyleInVConfig c = StyleInVGradientTest.tiny64();
        StyleInV model = StyleInVGradientTest.model(c);
        TemporalStyle style = model.style();
        INDArray x0 = StyleInVGradientTest.gaussian(6, 1, c.components());
        MotionDraw a = MotionDraw.consecutive(new Random(1), 10, c, DataType.DOUBLE);
        MotionDraw b = MotionDraw.consecutive(new Random(2), 10, c, DataType.DOUBLE);
        INDArray sa = Autograd.noGrad(() -> style.forward(Var.constant(x0), a)).value();
        INDArray sb = Autograd.noGrad(() -> style.forward(Var.constant(x0), b)).value();
        assertArrayEquals(values(sa.getRow(0)), values(sb.getRow(0)), 0.0, "s_0 is the same for any motion noise");
        assertTrue(sa.getRow(5).sub(sb.getRow(5)).norm2Number().doubleValue() > 1e-6, "s_5 depends on the motion noise");
    }

    @Test
    void theUntrainedModelIsTheIdentityInversion() {
        StyleInVConfig c = StyleInVGradientTest.tiny64();
        StyleInV model = StyleInV.create(c).prepare(waves(c));
        INDArray code = StyleInVGradientTest.gaussian(9, c.layers(), c.width()).castTo(DataType.FLOAT);
        INDArray frames = model.animateFrames(code, 12, 3).codes();
        for (int t = 0; t < 12; t++) {
            assertArrayEquals(values(code), values(frames.get(NDArrayIndex.point(t), NDArrayIndex.all(), NDArrayIndex.all())),
                    1e-6, "frame " + t);
        }
    }

    @Test
    void samplesOfAnyLengthAndSeconds() {
        StyleInVConfig c = StyleInVGradientTest.tiny64();
        StyleInV model = StyleInVGradientTest.model(c).prepare(waves(c));
        assertEquals(1, model.sample(1, 3).frames());
        Trajectory longOne = model.sample(1500, 3);
        assertEquals(1500, longOne.frames());
        assertTrue(Double.isFinite(longOne.codes().sumNumber().doubleValue()));
        assertArrayEquals(values(longOne.codes()), values(model.sample(1500, 3).codes()), 0.0, "same seed, same sample");
        INDArray code = StyleInVGradientTest.gaussian(9, c.layers() * c.width()).castTo(DataType.FLOAT);
        assertEquals(50, model.animate(code, 2.0, 1).frames(), "2 s at 25 fps");
        assertEquals(c.fps(), model.animate(code, 2.0, 1).fps());
    }

    @Test
    void configSurvivesItsTextForm() {
        StyleInVConfig c = StyleInVConfig.laptop().toBuilder().seed(17).r1Gamma(0.5).build();
        assertEquals(c, StyleInVConfig.parse(c.toProperties()));
        assertEquals(StyleInVConfig.paper(), StyleInVConfig.parse(StyleInVConfig.paper().toProperties()));
    }

    @Test
    void badInputGetsClearErrors() {
        StyleInVConfig c = StyleInVGradientTest.tiny64();
        StyleInV fresh = StyleInV.create(c);
        IllegalStateException unprepared = assertThrows(IllegalStateException.class, () -> fresh.sample(5, 1));
        assertTrue(unprepared.getMessage().contains("prepare"), unprepared.getMessage());
        StyleInV model = fresh.prepare(waves(c));
        IllegalArgumentException layers = assertThrows(IllegalArgumentException.class,
                () -> model.animate(Nd4j.zeros(DataType.FLOAT, c.layers() + 1, c.width()), 1.0, 1));
        assertTrue(layers.getMessage().contains("[2, 4]") && layers.getMessage().contains("[3, 4]"), layers.getMessage());
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> model.animate(Nd4j.zeros(DataType.FLOAT, 7), 1.0, 1));
        assertTrue(shape.getMessage().contains("expected a first frame's W+ code"), shape.getMessage());
        assertThrows(IllegalArgumentException.class, () -> model.animate(Nd4j.zeros(DataType.FLOAT, c.layers(), c.width()),
                -1, 1));
        assertThrows(IllegalArgumentException.class, () -> model.sample(0, 1));
        INDArray nan = Nd4j.zeros(DataType.FLOAT, c.layers(), c.width()).putScalar(0, Double.NaN);
        assertThrows(IllegalArgumentException.class, () -> model.animate(nan, 1.0, 1));
        IllegalArgumentException wrongWidth = assertThrows(IllegalArgumentException.class,
                () -> StyleInV.create(c.toBuilder().width(5).build()).prepare(waves(c)));
        assertTrue(wrongWidth.getMessage().contains("2 × 5") && wrongWidth.getMessage().contains("2 × 4"),
                wrongWidth.getMessage());
        IllegalArgumentException wrongLength = assertThrows(IllegalArgumentException.class,
                () -> StyleInV.create(c.toBuilder().windowLength(10).build()).prepare(waves(c)));
        assertTrue(wrongLength.getMessage().contains("10 frames"), wrongLength.getMessage());
        IllegalArgumentException span = assertThrows(IllegalArgumentException.class,
                () -> c.toBuilder().maxSpan(9).build());
        assertTrue(span.getMessage().contains("maxSpan"), span.getMessage());
    }
}

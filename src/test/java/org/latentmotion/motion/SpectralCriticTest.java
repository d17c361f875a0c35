package org.latentmotion.motion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The two training options of issue 13's last experiments, {@code spectralCritic} and
 * {@code decaySteps} (ours, not the paper's): settings, files written before them, a spectral
 * model that saves and resumes exactly, and a decayed learning rate that really shrinks the step.
 * Their gradients are checked in {@link StyleVideoGanGradientTest}.
 */
class SpectralCriticTest {

    static StyleVideoGanConfig spectral() {
        return StyleVideoGanTest.tinyMotionSpace().toBuilder().criticDifferences(true).spectralCritic(true).build();
    }

    @Test
    void settingsRoundTripAndOlderFilesReadWithoutThem() {
        StyleVideoGanConfig c = StyleVideoGanConfig.laptop().toBuilder().spectralCritic(true).decaySteps(2500).whiteNoise(0).build();
        assertEquals(c, StyleVideoGanConfig.parse(c.toProperties()));
        assertTrue(c.toString().contains("spectral critic head") && c.toString().contains("decay over 2500"), c.toString());
        assertEquals(0, c.whiteNoiseChannels());
        assertEquals(8, StyleVideoGanConfig.small().toBuilder().noiseSmoothing(25).build().whiteNoiseChannels(),
                "a quarter of 32 by default, as before the setting");
        assertEquals(0, StyleVideoGanConfig.laptop().whiteNoiseChannels(), "laptop(): every noise channel smooth");
        assertTrue(StyleVideoGanConfig.laptop().spectralCritic(), "laptop() has the spectral head");
        String before = c.toProperties().lines().filter(l -> !l.startsWith("spectralCritic=") && !l.startsWith("decaySteps=")
                && !l.startsWith("whiteNoise=")).collect(Collectors.joining("\n"));
        StyleVideoGanConfig old = StyleVideoGanConfig.parse(before);
        assertEquals(c.toBuilder().spectralCritic(false).decaySteps(0).whiteNoise(0.25).build(), old,
                "a file from before these settings");
        assertTrue(!StyleVideoGanConfig.paper().spectralCritic() && StyleVideoGanConfig.paper().decaySteps() == 0,
                "the paper's preset has neither");
    }

    @Test
    void badSettingsAreRefusedWithTheirNames() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> StyleVideoGanTest.tiny().toBuilder().spectralCritic(true).build());
        assertTrue(e.getMessage().contains("spectralCritic") && e.getMessage().contains("motionComponents"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> StyleVideoGanConfig.small().toBuilder().decaySteps(-1).build());
        assertTrue(e.getMessage().contains("decaySteps") && e.getMessage().contains("-1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> StyleVideoGanConfig.small().toBuilder().whiteNoise(1).build());
        assertTrue(e.getMessage().contains("whiteNoise") && e.getMessage().contains("1.0"), e.getMessage());
    }

    @Test
    void theSpectralHeadAddsItsWeightsToTheCriticOnly() {
        StyleVideoGan plain = StyleVideoGan.create(StyleVideoGanTest.tinyMotionSpace().toBuilder().criticDifferences(true).build());
        StyleVideoGan withHead = StyleVideoGan.create(spectral());
        Map<String, INDArray> a = plain.parameters();
        Map<String, INDArray> b = withHead.parameters();
        int bins = spectral().windowLength() / 2;
        int w = spectral().criticWidth();
        long head = (long) spectral().features() * bins * w + w + (long) w * w + w + w + 1;
        assertEquals(plain.criticParameterCount() + head, withHead.criticParameterCount());
        assertEquals(plain.generatorParameterCount(), withHead.generatorParameterCount());
        for (var entry : a.entrySet()) {
            // created after every other weight: the rest of the model starts exactly as without the head
            assertEquals(entry.getValue(), b.get(entry.getKey()), entry.getKey());
        }
        assertEquals(java.util.List.of(spectral().features() * (long) bins, (long) w),
                java.util.Arrays.stream(b.get("critic.spectral.fc0.weight").shape()).boxed().toList());
    }

    @Test
    void aSpectralModelTrainsSavesAndResumesExactly(@TempDir Path dir) {
        StyleVideoGanConfig c = spectral().toBuilder().float64(true).decaySteps(5).build();
        StyleVideoGan a = StyleVideoGan.create(c);
        INDArray real = StyleVideoGanTest.windows(c, 4, 1);
        for (int k = 0; k < 3; k++) {
            a.criticStep(real, 10 + k);
            a.generatorStep(20 + k);
        }
        a.save(dir.resolve("a.npz"));
        StyleVideoGan b = StyleVideoGan.load(dir.resolve("a.npz"));
        assertEquals(c, b.config());
        for (int k = 3; k < 7; k++) {
            double critic = a.criticStep(real, 10 + k).criticLoss();
            assertEquals(critic, b.criticStep(real, 10 + k).criticLoss(), 1e-9 * Math.abs(critic));
            double generator = a.generatorStep(20 + k).generatorLoss();
            assertEquals(generator, b.generatorStep(20 + k).generatorLoss(), 1e-9 * Math.abs(generator));
        }
        double[] scores = a.criticScores(real);
        assertTrue(java.util.Arrays.stream(scores).allMatch(Double::isFinite), java.util.Arrays.toString(scores));
    }

    @Test
    void theLearningRateFallsLinearlyToItsFloorAndTheStepsShrinkWithIt() {
        StyleVideoGanConfig c = StyleVideoGanConfig.small().toBuilder().decaySteps(100).build();
        assertEquals(1.0, c.learningRateFactor(0));
        assertEquals(0.55, c.learningRateFactor(50), 1e-12);
        assertEquals(StyleVideoGanConfig.DECAY_FLOOR, c.learningRateFactor(100), 1e-12);
        assertEquals(StyleVideoGanConfig.DECAY_FLOOR, c.learningRateFactor(10_000), 1e-12);
        assertEquals(1.0, StyleVideoGanConfig.small().learningRateFactor(10_000));

        // after one generator step the decayed model's critic moves a tenth as far as the constant one's from the same state
        StyleVideoGanConfig base = StyleVideoGanTest.tiny().toBuilder().float64(true).build();
        StyleVideoGan constant = StyleVideoGan.create(base);
        StyleVideoGan decayed = StyleVideoGan.create(base.toBuilder().decaySteps(1).build());
        INDArray real = StyleVideoGanTest.windows(base, 4, 1);
        for (StyleVideoGan g : java.util.List.of(constant, decayed)) {
            g.criticStep(real, 1);
            g.generatorStep(2);
        }
        INDArray before = constant.parameters().get("critic.fc0.weight");
        assertEquals(before, decayed.parameters().get("critic.fc0.weight"), "the first step is taken at the full rate");
        constant.criticStep(real, 3);
        decayed.criticStep(real, 3);
        double full = constant.parameters().get("critic.fc0.weight").sub(before).norm2Number().doubleValue();
        double small = decayed.parameters().get("critic.fc0.weight").sub(before).norm2Number().doubleValue();
        assertTrue(full > 0, "the critic moved");
        assertEquals(StyleVideoGanConfig.DECAY_FLOOR, small / full, 1e-6);
    }
}

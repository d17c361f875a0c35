package org.latentmotion.motion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The recipe settings issue 13's experiments give by name: each reaches its config property; bad ones are named. */
class RecipeFlagsTest {
    @Test
    void eachNameSetsItsPropertyAndTheOthersStayLaptops() {
        StyleVideoGanConfig.Builder b = StyleVideoGanConfig.laptop().toBuilder();
        RecipeFlags.apply(b, "batch", "32");
        RecipeFlags.apply(b, "white", "0.25");
        RecipeFlags.apply(b, "spectral", "false");
        RecipeFlags.apply(b, "span", "50");
        RecipeFlags.apply(b, "spanPoints", " 50 ");
        StyleVideoGanConfig c = b.build();
        StyleVideoGanConfig laptop = StyleVideoGanConfig.laptop();
        assertEquals(32, c.batch());
        assertEquals(0.25, c.whiteNoise());
        assertFalse(c.spectralCritic());
        assertEquals(50, c.spanFrames());
        assertEquals(50, c.spanPoints());
        assertEquals(laptop.windowLength(), c.windowLength());
        assertEquals(laptop.lambdaGp(), c.lambdaGp());
        assertEquals(14, RecipeFlags.names().size());
        assertEquals("spectral", RecipeFlags.names().iterator().next());
    }

    @Test
    void anUnknownNameOrABadValueIsNamed() {
        StyleVideoGanConfig.Builder b = StyleVideoGanConfig.laptop().toBuilder();
        var unknown = assertThrows(IllegalArgumentException.class, () -> RecipeFlags.apply(b, "batchSize", "32"));
        assertTrue(unknown.getMessage().contains("'batchSize'") && unknown.getMessage().contains("batch"),
                unknown.getMessage());
        var number = assertThrows(IllegalArgumentException.class, () -> RecipeFlags.apply(b, "batch", "32.5"));
        assertTrue(number.getMessage().contains("batch") && number.getMessage().contains("'32.5'"), number.getMessage());
        var bool = assertThrows(IllegalArgumentException.class, () -> RecipeFlags.apply(b, "spectral", "yes"));
        assertTrue(bool.getMessage().contains("true or false") && bool.getMessage().contains("'yes'"), bool.getMessage());
        assertEquals(StyleVideoGanConfig.laptop(), b.build()); // nothing applied by a refused setting
    }
}

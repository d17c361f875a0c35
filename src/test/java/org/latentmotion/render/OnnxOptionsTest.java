package org.latentmotion.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** OnnxOptions' builder idiom, and the deprecated SynthesizerOptions alias old notebooks use. */
class OnnxOptionsTest {
    @Test
    void defaultsAreStatedOnceAndVariantsLeaveTheOriginalAlone() {
        OnnxOptions d = OnnxOptions.defaults();
        assertEquals(Device.AUTO, d.device());
        assertEquals(Runtime.getRuntime().availableProcessors(), d.threads());
        assertTrue(d.batchIsAutomatic());
        assertNull(d.range());
        OnnxOptions.Builder b = d.toBuilder();
        OnnxOptions cpu = b.device(Device.CPU).threads(1).batch(3).range(ValueRange.ZERO_TO_ONE).build();
        b.threads(7); // a builder changed after build() does not change what it built
        assertEquals(1, cpu.threads());
        assertEquals(3, cpu.batchFor(1024, 1024));
        assertEquals(Device.AUTO, d.device(), "toBuilder copies");
        assertEquals(8, d.batchFor(64, 64));
        assertEquals(1, d.batchFor(256, 256));
        assertEquals("OnnxOptions[device=CPU, threads=1, batch=3, range=" + ValueRange.ZERO_TO_ONE + "]", cpu.toString());
        assertThrows(IllegalArgumentException.class, () -> OnnxOptions.builder().threads(0));
    }

    @Test
    @SuppressWarnings("deprecation")
    void theOldNameStillCompilesAndMeansTheSame() {
        SynthesizerOptions old = SynthesizerOptions.builder().device(Device.CPU).threads(2).batch(4).build();
        OnnxOptions asNew = old;
        SynthesizerOptions variant = old.toBuilder().threads(3).build();
        assertNotSame(old, variant);
        assertEquals(2, asNew.threads());
        assertEquals(3, variant.threads());
        assertEquals(4, variant.batch());
        assertTrue(SynthesizerOptions.defaults().batchIsAutomatic());
        assertTrue(old.toString().startsWith("SynthesizerOptions[device=CPU, threads=2, batch=4"), old.toString());
    }
}

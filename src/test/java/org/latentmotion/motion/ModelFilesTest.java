package org.latentmotion.motion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentmotion.motion.mocogan.MoCoGanHd;
import org.latentmotion.motion.mocogan.MoCoGanHdConfig;
import org.latentmotion.motion.stylefacev.StyleFaceV;
import org.latentmotion.motion.styleinv.StyleInV;
import org.latentmotion.motion.styleinv.StyleInVConfig;
import org.latentmotion.wplus.Npz;
import org.nd4j.linalg.factory.Nd4j;

/** A model's load refuses a file of another kind, naming the type it expected and what the file holds. */
class ModelFilesTest {
    @TempDir
    Path dir;

    @Test
    void aFileWithoutAConfigIsRefusedWithWhatItHolds() {
        Path file = dir.resolve("weights.npz");
        Npz.write(file, Map.of("weights", Nd4j.ones(3)));
        var e = assertThrows(IllegalArgumentException.class, () -> StyleInV.load(file));
        assertTrue(e.getMessage().contains("is not a StyleInV file: no meta.config entry (found [weights])"), e.getMessage());
        var f = assertThrows(IllegalArgumentException.class, () -> StyleFaceV.load(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(f.getMessage().contains("is not a StyleFaceV file: no meta.config or meta.keypoints entry"), f.getMessage());
    }

    @Test
    void anotherModelsFileIsRefusedBeforeAnyWeightIsRead() {
        Path file = dir.resolve("moco.npz");
        MoCoGanHd.create(MoCoGanHdConfig.laptop()).save(file);
        var e = assertThrows(IllegalArgumentException.class, () -> StyleFaceV.load(file));
        assertTrue(e.getMessage().contains("no meta.config or meta.keypoints entry"), e.getMessage());
        var g = assertThrows(IllegalArgumentException.class, () -> StyleVideoGan.load(file));
        assertTrue(g.getMessage().contains(file.toString()), g.getMessage());
    }

    @Test
    void aSnapshotMustBeTheSameTypeWithTheSameConfig() {
        StyleInV model = StyleInV.create(StyleInVConfig.laptop());
        var wrongType = assertThrows(IllegalArgumentException.class,
                () -> model.restore(MoCoGanHd.create(MoCoGanHdConfig.laptop())));
        assertEquals("restore: expected a StyleInV copy, found " + MoCoGanHd.class.getName(), wrongType.getMessage());
        var wrongConfig = assertThrows(IllegalArgumentException.class,
                () -> model.restore(StyleInV.create(StyleInVConfig.laptop().toBuilder().seed(99).build())));
        assertTrue(wrongConfig.getMessage().startsWith("restore: expected a model with this config"), wrongConfig.getMessage());
        assertThrows(IllegalArgumentException.class, () -> model.restore(null));
    }
}

package org.latentmotion.wplus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.latentmotion.display.MimeBundle;
import org.latentmotion.display.Renderers;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

class TrajectorySetTest {

    /** Clips whose code at frame f of clip c, every element, is c * 1000 + f: a frame knows where it came from. */
    static TrajectorySet labelled(int... lengths) {
        Trajectory[] clips = new Trajectory[lengths.length];
        for (int c = 0; c < lengths.length; c++) {
            float[] v = new float[lengths[c] * 2 * 3];
            for (int i = 0; i < v.length; i++) {
                v[i] = c * 1000 + i / 6;
            }
            clips[c] = Trajectory.of(v, lengths[c], 2, 3, 25, "clip" + c);
        }
        return TrajectorySet.of("labelled", clips);
    }

    static float label(Trajectory t, int frame) {
        return t.codes().getFloat(frame, 0, 0);
    }

    @Test
    void windowsNeverCrossAClipAndHonourTheStride() {
        TrajectorySet set = labelled(10, 3, 7);
        Windows w = set.windows(4, 2);
        // clip 0: starts 0,2,4,6; clip 1: none; clip 2: starts 0,2
        assertEquals(6, w.size());
        for (int i = 0; i < w.size(); i++) {
            Trajectory win = w.get(i);
            float first = label(win, 0);
            for (int f = 1; f < 4; f++) {
                assertEquals(first + f, label(win, f), "window " + i + " is consecutive frames of one clip");
            }
            assertEquals(0, ((int) first % 1000) % 2, "starts on the stride");
        }
        assertEquals(set.windows(4).size(), 7 + 4);
        INDArray batch = w.batch(new int[] {5, 0});
        assertArrayEquals(new long[] {2, 4, 2, 3}, batch.shape());
        assertEquals(w.get(5).codes(), batch.get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.all()));
        assertThrows(IllegalArgumentException.class, () -> set.windows(11));
        assertArrayEquals(new int[] {4, 0, 2}, w.perClip());
        assertTrue(Renderers.render(w).get(MimeBundle.HTML).contains("<td>2</td><td>7</td><td>2</td>"));
    }

    @Test
    void shufflingIsASeededPermutation() {
        Windows w = labelled(40, 30).windows(5);
        int[] a = w.order(7);
        assertArrayEquals(a, w.order(7));
        assertNotEquals(Arrays.toString(a), Arrays.toString(w.order(8)));
        int[] sorted = a.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            assertEquals(i, sorted[i]);
        }
    }

    @Test
    void splitByTimeKeepsTrainAndTestFramesApart() {
        TrajectorySet set = labelled(10, 6, 8); // 24 frames, cut at 18: inside clip 2 after 2 frames
        TrajectorySet.Split split = set.split(0.75);
        assertEquals(18, split.train().totalFrames());
        assertEquals(6, split.test().totalFrames());
        assertEquals(3, split.train().size());
        assertEquals(1, split.test().size());
        Set<Float> trainFrames = new HashSet<>();
        for (Trajectory c : split.train()) {
            for (int f = 0; f < c.frames(); f++) {
                trainFrames.add(label(c, f));
            }
        }
        for (Trajectory c : split.test()) {
            for (int f = 0; f < c.frames(); f++) {
                assertTrue(!trainFrames.contains(label(c, f)), "frame in both parts");
            }
        }
        // windows of the test part start after the cut
        Windows tw = split.test().windows(3);
        for (int i = 0; i < tw.size(); i++) {
            assertTrue(label(tw.get(i), 0) >= 2002);
        }
        assertThrows(IllegalArgumentException.class, () -> set.split(1.0));
        assertThrows(IllegalArgumentException.class, () -> set.split(0.01));
        assertTrue(split.toString().contains("train 18 frames"));
    }

    @Test
    void aSetShowsItsClipsAsATable() {
        TrajectorySet set = labelled(10, 6);
        assertEquals(2, set.table().rowCount());
        assertEquals("clip1", set.table().stringColumn("source").get(1));
        MimeBundle b = Renderers.render(set);
        assertTrue(b.get(MimeBundle.HTML).contains("clip1"));
        assertTrue(b.get(MimeBundle.TEXT).contains("2 clips"));
    }
}

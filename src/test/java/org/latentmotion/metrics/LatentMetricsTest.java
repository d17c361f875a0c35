package org.latentmotion.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.latentmotion.display.Renderers;
import org.latentmotion.toy.TalkingHead;
import org.latentmotion.toy.FaceCodec;
import org.latentmotion.toy.ToyWorld;
import org.latentmotion.wplus.Trajectory;
import org.latentmotion.wplus.TrajectorySet;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Latent Fréchet, identity consistency and motion statistics on the default world, against known truths. */
class LatentMetricsTest {
    static TalkingHead real;
    static TalkingHead other;

    @BeforeAll
    static void world() {
        real = ToyWorld.talkingHead().actor(7).seed(1).seconds(64).cuts(1).generate();
        other = ToyWorld.talkingHead().actor(7).seed(2).seconds(64).cuts(1).generate();
    }

    /** The same frames in a random order: every frame statistic kept, all motion destroyed. */
    static Trajectory shuffled(Trajectory t, long seed) {
        int[] order = new int[t.frames()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Random r = new Random(seed);
        for (int i = order.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        INDArray codes = Nd4j.create(t.codes().dataType(), t.frames(), t.layers(), t.width());
        for (int i = 0; i < order.length; i++) {
            codes.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.all()).assign(t.frame(order[i]));
        }
        return Trajectory.of(codes, t.fps(), "shuffled");
    }

    @Test
    void frameDistanceIgnoresOrderButClipDistanceSeesIt() {
        LatentFrechet fd = LatentFrechet.of(real, 16).samples(600).window(25).seed(3);
        List<Trajectory> same = other.clips();
        List<Trajectory> scrambled = new ArrayList<>();
        for (Trajectory c : other.clips()) {
            scrambled.add(shuffled(c, 9));
        }
        double framesSame = fd.frames(same);
        double framesScrambled = fd.frames(scrambled);
        double clipsSame = fd.clips(same);
        double clipsScrambled = fd.clips(scrambled);
        System.out.printf("frames: same motion %.4f, scrambled %.4f; clips: same %.4f, scrambled %.4f%n", framesSame,
                framesScrambled, clipsSame, clipsScrambled);
        // Same frames in another order: the frame distance barely moves (different random draws only).
        assertEquals(framesSame, framesScrambled, 0.5 * framesSame + 1e-3);
        assertTrue(clipsScrambled > 5 * clipsSame, "clip distance should see scrambled time");
        // A frozen model (one code forever) is far on both.
        Trajectory frozen = Trajectory.of(Nd4j.tile(real.clip(0).frame(0).reshape(1, 18, 512), 400, 1, 1), 25, "frozen");
        assertTrue(fd.frames(List.of(frozen)) > 5 * framesSame);
        var e = assertThrows(IllegalArgumentException.class,
                () -> fd.clips(List.of(Trajectory.of(Nd4j.zeros(10, 18, 512), 25, "short"))));
        assertTrue(e.getMessage().contains("10 frames"), e.getMessage());
    }

    @Test
    void whitenedClipDistanceWeighsASmallDirectionOfMotionAsMuchAsTheHeadsPose() {
        var pca = org.latentmotion.pca.LatentPca.fit(real, 16);
        // one component: whitening divides every coordinate by σ₀, so the distance (squared units) by σ₀²
        LatentFrechet plain1 = LatentFrechet.of(real, pca).samples(500).clipComponents(1).seed(5);
        LatentFrechet white1 = LatentFrechet.of(real, pca).samples(500).clipComponents(1).seed(5).whitened(true);
        double var0 = pca.explainedVariance()[0];
        assertEquals(plain1.clips(other.clips()) / var0, white1.clips(other.clips()),
                1e-6 * white1.clips(other.clips()));
        assertEquals(plain1.realVsRealClips() / var0, white1.realVsRealClips(), 1e-6 * white1.realVsRealClips());

        // the recording itself with one direction held still, the head's largest (0) or the 8th (≤ 0.7 % of the
        // variance): raw coordinates see the first ~100 times as much; whitened ones see both alike
        LatentFrechet plain = LatentFrechet.of(real, pca).samples(2000).clipComponents(10).window(10).seed(5);
        LatentFrechet white = LatentFrechet.of(real, pca).samples(2000).clipComponents(10).window(10).seed(5).whitened(true);
        double plainBase = plain.clips(real.clips());
        double whiteBase = white.clips(real.clips());
        double plainRise0 = plain.clips(heldStill(real.clips(), pca, 0)) - plainBase;
        double plainRise7 = plain.clips(heldStill(real.clips(), pca, 7)) - plainBase;
        double whiteRise0 = white.clips(heldStill(real.clips(), pca, 0)) - whiteBase;
        double whiteRise7 = white.clips(heldStill(real.clips(), pca, 7)) - whiteBase;
        System.out.printf("held still: raw distance +%.4g (direction 0) +%.4g (7); whitened +%.3f, +%.3f%n", plainRise0,
                plainRise7, whiteRise0, whiteRise7);
        assertTrue(plainRise0 > 20 * plainRise7, "raw: " + plainRise0 + " vs " + plainRise7);
        assertTrue(whiteRise7 > 0.5 * whiteRise0 && whiteRise7 < 2 * whiteRise0, "whitened: " + whiteRise0 + " vs " + whiteRise7);
        // a direction held still costs about one unit per frame of the clip once whitened (its variance, 1, is gone)
        assertEquals(10, whiteRise7, 5);

        // two distinct frames have one direction of spread: a second has no scale to whiten by
        INDArray two = Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, 40, 18, 512);
        for (int f = 0; f < 40; f++) {
            two.get(org.nd4j.linalg.indexing.NDArrayIndex.point(f), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.all()).assign(real.clip(0).frame(f % 2));
        }
        TrajectorySet twoFrames = TrajectorySet.of("two frames", List.of(Trajectory.of(two, 25, "two frames")));
        var e = assertThrows(IllegalArgumentException.class, () -> LatentFrechet.of(twoFrames, 2).whitened(true));
        assertTrue(e.getMessage().contains("direction 1") && e.getMessage().contains("no spread"), e.getMessage());
    }

    /** The clips with principal direction {@code c} held at its mean, everything else in the basis kept. */
    private static List<Trajectory> heldStill(List<Trajectory> clips, org.latentmotion.pca.LatentPca pca, int c) {
        List<Trajectory> out = new ArrayList<>();
        for (Trajectory t : clips) {
            INDArray coords = pca.project(t).dup();
            coords.getColumn(c).assign(coords.getColumn(c).meanNumber());
            out.add(Trajectory.of(pca.reconstruct(coords).reshape('c', t.frames(), 18, 512), t.fps(), "held still"));
        }
        return out;
    }

    @Test
    void identityConsistencyIsZeroForOneActorAndTheIdentityDistanceForTwo() {
        IdentityFeatures toy = IdentityFeatures.toyFace();
        // One actor talking: the state changes, the identity parameters do not.
        IdentityConsistency one = IdentityConsistency.of(List.of(real.clip(0).slice(0, 300)), toy, 3);
        // Two actors, alternating: every pair of different frames is the identity distance.
        INDArray a = ToyWorld.neutralActor(1);
        INDArray b = ToyWorld.neutralActor(2);
        INDArray codes = Nd4j.stack(0, a, b, a, b);
        IdentityConsistency two = IdentityConsistency.of(List.of(Trajectory.of(codes, 25, "a b a b")), toy);
        double[] fa = toy.of(Trajectory.of(a.reshape(1, 18, 512), 25, "a")).toDoubleVector();
        double[] fb = toy.of(Trajectory.of(b.reshape(1, 18, 512), 25, "b")).toDoubleVector();
        double d = 0;
        for (int i = 0; i < fa.length; i++) {
            d += (fa[i] - fb[i]) * (fa[i] - fb[i]);
        }
        d = Math.sqrt(d);
        // 6 pairs, 4 of them (a, b): mean = 4 d / 6.
        assertEquals(4 * d / 6, two.mean(), 1e-6 * d);
        System.out.printf("ACD one actor %.5f, two actors %.5f%n", one.mean(), two.mean());
        assertTrue(one.mean() < 0.05 * two.mean(), one + " vs " + two);
        assertTrue(d > 0.05);
        assertEquals(FaceCodec.spec().names(FaceCodec.Kind.IDENTITY).size(), fa.length);
    }

    @Test
    void pairwiseDistanceMatchesBruteForce() {
        Random r = new Random(4);
        double[][] f = new double[30][5];
        for (double[] row : f) {
            for (int j = 0; j < 5; j++) {
                row[j] = r.nextGaussian();
            }
        }
        double sum = 0;
        int n = 0;
        for (int i = 0; i < 30; i += 2) {
            for (int j = i + 2; j < 30; j += 2) {
                double s = 0;
                for (int c = 0; c < 5; c++) {
                    s += Math.pow(f[i][c] - f[j][c], 2);
                }
                sum += Math.sqrt(s);
                n++;
            }
        }
        assertEquals(sum / n, IdentityConsistency.meanPairwiseDistance(Nd4j.createFromArray(f), 2), 1e-12);
    }

    @Test
    void wassersteinOfKnownDistributions() {
        assertEquals(0.0, MotionComparison.wasserstein1(new double[] {0, 1, 2}, new double[] {2, 0, 1}), 1e-12);
        assertEquals(3.0, MotionComparison.wasserstein1(new double[] {0}, new double[] {3}), 1e-12);
        assertEquals(0.5, MotionComparison.wasserstein1(new double[] {0, 1}, new double[] {0.5, 1.5}), 1e-12);
        // Different sizes: {0, 1} vs {0}: half the mass moves by 1.
        assertEquals(0.5, MotionComparison.wasserstein1(new double[] {0, 1}, new double[] {0, Double.NaN}), 1e-12);
    }

    /** The first and second half of every clip, cut here by hand (independent of RealHalves). */
    static List<List<Trajectory>> halvesByHand(TrajectorySet set) {
        List<Trajectory> a = new ArrayList<>();
        List<Trajectory> b = new ArrayList<>();
        for (Trajectory c : set) {
            a.add(c.slice(0, c.frames() / 2));
            b.add(c.slice(c.frames() / 2, c.frames()));
        }
        return List.of(a, b);
    }

    @Test
    void realVsRealIsTheDistanceBetweenTwoDisjointHalves() {
        var pca = org.latentmotion.pca.LatentPca.fit(real, 16);
        LatentFrechet fd = LatentFrechet.of(real, pca).samples(500).window(25).clipComponents(8).seed(5);
        List<List<Trajectory>> h = halvesByHand(real);
        LatentFrechet direct = LatentFrechet.of(TrajectorySet.of("first halves", h.get(0)), pca).samples(500).window(25)
                .clipComponents(8).seed(5);
        assertEquals(direct.frames(h.get(1)), fd.realVsRealFrames(), 0);
        assertEquals(direct.clips(h.get(1)), fd.realVsRealClips(), 0);
        // disjoint: together the halves hold every real frame once, and they are the hand-cut halves
        RealHalves halves = RealHalves.of(real);
        assertEquals(real.totalFrames(), halves.first().totalFrames() + halves.second().totalFrames());
        assertEquals(0, halves.first().clip(0).codes().sub(h.get(0).get(0).codes()).amaxNumber().doubleValue(), 0);
        assertEquals(0, halves.second().clip(0).codes().sub(h.get(1).get(0).codes()).amaxNumber().doubleValue(), 0);

        var table = fd.table(java.util.Map.of("other recording", other.clips()));
        assertEquals(RealHalves.LABEL, table.stringColumn("generated").get(0));
        assertEquals(fd.realVsRealFrames(), table.doubleColumn(1).get(0), 0);
        assertEquals(fd.clips(other.clips()), table.doubleColumn(2).get(1), 0);
        // the floor is below a frozen face's distance, and the other recording of the same actor is near it
        Trajectory frozen = Trajectory.of(Nd4j.tile(real.clip(0).frame(0).reshape(1, 18, 512), 400, 1, 1), 25, "frozen");
        assertTrue(fd.realVsRealFrames() < fd.frames(List.of(frozen)) / 5, fd.realVsRealFrames() + " vs frozen");

        var e = assertThrows(IllegalArgumentException.class, () -> LatentFrechet.of(
                TrajectorySet.of("short", real.clip(0).slice(0, 40)), pca).realVsRealClips());
        assertTrue(e.getMessage().contains("25 frames") && e.getMessage().contains("is 20"), e.getMessage());
    }

    @Test
    void motionComparisonsNoiseFloorIsTheComparisonOfTheRealHalves() {
        MotionComparison c = MotionComparison.of(real, other.clips(), 256);
        List<List<Trajectory>> h = halvesByHand(real);
        MotionComparison direct = MotionComparison.of(TrajectorySet.of("first halves", h.get(0)), h.get(1), 256);
        for (int i = 0; i < MotionComparison.STATISTICS.size(); i++) {
            assertEquals(direct.standardizedWasserstein(i), c.noiseFloor(i), 0, MotionComparison.STATISTICS.get(i));
        }
        assertEquals(direct.meanStandardizedWasserstein(), c.meanNoiseFloor(), 0);
        var table = c.table();
        var floor = table.doubleColumn("W1 / real std, " + RealHalves.LABEL);
        assertEquals(c.noiseFloor(0), floor.get(0), 0);
        assertEquals(c.meanNoiseFloor(), floor.get(table.rowCount() - 1), 0);
        // real clips of 400 frames: halves of 200 hold no 256-frame segment, so no floor, and the title says why
        TrajectorySet shortReal = TrajectorySet.of("short", real.clip(0).slice(0, 400), other.clip(0).slice(0, 400));
        MotionComparison noFloor = MotionComparison.of(shortReal, other.clips(), 256);
        assertTrue(Double.isNaN(noFloor.meanNoiseFloor()));
        assertTrue(noFloor.table().name().contains("too short for a noise floor"), noFloor.table().name());
    }

    @Test
    void motionStatisticsOfTheSameWorldMatchAndAFrozenFaceDoesNot() {
        MotionComparison same = MotionComparison.of(real, other.clips(), 256);
        Trajectory frozen = Trajectory.of(Nd4j.tile(real.clip(0).frame(0).reshape(1, 18, 512), 1000, 1, 1), 25, "frozen");
        MotionComparison still = MotionComparison.of(real, List.of(frozen), 256);
        System.out.println(same + "\n" + same.table().print() + "\n" + still);
        assertTrue(same.meanStandardizedWasserstein() < 0.6 * still.meanStandardizedWasserstein(),
                same + " vs " + still);
        assertEquals(MotionComparison.STATISTICS.size() + 1, same.table().rowCount());
        assertTrue(Double.isFinite(same.frechet()) && Double.isFinite(same.standardizedWasserstein(1)), same.toString());
        assertTrue(Renderers.render(same).has("text/html"));
        assertThrows(IllegalArgumentException.class, () -> MotionComparison.of(real, List.of(frozen.slice(0, 100)), 256));
    }

    @Test
    void latentResidualIdentityIgnoresMotionInTheBasis() {
        var pca = org.latentmotion.pca.LatentPca.fit(real, 24);
        IdentityFeatures residual = IdentityFeatures.latentResidual(pca);
        double moving = IdentityConsistency.of(List.of(real.clip(0).slice(0, 200)), residual, 2).mean();
        INDArray a = ToyWorld.neutralActor(1);
        INDArray b = ToyWorld.neutralActor(2);
        double swapping = IdentityConsistency.of(List.of(Trajectory.of(Nd4j.stack(0, a, b, a, b), 25, "a b")), residual).mean();
        assertTrue(moving < 0.2 * swapping, moving + " vs " + swapping);
        TrajectorySet.of("x", real.clip(0)); // the set API the metrics take
    }

    @Test
    void offsetTrickBeatsTheNaiveOffsetOnArtifacts() {
        var pca = org.latentmotion.pca.LatentPca.fit(real, 32);
        var trick = org.latentmotion.transfer.OffsetTrick.of(pca);
        Trajectory motion = other.clip(0).slice(0, 200);
        INDArray stranger = ToyWorld.randomActor(123);
        TransferArtifacts offset = TransferArtifacts.of(motion, trick.transfer(motion, stranger), stranger, "offset trick");
        TransferArtifacts naive = TransferArtifacts.of(motion, trick.naive(motion, stranger), stranger, "naive");
        // The motion itself, measured against its own actor: no state error by construction.
        TransferArtifacts self = TransferArtifacts.of(motion, motion, real.identity(), "identity");
        System.out.println(offset + "\n" + naive + "\n" + self);
        assertEquals(0.0, self.stateError(), 1e-12);
        assertTrue(offset.stateError() < 0.5 * naive.stateError(), offset + " vs " + naive);
    }
}

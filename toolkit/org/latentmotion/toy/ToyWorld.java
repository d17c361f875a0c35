package org.latentmotion.toy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.latentmotion.wplus.Trajectory;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The default world: actors of the shipped toy face and W+ trajectories of one actor talking,
 * with the ground-truth parameters beside the codes.
 *
 * <pre>{@code
 * TalkingHead data = ToyWorld.talkingHead().actor(7).minutes(5).cuts(4).generate();
 * INDArray stranger = ToyWorld.randomActor(123);   // [18, 512], a new identity in some expression
 * }</pre>
 */
public final class ToyWorld {
    /** Per-dimension scale of an actor's components outside the toy face's directions. */
    static final double OTHER_SCALE = 0.5;
    /** Per-layer variation of an actor's code around its shared vector (W+ is not W). */
    static final double LAYER_SCALE = 0.2;
    /** Spread of identity parameters around the average actor, in latent (pre-sigmoid) units. */
    static final double IDENTITY_SPREAD = 1.0;

    private ToyWorld() {
    }

    /** A builder of talking-head trajectories (defaults: actor 0, 60 s, 25 fps, no cuts). */
    public static TalkingHeadBuilder talkingHead() {
        return new TalkingHeadBuilder();
    }

    /**
     * The code [18, 512] of actor {@code seed} at rest: its identity (face shape, colours, light, and
     * its own components in every other direction) with the neutral pose and expression.
     */
    public static INDArray neutralActor(long seed) {
        return Nd4j.create(neutralCode(seed), new long[] {18, 512}, 'c');
    }

    /**
     * A new random actor as an encoder would embed a photo of it — the {@code w_new} of the offset
     * trick (StyleVideoGAN, Sec. 3): identity {@code seed} (the same identity as
     * {@link #neutralActor(long)}) caught in a random natural pose and expression (head turned a little,
     * mouth maybe open, eyes maybe half shut). Moving a motion onto it naively carries these states
     * into the motion; the offset trick does not.
     */
    public static INDArray randomActor(long seed) {
        FaceCodec face = FaceCodec.spec();
        float[] code = neutralCode(seed);
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 0x5EED5EEDL);
        setValue(face, code, "yaw", clamp(0.22 * r.nextGaussian(), -0.5, 0.5));
        setValue(face, code, "pitch", clamp(0.1 * r.nextGaussian(), -0.3, 0.3));
        setValue(face, code, "roll", clamp(0.08 * r.nextGaussian(), -0.25, 0.25));
        setValue(face, code, "mouthOpen", r.nextDouble(0.03, 0.55));
        setValue(face, code, "smile", r.nextDouble(-0.3, 0.8));
        setValue(face, code, "eyeOpen", r.nextDouble(0.35, 0.95));
        setValue(face, code, "browRaise", r.nextDouble(0.1, 0.8));
        setValue(face, code, "gazeX", r.nextDouble(-0.5, 0.5));
        setValue(face, code, "gazeY", r.nextDouble(-0.3, 0.3));
        return Nd4j.create(code, new long[] {face.layers(), face.width()}, 'c');
    }

    /** Neutral code of actor {@code seed} as floats [18·512]. */
    static float[] neutralCode(long seed) {
        FaceCodec face = FaceCodec.spec();
        int layers = face.layers();
        int width = face.width();
        SplittableRandom r = new SplittableRandom(seed ^ 0xAC7055EEDL);
        float[] shared = new float[width];
        for (int d = 0; d < width; d++) {
            shared[d] = (float) (OTHER_SCALE * r.nextGaussian());
        }
        float[] code = new float[layers * width];
        for (int l = 0; l < layers; l++) {
            for (int d = 0; d < width; d++) {
                code[l * width + d] = shared[d] + (float) (LAYER_SCALE * r.nextGaussian());
            }
        }
        // remove every parameter direction, then set each parameter in its own layer group
        float[] dirs = face.directionsView().dup('c').data().asFloat();
        int pCount = face.parameters().size();
        for (int l = 0; l < layers; l++) {
            for (int p = 0; p < pCount; p++) {
                double dot = 0;
                for (int d = 0; d < width; d++) {
                    dot += code[l * width + d] * dirs[p * width + d];
                }
                for (int d = 0; d < width; d++) {
                    code[l * width + d] -= (float) (dot * dirs[p * width + d]);
                }
            }
        }
        for (FaceCodec.Parameter p : face.parameters()) {
            double x = p.latentOf(p.neutral());
            if (p.kind() == FaceCodec.Kind.IDENTITY) {
                x += IDENTITY_SPREAD * clamp(r.nextGaussian(), -2.2, 2.2);
            }
            setLatent(face, code, p, x);
        }
        return code;
    }

    static void setValue(FaceCodec face, float[] code, String name, double value) {
        FaceCodec.Parameter p = face.parameter(name);
        setLatent(face, code, p, p.latentOf(value));
    }

    /** Sets parameter {@code p}'s latent coordinate to {@code x} in every layer of its group. */
    static void setLatent(FaceCodec face, float[] code, FaceCodec.Parameter p, double x) {
        int width = face.width();
        INDArray dir = face.directionsView().getRow(p.index());
        float[] d = dir.dup().data().asFloat();
        for (int l : p.layers()) {
            double dot = 0;
            for (int k = 0; k < width; k++) {
                dot += code[l * width + k] * d[k];
            }
            for (int k = 0; k < width; k++) {
                code[l * width + k] += (float) ((x - dot) * d[k]);
            }
        }
    }

    static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    /** Builds talking-head trajectories; defaults sit on the fields. */
    public static final class TalkingHeadBuilder {
        private long actor = 0;
        private Long seed;
        private double seconds = 60;
        private double fps = 25;
        private int cuts = 0;
        private double jitter = 0.03;

        TalkingHeadBuilder() {
        }

        /** Which actor talks (its identity); also the motion seed unless {@link #seed(long)} is set. */
        public TalkingHeadBuilder actor(long actorSeed) {
            this.actor = actorSeed;
            return this;
        }

        /** Seed of the motion (blinks, speech, sway); defaults to the actor seed. */
        public TalkingHeadBuilder seed(long motionSeed) {
            this.seed = motionSeed;
            return this;
        }

        /** Total length in minutes (default 1); as {@link #seconds(double)}. */
        public TalkingHeadBuilder minutes(double minutes) {
            return seconds(minutes * 60);
        }

        /** Total length in seconds over all clips (default 60); throws unless positive and finite. */
        public TalkingHeadBuilder seconds(double totalSeconds) {
            if (!(totalSeconds > 0) || Double.isInfinite(totalSeconds)) {
                throw new IllegalArgumentException("talking head: expected a positive duration, found " + totalSeconds
                        + " s");
            }
            this.seconds = totalSeconds;
            return this;
        }

        /** Frames per second (default 25); throws outside [5, 240]. */
        public TalkingHeadBuilder fps(double framesPerSecond) {
            if (!(framesPerSecond >= 5) || framesPerSecond > 240) {
                throw new IllegalArgumentException("talking head: expected fps in [5, 240], found " + framesPerSecond);
            }
            this.fps = framesPerSecond;
            return this;
        }

        /** Number of cuts: the video is split into {@code cuts + 1} clips (shots). */
        public TalkingHeadBuilder cuts(int count) {
            if (count < 0) {
                throw new IllegalArgumentException("talking head: expected cuts >= 0, found " + count);
            }
            this.cuts = count;
            return this;
        }

        /** Per-dimension standard deviation of the per-frame embedding jitter (default 0.03; 0 for none). */
        public TalkingHeadBuilder jitter(double sigma) {
            if (!(sigma >= 0) || Double.isInfinite(sigma)) {
                throw new IllegalArgumentException("talking head: expected jitter >= 0, found " + sigma);
            }
            this.jitter = sigma;
            return this;
        }

        /**
         * Generates the video: seconds × fps frames (rounded), cut into cuts + 1 clips of random lengths; throws if a
         * clip would get fewer than 2 frames.
         */
        public TalkingHead generate() {
            int total = (int) Math.round(seconds * fps);
            int clips = cuts + 1;
            if (total < 2 * clips) {
                throw new IllegalArgumentException("talking head: " + total + " frames cannot be cut into " + clips
                        + " clips of at least 2 frames");
            }
            long motionSeed = seed == null ? actor : seed;
            SplittableRandom r = new SplittableRandom(motionSeed * 0x9E3779B97F4A7C15L + 17);
            // clip lengths: random shares in [0.6, 1.4]
            double[] share = new double[clips];
            double sum = 0;
            for (int i = 0; i < clips; i++) {
                share[i] = r.nextDouble(0.6, 1.4);
                sum += share[i];
            }
            int[] lengths = new int[clips];
            int used = 0;
            for (int i = 0; i < clips; i++) {
                lengths[i] = i == clips - 1 ? total - used : Math.max(2, (int) Math.round(total * share[i] / sum));
                used += lengths[i];
            }
            float[] base = neutralCode(actor);
            List<Trajectory> trajectories = new ArrayList<>();
            List<FaceParameters> truth = new ArrayList<>();
            String name = "talking head, actor " + actor;
            for (int i = 0; i < clips; i++) {
                SplittableRandom clipRandom = r.split();
                Trajectory t = TalkingHeadMotion.clip(base, lengths[i], fps, jitter, clipRandom)
                        .withSource(name + (clips > 1 ? ", clip " + i : ""));
                trajectories.add(t);
                truth.add(FaceCodec.decode(t));
            }
            INDArray identity = Nd4j.create(base, new long[] {18, 512}, 'c');
            return new TalkingHead(name, trajectories, truth, identity, actor, motionSeed, jitter);
        }

        @Override
        public String toString() {
            return String.format("ToyWorld.talkingHead(): actor %d, seed %s, %.1f s at %.3g fps, %d cuts, jitter %.3g",
                    actor, seed == null ? "= actor" : seed.toString(), seconds, fps, cuts, jitter);
        }
    }

    /** Copies a [T, L, D] chunk into {@code out} at frame {@code from}. */
    static void put(INDArray out, int from, INDArray chunk) {
        out.get(NDArrayIndex.interval(from, from + chunk.size(0)), NDArrayIndex.all(), NDArrayIndex.all())
                .assign(chunk);
    }
}

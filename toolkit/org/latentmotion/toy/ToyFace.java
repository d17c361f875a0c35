package org.latentmotion.toy;

/**
 * The old name of {@link FaceCodec}, kept while callers move: "ToyFace" read as the shipped toy
 * face model ({@code Synthesizers.toyFace()}), which draws pictures, whereas this class only
 * converts between W+ codes and face parameters. Its nested types and static methods are
 * {@link FaceCodec}'s.
 *
 * @deprecated use {@link FaceCodec}
 */
@Deprecated
public final class ToyFace extends FaceCodec {
    private static volatile ToyFace instance;

    private ToyFace(FaceCodec codec) {
        super(codec);
    }

    /** {@link FaceCodec#spec()}, typed for old callers. */
    public static ToyFace spec() {
        ToyFace f = instance;
        if (f == null) {
            synchronized (ToyFace.class) {
                f = instance;
                if (f == null) {
                    f = new ToyFace(FaceCodec.spec());
                    instance = f;
                }
            }
        }
        return f;
    }
}

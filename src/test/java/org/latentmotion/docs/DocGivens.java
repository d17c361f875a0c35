package org.latentmotion.docs;

import java.awt.image.BufferedImage;
import java.util.List;
import org.latentmotion.motion.MotionModel;
import org.latentmotion.motion.StyleVideoGan;
import org.latentmotion.pca.LatentPca;
import org.latentmotion.render.Synthesizer;
import org.latentmotion.toy.TalkingHead;
import org.latentmotion.wplus.Trajectory;
import org.latentmotion.wplus.TrajectorySet;
import org.latentmotion.wplus.Windows;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The names a documentation example may use without declaring them, as a notebook has them from
 * earlier cells ("{@code pca.project(clip)}"). Every compiled snippet's class extends this one, so
 * these are in scope and typed: a snippet that calls a method its given does not have fails to
 * compile. Anything else a snippet uses it must declare. Keep this list short; when an example
 * needs something unusual, write it out in the example.
 */
@SuppressWarnings("unused")
public abstract class DocGivens {
    /** The toy world's talking head: training data, and the real set metrics compare against. */
    protected static TalkingHead data;
    protected static TalkingHead real;
    protected static TrajectorySet realSet;
    protected static Windows windows;
    protected static int[] indices;
    protected static LatentPca pca;
    /** A synthesis network: the toy face or a user's StyleGAN. */
    protected static Synthesizer face;
    protected static Synthesizer synthesizer;
    protected static StyleVideoGan gan;
    protected static StyleVideoGan ganA;
    protected static StyleVideoGan ganB;
    protected static StyleVideoGan ganC;
    protected static StyleVideoGan ganD;
    protected static MotionModel model;
    /** W+ codes [N, L, 512] of the synthesis network at hand. */
    protected static INDArray codes;
    /** One clip of W+ codes. */
    protected static Trajectory trajectory;
    protected static Trajectory clip;
    protected static List<Trajectory> samples;
    protected static List<Trajectory> generated;
    protected static List<BufferedImage> frames;
}

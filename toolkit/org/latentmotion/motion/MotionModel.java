package org.latentmotion.motion;

import org.latentmotion.wplus.Trajectory;

/** Anything that can generate W+ motion: a trajectory of any length for a seed. */
public interface MotionModel {
    /** A trajectory of {@code length} frames; the same seed gives the same trajectory. */
    Trajectory sample(int length, long seed);

    /** Number of W+ layers L of the generated codes. */
    int layers();

    /** Width D of each W+ layer. */
    int width();

    /** Frames per second of the generated trajectories. */
    double fps();
}

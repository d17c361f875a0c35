package org.latentmotion.wplus;

import java.awt.image.BufferedImage;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Anything that turns W+ codes into pictures: a StyleGAN synthesis network on ONNX Runtime,
 * the toy face. Lower layers (trajectories, PCA) show frames through this interface without
 * knowing how they are made.
 */
public interface FrameRenderer {

    /** Number of W+ layers the renderer reads (18 for a 1024² StyleGAN2). */
    int layers();

    /** Width of each layer's code (512). */
    int width();

    /** Renders codes of shape [N, layers, width] to N images. */
    BufferedImage[] renderFrames(INDArray codes);
}

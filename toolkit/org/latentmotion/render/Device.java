package org.latentmotion.render;

/** Where ONNX Runtime runs a model. */
public enum Device {
    /** CUDA when this onnxruntime build has the CUDA provider and it loads; CPU otherwise. */
    AUTO,
    /** Always the CPU. */
    CPU,
    /** CUDA wanted: falls back to the CPU, saying why, when CUDA is not available. */
    CUDA
}

package org.latentmotion.bench;

import java.awt.image.BufferedImage;
import java.util.concurrent.TimeUnit;

import org.latentmotion.render.Synthesizer;
import org.latentmotion.render.OnnxOptions;
import org.latentmotion.render.Synthesizers;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The shipped toy face (ONNX, w [N, 18, 512] → 128² RGB) rendered to images by {@code Synthesizers.toyFace()},
 * ONNX Runtime with the benchmark's thread count. PyTorch side: the same model in torch eager
 * (bench/torch/bench_render_toyface.py, the module the ONNX file was exported from).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ToyFaceBench {

    @Param({"1", "8", "32"})
    public int batch;

    private Synthesizer face;
    private INDArray codes;

    @Setup(Level.Trial)
    public void setUp() {
        face = Synthesizers.toyFace(OnnxOptions.builder().threads(Threads.count()).batch(batch).build());
        Nd4j.getRandom().setSeed(11);
        codes = Nd4j.randn(DataType.FLOAT, batch, face.layers(), face.width()).muli(0.5);
    }

    @Benchmark
    public BufferedImage[] render() {
        return face.renderFrames(codes);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        face.close();
    }
}

package org.latentmotion.bench;

import java.util.concurrent.TimeUnit;

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
 * The machine's matrix-multiply peak as ND4J reaches it: {@code Nd4j.gemm} on float32 at the shapes a
 * StyleVideoGAN training step uses (the mapper's 18 parallel 512→512 layers see B·t rows; the critic's
 * first layer reads the flattened 18 × 512 = 9216 code). GFLOP/s = 2·m·k·n / time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class GemmBench {

    /** m x k x n: C[m, n] = A[m, k] · B[k, n]. */
    @Param({"3200x9216x512", "128x9216x512", "3200x512x512"})
    public String shape;

    private INDArray a;
    private INDArray b;
    private INDArray c;

    @Setup(Level.Trial)
    public void setUp() {
        long[] mkn = parse(shape);
        Nd4j.getRandom().setSeed(1);
        a = Nd4j.randn(DataType.FLOAT, mkn[0], mkn[1]);
        b = Nd4j.randn(DataType.FLOAT, mkn[1], mkn[2]);
        c = Nd4j.create(DataType.FLOAT, mkn[0], mkn[2]);
    }

    @Benchmark
    public INDArray gemm() {
        return Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        a.close();
        b.close();
        c.close();
    }

    static long[] parse(String shape) {
        String[] p = shape.split("x");
        if (p.length != 3) {
            throw new IllegalArgumentException("GEMM shape: expected MxKxN, found '" + shape + "'");
        }
        return new long[] {Long.parseLong(p[0]), Long.parseLong(p[1]), Long.parseLong(p[2])};
    }

    /** Floating-point operations of one GEMM of this shape (one multiply + one add per term). */
    static double flops(String shape) {
        long[] mkn = parse(shape);
        return 2.0 * mkn[0] * mkn[1] * mkn[2];
    }
}

package org.latentmotion.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.latentmotion.nn.Autograd;
import org.latentmotion.nn.GruCell;
import org.latentmotion.nn.Ops;
import org.latentmotion.nn.ParameterSet;
import org.latentmotion.nn.Scope;
import org.latentmotion.nn.Var;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What one small op costs: the StyleVideoGAN generator's GRU stack runs thousands of ops on [B, 32]-sized arrays,
 * so the fixed cost per op (JNI call, op object, allocation), not FLOPs, sets its speed. Same work as
 * bench/torch/bench_ops.py.
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class OpOverheadBench {
    static final int BATCH = 128;
    static final int HIDDEN = 32;

    private INDArray a;
    private INDArray b;
    private GruCell cell;
    private List<Var> params;
    private INDArray x;
    private INDArray h;

    @Setup(Level.Trial)
    public void setUp() {
        Nd4j.getRandom().setSeed(3);
        a = Nd4j.randn(DataType.FLOAT, BATCH, HIDDEN);
        b = Nd4j.randn(DataType.FLOAT, BATCH, HIDDEN);
        ParameterSet ps = new ParameterSet(DataType.FLOAT, 5);
        cell = new GruCell(ps, "gru", HIDDEN, HIDDEN);
        params = ps.parameterList();
        x = Nd4j.randn(DataType.FLOAT, BATCH, HIDDEN);
        h = Nd4j.randn(DataType.FLOAT, BATCH, HIDDEN);
    }

    /** One elementwise add of two [128, 32] arrays into a new array (freed at once). */
    @Benchmark
    public double addAllocating() {
        INDArray c = a.add(b);
        double v = c.getDouble(0);
        c.close();
        return v;
    }

    /** The same add in place: the op call without the allocation. */
    @Benchmark
    public INDArray addInPlace() {
        return a.addi(b);
    }

    /** One GRU cell step (batch 128, hidden 32) forward and backward to its 4 parameters. */
    @Benchmark
    public double gruStepGrad() {
        try (Scope s = Scope.open()) {
            Var out = cell.forward(Var.constant(x), Var.constant(h));
            List<Var> g = Autograd.grad(Ops.sumAll(Ops.square(out)), params, false);
            return g.get(0).value().getDouble(0);
        }
    }

    /** The double backprop the gradient angle penalty does: ‖∂out/∂x‖² differentiated to the parameters. */
    @Benchmark
    public double gruStepDoubleGrad() {
        try (Scope s = Scope.open()) {
            Var in = Var.input(x);
            Var out = cell.forward(in, Var.constant(h));
            Var dx = Autograd.grad(Ops.sumAll(Ops.square(out)), List.of(in), true).get(0);
            List<Var> g = Autograd.grad(Ops.sumAll(Ops.square(dx)), params, false);
            return g.get(0).value().getDouble(0);
        }
    }
}

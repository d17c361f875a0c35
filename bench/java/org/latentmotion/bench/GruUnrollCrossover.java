package org.latentmotion.bench;

import java.util.Locale;

import org.latentmotion.nn.Autograd;
import org.latentmotion.nn.GruCell;
import org.latentmotion.nn.GruStackUnroll;
import org.latentmotion.nn.Ops;
import org.latentmotion.nn.ParameterSet;
import org.latentmotion.nn.Scope;
import org.latentmotion.nn.Var;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Where {@link GruStackUnroll} stops paying: StyleVideoGAN's 4-cell producer (hidden 32, 24 steps) without
 * gradients, per batch size, as the tape-free Java loop and as tape ops (mean of 20 runs after 10 warm-up runs).
 * Sets {@code GruStackUnroll.MAX_BATCH}. Run: {@code java -cp "target-bench/classes:target-bench/lib/*"
 * org.latentmotion.bench.GruUnrollCrossover} (build with bench/run or {@code mvn -Pbench package}).
 */
public final class GruUnrollCrossover {
    private GruUnrollCrossover() {}

    public static void main(String[] args) {
        int hid = 32;
        int steps = 24;
        ParameterSet ps = new ParameterSet(DataType.FLOAT, 1);
        GruCell[] cells = new GruCell[4];
        for (int j = 0; j < 4; j++) {
            cells[j] = new GruCell(ps, "cell" + j, hid, hid);
        }
        System.out.println("| batch | tape-free loop (ms) | tape (ms) |");
        System.out.println("|------:|--------------------:|----------:|");
        for (int b : new int[] {1, 4, 16, 32, 64, 128}) {
            Var projection = Var.constant(Nd4j.randn(DataType.FLOAT, b, (long) steps * 3 * hid));
            Var[] initial = new Var[4];
            for (int j = 0; j < 4; j++) {
                initial[j] = Var.constant(Nd4j.randn(DataType.FLOAT, b, hid));
            }
            double loop = 0;
            double tape = 0;
            for (int rep = 0; rep < 30; rep++) {
                long t0 = System.nanoTime();
                try (Scope s = Scope.open()) {
                    Autograd.noGrad(() -> GruStackUnroll.lastCellStates(cells, projection, initial));
                }
                long t1 = System.nanoTime();
                try (Scope s = Scope.open()) {
                    Autograd.noGrad(() -> {
                        Var[] h = initial.clone();
                        for (int k = 0; k < steps; k++) {
                            h[0] = cells[0].step(Ops.slice(projection, 1, (long) k * 3 * hid, (long) (k + 1) * 3 * hid), h[0]);
                            for (int j = 1; j < 4; j++) {
                                h[j] = cells[j].forward(h[j - 1], h[j]);
                            }
                        }
                        return h[3];
                    });
                }
                long t2 = System.nanoTime();
                if (rep >= 10) {
                    loop += (t1 - t0) / 1e6;
                    tape += (t2 - t1) / 1e6;
                }
            }
            System.out.printf(Locale.ROOT, "| %5d | %19.2f | %9.2f |%n", b, loop / 20, tape / 20);
        }
    }
}

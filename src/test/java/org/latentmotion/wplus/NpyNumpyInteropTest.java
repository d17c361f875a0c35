package org.latentmotion.wplus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** numpy itself (Debian's /usr/bin/python3) reads the files this toolkit writes. */
class NpyNumpyInteropTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    @TempDir
    Path tmp;

    /** An array of the fixture formula in the given type and shape. */
    static INDArray formula(DataType type, long... shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        double[] v = new double[(int) n];
        for (int i = 0; i < n; i++) {
            v[i] = type.isFPType() ? NpyFixtures.value(i) : NpyFixtures.intValue(i);
        }
        return Nd4j.createFromArray(v).reshape('c', shape).castTo(type);
    }

    @Test
    void numpyReadsWhatWeWrite() throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(PYTHON), "needs /usr/bin/python3 with numpy");
        Npy.write(tmp.resolve("f4.npy"), formula(DataType.FLOAT, 4, 3, 8));
        Npy.write(tmp.resolve("f8.npy"), formula(DataType.DOUBLE, 5, 7));
        Npy.write(tmp.resolve("f2.npy"), formula(DataType.HALF, 6, 2));
        Npy.write(tmp.resolve("i8.npy"), formula(DataType.LONG, 9));
        // a transposed view is written in C order of its logical layout
        Npy.write(tmp.resolve("t.npy"), formula(DataType.FLOAT, 3, 4).transpose());
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put("weights", formula(DataType.FLOAT, 2, 3));
        m.put("steps", formula(DataType.INT, 4));
        m.put("config", Npz.textArray("lr=0.002\nname=Ünïcode ✓\n"));
        Npz.write(tmp.resolve("stored.npz"), m);
        Npz.writeCompressed(tmp.resolve("deflated.npz"), m);

        String script = String.join("\n",
                "import numpy as np, sys, os",
                "d = sys.argv[1]",
                "def f(shape, dt):",
                "    i = np.arange(int(np.prod(shape)), dtype=np.int64)",
                "    v = (i * 37) % 101 - 50",
                "    v = v / 8.0 if np.dtype(dt).kind == 'f' else v",
                "    return v.astype(dt).reshape(shape)",
                "def check(a, b):",
                "    assert a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a, b), (a.dtype, a.shape, b.dtype, b.shape)",
                "check(np.load(os.path.join(d, 'f4.npy')), f((4, 3, 8), '<f4'))",
                "check(np.load(os.path.join(d, 'f8.npy')), f((5, 7), '<f8'))",
                "check(np.load(os.path.join(d, 'f2.npy')), f((6, 2), '<f2'))",
                "check(np.load(os.path.join(d, 'i8.npy')), f((9,), '<i8'))",
                "check(np.load(os.path.join(d, 't.npy')), f((3, 4), '<f4').T)",
                "for name in ('stored.npz', 'deflated.npz'):",
                "    z = np.load(os.path.join(d, name))",
                "    assert list(z.keys()) == ['weights', 'steps', 'config'], list(z.keys())",
                "    assert z['config'].dtype == np.uint8 and bytes(z['config']).decode() == 'lr=0.002\\nname=Ünïcode ✓\\n', bytes(z['config'])",
                "    check(z['weights'], f((2, 3), '<f4'))",
                "    check(z['steps'], f((4,), '<i4'))",
                "print('ok')");
        Process p = new ProcessBuilder(PYTHON.toString(), "-c", script, tmp.toString()).redirectErrorStream(true).start();
        assertEquals(true, p.waitFor(60, TimeUnit.SECONDS), "python finished");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals("ok", out, "numpy's verdict");
        assertEquals(0, p.exitValue());
        assertEquals("lr=0.002\nname=Ünïcode ✓\n", Npz.text(Npz.read(tmp.resolve("deflated.npz")).get("config")));
        assertEquals("", Npz.text(Npz.textArray("")));
    }
}

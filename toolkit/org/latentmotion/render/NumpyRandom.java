package org.latentmotion.render;

/**
 * numpy's legacy {@code np.random.RandomState(seed).randn(...)}: Mersenne Twister MT19937 seeded
 * with {@code init_genrand(seed)}, doubles from two 32-bit draws (53 bits), normals by the polar
 * method with the second value kept for the next call — the same numbers bit for bit.
 *
 * <p>Why numpy's and not {@link java.util.Random}: the StyleGAN seeds people share ("seed 42 is
 * a smiling face") come from NVlabs' {@code generate.py}, which draws
 * {@code np.random.RandomState(seed).randn(1, z_dim)}; the same seed here gives the same z, so
 * the same face. Tested against numpy's own output.
 */
final class NumpyRandom {
    private static final int N = 624;
    private static final int M = 397;
    private final int[] key = new int[N];
    private int pos;
    private boolean hasGauss;
    private double gauss;

    NumpyRandom(long seed) {
        if (seed < 0 || seed > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("seed: expected 0 … 2^32 − 1 (numpy's RandomState range), found " + seed);
        }
        int s = (int) seed;
        for (int i = 0; i < N; i++) {
            key[i] = s;
            s = 1812433253 * (s ^ (s >>> 30)) + i + 1;
        }
        pos = N;
    }

    private int next32() {
        if (pos == N) {
            twist();
        }
        int y = key[pos++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y;
    }

    private void twist() {
        for (int i = 0; i < N; i++) {
            int y = (key[i] & 0x80000000) | (key[(i + 1) % N] & 0x7fffffff);
            key[i] = key[(i + M) % N] ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0);
        }
        pos = 0;
    }

    /** A uniform double in [0, 1) with 53 random bits (numpy's random_sample). */
    double nextDouble() {
        long a = (next32() & 0xFFFF_FFFFL) >>> 5;
        long b = (next32() & 0xFFFF_FFFFL) >>> 6;
        return (a * 67108864.0 + b) / 9007199254740992.0;
    }

    /** A standard normal (numpy's legacy_gauss). */
    double nextGaussian() {
        if (hasGauss) {
            hasGauss = false;
            return gauss;
        }
        double x1;
        double x2;
        double r2;
        do {
            x1 = 2.0 * nextDouble() - 1.0;
            x2 = 2.0 * nextDouble() - 1.0;
            r2 = x1 * x1 + x2 * x2;
        } while (r2 >= 1.0 || r2 == 0.0);
        double f = Math.sqrt(-2.0 * Math.log(r2) / r2);
        gauss = f * x1;
        hasGauss = true;
        return f * x2;
    }

    /** {@code RandomState(seed).randn(rows, cols)} as float32, row-major. */
    static float[] randn(long seed, int rows, int cols) {
        NumpyRandom r = new NumpyRandom(seed);
        float[] out = new float[Math.multiplyExact(rows, cols)];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) r.nextGaussian();
        }
        return out;
    }
}

package org.latentmotion.bench;

/** The thread count bench/run gives every side (LM_BENCH_THREADS; default: the JVM's processors). */
final class Threads {
    private Threads() {}

    static int count() {
        String env = System.getenv("LM_BENCH_THREADS");
        if (env == null || env.isBlank()) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int n = Integer.parseInt(env.trim());
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("LM_BENCH_THREADS: expected a positive integer, found '" + env + "'");
        }
    }
}

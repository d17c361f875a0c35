package org.latentmotion.progress;

/** The progress nobody watches: a count and nothing else. */
final class Counter implements Progress {
    static final LiveChart DROPPED_CHART = new LiveChart() {
        @Override
        public LiveChart add(String series, double x, double y) {
            return this;
        }

        @Override
        public LiveChart refresh() {
            return this;
        }

        @Override
        public void finish() {
        }
    };

    private long done;

    @Override
    public synchronized Progress step(long doneSoFar) {
        if (doneSoFar < 0) {
            throw new IllegalArgumentException("steps done must be >= 0, found " + doneSoFar);
        }
        done = doneSoFar;
        return this;
    }

    @Override
    public synchronized Progress advance(long n) {
        return step(done + n);
    }

    @Override
    public synchronized long done() {
        return done;
    }

    @Override
    public void finish() {
    }
}

package org.latentmotion.display;

import java.util.function.LongSupplier;

/** A clock the test moves by hand, so throttling is tested without sleeping. */
final class FakeClock implements LongSupplier {
    long nanos = 1_000_000_000L;

    void advanceMillis(long ms) {
        nanos += ms * 1_000_000L;
    }

    @Override
    public long getAsLong() {
        return nanos;
    }
}

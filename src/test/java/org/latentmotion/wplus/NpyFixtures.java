package org.latentmotion.wplus;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** Paths of the numpy-written fixtures (datasets/npy/make_fixtures.py) and their formula. */
final class NpyFixtures {
    private NpyFixtures() {
    }

    static Path path(String name) {
        URL url = NpyFixtures.class.getClassLoader().getResource("npy/" + name);
        if (url == null) {
            throw new IllegalStateException("fixture npy/" + name + " is missing: run datasets/npy/make_fixtures.py");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The value the fixture script stores at C-order flat index i (float dtypes). */
    static double value(long i) {
        return ((i * 37) % 101 - 50) / 8.0;
    }

    /** The value for integer dtypes. */
    static long intValue(long i) {
        return (i * 37) % 101 - 50;
    }
}

package org.latentmotion.metrics;

import java.util.ServiceLoader;

/** The {@link Progress.Starter} provider, looked up once with the toolkit's own class loader. */
final class ProgressStarter {
    static final Progress.Starter FOUND = ServiceLoader.load(Progress.Starter.class, Progress.class.getClassLoader())
            .findFirst().orElse((label, total) -> Progress.NONE);

    private ProgressStarter() {
    }
}

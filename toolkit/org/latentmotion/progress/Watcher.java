package org.latentmotion.progress;

import java.util.Iterator;
import java.util.ServiceLoader;

/**
 * Who watches long work: the notebook display when the display layer is on the class path (it
 * provides a {@code Watcher} through {@link ServiceLoader}, listed in
 * {@code META-INF/services/org.latentmotion.progress.Watcher}), otherwise {@link #NOBODY}, which
 * only counts. This is how code below the display layer (rendering a video, training, evaluating)
 * shows progress without importing it: an arrow pointing up would tie every value type to
 * notebooks.
 */
public interface Watcher {

    /** True if reports are actually seen (a notebook front end is attached). */
    boolean watching();

    /** A progress count toward {@code total} steps. */
    Progress progress(String label, long total);

    /** A live chart. */
    LiveChart chart(String title, String xLabel, String yLabel);

    /** The watcher in effect: the first provided one, else {@link #NOBODY}. */
    static Watcher current() {
        return Installed.WATCHER;
    }

    /** Nobody watches: progress is counted, charts are dropped. */
    Watcher NOBODY = new Watcher() {
        @Override
        public boolean watching() {
            return false;
        }

        @Override
        public Progress progress(String label, long total) {
            return new Counter();
        }

        @Override
        public LiveChart chart(String title, String xLabel, String yLabel) {
            return Counter.DROPPED_CHART;
        }

        @Override
        public String toString() {
            return "Watcher.NOBODY";
        }
    };

    /** Looked up once, on first use. */
    final class Installed {
        static final Watcher WATCHER = find();

        private Installed() {
        }

        private static Watcher find() {
            Iterator<Watcher> found = ServiceLoader.load(Watcher.class, Watcher.class.getClassLoader()).iterator();
            return found.hasNext() ? found.next() : NOBODY;
        }
    }
}

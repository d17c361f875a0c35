/**
 * How long work says how it is going — a count toward a total ({@link org.latentmotion.progress.Progress})
 * and curves that grow ({@link org.latentmotion.progress.LiveChart}) — to whoever watches
 * ({@link org.latentmotion.progress.Watcher}), without knowing who that is.
 *
 * <p>The ground floor beside {@code wplus}: it imports nothing of the toolkit, and every package
 * may import it. The {@code display} layer provides the notebook watcher (a redrawn progress bar,
 * a live plot) through {@link java.util.ServiceLoader}; without it, progress is only counted.
 */
package org.latentmotion.progress;

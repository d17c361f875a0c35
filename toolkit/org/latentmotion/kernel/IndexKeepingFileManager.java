package org.latentmotion.kernel;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;

/**
 * javac's standard file manager as JShell uses it, except that its index of the class path stays
 * between compilations, and is dropped only when the class path changes.
 *
 * <p>Why: javac ends every task with {@code flush()}, and javac's file manager then forgets its
 * index of which jar holds which package. JShell runs four javac tasks for a cell like
 * {@code 1 + 1}, and each one lists JShell's own package on the class path, so each rebuilt the
 * index by walking every entry of the kernel's 80 jars: an eighth of a trivial cell's time, and
 * more of every default import at start. (javac also drops it whenever an option reaches the file
 * manager, and sets {@code --multi-release} before every task, so an unchanged value is not passed on.) The index only goes stale when the class path changes
 * ({@code %classpath}, {@code %jars}, {@code %maven} reach it through {@link #handleOption} or
 * a {@code setLocation} method), and then it is dropped here. Folders on the class path are listed
 * afresh by javac each time anyway (it indexes jars only), and cached source text is checked
 * against its file's modification time, so keeping the rest between tasks changes no result.
 */
final class IndexKeepingFileManager extends ForwardingJavaFileManager<StandardJavaFileManager>
        implements StandardJavaFileManager {

    private static final String MULTI_RELEASE = "--multi-release";

    /** The last --multi-release value passed on, or null before the first task. */
    private String multiRelease;

    /** Wraps {@code fileManager}, the one JShell made (see {@code JShell.Builder.fileManager}). */
    IndexKeepingFileManager(StandardJavaFileManager fileManager) {
        super(fileManager);
    }

    /** Keeps the class path index; see the class comment for why that is safe. */
    @Override
    public void flush() {
    }

    @Override
    public boolean handleOption(String current, Iterator<String> remaining) {
        if (MULTI_RELEASE.equals(current) && remaining.hasNext()) {
            // javac sets this before every task, and javac's file manager drops its index on any
            // option it handles; the same value again changes nothing else, so it is not passed on.
            String value = remaining.next();
            if (value.equals(multiRelease)) {
                return true;
            }
            multiRelease = value;
            remaining = List.of(value).iterator();
        }
        boolean handled = super.handleOption(current, remaining);
        if (handled) {
            forgetIndex(); // e.g. -classpath from JShell's addToClasspath: new jars, new packages
        }
        return handled;
    }

    private void forgetIndex() {
        try {
            fileManager.flush();
        } catch (IOException e) {
            throw new IllegalStateException("javac's file manager could not drop its class path index", e);
        }
    }

    @Override
    public Iterable<? extends JavaFileObject> getJavaFileObjectsFromFiles(Iterable<? extends File> files) {
        return fileManager.getJavaFileObjectsFromFiles(files);
    }

    @Override
    public Iterable<? extends JavaFileObject> getJavaFileObjectsFromPaths(Collection<? extends Path> paths) {
        return fileManager.getJavaFileObjectsFromPaths(paths);
    }

    @Override
    @Deprecated(since = "13")
    @SuppressWarnings("deprecation")
    public Iterable<? extends JavaFileObject> getJavaFileObjectsFromPaths(Iterable<? extends Path> paths) {
        return fileManager.getJavaFileObjectsFromPaths(paths);
    }

    @Override
    public Iterable<? extends JavaFileObject> getJavaFileObjects(File... files) {
        return fileManager.getJavaFileObjects(files);
    }

    @Override
    public Iterable<? extends JavaFileObject> getJavaFileObjects(Path... paths) {
        return fileManager.getJavaFileObjects(paths);
    }

    @Override
    public Iterable<? extends JavaFileObject> getJavaFileObjectsFromStrings(Iterable<String> names) {
        return fileManager.getJavaFileObjectsFromStrings(names);
    }

    @Override
    public Iterable<? extends JavaFileObject> getJavaFileObjects(String... names) {
        return fileManager.getJavaFileObjects(names);
    }

    @Override
    public void setLocation(Location location, Iterable<? extends File> files) throws IOException {
        fileManager.setLocation(location, files);
        forgetIndex();
    }

    @Override
    public void setLocationFromPaths(Location location, Collection<? extends Path> paths) throws IOException {
        fileManager.setLocationFromPaths(location, paths);
        forgetIndex();
    }

    @Override
    public void setLocationForModule(Location location, String moduleName, Collection<? extends Path> paths)
            throws IOException {
        fileManager.setLocationForModule(location, moduleName, paths);
        forgetIndex();
    }

    @Override
    public Iterable<? extends File> getLocation(Location location) {
        return fileManager.getLocation(location);
    }

    @Override
    public Iterable<? extends Path> getLocationAsPaths(Location location) {
        return fileManager.getLocationAsPaths(location);
    }

    @Override
    public Path asPath(FileObject file) {
        return fileManager.asPath(file);
    }

    @Override
    public void setPathFactory(PathFactory factory) {
        fileManager.setPathFactory(factory);
    }
}

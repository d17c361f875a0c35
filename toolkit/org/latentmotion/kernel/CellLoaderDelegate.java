package org.latentmotion.kernel;

import java.io.File;
import java.net.MalformedURLException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import jdk.jshell.execution.LoaderDelegate;
import jdk.jshell.spi.ExecutionControl.ClassBytecodes;
import jdk.jshell.spi.ExecutionControl.ClassInstallException;
import jdk.jshell.spi.ExecutionControl.InternalException;

/** JShell's hook for loading cell classes, backed by one {@link CellClassLoader}. */
final class CellLoaderDelegate implements LoaderDelegate {
    private final CellClassLoader loader;
    private final Map<String, Class<?>> loaded = new ConcurrentHashMap<>();
    private final OverwrittenVariables overwritten = new OverwrittenVariables();
    /** Entries the parent already sees (the kernel's own classpath): never added twice. */
    private final Set<Path> known = ConcurrentHashMap.newKeySet();

    CellLoaderDelegate(ClassLoader parent) {
        this.loader = new CellClassLoader(parent);
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                known.add(Paths.get(entry).toAbsolutePath().normalize());
            }
        }
    }

    CellClassLoader classLoader() {
        return loader;
    }

    /** Lets go of the values of variables declared again since (see {@link OverwrittenVariables}). */
    int releaseOverwrittenVariables() {
        return overwritten.release();
    }

    @Override
    public void load(ClassBytecodes[] cbcs) throws ClassInstallException {
        boolean[] installed = new boolean[cbcs.length];
        for (ClassBytecodes c : cbcs) {
            loader.declare(c.name(), c.bytecodes());
        }
        for (int i = 0; i < cbcs.length; i++) {
            try {
                Class<?> k = loader.loadClass(cbcs[i].name());
                loaded.put(cbcs[i].name(), k);
                overwritten.loaded(k);
                installed[i] = true;
            } catch (ClassNotFoundException | LinkageError e) {
                throw new ClassInstallException("could not load cell class " + cbcs[i].name() + ": " + e, installed);
            }
        }
    }

    @Override
    public void classesRedefined(ClassBytecodes[] cbcs) {
        for (ClassBytecodes c : cbcs) {
            loader.declare(c.name(), c.bytecodes());
        }
    }

    @Override
    public void addToClasspath(String path) throws InternalException {
        Set<Path> added = new HashSet<>();
        for (String entry : path.split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            Path p = Paths.get(entry).toAbsolutePath().normalize();
            if (known.add(p) && added.add(p)) {
                try {
                    loader.addURL(p.toUri().toURL());
                } catch (MalformedURLException e) {
                    throw new InternalException("not a usable classpath entry: " + entry);
                }
            }
        }
    }

    @Override
    public Class<?> findClass(String name) throws ClassNotFoundException {
        Class<?> k = loaded.get(name);
        return k != null ? k : loader.loadClass(name);
    }
}

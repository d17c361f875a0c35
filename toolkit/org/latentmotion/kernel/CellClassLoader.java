package org.latentmotion.kernel;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Loads the classes JShell compiles from cells, plus jars added with {@code %classpath},
 * {@code %jars} and {@code %maven}. Its parent is the kernel's own class loader and lookup is
 * parent-first, so a cell and the kernel share one copy of every toolkit class (the
 * {@code Notebook} display sink the kernel installs is the one cells call).
 */
final class CellClassLoader extends URLClassLoader {
    static {
        registerAsParallelCapable();
    }

    private final Map<String, byte[]> declared = new ConcurrentHashMap<>();

    CellClassLoader(ClassLoader parent) {
        super("latentmotion-cells", new URL[0], parent);
    }

    void declare(String name, byte[] bytecode) {
        declared.put(name, bytecode);
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] bytes = declared.get(name);
        if (bytes != null) {
            return defineClass(name, bytes, 0, bytes.length);
        }
        return super.findClass(name);
    }

    @Override
    public void addURL(URL url) {
        super.addURL(url);
    }
}

package org.latentmotion.kernel;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Lets go of the values of variables that a later cell declared again. JShell compiles each
 * declaration into a new wrapper class and leaves the old class's static field as it was, so a
 * cell {@code var clip = gan.sample(3000, seed);} run six times kept six minutes of codes (110 MB
 * each, off the heap) alive for as long as the kernel ran. The newest wrapper holding a variable
 * is the one JShell reads; older ones are unreachable from cell code.
 */
final class OverwrittenVariables {
    private static final String WRAPPER_PREFIX = "REPL.$JShell$";

    private final List<Class<?>> wrappers = Collections.synchronizedList(new ArrayList<>());
    private final Set<Field> released = Collections.newSetFromMap(new IdentityHashMap<>());

    /** Records a class JShell just loaded (only top-level cell wrappers matter). */
    void loaded(Class<?> k) {
        if (k.getName().startsWith(WRAPPER_PREFIX) && k.getEnclosingClass() == null) {
            wrappers.add(k);
        }
    }

    /** Clears every object-valued variable field that a newer wrapper declares again; returns how many. */
    int release() {
        List<Class<?>> newestFirst;
        synchronized (wrappers) {
            newestFirst = new ArrayList<>(wrappers);
        }
        Collections.reverse(newestFirst);
        Set<String> seen = new HashSet<>();
        int cleared = 0;
        for (Class<?> k : newestFirst) {
            for (Field f : k.getDeclaredFields()) {
                int m = f.getModifiers();
                if (!Modifier.isStatic(m) || f.isSynthetic()) {
                    continue;
                }
                if (seen.add(f.getName()) || f.getType().isPrimitive() || Modifier.isFinal(m) || released.contains(f)) {
                    continue; // the live declaration, or nothing to let go of
                }
                try {
                    f.setAccessible(true);
                    f.set(null, null);
                    released.add(f);
                    cleared++;
                } catch (ReflectiveOperationException | RuntimeException e) {
                    // a field JShell made unreachable but we cannot write: it keeps its value
                }
            }
        }
        return cleared;
    }
}

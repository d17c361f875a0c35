package org.latentmotion.kernel;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lets go of the values of variables that a later cell declared again. JShell compiles each
 * declaration into a new wrapper class and leaves the old class's static field as it was, so a
 * cell {@code var clip = gan.sample(3000, seed);} run six times kept six minutes of codes (110 MB
 * each, off the heap) alive for as long as the kernel ran. The newest wrapper holding a variable
 * is the one JShell reads; older ones are unreachable from cell code.
 */
final class OverwrittenVariables {
    private static final String WRAPPER_PREFIX = "REPL.$JShell$";

    /** Top-level cell wrappers loaded since the last {@link #release}, in load order. */
    private final List<Class<?>> fresh = new ArrayList<>();
    /** Each variable name's newest field (the live declaration). */
    private final Map<String, Field> live = new HashMap<>();

    /** Records a class JShell just loaded (only top-level cell wrappers matter). */
    synchronized void loaded(Class<?> k) {
        if (k.getName().startsWith(WRAPPER_PREFIX) && k.getEnclosingClass() == null) {
            fresh.add(k);
        }
    }

    /** Clears the object-valued fields that the wrappers loaded since the last call declare again; returns how many. */
    synchronized int release() {
        int cleared = 0;
        for (Class<?> k : fresh) {
            for (Field f : k.getDeclaredFields()) {
                if (!Modifier.isStatic(f.getModifiers()) || f.isSynthetic()) {
                    continue;
                }
                Field old = live.put(f.getName(), f);
                if (old != null && clear(old)) {
                    cleared++;
                }
            }
        }
        fresh.clear();
        return cleared;
    }

    private static boolean clear(Field f) {
        if (f.getType().isPrimitive() || Modifier.isFinal(f.getModifiers())) {
            return false; // nothing to let go of
        }
        try {
            f.setAccessible(true);
            f.set(null, null);
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false; // a field JShell made unreachable but we cannot write: it keeps its value
        }
    }
}

package org.latentmotion.motion;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;

/**
 * The model types checkpoints can be read as, by name: those listed as services of
 * {@link ModelType} (found once, on first use; the toolkit lists {@link StyleVideoGan}) and those
 * registered in this JVM. The {@link Trainer} registers the type of every model it checkpoints,
 * so a run can be resumed in the session that started it; a new session needs the type listed
 * or registered.
 */
public final class ModelTypes {
    private static final Map<String, ModelType> TYPES = new LinkedHashMap<>();
    private static boolean discovered;

    private ModelTypes() {
    }

    /**
     * Makes {@code type} known by its name; a type registered earlier under that name is replaced
     * (a notebook that redefines its model class registers the new one).
     */
    public static synchronized void register(ModelType type) {
        discover();
        TYPES.put(type.name(), type);
    }

    /**
     * The type named {@code name}.
     *
     * @throws IllegalArgumentException naming the known types and how to add one, if none has that name
     */
    public static synchronized ModelType named(String name) {
        discover();
        ModelType t = TYPES.get(name);
        if (t == null) {
            throw new IllegalArgumentException("model type '" + name + "': not registered; known types are " + names()
                    + " (register it with ModelTypes.register(ModelType.of(\"" + name + "\", YourModel::load)) or list it in"
                    + " META-INF/services/" + ModelType.class.getName() + ")");
        }
        return t;
    }

    /** The names of every known type, sorted. */
    public static synchronized Set<String> names() {
        discover();
        return new TreeSet<>(TYPES.keySet());
    }

    private static void discover() {
        if (discovered) {
            return;
        }
        discovered = true;
        try {
            for (ModelType t : ServiceLoader.load(ModelType.class, ModelType.class.getClassLoader())) {
                TYPES.putIfAbsent(t.name(), t);
            }
        } catch (ServiceConfigurationError e) {
            throw new IllegalStateException("model types: a listed ModelType could not be loaded (" + e.getMessage() + ")", e);
        }
    }
}

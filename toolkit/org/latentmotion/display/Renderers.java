package org.latentmotion.display;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * The renderer registry: turns any value into a {@link MimeBundle}.
 *
 * <p>Order of lookup: a {@link Displayable} renders itself; otherwise the nearest registered
 * renderer up the class hierarchy (superclasses first, then interfaces) is used; otherwise the
 * bundle holds {@code toString()} alone. text/plain is always present, so no value shows as an
 * empty output.
 */
public final class Renderers {
    private static final Map<Class<?>, BiConsumer<Object, MimeBundle>> REGISTRY = new ConcurrentHashMap<>();

    static {
        StandardRenderers.registerAll();
    }

    private Renderers() {
    }

    /** Registers how values of {@code type} (and its subtypes) render. */
    @SuppressWarnings("unchecked")
    public static <T> void register(Class<T> type, BiConsumer<? super T, MimeBundle> renderer) {
        REGISTRY.put(Objects.requireNonNull(type), (BiConsumer<Object, MimeBundle>) renderer);
    }

    /** The bundle for {@code value}, restricted to {@code mimeTypes} if any are given. */
    public static MimeBundle render(Object value, String... mimeTypes) {
        MimeBundle bundle = new MimeBundle(mimeTypes);
        bundle.text(String.valueOf(value));
        if (value instanceof Displayable d) {
            d.renderTo(bundle);
        } else if (value != null) {
            BiConsumer<Object, MimeBundle> renderer = lookup(value.getClass());
            if (renderer != null) {
                renderer.accept(value, bundle);
            }
        }
        return bundle;
    }

    static BiConsumer<Object, MimeBundle> lookup(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            BiConsumer<Object, MimeBundle> r = REGISTRY.get(c);
            if (r != null) {
                return r;
            }
        }
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                BiConsumer<Object, MimeBundle> r = lookupInterface(i);
                if (r != null) {
                    return r;
                }
            }
        }
        return null;
    }

    private static BiConsumer<Object, MimeBundle> lookupInterface(Class<?> iface) {
        BiConsumer<Object, MimeBundle> r = REGISTRY.get(iface);
        if (r != null) {
            return r;
        }
        for (Class<?> parent : iface.getInterfaces()) {
            r = lookupInterface(parent);
            if (r != null) {
                return r;
            }
        }
        return null;
    }
}

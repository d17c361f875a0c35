package org.latentmotion.motion;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A record's components as {@code name → text} and back: what model files and checkpoints store
 * their settings as. The names are the record's own, so a setting is written and read in one
 * place. Reading is strict: an unknown name, an unreadable value or a missing setting is an error
 * naming it (a setting added after files were first written may name the value that reproduces
 * those files instead). Public so the model zoo's subpackages ({@code motion.mocogan}, …) store
 * their settings the same way.
 */
public final class RecordProperties {
    private RecordProperties() {
    }

    /** The components of {@code record}, in declaration order, as text. */
    public static Map<String, String> write(Record record) {
        Map<String, String> out = new LinkedHashMap<>();
        for (RecordComponent c : record.getClass().getRecordComponents()) {
            try {
                out.put(c.getName(), String.valueOf(c.getAccessor().invoke(record)));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    /** {@code record}'s components as {@code name=value} lines, in declaration order: what model files store. */
    public static String text(Record record) {
        StringBuilder b = new StringBuilder();
        write(record).forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
        return b.toString();
    }

    /**
     * A {@code type} from {@link #text} output: {@code name=value} lines (blank lines skipped), read as
     * strictly as {@link #read} reads them; errors start with {@code what}.
     */
    public static <R extends Record> R parse(Class<R> type, String text, Map<String, Object> addedLater, String what) {
        Map<String, String> in = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException(what + " line without '=': " + line);
            }
            in.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
        }
        return read(type, in, addedLater, List.of(), what);
    }

    /**
     * A {@code type} from {@code in}; {@code addedLater} gives values for settings an older file may lack,
     * {@code ignored} names entries that belong to the file rather than the record; errors start with {@code what}.
     */
    public static <R extends Record> R read(Class<R> type, Map<String, String> in, Map<String, Object> addedLater,
                                     List<String> ignored, String what) {
        Map<String, String> left = new LinkedHashMap<>(in);
        ignored.forEach(left::remove);
        RecordComponent[] comps = type.getRecordComponents();
        Object[] args = new Object[comps.length];
        Class<?>[] types = new Class<?>[comps.length];
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < comps.length; i++) {
            RecordComponent c = comps[i];
            types[i] = c.getType();
            String text = left.remove(c.getName());
            if (text == null) {
                if (addedLater.containsKey(c.getName())) {
                    args[i] = addedLater.get(c.getName());
                } else {
                    missing.add(c.getName());
                }
                continue;
            }
            args[i] = value(c, text.trim(), what);
        }
        if (!left.isEmpty()) {
            throw new IllegalArgumentException(what + ": unknown names " + left.keySet());
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(what + ": missing " + missing + " (a truncated or foreign file; every setting"
                    + (addedLater.isEmpty() ? "" : " but " + addedLater.keySet()) + " must be given)");
        }
        try {
            Constructor<R> constructor = type.getDeclaredConstructor(types);
            constructor.setAccessible(true);
            return constructor.newInstance(args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException r) {
                throw r.getMessage().startsWith(what) ? r : new IllegalArgumentException(what + ": " + r.getMessage(), r);
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object value(RecordComponent c, String text, String what) {
        Class<?> t = c.getType();
        try {
            if (t == String.class) {
                return text;
            } else if (t == int.class) {
                return Integer.parseInt(text);
            } else if (t == long.class) {
                return Long.parseLong(text);
            } else if (t == double.class) {
                return Double.parseDouble(text);
            } else if (t == boolean.class && (text.equals("true") || text.equals("false"))) {
                return Boolean.parseBoolean(text);
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException(what + " " + c.getName() + ": cannot read '" + text + "' as " + t);
    }
}

package dev.lifeline.operator.cache;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.github.benmanes.caffeine.cache.Interner;

/**
 * Shares the values that a cached object holds in common with the others: its empty maps become one shared empty
 * map, its strings their interned copy. Every fabric8 model object carries its own {@code additionalProperties} map,
 * almost always empty, and a managedFields entry is a tree whose leaves are empty maps: a few hundred of them per
 * Deployment. Most strings repeat across platforms (label keys and values, image, port and probe names, the API
 * server's defaults), and so do maps of strings: a platform's labels and selectors appear a dozen times across its
 * objects. Maps of strings become one read-only copy for all. The cached objects are read, never changed (a
 * reconcile works on copies, and writes go to the API server), so an immutable empty map serves them all and
 * compares equal to a fresh one, an interned string equals the one it replaces, and a shared map of strings is
 * read-only: a mistaken change to a cached object fails at once instead of changing other objects.
 */
final class SharedValues {

    private static final Map<String, Object> SHARED = Collections.emptyMap();
    /**
     * One read-only copy of each map of strings (labels, selectors, annotations), held weakly: a platform's objects
     * carry the same labels and selectors several times over, and a map nobody caches any more is let go.
     */
    private static final Interner<Map<?, ?>> STRING_MAPS = Interner.newWeakInterner();
    /** Deeper than any Kubernetes object: a guard against a cycle, which model objects do not have. */
    private static final int MAX_DEPTH = 64;
    private static final ClassValue<List<Field>> FIELDS = new ClassValue<>() {
        @Override
        protected List<Field> computeValue(Class<?> type) {
            List<Field> fields = new ArrayList<>();
            for (Class<?> c = type; c != null && isModel(c); c = c.getSuperclass()) {
                for (Field field : c.getDeclaredFields()) {
                    if (!Modifier.isStatic(field.getModifiers()) && !field.getType().isPrimitive()) {
                        field.setAccessible(true);
                        fields.add(field);
                    }
                }
            }
            return List.copyOf(fields);
        }
    };

    private SharedValues() {
    }

    /** Shares the empty maps and strings of {@code object} and everything it holds; returns the same object. */
    static <T> T share(T object) {
        walk(object, 0);
        return object;
    }

    private static void walk(Object value, int depth) {
        if (value == null || depth > MAX_DEPTH) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            shareValues(map, depth);
        } else if (value instanceof List<?> list) {
            shareElements(list, depth);
        } else if (value instanceof Collection<?> collection) {
            collection.forEach(element -> walk(element, depth + 1));
        } else if (!(value instanceof Enum<?>) && isModel(value.getClass())) {
            for (Field field : FIELDS.get(value.getClass())) {
                shareField(value, field, depth);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void shareValues(Map<?, ?> map, int depth) {
        for (Map.Entry<Object, Object> entry : ((Map<Object, Object>) map).entrySet()) {
            if (entry.getValue() instanceof Map<?, ?> inner && inner.isEmpty()) {
                entry.setValue(SHARED);
            } else if (entry.getValue() instanceof String string && map instanceof HashMap<?, ?>) {
                entry.setValue(string.intern()); // the keys are interned already (Jackson interns field names)
            } else {
                walk(entry.getValue(), depth + 1);
            }
        }
    }

    /** The strings of a list (a container's args, a Service's finalizers), in place when the list can change. */
    @SuppressWarnings("unchecked")
    private static void shareElements(List<?> list, int depth) {
        if (list instanceof ArrayList<?>) {
            ((List<Object>) list).replaceAll(element -> element instanceof String string ? string.intern() : element);
        }
        list.forEach(element -> walk(element, depth + 1));
    }

    private static void shareField(Object owner, Field field, int depth) {
        try {
            Object value = field.get(owner);
            if (value instanceof Map<?, ?> map && map.isEmpty() && field.getType() == Map.class) {
                field.set(owner, SHARED);
            } else if (value instanceof Map<?, ?> map && field.getType() == Map.class && ofStrings(map)) {
                shareValues(map, depth);
                field.set(owner, STRING_MAPS.intern(Collections.unmodifiableMap(map)));
            } else if (value instanceof String string && !Modifier.isFinal(field.getModifiers())) {
                field.set(owner, string.intern());
            } else {
                walk(value, depth + 1);
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("fields of model classes are made accessible", e);
        }
    }

    /** A map of strings to strings, as it came from the API server (not one shared already). */
    private static boolean ofStrings(Map<?, ?> map) {
        if (!(map instanceof HashMap<?, ?>)) {
            return false;
        }
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getKey() instanceof String) || !(entry.getValue() instanceof String)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isModel(Class<?> type) {
        String name = type.getName();
        return name.startsWith("io.fabric8.kubernetes.api.model.") || name.startsWith("dev.lifeline.operator.api.");
    }
}

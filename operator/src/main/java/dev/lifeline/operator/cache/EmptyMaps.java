package dev.lifeline.operator.cache;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Replaces the empty maps of a cached object with one shared empty map. Every fabric8 model object carries its own
 * {@code additionalProperties} map, almost always empty, and a managedFields entry is a tree whose leaves are empty
 * maps: a few hundred of them per Deployment, a sixth of what the informer caches hold. The cached objects are read,
 * never changed (a reconcile works on copies, and writes go to the API server), so an immutable empty map serves
 * them all and compares equal to a fresh one.
 */
final class EmptyMaps {

    private static final Map<String, Object> SHARED = Collections.emptyMap();
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

    private EmptyMaps() {
    }

    /** Shares the empty maps of {@code object} and everything it holds; returns the same object. */
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
            } else {
                walk(entry.getValue(), depth + 1);
            }
        }
    }

    private static void shareField(Object owner, Field field, int depth) {
        try {
            Object value = field.get(owner);
            if (value instanceof Map<?, ?> map && map.isEmpty() && field.getType() == Map.class) {
                field.set(owner, SHARED);
            } else {
                walk(value, depth + 1);
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("fields of model classes are made accessible", e);
        }
    }

    private static boolean isModel(Class<?> type) {
        String name = type.getName();
        return name.startsWith("io.fabric8.kubernetes.api.model.") || name.startsWith("dev.lifeline.operator.api.");
    }
}

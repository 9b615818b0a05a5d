package dev.lifeline.operator.cache;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;

/**
 * One copy of each distinct managedFields tree. The tree of the operator's own apply names the fields it sets, not
 * their values, so it is the same for every platform's object of a kind (every media-server Deployment, every
 * signaling Service): a thousand platforms' caches hold a handful of distinct trees, a few hundred maps each, instead
 * of a thousand copies. The trees are read, never changed (java-operator-sdk's matcher reads them).
 */
final class FieldsTrees {

    /** Distinct trees kept; past this (many spec versions at once) a tree is cached as it came. */
    static final int MAX_TREES = 1024;
    private static final Map<Map<String, Object>, Map<String, Object>> TREES = new ConcurrentHashMap<>();

    private FieldsTrees() {
    }

    /** Replaces each entry's tree with the one copy of an equal tree. */
    static void share(Iterable<ManagedFieldsEntry> entries) {
        for (ManagedFieldsEntry entry : entries) {
            FieldsV1 fields = entry.getFieldsV1();
            if (fields != null && fields.getAdditionalProperties() != null) {
                fields.setAdditionalProperties(intern(fields.getAdditionalProperties()));
            }
        }
    }

    static Map<String, Object> intern(Map<String, Object> tree) {
        Map<String, Object> known = TREES.get(tree);
        if (known != null) {
            return known;
        }
        if (TREES.size() >= MAX_TREES) {
            return tree;
        }
        Map<String, Object> previous = TREES.putIfAbsent(tree, tree);
        return previous == null ? tree : previous;
    }

    static int size() {
        return TREES.size();
    }
}

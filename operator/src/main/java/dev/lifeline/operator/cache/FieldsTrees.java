package dev.lifeline.operator.cache;

import java.util.Map;

import com.github.benmanes.caffeine.cache.Interner;

import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;

/**
 * One copy of each distinct managedFields subtree. The tree of the operator's own apply names the fields it sets, not
 * their values, so it is the same for every platform's object of a kind (every media-server Deployment, every
 * signaling Service), except in its metadata branch, whose ownerReferences key names the owning platform's uid. So
 * the subtrees are shared, not only whole trees: a thousand platforms' caches hold one copy of each spec branch, a
 * few hundred maps per kind, and per object only the small branch that names its owner. The trees are read, never
 * changed (java-operator-sdk's matcher reads them).
 *
 * <p>The copies are held weakly: a subtree that no cached object holds any more (an older spec's, a deleted
 * platform's metadata branch) is let go, so the pool never outgrows the caches.
 */
final class FieldsTrees {

    private static final Interner<Map<String, Object>> TREES = Interner.newWeakInterner();

    private FieldsTrees() {
    }

    /** Replaces each entry's tree with one made of the one copy of each equal subtree. */
    static void share(Iterable<ManagedFieldsEntry> entries) {
        for (ManagedFieldsEntry entry : entries) {
            FieldsV1 fields = entry.getFieldsV1();
            if (fields != null && fields.getAdditionalProperties() != null) {
                fields.setAdditionalProperties(intern(fields.getAdditionalProperties()));
            }
        }
    }

    /** The one copy of {@code tree}, its subtrees shared first (so that trees differing in one branch share the rest). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> intern(Map<String, Object> tree) {
        if (tree.isEmpty()) {
            return tree; // one shared empty map already (SharedValues)
        }
        for (Map.Entry<String, Object> entry : tree.entrySet()) {
            if (entry.getValue() instanceof Map<?, ?> subtree && !subtree.isEmpty()) {
                Map<String, Object> shared = intern((Map<String, Object>) subtree);
                if (shared != subtree) {
                    entry.setValue(shared);
                }
            }
        }
        return TREES.intern(tree);
    }
}

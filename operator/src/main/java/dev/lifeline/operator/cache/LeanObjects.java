package dev.lifeline.operator.cache;

import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ObjectMeta;

/**
 * Trims an object before an informer caches it. {@code metadata.managedFields} is often as large as the object
 * itself (a map of every field each writer set), and kubectl's {@value #LAST_APPLIED} annotation is a second copy of
 * what the user applied.
 */
public final class LeanObjects {

    /** kubectl's client-side apply record: the whole applied object again, as JSON. */
    public static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
    /** The managedFields operation of a server-side apply. */
    static final String APPLY = "Apply";

    private LeanObjects() {
    }

    /** Drops every managedFields entry and the last-applied annotation; returns the same object. */
    public static <R extends HasMetadata> R withoutManagedFields(R object) {
        ObjectMeta meta = object.getMetadata();
        if (meta != null) {
            meta.setManagedFields(null);
            dropLastApplied(meta);
        }
        return object;
    }

    /**
     * Keeps only the managedFields entries of server-side applies (the operator's own, which java-operator-sdk's
     * server-side-apply matcher compares the desired object with) and drops the rest: the status writers' entries
     * (Deployment controller, kubelet, load-balancer controller) and the last-applied annotation.
     */
    public static <R extends HasMetadata> R withAppliedFieldsOnly(R object) {
        ObjectMeta meta = object.getMetadata();
        if (meta != null) {
            List<ManagedFieldsEntry> entries = meta.getManagedFields();
            if (entries != null && entries.stream().anyMatch(e -> !APPLY.equals(e.getOperation()))) {
                meta.setManagedFields(entries.stream().filter(e -> APPLY.equals(e.getOperation())).toList());
            }
            dropLastApplied(meta);
        }
        return object;
    }

    private static void dropLastApplied(ObjectMeta meta) {
        Map<String, String> annotations = meta.getAnnotations();
        if (annotations != null && annotations.containsKey(LAST_APPLIED)) {
            annotations.remove(LAST_APPLIED);
        }
    }
}

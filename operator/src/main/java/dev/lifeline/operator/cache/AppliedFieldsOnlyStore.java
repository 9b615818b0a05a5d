package dev.lifeline.operator.cache;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;

/**
 * The cache of the objects the operator applies server-side (its dependents): only the managedFields entries of
 * server-side applies, which the dependents' matcher needs ({@link LeanObjects#withAppliedFieldsOnly}), each subtree
 * of them once for all platforms ({@link FieldsTrees}), one empty map and one copy of each string for all
 * ({@link SharedValues}).
 */
public class AppliedFieldsOnlyStore<R extends HasMetadata> extends BasicItemStore<R> {

    public AppliedFieldsOnlyStore() {
        super(Cache::metaNamespaceKeyFunc);
    }

    @Override
    public R put(String key, R object) {
        R lean = SharedValues.share(LeanObjects.withAppliedFieldsOnly(object));
        if (lean.getMetadata() != null && lean.getMetadata().getManagedFields() != null) {
            FieldsTrees.share(lean.getMetadata().getManagedFields());
        }
        return super.put(key, lean);
    }
}

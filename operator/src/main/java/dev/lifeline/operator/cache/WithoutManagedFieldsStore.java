package dev.lifeline.operator.cache;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;

/**
 * The cache of objects the operator reads but never applies (the platforms themselves, the workloads' pods): no
 * managedFields, no last-applied annotation ({@link LeanObjects#withoutManagedFields}), one empty map and one copy
 * of each string for all ({@link SharedValues}).
 */
public class WithoutManagedFieldsStore<R extends HasMetadata> extends BasicItemStore<R> {

    public WithoutManagedFieldsStore() {
        super(Cache::metaNamespaceKeyFunc);
    }

    @Override
    public R put(String key, R object) {
        return super.put(key, SharedValues.share(LeanObjects.withoutManagedFields(object)));
    }
}

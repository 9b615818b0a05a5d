package dev.lifeline.operator.workload;

import dev.lifeline.operator.OperatorRegion;
import dev.lifeline.operator.api.RealtimePlatform;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * Reconcile precondition of every workload: the operator's own region is one of
 * {@code spec.regions}. When a region is removed from the list, its workloads are removed too
 * (the status then says RegionNotListed).
 */
public class RegionListedCondition implements Condition<Object, RealtimePlatform> {

    public static boolean isListed(RealtimePlatform platform, String region) {
        return platform.getSpec().regions.stream().anyMatch(r -> region.equals(r.name));
    }

    @Override
    public boolean isMet(DependentResource<Object, RealtimePlatform> dependentResource, RealtimePlatform primary,
            Context<RealtimePlatform> context) {
        return isListed(primary, OperatorRegion.current());
    }
}

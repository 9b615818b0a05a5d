package dev.lifeline.operator.workload;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.lifeline.operator.api.Component;
import dev.lifeline.operator.api.RealtimePlatform;

/** The app.kubernetes.io/* labels on everything Lifeline creates. */
public final class WorkloadLabels {

    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY_VALUE = "lifeline-operator";
    /** Informers only watch resources carrying this label: the operator never caches other workloads. */
    public static final String MANAGED_SELECTOR = MANAGED_BY + "=" + MANAGED_BY_VALUE;
    public static final String REGION = "lifeline.dev/region";
    /*
     * One informer per dependent: each selects only its own component's resources, so that two
     * Deployments (or Services) of one platform never show up in the same event source.
     */
    public static final String MEDIA_SERVER_SELECTOR = MANAGED_SELECTOR + ",app.kubernetes.io/component=media-server";
    public static final String SIGNALING_SELECTOR = MANAGED_SELECTOR + ",app.kubernetes.io/component=signaling";

    private WorkloadLabels() {
    }

    /** Stable labels that select a component's pods. Never change them: Deployment selectors are immutable. */
    public static Map<String, String> selector(RealtimePlatform platform, Component component) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("app.kubernetes.io/name", "lifeline-" + component.label());
        labels.put("app.kubernetes.io/instance", platform.getMetadata().getName());
        labels.put("app.kubernetes.io/component", component.label());
        return labels;
    }

    /** All labels of a component's resources and pods. */
    public static Map<String, String> of(RealtimePlatform platform, Component component, String region) {
        Map<String, String> labels = selector(platform, component);
        labels.put("app.kubernetes.io/part-of", "lifeline");
        labels.put(MANAGED_BY, MANAGED_BY_VALUE);
        labels.put(REGION, region);
        return labels;
    }

    /** Labels of resources shared by both components (the configuration ConfigMap). */
    public static Map<String, String> shared(RealtimePlatform platform, String region) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("app.kubernetes.io/name", "lifeline");
        labels.put("app.kubernetes.io/instance", platform.getMetadata().getName());
        labels.put("app.kubernetes.io/part-of", "lifeline");
        labels.put(MANAGED_BY, MANAGED_BY_VALUE);
        labels.put(REGION, region);
        return labels;
    }
}

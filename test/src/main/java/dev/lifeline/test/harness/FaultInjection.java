package dev.lifeline.test.harness;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

/**
 * An active {@link PodFault} on the pods of one namespace that match a label selector. It labels
 * the pods ({@link PodFault#LABEL}); kwok's stages turn the label into the kubelet's behaviour.
 * With {@link PodFault#includeNewPods()} an informer labels every new matching pod too, until
 * {@link #heal()}. Healing removes the label, and kwok brings the containers back to Ready
 * (keeping their restart counts). At most one fault per pod at a time.
 */
public final class FaultInjection implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FaultInjection.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;
    private final String namespace;
    private final Map<String, String> selector;
    private final PodFault fault;
    private final Set<String> affected = new LinkedHashSet<>();
    private SharedIndexInformer<Pod> informer;
    private boolean healed;

    private FaultInjection(KubernetesClient client, String namespace, Map<String, String> selector, PodFault fault) {
        this.client = client;
        this.namespace = namespace;
        this.selector = Map.copyOf(selector);
        this.fault = fault;
    }

    static FaultInjection inject(KubernetesClient client, String namespace, Map<String, String> selector,
            PodFault fault) {
        if (selector.isEmpty()) {
            throw new IllegalArgumentException("a fault needs a non-empty pod label selector");
        }
        FaultInjection injection = new FaultInjection(client, namespace, selector, fault);
        if (fault.includeNewPods()) {
            // The informer lists the existing pods first (onAdd), then sees every new one.
            injection.informer = client.pods().inNamespace(namespace).withLabels(selector)
                    .inform(new ResourceEventHandler<>() {
                        @Override
                        public void onAdd(Pod pod) {
                            injection.mark(pod);
                        }

                        @Override
                        public void onUpdate(Pod oldPod, Pod pod) {
                            injection.mark(pod);
                        }

                        @Override
                        public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
                        }
                    }, 0);
        } else {
            client.pods().inNamespace(namespace).withLabels(selector).list().getItems().forEach(injection::mark);
        }
        LOG.info("Fault {} injected into pods {} in namespace {}", fault, selector, namespace);
        return injection;
    }

    public PodFault fault() {
        return fault;
    }

    /** Names of the pods this fault has been applied to so far. */
    public synchronized Set<String> affectedPods() {
        return Set.copyOf(affected);
    }

    private synchronized void mark(Pod pod) {
        if (healed || pod.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        Map<String, String> labels = pod.getMetadata().getLabels();
        String name = pod.getMetadata().getName();
        if (labels != null && fault.kind().labelValue().equals(labels.get(PodFault.LABEL))) {
            affected.add(name);
            return;
        }
        Map<String, Object> annotations = new LinkedHashMap<>();
        annotations.put(PodFault.CRASH_INTERVAL_ANNOTATION, fault.crashIntervalValue());
        Map<String, Object> labelPatch = new LinkedHashMap<>();
        labelPatch.put(PodFault.LABEL, fault.kind().labelValue());
        if (patch(name, labelPatch, annotations)) {
            affected.add(name);
        }
    }

    /** Ends the fault: no new pod gets it, and every pod that has it loses it. Idempotent. */
    public void heal() {
        synchronized (this) {
            if (healed) {
                return;
            }
            healed = true;
        }
        if (informer != null) {
            informer.stop();
        }
        Map<String, String> faulty = new LinkedHashMap<>(selector);
        faulty.put(PodFault.LABEL, fault.kind().labelValue());
        for (Pod pod : client.pods().inNamespace(namespace).withLabels(faulty).list().getItems()) {
            Map<String, Object> remove = new LinkedHashMap<>();
            remove.put(PodFault.LABEL, null);
            Map<String, Object> removeAnnotation = new LinkedHashMap<>();
            removeAnnotation.put(PodFault.CRASH_INTERVAL_ANNOTATION, null);
            patch(pod.getMetadata().getName(), remove, removeAnnotation);
        }
        LOG.info("Fault {} healed on pods {} in namespace {}", fault, selector, namespace);
    }

    @Override
    public void close() {
        heal();
    }

    /** JSON merge patch of labels and annotations; false when the pod is gone. */
    private boolean patch(String pod, Map<String, Object> labels, Map<String, Object> annotations) {
        try {
            String body = JSON.writeValueAsString(Map.of("metadata", Map.of("labels", labels,
                    "annotations", annotations)));
            client.pods().inNamespace(namespace).withName(pod).patch(PatchContext.of(PatchType.JSON_MERGE), body);
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return false;
            }
            throw e;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

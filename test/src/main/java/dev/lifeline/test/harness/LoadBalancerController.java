package dev.lifeline.test.harness;

import java.util.Locale;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

/**
 * The simulated region's cloud provider for Services of type LoadBalancer: as the AWS load
 * balancer controller does for a network load balancer, it writes a DNS name into
 * {@code status.loadBalancer.ingress} as soon as the Service exists (an NLB gets its name before
 * it has healthy targets). Names are {@code <name>-<namespace>.elb.<region>.lifeline.test}, in
 * the reserved .test domain.
 */
final class LoadBalancerController implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LoadBalancerController.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;
    private final String region;
    private final SharedIndexInformer<Service> informer;

    LoadBalancerController(KubernetesClient client, String region) {
        this.client = client;
        this.region = region;
        this.informer = client.services().inAnyNamespace().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Service service) {
                provision(service);
            }

            @Override
            public void onUpdate(Service oldService, Service service) {
                provision(service);
            }

            @Override
            public void onDelete(Service service, boolean deletedFinalStateUnknown) {
            }
        }, 0);
    }

    static String hostname(String region, String namespace, String name) {
        String label = (name + "-" + namespace).toLowerCase(Locale.ROOT);
        if (label.length() > 63) {
            label = label.substring(0, 63);
        }
        return label + ".elb." + region + ".lifeline.test";
    }

    private void provision(Service service) {
        if (!"LoadBalancer".equals(service.getSpec().getType())
                || service.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        var status = service.getStatus() == null ? null : service.getStatus().getLoadBalancer();
        if (status != null && status.getIngress() != null && !status.getIngress().isEmpty()) {
            return;
        }
        String namespace = service.getMetadata().getNamespace();
        String name = service.getMetadata().getName();
        String hostname = hostname(region, namespace, name);
        try {
            String body = JSON.writeValueAsString(Map.of("status", Map.of("loadBalancer",
                    Map.of("ingress", java.util.List.of(Map.of("hostname", hostname))))));
            client.services().inNamespace(namespace).withName(name).subresource("status")
                    .patch(PatchContext.of(PatchType.JSON_MERGE), body);
            LOG.info("Load balancer {} for Service {}/{} in {}", hostname, namespace, name, region);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                LOG.warn("Cannot set the load balancer of Service {}/{}", namespace, name, e);
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        informer.stop();
    }
}

package dev.lifeline.operator.events;

import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Writes Kubernetes Events about a resource. A repeated event (same object, type, reason and
 * message) bumps the count of the existing Event instead of creating a new one, as kubectl
 * users expect. Recording an event never fails the caller.
 */
@ApplicationScoped
public class EventRecorder {

    public static final String COMPONENT = "lifeline-operator";
    private static final Logger LOG = Logger.getLogger(EventRecorder.class);

    private final KubernetesClient client;

    public EventRecorder(KubernetesClient client) {
        this.client = client;
    }

    public void normal(HasMetadata about, String reason, String message) {
        record(about, "Normal", reason, message);
    }

    public void warning(HasMetadata about, String reason, String message) {
        record(about, "Warning", reason, message);
    }

    private void record(HasMetadata about, String type, String reason, String message) {
        String namespace = about.getMetadata().getNamespace();
        String name = eventName(about, type, reason, message);
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        var events = client.v1().events().inNamespace(namespace);
        try {
            // Create first: most Events are new (one per condition transition), so a read before each would double
            // the requests; a repeat answers 409 and only then is the existing one read and counted up.
            events.resource(new EventBuilder()
                    .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                    .withNewInvolvedObject()
                    .withApiVersion(about.getApiVersion()).withKind(about.getKind())
                    .withName(about.getMetadata().getName()).withNamespace(namespace)
                    .withUid(about.getMetadata().getUid())
                    .endInvolvedObject()
                    .withType(type).withReason(reason).withMessage(truncate(message))
                    .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                    .withNewSource().withComponent(COMPONENT).endSource()
                    .withReportingComponent(COMPONENT)
                    .build()).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                countRepeat(events.withName(name), type, reason, now);
                return;
            }
            LOG.warnf("Could not record %s event %s on %s/%s: %s", type, reason, namespace,
                    about.getMetadata().getName(), e.getMessage());
        }
    }

    private void countRepeat(Resource<Event> event, String type, String reason, String now) {
        try {
            event.edit(e -> new EventBuilder(e).withCount(e.getCount() == null ? 2 : e.getCount() + 1)
                    .withLastTimestamp(now).build());
        } catch (KubernetesClientException e) {
            LOG.warnf("Could not count a repeated %s event %s: %s", type, reason, e.getMessage());
        }
    }

    /** Deterministic per (object, type, reason, message) so that repeats aggregate. */
    static String eventName(HasMetadata about, String type, String reason, String message) {
        String key = about.getMetadata().getUid() + "/" + type + "/" + reason + "/" + message;
        return about.getMetadata().getName() + "."
                + UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString().substring(0, 13).replace("-", "");
    }

    private static String truncate(String message) {
        return message.length() <= 1024 ? message : message.substring(0, 1021) + "...";
    }
}

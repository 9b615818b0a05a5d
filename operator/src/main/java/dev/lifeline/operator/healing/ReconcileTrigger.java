package dev.lifeline.operator.healing;

import org.jboss.logging.Logger;

import dev.lifeline.operator.api.RealtimePlatform;
import dev.lifeline.operator.memory.PlatformKey;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The event source through which the {@link HeartbeatLoop} asks for a platform's self-healing step at once (a peer
 * suspected, a peer's vote or phase changed), between the steps the reconciler schedules itself.
 */
@ApplicationScoped
public class ReconcileTrigger {

    public static final String NAME = "heartbeat-detector";
    private static final Logger LOG = Logger.getLogger(ReconcileTrigger.class);

    private final SimpleInboundEventSource<RealtimePlatform> source = new SimpleInboundEventSource<>(NAME);

    /** For the reconciler's event sources. */
    public EventSource<Void, RealtimePlatform> source() {
        return source;
    }

    public void reconcile(PlatformKey platform) {
        try {
            source.propagateEvent(new ResourceID(platform.name(), platform.namespace()));
        } catch (RuntimeException e) {
            // Before the controller has started its event sources: its own first reconcile follows anyway.
            LOG.debugf("No step triggered for %s yet: %s", platform, e.toString());
        }
    }
}

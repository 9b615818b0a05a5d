package dev.lifeline.operator.health;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The in-memory twin of {@link SocketEndpointProbe}: the endpoints it is told answer do, nothing else does. */
public final class InMemoryEndpointProbe implements EndpointProbe {

    private final Set<String> answering = ConcurrentHashMap.newKeySet();

    /** From now on, {@code endpoint} (a signaling health URL, or a relay's host:port) answers or not. */
    public void answers(String endpoint, boolean answers) {
        if (answers) {
            answering.add(endpoint);
        } else {
            answering.remove(endpoint);
        }
    }

    @Override
    public boolean anyAnswers(Target target) {
        return (target.signalingHealth() != null && answering.contains(target.signalingHealth()))
                || target.relays().stream().anyMatch(r -> answering.contains(r.getHostString() + ":" + r.getPort()));
    }
}

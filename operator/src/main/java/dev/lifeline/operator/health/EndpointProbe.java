package dev.lifeline.operator.health;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * A direct probe of a peer region's public endpoints, from this region: signaling's HTTP health and the relays' UDP
 * PING. It tells whether the region's service answers, whatever its operator does. {@link SocketEndpointProbe} probes
 * for real; {@link InMemoryEndpointProbe} answers as told, for tests and local runs where nothing can be probed.
 */
public interface EndpointProbe {

    /**
     * What to probe in one region.
     *
     * @param signalingHealth {@code http://host:port/path} of signaling's health (Route 53's target), or {@code null}
     * @param relays relay addresses as the relays report them in their heartbeats (UDP)
     */
    record Target(String signalingHealth, List<InetSocketAddress> relays) {
        public Target {
            relays = List.copyOf(relays);
        }

        public boolean isEmpty() {
            return signalingHealth == null && relays.isEmpty();
        }
    }

    /** True when any endpoint of {@code target} answered within the probe's timeout. */
    boolean anyAnswers(Target target);
}

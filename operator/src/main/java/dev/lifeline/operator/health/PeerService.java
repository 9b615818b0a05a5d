package dev.lifeline.operator.health;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

import dev.lifeline.operator.policy.ServiceSignal;
import dev.lifeline.sessiontable.InstanceHeartbeat;

/**
 * Pure: the parts of a peer's {@link dev.lifeline.operator.policy.ServiceEvidence} that come from its instances'
 * heartbeats: whether one is fresh, and where its relays and signaling can be probed.
 */
public final class PeerService {

    private PeerService() {
    }

    /**
     * {@link ServiceSignal#ANSWERS} when a media or signaling instance of the region wrote a heartbeat within
     * {@code staleAfter}, {@link ServiceSignal#SILENT} otherwise (none, or all stale).
     */
    public static ServiceSignal instances(Collection<InstanceHeartbeat> heartbeats, Instant now, Duration staleAfter) {
        Instant freshSince = now.minus(staleAfter);
        return heartbeats.stream().anyMatch(h -> !h.updatedAt().isBefore(freshSince)) ? ServiceSignal.ANSWERS
                : ServiceSignal.SILENT;
    }

    /** The relays' reported addresses, newest heartbeat first; malformed addresses are skipped. */
    public static List<InetSocketAddress> relayAddresses(Collection<InstanceHeartbeat> heartbeats) {
        return heartbeats.stream().filter(h -> InstanceHeartbeat.MEDIA.equals(h.role()))
                .sorted((a, b) -> b.updatedAt().compareTo(a.updatedAt()))
                .map(h -> address(h.address())).filter(Objects::nonNull).distinct().toList();
    }

    /** {@code http://target:port/path}, or {@code null} without a target. */
    public static String signalingHealth(String target, int port, String path) {
        if (target == null || target.isBlank()) {
            return null;
        }
        String p = path == null || path.isEmpty() ? "/" : path.startsWith("/") ? path : "/" + path;
        return "http://" + target + ":" + port + p;
    }

    static InetSocketAddress address(String hostPort) {
        if (hostPort == null) {
            return null;
        }
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1) {
            return null;
        }
        try {
            int port = Integer.parseInt(hostPort.substring(colon + 1));
            if (port < 1 || port > 65535) {
                return null;
            }
            return InetSocketAddress.createUnresolved(hostPort.substring(0, colon), port);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}

package dev.lifeline.media.signaling;

import java.net.InetSocketAddress;

/** {@code host:port} as written in heartbeats and session items. */
public final class HostPort {

    private HostPort() {
    }

    public static InetSocketAddress parse(String hostPort) {
        int colon = hostPort == null ? -1 : hostPort.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("not host:port: " + hostPort);
        }
        try {
            int port = Integer.parseInt(hostPort.substring(colon + 1));
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("bad port: " + hostPort);
            }
            return new InetSocketAddress(hostPort.substring(0, colon), port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port: " + hostPort, e);
        }
    }
}

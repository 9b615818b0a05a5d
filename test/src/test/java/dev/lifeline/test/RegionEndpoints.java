package dev.lifeline.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.sun.net.httpserver.HttpServer;

import dev.lifeline.media.packet.PacketFormat;

/**
 * The public endpoints of each simulated region (whose pods run no media-server): signaling's health over HTTP and
 * one relay's UDP PING, answered as the media-server answers them ({@link PacketFormat}). Region i listens on its
 * own loopback address 127.0.0.(i+1), all on one HTTP port (the platform has one health-check port) and one UDP
 * port. The operators' direct probes and moto's Route 53 health checks (it checks loopback targets for real) reach
 * them; {@link #stop} takes a region's endpoints off the network, as a lost region's, and {@link #start} brings them
 * back.
 */
final class RegionEndpoints implements AutoCloseable {

    private static final int BIND_ATTEMPTS = 10;

    private final Map<String, String> addresses = new LinkedHashMap<>();
    private final Map<String, HttpServer> signaling = new ConcurrentHashMap<>();
    private final Map<String, DatagramSocket> relays = new ConcurrentHashMap<>();
    private int httpPort;
    private int udpPort;

    private RegionEndpoints(List<String> regions) {
        for (int i = 0; i < regions.size(); i++) {
            addresses.put(regions.get(i), "127.0.0." + (i + 1));
        }
    }

    /** Starts every region's endpoints on ports free on all of their addresses. */
    static RegionEndpoints start(List<String> regions) {
        RegionEndpoints endpoints = new RegionEndpoints(regions);
        for (int attempt = 1; ; attempt++) {
            try {
                endpoints.pickPorts();
                regions.forEach(endpoints::start);
                return endpoints;
            } catch (UncheckedIOException e) {
                // a port free on 127.0.0.1 can be taken on another loopback address: try other ports
                endpoints.close();
                if (attempt == BIND_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private void pickPorts() {
        try (var http = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                var udp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            httpPort = http.getLocalPort();
            udpPort = udp.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The region's DNS target (its record's value and health-check address). */
    String address(String region) {
        return addresses.get(region);
    }

    /** The port signaling's health answers on (spec.dns.healthCheck.port). */
    int healthPort() {
        return httpPort;
    }

    /** host:port of the region's relay, as the relay reports it in its heartbeat. */
    String relayAddress(String region) {
        return addresses.get(region) + ":" + udpPort;
    }

    /** The region's endpoints answer (again). */
    void start(String region) {
        InetAddress host;
        try {
            host = InetAddress.getByName(addresses.get(region));
            HttpServer http = HttpServer.create(new InetSocketAddress(host, httpPort), 0);
            http.createContext("/", exchange -> {
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
            http.start();
            signaling.put(region, http);
            DatagramSocket udp = new DatagramSocket(new InetSocketAddress(host, udpPort));
            relays.put(region, udp);
            Thread responder = new Thread(() -> answerPings(udp), "relay-endpoint-" + region);
            responder.setDaemon(true);
            responder.start();
        } catch (BindException e) {
            throw new UncheckedIOException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The region's endpoints stop answering: nothing listens on them any more. */
    void stop(String region) {
        HttpServer http = signaling.remove(region);
        if (http != null) {
            http.stop(0);
        }
        DatagramSocket udp = relays.remove(region);
        if (udp != null) {
            udp.close();
        }
    }

    private static void answerPings(DatagramSocket udp) {
        byte[] buffer = new byte[PacketFormat.MAX_PACKET];
        while (!udp.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                udp.receive(packet);
            } catch (SocketException closed) {
                return;
            } catch (IOException e) {
                continue;
            }
            ByteBuffer in = ByteBuffer.wrap(packet.getData(), 0, packet.getLength());
            if (packet.getLength() == PacketFormat.PING_LENGTH && in.get() == PacketFormat.PING) {
                byte[] pong = ByteBuffer.allocate(PacketFormat.PONG_LENGTH).put(PacketFormat.PONG)
                        .putLong(in.getLong()).put(PacketFormat.STATUS_SERVING).array();
                try {
                    udp.send(new DatagramPacket(pong, pong.length, packet.getSocketAddress()));
                } catch (IOException e) {
                    // the prober is gone; it counts no answer
                }
            }
        }
    }

    @Override
    public void close() {
        List.copyOf(signaling.keySet()).forEach(this::stop);
        List.copyOf(relays.keySet()).forEach(this::stop);
    }
}

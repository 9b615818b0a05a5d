package dev.lifeline.media.instance;


import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import dev.lifeline.media.packet.DropReason;
import dev.lifeline.media.relay.BindingTable;
import dev.lifeline.media.relay.RelayCore;
import dev.lifeline.media.relay.RelayCounters;
import dev.lifeline.media.relay.RelayServer;
import dev.lifeline.media.token.TokenCodec;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** The media role: runs the UDP relay and reports its load. */
@ApplicationScoped
public class MediaRole implements RoleStats {

    @Inject
    LifelineConfig config;
    @Inject
    TokenCodec tokens;
    @Inject
    @Named("instanceId")
    String instanceId;
    @Inject
    MeterRegistry registry;

    private final RelayCounters counters = new RelayCounters();
    private RelayCore core;
    private RelayServer server;
    private long lastReceived;
    private long lastForwarded;
    private long lastOverload;
    private long lastTakeNanos = System.nanoTime();

    void start() throws InterruptedException {
        int maxBindings = Math.min(BindingTable.MAX_BINDINGS,
                config.media().capacity() * config.media().maxParticipantsPerSession());
        core = new RelayCore(instanceId, tokens, new BindingTable(maxBindings), counters, RelayCore.EpochClock.SYSTEM);
        int threads = config.media().threads() > 0 ? config.media().threads() : Runtime.getRuntime().availableProcessors();
        server = new RelayServer(core, threads, config.media().bindHost()).start(config.media().bindHost(), config.media().udpPort());
        registerMetrics();
    }

    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** Removes bindings of clients that vanished without a LEAVE (crashed, moved and lost the LEAVE). */
    void expireIdle() {
        core.table().expireIdle(System.nanoTime(), config.media().idleTimeout().toNanos());
    }

    public RelayServer server() {
        return server;
    }

    @Override
    public String role() {
        return "media";
    }

    @Override
    public String address() {
        return config.media().advertisedHost() + ":" + server.port();
    }

    @Override
    public int sessions() {
        return core.table().sessionCount();
    }

    @Override
    public int capacity() {
        return config.media().capacity();
    }

    @Override
    public synchronized double takePacketsPerSecond() {
        long now = System.nanoTime();
        long received = counters.received.sum();
        double seconds = Math.max(1e-3, (now - lastTakeNanos) / 1e9);
        double rate = (received - lastReceived) / seconds;
        lastReceived = received;
        lastTakeNanos = now;
        return rate;
    }

    /** Share of forwarded copies the relay itself had to drop (send queue full) since the last call. */
    @Override
    public synchronized double takeLossRatio() {
        long forwarded = counters.forwarded.sum();
        long overload = counters.overloadDropped.sum();
        long attempts = (forwarded - lastForwarded) + (overload - lastOverload);
        double ratio = attempts == 0 ? 0 : (double) (overload - lastOverload) / attempts;
        lastForwarded = forwarded;
        lastOverload = overload;
        return ratio;
    }

    @Override
    public double takeEventLoopLagMillis() {
        return server.takeMaxLagMillis();
    }

    @Override
    public boolean empty() {
        return core.table().bindingCount() == 0;
    }

    @Override
    public void nudgeClientsToMove() {
        core.startDraining();
        server.sendGoAway();
    }

    @Override
    public boolean overloaded() {
        return sessions() >= capacity();
    }

    private void registerMetrics() {
        FunctionCounter.builder("lifeline.relay.packets.received", counters.received, a -> a.sum()).register(registry);
        FunctionCounter.builder("lifeline.relay.packets.forwarded", counters.forwarded, a -> a.sum()).register(registry);
        FunctionCounter.builder("lifeline.relay.packets.overload.dropped", counters.overloadDropped, a -> a.sum())
                .description("forwarded copies dropped because the socket send queue was full").register(registry);
        for (DropReason reason : DropReason.values()) {
            FunctionCounter.builder("lifeline.relay.packets.dropped", counters, c -> c.dropped(reason))
                    .tag("reason", reason.name().toLowerCase(java.util.Locale.ROOT)).register(registry);
        }
        Gauge.builder("lifeline.relay.bindings", core.table(), t -> t.bindingCount()).register(registry);
        Gauge.builder("lifeline.relay.sockets", server, s -> s.sockets()).register(registry);
        Gauge.builder("lifeline.relay.native.epoll", server, s -> s.nativeEpoll() ? 1 : 0).register(registry);
        Gauge.builder("lifeline.relay.batched.io", server, s -> s.transport() == RelayServer.Transport.BATCHED ? 1 : 0)
                .register(registry);
    }

}

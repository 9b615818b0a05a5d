package dev.lifeline.media.instance;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.lifeline.media.protocol.ClientMessage;
import dev.lifeline.media.protocol.ProtocolCodec;
import dev.lifeline.media.protocol.ProtocolException;
import dev.lifeline.media.protocol.ServerMessage;
import dev.lifeline.media.session.DynamoSessionStore;
import dev.lifeline.media.session.RelaySelector;
import dev.lifeline.media.signaling.RelayDirectory;
import dev.lifeline.media.signaling.SessionService;
import dev.lifeline.media.signaling.SignalingEndpoints;
import dev.lifeline.media.signaling.SignalingRefused;
import dev.lifeline.media.signaling.UdpRelayProbe;
import dev.lifeline.media.token.ReplayGuard;
import dev.lifeline.media.token.TokenCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.websockets.next.OpenConnections;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.Vertx;

/**
 * The signaling role: turns WebSocket frames into {@link SessionService} calls and replies. A
 * closed connection is not a leave: the participant may resume on any signaling instance.
 */
@ApplicationScoped
public class SignalingRole implements RoleStats {

    private static final Logger LOG = Logger.getLogger(SignalingRole.class);
    private static final long LAG_PROBE_MILLIS = 50;
    private static final long SETTLE_CHECK_MILLIS = 1000;
    /** The {@code moved} reason that asks a client to resume on the same signaling: its session settled elsewhere. */
    public static final String SUPERSEDED = "superseded";

    @Inject
    LifelineConfig config;
    @Inject
    TokenCodec tokens;
    @Inject
    DynamoSessionStore store;
    @Inject
    MeterRegistry registry;
    @Inject
    OpenConnections connections;
    @Inject
    Vertx vertx;
    @ConfigProperty(name = "quarkus.http.port")
    int httpPort;

    private final ProtocolCodec codec = new ProtocolCodec();
    private final Map<String, SessionService.Participant> participants = new ConcurrentHashMap<>();
    private final LongAdder frames = new LongAdder();
    private final AtomicLong maxLagNanos = new AtomicLong();
    private final ScheduledExecutorService settlement = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "lifeline-settlement-check");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean draining;
    private SessionService service;
    private long lastFrames;
    private long lastTakeNanos = System.nanoTime();

    void start() {
        List<String> regions = config.regions().filter(r -> !r.isEmpty()).orElse(List.of(config.region()));
        RelaySelector selector = new RelaySelector(new RelaySelector.Duration(config.heartbeat().staleAfter().toMillis()),
                java.util.concurrent.ThreadLocalRandom.current());
        SignalingEndpoints endpoints = SignalingEndpoints.parse(config.region(),
                config.signaling().endpoints().orElse(List.of()));
        if (!endpoints.skipped().isEmpty()) {
            LOG.warnf("LIFELINE_SIGNALING_ENDPOINTS: skipping entries that are not region=ws://host:port/path: %s",
                    endpoints.skipped());
        }
        service = new SessionService(tokens, new ReplayGuard(1_000_000), store, store,
                new RelayDirectory(store, regions, 500, System::currentTimeMillis), selector,
                new UdpRelayProbe(Duration.ofMillis(150), 2, Duration.ofMillis(500)), config.region(),
                config.signaling().resumeTokenSeconds(), config.signaling().mediaTokenSeconds(), System::currentTimeMillis,
                endpoints.ordered());
        settlement.scheduleWithFixedDelay(this::moveSuperseded, SETTLE_CHECK_MILLIS, SETTLE_CHECK_MILLIS,
                TimeUnit.MILLISECONDS);
        long[] expected = {System.nanoTime() + LAG_PROBE_MILLIS * 1_000_000};
        vertx.setPeriodic(LAG_PROBE_MILLIS, id -> {
            long lag = System.nanoTime() - expected[0];
            expected[0] = System.nanoTime() + LAG_PROBE_MILLIS * 1_000_000;
            maxLagNanos.accumulateAndGet(Math.max(0, lag), Math::max);
        });
        Gauge.builder("lifeline.signaling.participants", participants, Map::size).register(registry);
    }

    /** Handles one text frame; always answers with one frame (a reply or an error), never throws. */
    public String onFrame(String connectionId, String frame) {
        frames.increment();
        String type = "invalid";
        try {
            ClientMessage message = codec.parse(frame);
            if (message instanceof ClientMessage.Join join) {
                type = "join";
                refuseWhileDraining();
                SessionService.Result result = service.join(join.token());
                participants.put(connectionId, result.participant());
                return reply(type, "ok", result.reply());
            }
            if (message instanceof ClientMessage.Resume resume) {
                type = "resume";
                refuseWhileDraining();
                SessionService.Result result = service.resume(resume.token(), resume.failedRelayId(), resume.epoch());
                participants.put(connectionId, result.participant());
                return reply(type, "ok", result.reply());
            }
            type = "leave";
            SessionService.Participant participant = participants.remove(connectionId);
            if (participant == null) {
                return reply(type, "not_joined", new ServerMessage.Error("not_joined", "join before leaving"));
            }
            service.leave(participant);
            return reply(type, "ok", new ServerMessage.Left(participant.sessionId()));
        } catch (ProtocolException e) {
            return reply(type, e.code(), new ServerMessage.Error(e.code(), e.getMessage()));
        } catch (SignalingRefused e) {
            return reply(type, e.code(), new ServerMessage.Error(e.code(), e.getMessage()));
        } catch (RuntimeException e) {
            // The session table unreachable or similar: the client retries with backoff.
            LOG.warnf("signaling %s failed: %s", type, e.toString());
            return reply(type, "unavailable", new ServerMessage.Error("unavailable", "try again"));
        }
    }

    /**
     * Tells the participants connected here whose session settled on another assignment (a concurrent takeover
     * in another region won) to resume: they get the winning one, so one call never spans two relays for long.
     */
    private void moveSuperseded() {
        try {
            Set<SessionService.Participant> superseded = service.superseded(config.signaling().settleWindow().toMillis());
            if (superseded.isEmpty()) {
                return;
            }
            String moved = codec.write(new ServerMessage.Moved(SUPERSEDED));
            participants.forEach((connectionId, participant) -> {
                if (superseded.contains(participant)) {
                    connections.findByConnectionId(connectionId).ifPresent(connection ->
                            connection.sendText(moved).subscribe().with(ok -> { }, failure -> { }));
                }
            });
        } catch (RuntimeException e) {
            // The table unreachable: the next check tries again.
            LOG.debugf("settlement check failed: %s", e.toString());
        }
    }

    public void onClose(String connectionId) {
        participants.remove(connectionId);
    }

    public boolean accepting() {
        return !draining;
    }

    private void refuseWhileDraining() throws SignalingRefused {
        if (draining) {
            throw new SignalingRefused("draining", "this instance is draining; resume on another");
        }
    }

    private String reply(String type, String outcome, ServerMessage message) {
        Counter.builder("lifeline.signaling.requests").tag("type", type).tag("outcome", outcome)
                .register(registry).increment();
        return codec.write(message);
    }

    @Override
    public String role() {
        return "signaling";
    }

    @Override
    public String address() {
        return config.signaling().advertisedAddress().orElse(config.media().advertisedHost() + ":" + httpPort);
    }

    @Override
    public int sessions() {
        return participants.size();
    }

    @Override
    public int capacity() {
        return config.signaling().capacity();
    }

    @Override
    public synchronized double takePacketsPerSecond() {
        long now = System.nanoTime();
        long count = frames.sum();
        double rate = (count - lastFrames) / Math.max(1e-3, (now - lastTakeNanos) / 1e9);
        lastFrames = count;
        lastTakeNanos = now;
        return rate;
    }

    @Override
    public double takeLossRatio() {
        return 0;
    }

    @Override
    public double takeEventLoopLagMillis() {
        return maxLagNanos.getAndSet(0) / 1_000_000.0;
    }

    @Override
    public boolean empty() {
        return connections.listAll().isEmpty();
    }

    @Override
    public void nudgeClientsToMove() {
        draining = true;
        String moved = codec.write(new ServerMessage.Moved("draining"));
        for (WebSocketConnection connection : connections.listAll()) {
            connection.sendText(moved).subscribe().with(ok -> { }, failure -> { });
        }
    }

    @Override
    public boolean overloaded() {
        return sessions() >= capacity();
    }
}

package dev.lifeline.media.instance;

import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.jboss.logging.Logger;

import dev.lifeline.media.session.DynamoSessionStore;
import dev.lifeline.sessiontable.InstanceHeartbeat;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Starts the configured role, publishes its heartbeat, and drains it. Heartbeats and the drain run
 * on this class's own thread, not the Quarkus scheduler, because they must keep going while
 * Quarkus shuts down on SIGTERM.
 */
@ApplicationScoped
public class InstanceLifecycle {

    private static final Logger LOG = Logger.getLogger(InstanceLifecycle.class);
    private static final long DRAIN_TICK_MILLIS = 500;

    @Inject
    LifelineConfig config;
    @Inject
    MediaRole media;
    @Inject
    SignalingRole signaling;
    @Inject
    DynamoSessionStore store;
    @Inject
    @Named("instanceId")
    String instanceId;
    @Inject
    MeterRegistry registry;

    private final AtomicBoolean draining = new AtomicBoolean();
    private final CountDownLatch drained = new CountDownLatch(1);
    private ScheduledExecutorService timer;
    private RoleStats role;
    private volatile long drainDeadlineNanos;
    private volatile double lastLagMillis;
    private volatile boolean started;

    void onStart(@Observes StartupEvent event) throws InterruptedException {
        if ("signaling".equals(config.role())) {
            signaling.start();
            role = signaling;
        } else if ("media".equals(config.role())) {
            media.start();
            role = media;
        } else {
            throw new IllegalStateException("lifeline.role must be media or signaling, not " + config.role());
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lifeline-heartbeat");
            t.setDaemon(true);
            return t;
        });
        long interval = config.heartbeat().interval().toMillis();
        timer.scheduleAtFixedRate(this::heartbeat, 0, interval, TimeUnit.MILLISECONDS);
        if (role == media) {
            timer.scheduleAtFixedRate(media::expireIdle, 1, 1, TimeUnit.SECONDS);
        }
        Gauge.builder("lifeline.instance.draining", draining, d -> d.get() ? 1 : 0).register(registry);
        Gauge.builder("lifeline.instance.sessions", this, l -> l.role.sessions()).register(registry);
        Gauge.builder("lifeline.instance.event.loop.lag.millis", this, l -> l.lastLagMillis).register(registry);
        started = true;
        LOG.infof("lifeline %s instance %s started in %s at %s", role.role(), instanceId, config.region(), role.address());
    }

    /**
     * SIGTERM, first phase: Quarkus fires this before it closes any server (it needs
     * {@code quarkus.shutdown.delay-enabled}), so WebSocket clients can still be told to move and
     * relayed media keeps flowing while they do. Blocking here holds the shutdown until drained.
     */
    void onShutdownStarting(@Observes ShutdownDelayInitiatedEvent event) throws InterruptedException {
        drainAndWait();
    }

    /** SIGTERM, last phase: a no-op after the first phase, a fallback drain if that phase was off. */
    void onShutdown(@Observes ShutdownEvent event) throws InterruptedException {
        drainAndWait();
        if (timer != null) {
            timer.shutdownNow();
        }
        media.stop();
    }

    private void drainAndWait() throws InterruptedException {
        if (!started) {
            return;
        }
        startDrain();
        drained.await(config.drain().deadline().toMillis() + 1000, TimeUnit.MILLISECONDS);
    }

    /** Starts a drain (idempotent). Returns false when one was already running. */
    public boolean startDrain() {
        if (!draining.compareAndSet(false, true)) {
            return false;
        }
        drainDeadlineNanos = System.nanoTime() + config.drain().deadline().toNanos();
        LOG.infof("draining: %d sessions, deadline %s", role.sessions(), config.drain().deadline());
        role.nudgeClientsToMove();
        // Publish at once: signaling must stop assigning this instance before the next tick.
        timer.execute(this::heartbeat);
        timer.scheduleWithFixedDelay(this::drainTick, DRAIN_TICK_MILLIS, DRAIN_TICK_MILLIS, TimeUnit.MILLISECONDS);
        return true;
    }

    private void drainTick() {
        boolean deadline = System.nanoTime() >= drainDeadlineNanos;
        if (role.empty() || deadline) {
            if (drained.getCount() == 0) {
                return;
            }
            LOG.infof("drain finished (%s); exiting", deadline ? "deadline, " + role.sessions() + " sessions left" : "empty");
            heartbeat();
            drained.countDown();
            Quarkus.asyncExit(0);
        } else {
            role.nudgeClientsToMove();
        }
    }

    public boolean draining() {
        return draining.get();
    }

    public boolean overloaded() {
        return role != null && (role.overloaded() || lastLagMillis > config.media().overloadLagMillis());
    }

    public boolean ready() {
        return started && !draining() && !overloaded();
    }

    public RoleStats role() {
        return role;
    }

    private void heartbeat() {
        try {
            lastLagMillis = role.takeEventLoopLagMillis();
            long now = System.currentTimeMillis();
            store.publish(new InstanceHeartbeat(role.role(), config.region(), instanceId, role.address(),
                    role.sessions(), role.capacity(), role.takePacketsPerSecond(), role.takeLossRatio(),
                    lastLagMillis, ready(), draining(), Instant.ofEpochMilli(now)));
        } catch (RuntimeException e) {
            // The table may be briefly unreachable; the next tick tries again.
            LOG.warnf("heartbeat not published: %s", e.toString());
        }
    }
}

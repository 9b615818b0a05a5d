package dev.lifeline.operator.healing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import dev.lifeline.operator.api.RealtimePlatform;
import dev.lifeline.operator.api.RegionSpec;
import dev.lifeline.operator.health.CoordinationStore;
import dev.lifeline.operator.health.OperatorHeartbeat;
import dev.lifeline.operator.health.PeerDetectors;
import dev.lifeline.operator.health.SignalCollector;
import dev.lifeline.operator.memory.PlatformKey;
import dev.lifeline.operator.memory.PlatformMemory;
import dev.lifeline.operator.policy.Decisions;
import dev.lifeline.operator.policy.EffectivePolicy;
import dev.lifeline.operator.policy.Observations;
import dev.lifeline.operator.policy.Phase;
import dev.lifeline.operator.policy.Suspicion;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The light loop between self-healing steps, per multi-region platform this leader steps: every
 * {@code spec.failover.detection.heartbeatIntervalMillis} it reads the peers' heartbeats (one BatchGetItem), feeds the
 * failure detectors ({@link PeerDetectors}), and writes this region's heartbeat (one PutItem) with the phase and load
 * of the last step and the peers it suspects (its vote). It decides nothing itself: it asks for a full step at once
 * ({@link ReconcileTrigger}) when a suspicion rises or falls, when a peer's vote or phase changes, and on every tick
 * while a peer is suspected but not yet stale (the step checks the suspected region's data plane each time). So
 * detection is sub-second without a full reconcile of every platform every 500 ms. A look is also scheduled for the
 * moment a peer would become suspected, so that suspicion is not late by up to one interval, and looks come twice as
 * often while a peer is suspected (reads only; the heartbeat is still written once per interval).
 */
@ApplicationScoped
public class HeartbeatLoop {

    private static final Logger LOG = Logger.getLogger(HeartbeatLoop.class);
    /** The shortest wait between two looks at one platform. */
    static final Duration MIN_GAP = Duration.ofMillis(20);
    static final int LOOP_THREADS = 4;

    /** What one platform's loop needs, refreshed by every step. */
    record Target(String table, String region, List<String> regions, EffectivePolicy.Detection detection,
            Duration staleAfter) {
    }

    private static final class Watched {
        volatile Target target;
        Set<String> suspects = Set.of();
        Map<String, String> peerState = Map.of();
        volatile Instant lastPublished;
        volatile boolean looked;
        final AtomicBoolean writing = new AtomicBoolean();
        boolean scheduled;
    }

    private final CoordinationStore coordination;
    private final PeerDetectors detectors;
    private final PlatformMemory memory;
    private final ReconcileTrigger trigger;
    private final Clock clock = Clock.systemUTC();
    private final Map<PlatformKey, Watched> watched = new ConcurrentHashMap<>();
    /**
     * A few threads, so that one platform whose table calls hang (an unreachable endpoint: the AWS call policy's
     * retries) does not hold up the others' heartbeats; one platform's looks never overlap (each schedules the next).
     */
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(LOOP_THREADS, r -> {
        Thread thread = new Thread(r, "heartbeat-loop");
        thread.setDaemon(true);
        return thread;
    });

    public HeartbeatLoop(CoordinationStore coordination, PeerDetectors detectors, PlatformMemory memory,
            ReconcileTrigger trigger) {
        this.coordination = coordination;
        this.detectors = detectors;
        this.memory = memory;
        this.trigger = trigger;
    }

    /** Starts (or refreshes) the loop of a platform with peers, from its latest spec; called by each step. */
    public void watch(RealtimePlatform platform, String region) {
        PlatformKey key = PlatformKey.of(platform);
        EffectivePolicy policy = EffectivePolicy.of(platform.getSpec());
        Target target = new Target(platform.getSpec().sessionStore.tableName, region,
                platform.getSpec().regions.stream().map((RegionSpec r) -> r.name).toList(), policy.detection(),
                policy.staleAfter());
        Watched w = watched.computeIfAbsent(key, k -> new Watched());
        w.target = target;
        synchronized (w) {
            if (!w.scheduled) {
                w.scheduled = true;
                timer.schedule(() -> tick(key), target.detection().heartbeatInterval().toMillis(),
                        TimeUnit.MILLISECONDS);
            }
        }
    }

    /** Stops the loop of a platform (deleted, this region no longer listed, no peers left). */
    public void unwatch(PlatformKey key) {
        watched.remove(key);
        detectors.forget(key);
    }

    /** The peers this region suspects now: the vote its heartbeats carry. */
    public Set<String> suspects(PlatformKey key, Instant now, double threshold) {
        return detectors.suspicions(key, now, threshold).entrySet().stream().filter(e -> e.getValue().suspected())
                .map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * Whether the detectors learn from this loop's looks: then a step's own read of the heartbeats must not feed them,
     * because arrivals seen at the steps' irregular times, mixed with the loop's regular ones, widen the deviation the
     * detectors learn, and a wider one suspects a silent region later.
     */
    public boolean feedsDetectors(PlatformKey key) {
        Watched w = watched.get(key);
        return w != null && w.looked;
    }

    /**
     * Whether a step should write this region's heartbeat itself: when it brings news (the phase changed), before the
     * loop's first write, or when the loop has not written for two intervals (its writes fail, or it lags). Otherwise
     * the loop's next write, at most one interval away, carries the step's results.
     */
    boolean stepShouldPublish(PlatformKey key, boolean phaseChanged, Instant now) {
        Watched w = watched.get(key);
        if (w == null || w.lastPublished == null || phaseChanged) {
            return true;
        }
        Target t = w.target;
        return now.isAfter(w.lastPublished.plus(t.detection().heartbeatInterval().multipliedBy(2)));
    }

    /** Remembers that a step just wrote the heartbeat (the loop's next write can wait a full interval). */
    void stepPublished(PlatformKey key, Instant at) {
        Watched w = watched.get(key);
        if (w != null) {
            w.lastPublished = at;
        }
    }

    private void tick(PlatformKey key) {
        Watched w = watched.get(key);
        if (w == null) {
            return;
        }
        Target t = w.target;
        Instant started = clock.instant();
        try {
            look(key, w, t, started);
        } catch (RuntimeException e) {
            // The detectors see no arrival and their suspicion rises; a table this region cannot read is the step's
            // to report, and a region that suspects every peer is isolated and concludes nothing.
            LOG.debugf("%s: heartbeat loop: %s", key, e.toString());
        } finally {
            schedule(key, w, t, started);
        }
    }

    private void look(PlatformKey key, Watched w, Target t, Instant started) {
        Map<String, OperatorHeartbeat> read = coordination.read(t.table(), t.region(), t.regions());
        // Arrivals and suspicion are timed when the read answered: a slow read must not make a heartbeat look late.
        Instant now = clock.instant();
        detectors.observe(key, t.region(), read, now, t.detection());
        w.looked = true;
        Map<String, Suspicion> suspicions = detectors.suspicions(key, now, t.detection().phiThreshold());
        Set<String> suspects = suspicions.entrySet().stream().filter(e -> e.getValue().suspected())
                .map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));
        if (w.lastPublished == null || !started.isBefore(w.lastPublished.plus(t.detection().heartbeatInterval())
                .minus(MIN_GAP)) || !suspects.equals(w.suspects)) {
            publishAside(key, w, t, read, suspects, started);
        }
        Map<String, String> peerState = read.entrySet().stream().filter(e -> !e.getKey().equals(t.region()))
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().phase() + " suspects "
                        + (e.getValue().suspects() == null ? "-" : new TreeSet<>(e.getValue().suspects()))));
        boolean changed = !suspects.equals(w.suspects) || !peerState.equals(w.peerState);
        boolean confirming = suspects.stream().map(read::get)
                .anyMatch(h -> h == null || !now.isAfter(h.at().plus(t.staleAfter())));
        if (!suspects.equals(w.suspects)) {
            LOG.infof("%s: suspected peers %s -> %s (%s; %s)", key, w.suspects, suspects, suspicions,
                    detectors.describe(key));
        }
        w.suspects = suspects;
        w.peerState = peerState;
        if (changed || confirming) {
            trigger.reconcile(key);
        }
    }

    /**
     * Writes the heartbeat on another of the loop's threads, so that the next look is not held up by the write: a
     * look that waited for its write (together about 0.5 s on a busy emulator) ran the scheduled look at the moment
     * of suspicion half a second late. One write per platform at a time; a write still under way skips this one.
     */
    private void publishAside(PlatformKey key, Watched w, Target t, Map<String, OperatorHeartbeat> read,
            Set<String> suspects, Instant at) {
        if (!w.writing.compareAndSet(false, true)) {
            return;
        }
        timer.execute(() -> {
            try {
                publish(key, t, read, suspects, at).ifPresent(published -> w.lastPublished = published);
            } catch (RuntimeException e) {
                LOG.debugf("%s: heartbeat loop write: %s", key, e.toString());
            } finally {
                w.writing.set(false);
            }
        });
    }

    /** This region's heartbeat with the last step's phase and load; none before this process's first step. */
    private Optional<Instant> publish(PlatformKey key, Target t, Map<String, OperatorHeartbeat> read,
            Set<String> suspects, Instant now) {
        Optional<Decisions> latest = memory.latest(key.namespace(), key.name());
        if (latest.isEmpty()) {
            return Optional.empty();
        }
        Optional<Observations.RegionObservation> own = memory.observations(key.namespace(), key.name())
                .map(o -> o.regions().get(t.region())).filter(Objects::nonNull);
        Phase phase = latest.get().localPhase();
        coordination.publish(t.table(), t.region(), new OperatorHeartbeat(t.region(), now, phase,
                own.map(Observations.RegionObservation::activeSessions).orElse(null),
                own.map(Observations.RegionObservation::capacity).orElse(null),
                SignalCollector.peerView(t.region(), t.regions(), read), suspects));
        return Optional.of(now);
    }

    private void schedule(PlatformKey key, Watched w, Target t, Instant started) {
        if (watched.get(key) != w) {
            return;
        }
        Instant now = clock.instant();
        // While a peer is suspected, look twice as often: the other regions' votes (the quorum) are seen sooner.
        Duration interval = w.suspects.isEmpty() ? t.detection().heartbeatInterval()
                : t.detection().heartbeatInterval().dividedBy(2);
        Instant next = started.plus(interval);
        Optional<Instant> suspicion = detectors.nextSuspicion(key, now, t.detection().phiThreshold());
        if (suspicion.isPresent() && suspicion.get().isBefore(next)) {
            next = suspicion.get();
        }
        long delay = Math.max(MIN_GAP.toMillis(), Duration.between(now, next).toMillis());
        timer.schedule(() -> tick(key), delay, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }
}

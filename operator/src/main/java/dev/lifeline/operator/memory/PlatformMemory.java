package dev.lifeline.operator.memory;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.lifeline.operator.api.DrillStatus;
import dev.lifeline.operator.api.RealtimePlatform;
import dev.lifeline.operator.api.RealtimePlatformStatus;
import dev.lifeline.operator.aws.AwsResources;
import dev.lifeline.operator.policy.Decisions;
import dev.lifeline.operator.policy.EngineState;
import dev.lifeline.operator.policy.Observations;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Everything the operator remembers of a platform between reconciles that status does not hold, in
 * one place so that deleting the platform forgets all of it ({@link #forget}): the decision engine's
 * state, its latest decisions and the observations they came from (for the REST API; sessions change
 * every interval, so they stay out of status), the status last written, the latest drill, and the
 * values behind the platform's gauges. Breaker states and the drill are also in status, so a restarted
 * or newly elected operator resumes them (see EngineState.fromStatus).
 */
@ApplicationScoped
public class PlatformMemory {

    private final Map<PlatformKey, PlatformEntry> entries = new ConcurrentHashMap<>();
    private final MeterRegistry meters;
    private final AwsResources aws;

    public PlatformMemory(MeterRegistry meters, AwsResources aws) {
        this.meters = meters;
        this.aws = aws;
    }

    public Optional<EngineState> state(RealtimePlatform platform) {
        return latest(PlatformKey.of(platform)).map(Decisions::state);
    }

    public void remember(RealtimePlatform platform, Decisions decisions, Observations observations) {
        entry(platform).lastStep = new PlatformEntry.LastStep(decisions, observations);
    }

    public Optional<Decisions> latest(String namespace, String name) {
        return latest(new PlatformKey(namespace, name));
    }

    public Optional<Observations> observations(String namespace, String name) {
        return lastStep(new PlatformKey(namespace, name)).map(PlatformEntry.LastStep::observations);
    }

    /**
     * The status a reconcile builds on: the cached one, unless the cache still shows the version the last
     * written status was built from (the watch event of our own write has not arrived yet). Building on that
     * stale copy would drop the history entries just written.
     */
    public RealtimePlatformStatus currentStatus(RealtimePlatform platform) {
        Optional<PlatformEntry> entry = find(PlatformKey.of(platform));
        PlatformEntry.WrittenStatus last = entry.map(e -> e.written.get()).orElse(null);
        if (last == null) {
            return platform.getStatus();
        }
        if (Objects.equals(last.basedOnResourceVersion(), platform.getMetadata().getResourceVersion())) {
            return last.status();
        }
        // The cache has moved past the version the write was built from, and resourceVersions never come back:
        // the copy is of no more use. A thousand platforms' copies would be megabytes of heap (scale benchmark).
        // Only this copy is dropped; a status written meanwhile by another thread stays.
        entry.get().written.compareAndSet(last, null);
        return platform.getStatus();
    }

    /** Remembers a status about to be written for {@code platform} (as it was read by this reconcile). */
    public void statusWritten(RealtimePlatform platform, RealtimePlatformStatus status) {
        entry(platform).written.set(new PlatformEntry.WrittenStatus(platform.getMetadata().getResourceVersion(), status));
    }

    /** The latest drill as this operator last saw it (status may not have caught up yet). */
    public Optional<DrillStatus> drill(RealtimePlatform platform) {
        return find(PlatformKey.of(platform)).map(e -> e.drill);
    }

    public void rememberDrill(RealtimePlatform platform, DrillStatus drill) {
        entry(platform).drill = drill;
    }

    /**
     * Sets a gauge of the platform. The value is only remembered here: PlatformGauges reads it at each scrape, with
     * the platform's namespace and name as labels. A Micrometer gauge per value cost about a kilobyte of heap each
     * (the composite and the Prometheus registry each keep an id, tags and map entries), 14 MB for a thousand
     * platforms' thirteen gauges (scale benchmark).
     */
    public void gauge(RealtimePlatform platform, String name, Tags tags, long value) {
        entry(platform).gauges.put(new PlatformGauge(name, tags), value);
    }

    /** Visits every platform's gauges with their latest values (PlatformGauges, at each scrape). */
    public void forEachGauge(GaugeVisitor visitor) {
        entries.forEach((key, entry) -> entry.gauges.forEach((gauge, value) -> visitor.visit(key, gauge, value)));
    }

    /** What {@link #forEachGauge} calls for each gauge. */
    @FunctionalInterface
    public interface GaugeVisitor {
        void visit(PlatformKey platform, PlatformGauge gauge, long value);
    }

    /**
     * The platform is gone: drops everything remembered of it (its gauges with it), removes its meters (the
     * failover timers, found by their platform tags) and the AWS side's caches of it.
     */
    public void forget(RealtimePlatform platform) {
        PlatformKey key = PlatformKey.of(platform);
        entries.remove(key);
        List<Meter> own = meters.getMeters().stream().filter(meter -> key.tags(meter.getId())).toList();
        own.forEach(meters::remove);
        aws.forget(platform);
    }

    private Optional<Decisions> latest(PlatformKey key) {
        return lastStep(key).map(PlatformEntry.LastStep::decisions);
    }

    private Optional<PlatformEntry.LastStep> lastStep(PlatformKey key) {
        return find(key).map(e -> e.lastStep);
    }

    private Optional<PlatformEntry> find(PlatformKey key) {
        return Optional.ofNullable(entries.get(key));
    }

    private PlatformEntry entry(RealtimePlatform platform) {
        return entries.computeIfAbsent(PlatformKey.of(platform), k -> new PlatformEntry());
    }
}

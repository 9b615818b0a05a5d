package dev.lifeline.operator.memory;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.lifeline.operator.api.RealtimePlatform;
import dev.lifeline.operator.api.RealtimePlatformStatus;
import dev.lifeline.operator.policy.Decisions;
import dev.lifeline.operator.policy.EngineState;
import dev.lifeline.operator.policy.Observations;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What the operator remembers between reconciles of a platform that status does not hold: the
 * decision engine's state, its latest decisions and the observations they came from (for the REST
 * API; sessions change every interval, so they stay out of status). Breaker states are also
 * in status, so a restarted or newly elected operator resumes them (see EngineState.fromStatus).
 */
@ApplicationScoped
public class PlatformMemory {

    private final Map<String, EngineState> states = new ConcurrentHashMap<>();
    private final Map<String, Decisions> latest = new ConcurrentHashMap<>();
    private final Map<String, Observations> observed = new ConcurrentHashMap<>();

    public static String key(RealtimePlatform platform) {
        return platform.getMetadata().getNamespace() + "/" + platform.getMetadata().getName();
    }

    public Optional<EngineState> state(RealtimePlatform platform) {
        return Optional.ofNullable(states.get(key(platform)));
    }

    public void remember(RealtimePlatform platform, Decisions decisions, Observations observations) {
        states.put(key(platform), decisions.state());
        latest.put(key(platform), decisions);
        observed.put(key(platform), observations);
    }

    public Optional<Decisions> latest(String namespace, String name) {
        return Optional.ofNullable(latest.get(namespace + "/" + name));
    }

    public Optional<Observations> observations(String namespace, String name) {
        return Optional.ofNullable(observed.get(namespace + "/" + name));
    }

    /** A status this operator wrote, and the resourceVersion of the platform it was built from. */
    private record WrittenStatus(String basedOnResourceVersion, RealtimePlatformStatus status) {
    }

    private final Map<String, WrittenStatus> written = new ConcurrentHashMap<>();

    /**
     * The status a reconcile builds on: the cached one, unless the cache still shows the version the last
     * written status was built from (the watch event of our own write has not arrived yet). Building on that
     * stale copy would drop the history entries just written.
     */
    public RealtimePlatformStatus currentStatus(RealtimePlatform platform) {
        WrittenStatus last = written.get(key(platform));
        if (last != null && Objects.equals(last.basedOnResourceVersion(), platform.getMetadata().getResourceVersion())) {
            return last.status();
        }
        return platform.getStatus();
    }

    /** Remembers a status about to be written for {@code platform} (as it was read by this reconcile). */
    public void statusWritten(RealtimePlatform platform, RealtimePlatformStatus status) {
        written.put(key(platform), new WrittenStatus(platform.getMetadata().getResourceVersion(), status));
    }

    public void forget(RealtimePlatform platform) {
        written.remove(key(platform));
        states.remove(key(platform));
        latest.remove(key(platform));
        observed.remove(key(platform));
    }
}

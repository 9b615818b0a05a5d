package dev.lifeline.operator.policy;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import dev.lifeline.operator.api.BreakerStatus;
import dev.lifeline.operator.api.Component;

/**
 * Everything the engine remembers between decisions, for the local region. Immutable; each
 * {@link DecisionEngine#decide} returns the next one.
 *
 * <p>What survives an operator restart or leader change: the breakers, through {@code status.regions[].breakers}
 * ({@link #breakerStatuses()} / {@link #fromStatus}). The rest is rebuilt: the reroute state from the observed DNS
 * weight of the local record (see {@link RerouteStep#rebuilt}), the sample windows, restart budget, forecast and scale
 * history from fresh observations. See the package README for what persisting more would need.
 *
 * @param lastDecisionAt time of the previous decision (the engine never lets time run backwards)
 * @param breakers breaker per component of the local region
 * @param lastSampleAt when each component was last sampled (one sample per heartbeat interval)
 * @param restarts restart budget per component of the local region
 * @param reroute the local record's reroute state, {@code null} until the first decision
 * @param peerDrainsIssued when this operator last decided to drain each quorum-down peer's record
 * @param forecast the sessions forecast of the local region, {@code null} until the first sample
 * @param scaleHistory media-server replica recommendations, {@code null} until the first decision
 * @param overloadedSince since when most local relays' event loops lag (or the last replica added for it), or
 *        {@code null}
 */
public record EngineState(Instant lastDecisionAt, Map<Component, BreakerState> breakers,
        Map<Component, Instant> lastSampleAt, Map<Component, RestartBudget.State> restarts, RerouteState reroute,
        Map<String, Instant> peerDrainsIssued, HoltForecast forecast, ScaleHistory scaleHistory,
        Map<String, PeerPeak> peerPeaks, Instant overloadedSince) {

    public EngineState {
        breakers = immutableEnumMap(breakers);
        lastSampleAt = immutableEnumMap(lastSampleAt);
        restarts = immutableEnumMap(restarts);
        peerDrainsIssued = peerDrainsIssued == null ? Map.of() : Map.copyOf(peerDrainsIssued);
        peerPeaks = peerPeaks == null ? Map.of() : Map.copyOf(peerPeaks);
    }

    /** No memory: a fresh operator. */
    public static EngineState initial() {
        return new EngineState(null, Map.of(), Map.of(), Map.of(), null, Map.of(), null, null, Map.of(), null);
    }

    /** A fresh operator that continues the breakers persisted in {@code status.regions[local].breakers}. */
    public static EngineState fromStatus(List<BreakerStatus> localBreakers, Instant now) {
        return new EngineState(null, BreakerStatusCodec.fromStatus(localBreakers, now), Map.of(), Map.of(), null,
                Map.of(), null, null, Map.of(), null);
    }

    /** The breakers for {@code status.regions[local].breakers}. */
    public List<BreakerStatus> breakerStatuses() {
        return BreakerStatusCodec.toStatus(breakers);
    }

    public BreakerState breaker(Component c) {
        return breakers.get(c);
    }

    private static <V> Map<Component, V> immutableEnumMap(Map<Component, V> m) {
        if (m == null || m.isEmpty()) {
            return Map.of();
        }
        EnumMap<Component, V> copy = new EnumMap<>(Component.class);
        copy.putAll(m);
        return java.util.Collections.unmodifiableMap(copy);
    }
}

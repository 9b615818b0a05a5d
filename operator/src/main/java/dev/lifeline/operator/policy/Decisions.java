package dev.lifeline.operator.policy;

import dev.lifeline.operator.api.RegionHealth;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The outcome of one {@link DecisionEngine#decide}.
 *
 * @param at the engine's "now" for this decision
 * @param decisions what to do, in the order to do it (breaker transitions, restarts, scaling, DNS, deletion costs)
 * @param state the state to pass to the next decision (and whose breakers go into the status)
 * @param localPhase the local record's reroute phase — publish it in this region's heartbeat, so that peers pre-scale
 * @param localWeight the weight this operator intends for the local record — the DNS dependent should apply it
 * @param health every region's health, for {@code status.regions[].health}
 * @param quorum the quorum verdict (which peers are down — operator silent and service down —, which are live,
 *        whether this region is isolated)
 * @param silentControlPlanes peers whose operator is silent while their service is alive or in doubt, by region
 * @param notes why things did not happen (waiting for capacity, hold-down, backoff, ...), for logs and debugging
 */
public record Decisions(Instant at, List<Decision> decisions, EngineState state, Phase localPhase, int localWeight,
        Map<String, RegionHealth> health, QuorumPolicy.Verdict quorum,
        Map<String, SilentControlPlane> silentControlPlanes, List<String> notes) {

    public Decisions {
        decisions = List.copyOf(decisions);
        silentControlPlanes = Map.copyOf(silentControlPlanes);
        health = Map.copyOf(health);
        notes = List.copyOf(notes);
    }

    /** The decisions to carry out now (neither dry-run nor informational). */
    public List<Decision> toApply() {
        return decisions.stream().filter(Decision::toApply).collect(Collectors.toList());
    }

    /** The actions of all decisions, of one type. */
    public <A extends Action> List<A> actions(Class<A> type) {
        return decisions.stream().map(Decision::action).filter(type::isInstance).map(type::cast)
                .collect(Collectors.toList());
    }
}

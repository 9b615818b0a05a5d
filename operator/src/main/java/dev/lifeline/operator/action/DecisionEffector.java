package dev.lifeline.operator.action;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.jboss.logging.Logger;

import dev.lifeline.operator.api.HistoryEntry;
import dev.lifeline.operator.api.RealtimePlatform;
import dev.lifeline.operator.aws.AwsResources;
import dev.lifeline.operator.aws.dns.RoutingChangeWatch;
import dev.lifeline.operator.aws.dns.RoutingResult;
import dev.lifeline.operator.drill.Drills;
import dev.lifeline.operator.events.EventRecorder;
import dev.lifeline.operator.health.PodSignals;
import dev.lifeline.operator.memory.PlatformKey;
import dev.lifeline.operator.metrics.FailoverTimers;
import dev.lifeline.operator.metrics.MetricNames;
import dev.lifeline.operator.policy.Action;
import dev.lifeline.operator.policy.Decision;
import dev.lifeline.operator.policy.Decisions;
import dev.lifeline.operator.policy.DrainCause;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Carries the decision engine's decisions out: evicts pods (restart, through the Eviction API so that
 * PodDisruptionBudgets hold), sets pod deletion costs,
 * changes DNS weights through the DNS API, and records every decision as an Event, a history
 * entry and a metric. Scaling is not done here: the Deployment dependent applies the replica
 * target (see ReplicaTargets), so there is one writer of spec.replicas.
 */
@ApplicationScoped
public class DecisionEffector {

    private static final Logger LOG = Logger.getLogger(DecisionEffector.class);
    private static final String REFUSED = "Refused";
    private static final String UNCHANGED = "Unchanged";
    private static final String BLOCKED = "Blocked";

    private final KubernetesClient client;
    private final AwsResources aws;
    private final EventRecorder events;
    private final MeterRegistry metrics;
    private final Drills drills;
    private final Clock clock = Clock.systemUTC();

    public DecisionEffector(KubernetesClient client, AwsResources aws, EventRecorder events, MeterRegistry metrics,
            Drills drills) {
        this.client = client;
        this.aws = aws;
        this.events = events;
        this.metrics = metrics;
        this.drills = drills;
    }

    /** Applies (or, for dry runs, only records) each decision; returns the history entries to add. */
    public List<HistoryEntry> carryOut(RealtimePlatform platform, Decisions decisions) {
        confirmRoutingChanges(platform);
        List<HistoryEntry> history = new ArrayList<>();
        Set<String> down = new HashSet<>(decisions.quorum().down());
        for (Decision decision : decisions.decisions()) {
            Instant started = clock.instant();
            HistoryEntry entry = decision.toHistoryEntry(decisions.at());
            String outcome;
            String detail = "";
            if (decision.toApply()) {
                try {
                    detail = apply(platform, decision.action(), down);
                    outcome = detail.startsWith(REFUSED) ? "Skipped" : detail.startsWith(UNCHANGED) ? "Unchanged"
                            : detail.startsWith(BLOCKED) ? BLOCKED : "Applied";
                } catch (RuntimeException e) {
                    LOG.warnf(e, "Carrying out %s for %s failed", decision.action().kind(), PlatformKey.of(platform));
                    outcome = "Failed";
                    detail = e.getMessage();
                }
            } else {
                outcome = decision.execution() == Decision.Execution.DRY_RUN ? "DryRun" : "Recorded";
            }
            entry.outcome = outcome;
            Instant done = clock.instant();
            entry.durationMillis = Duration.between(started, done).toMillis();
            drills.carriedOut(platform, decision, outcome, detail, done);
            if (!"Unchanged".equals(outcome)) { // a repeated drain that found the record drained already
                history.add(entry);
                announce(platform, decision, outcome, detail);
            }
            Counter.builder(MetricNames.DECISIONS).description("Decisions by region, action and outcome")
                    .tags(PlatformKey.of(platform).tags().and("region", decision.action().region(),
                            "action", decision.action().kind(), "outcome", outcome))
                    .register(metrics).increment();
        }
        return history;
    }

    /** Routing changes become INSYNC some seconds after they are accepted: report when, and how long it took. */
    private void confirmRoutingChanges(RealtimePlatform platform) {
        for (RoutingChangeWatch.ConfirmedChange confirmed : aws.confirmRoutingChanges(platform)) {
            RoutingChangeWatch.RoutingChange change = confirmed.change();
            FailoverTimers.inSync(metrics, PlatformKey.of(platform).tags().and("region", change.region()))
                    .record(confirmed.took());
            events.normal(platform, "DnsChangeInSync", "Weight " + change.weight() + " of " + change.region()
                    + " is live: change " + change.changeId() + " INSYNC " + confirmed.took().toMillis()
                    + " ms after it was submitted");
            drills.changeInSync(platform, confirmed);
        }
    }

    private String apply(RealtimePlatform platform, Action action, Set<String> down) {
        String namespace = platform.getMetadata().getNamespace();
        if (action instanceof Action.Restart restart) {
            return evicted(namespace, restart.pods());
        }
        if (action instanceof Action.SetPodDeletionCost cost) {
            client.pods().inNamespace(namespace).withName(cost.pod()).edit(p -> new PodBuilder(p).editMetadata()
                    .addToAnnotations(PodSignals.DELETION_COST_ANNOTATION, Integer.toString(cost.cost()))
                    .endMetadata().build());
            return "cost " + cost.cost();
        }
        if (action instanceof Action.Drain drain) {
            return routed(aws.drain(platform, drain.region(), down));
        }
        if (action instanceof Action.Rollback rollback) {
            return routed(aws.drain(platform, rollback.region(), down));
        }
        if (action instanceof Action.RestoreStep step) {
            // The last step hands the record back to the spec weight.
            return step.step() >= step.steps() ? routed(aws.restore(platform, step.region()))
                    : routed(aws.setWeight(platform, step.region(), step.toWeight(), down));
        }
        if (action instanceof Action.ScaleTo scale) {
            // Applied by the Deployment dependent from the engine's replica target.
            return "replicas " + scale.fromReplicas() + " -> " + scale.replicas();
        }
        return "";
    }

    /**
     * Restarts go through the Eviction API, so PodDisruptionBudgets hold: a pod whose eviction the budget refuses
     * (HTTP 429) is reported as blocked, never deleted by force; the restart budget retries it later.
     */
    private String evicted(String namespace, List<String> pods) {
        List<String> evicted = new ArrayList<>();
        List<String> blocked = new ArrayList<>();
        for (String pod : pods) {
            (client.pods().inNamespace(namespace).withName(pod).evict() ? evicted : blocked).add(pod);
        }
        if (!blocked.isEmpty()) {
            return BLOCKED + ": a PodDisruptionBudget allows no disruption now, not evicted " + blocked
                    + (evicted.isEmpty() ? "" : "; evicted " + evicted);
        }
        return "evicted " + evicted;
    }

    private static String routed(RoutingResult result) {
        if (!result.applied()) {
            return REFUSED + ": " + result.outcome().message();
        }
        return (result.changeId() == null ? UNCHANGED + ": " : "") + "weight " + result.weight();
    }

    private void announce(RealtimePlatform platform, Decision decision, String outcome, String detail) {
        Action action = decision.action();
        String message = action.kind() + " " + action.region()
                + (action.component() == null ? "" : "/" + action.component().statusName()) + " (" + outcome
                + (detail.isEmpty() ? "" : ", " + detail) + "): " + decision.reason();
        boolean bad = "Failed".equals(outcome) || BLOCKED.equals(outcome)
                || (action instanceof Action.BreakerTransition t && t.to() == dev.lifeline.operator.policy.BreakerState.State.OPEN)
                || (action instanceof Action.Drain drain && drain.cause() != DrainCause.DRILL);
        if (bad) {
            events.warning(platform, action.kind(), message);
        } else {
            events.normal(platform, action.kind(), message);
        }
    }
}

package dev.lifeline.operator.action;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jboss.logging.Logger;

import dev.lifeline.operator.api.HistoryEntry;
import dev.lifeline.operator.api.RealtimePlatform;
import dev.lifeline.operator.aws.AwsResources;
import dev.lifeline.operator.aws.RoutingResult;
import dev.lifeline.operator.events.EventRecorder;
import dev.lifeline.operator.health.PodSignals;
import dev.lifeline.operator.policy.Action;
import dev.lifeline.operator.policy.Decision;
import dev.lifeline.operator.policy.Decisions;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Carries the decision engine's decisions out: deletes pods (restart), sets pod deletion costs,
 * changes DNS weights through the DNS API, and records every decision as an Event, a history
 * entry and a metric. Scaling is not done here: the Deployment dependent applies the replica
 * target (see ReplicaTargets), so there is one writer of spec.replicas.
 */
@ApplicationScoped
public class DecisionEffector {

    private static final Logger LOG = Logger.getLogger(DecisionEffector.class);

    private final KubernetesClient client;
    private final AwsResources aws;
    private final EventRecorder events;
    private final MeterRegistry metrics;
    private final Clock clock = Clock.systemUTC();

    public DecisionEffector(KubernetesClient client, AwsResources aws, EventRecorder events, MeterRegistry metrics) {
        this.client = client;
        this.aws = aws;
        this.events = events;
        this.metrics = metrics;
    }

    /** Applies (or, for dry runs, only records) each decision; returns the history entries to add. */
    public List<HistoryEntry> carryOut(RealtimePlatform platform, Decisions decisions) {
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
                    outcome = detail.startsWith("Refused") ? "Skipped" : "Applied";
                } catch (RuntimeException e) {
                    LOG.warnf(e, "Carrying out %s for %s failed", decision.action().kind(), PlatformMemory.key(platform));
                    outcome = "Failed";
                    detail = e.getMessage();
                }
            } else {
                outcome = decision.execution() == Decision.Execution.DRY_RUN ? "DryRun" : "Recorded";
            }
            entry.outcome = outcome;
            entry.durationMillis = Duration.between(started, clock.instant()).toMillis();
            history.add(entry);
            announce(platform, decision, outcome, detail);
            metrics.counter("lifeline.decisions", "action", decision.action().kind(), "outcome", outcome).increment();
        }
        return history;
    }

    private String apply(RealtimePlatform platform, Action action, Set<String> down) {
        String namespace = platform.getMetadata().getNamespace();
        if (action instanceof Action.Restart restart) {
            for (String pod : restart.pods()) {
                client.pods().inNamespace(namespace).withName(pod).delete();
            }
            return "deleted " + restart.pods();
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

    private static String routed(RoutingResult result) {
        return (result.applied() ? "weight " + result.weight() : "Refused: " + result.outcome().message());
    }

    private void announce(RealtimePlatform platform, Decision decision, String outcome, String detail) {
        Action action = decision.action();
        String message = action.kind() + " " + action.region()
                + (action.component() == null ? "" : "/" + action.component().statusName()) + " (" + outcome
                + (detail.isEmpty() ? "" : ", " + detail) + "): " + decision.reason();
        boolean bad = "Failed".equals(outcome)
                || (action instanceof Action.BreakerTransition t && t.to() == dev.lifeline.operator.policy.BreakerState.State.OPEN)
                || action instanceof Action.Drain;
        if (bad) {
            events.warning(platform, action.kind(), message);
        } else {
            events.normal(platform, action.kind(), message);
        }
    }
}

package dev.lifeline.operator.policy;

import java.util.List;

import dev.lifeline.operator.api.Component;
import dev.lifeline.operator.policy.BreakerState.State;

/**
 * What the engine wants done. Every action is idempotent to carry out; the effectors in {@code action} map each to
 * a Kubernetes or AWS call. DNS actions go through the DNS API ({@code dev.lifeline.operator.aws}), which is the one
 * place that refuses to drain the last healthy region — the engine does not try to enforce that.
 */
public sealed interface Action {

    /** Region the action is about (the record, or the workload). */
    String region();

    /** Short name for history entries, Events and metrics: Restart, Drain, RestoreStep, Rollback, ScaleTo, ... */
    String kind();

    /** Component the action is about, or {@code null}. */
    default Component component() {
        return null;
    }

    /** True for the actions that change a Route 53 record's weight. */
    default boolean changesDns() {
        return false;
    }

    /** Delete these pods of the local region's component (their Deployment recreates them). */
    record Restart(String region, Component component, List<String> pods, int attempt, int budget) implements Action {
        public Restart {
            pods = List.copyOf(pods);
        }

        @Override
        public String kind() {
            return "Restart";
        }
    }

    /** Set the region's record weight to 0. */
    record Drain(String region, int fromWeight, DrainCause cause) implements Action {
        @Override
        public String kind() {
            return "Drain";
        }

        @Override
        public boolean changesDns() {
            return true;
        }

        public int toWeight() {
            return 0;
        }
    }

    /** Raise the region's record weight to {@code toWeight} (step {@code step} of {@code steps}). */
    record RestoreStep(String region, int fromWeight, int toWeight, int step, int steps) implements Action {
        @Override
        public String kind() {
            return "RestoreStep";
        }

        @Override
        public boolean changesDns() {
            return true;
        }
    }

    /** Health failed during a stepwise restore: set the region's record weight back to 0. */
    record Rollback(String region, int fromWeight) implements Action {
        @Override
        public String kind() {
            return "Rollback";
        }

        @Override
        public boolean changesDns() {
            return true;
        }

        public int toWeight() {
            return 0;
        }
    }

    /** Scale the local region's component Deployment to {@code replicas}. */
    record ScaleTo(String region, Component component, int fromReplicas, int replicas) implements Action {
        @Override
        public String kind() {
            return fromReplicas < replicas ? "PreScale" : "ScaleDown";
        }
    }

    /** Set {@code controller.kubernetes.io/pod-deletion-cost} on a pod of the local region. */
    record SetPodDeletionCost(String region, Component component, String pod, int cost) implements Action {
        @Override
        public String kind() {
            return "PodDeletionCost";
        }
    }

    /**
     * A breaker changed state. Nothing to carry out: record it (status, Event, metric). Emitted even when paused,
     * since it describes what was observed, not a remediation.
     */
    record BreakerTransition(String region, Component component, State from, State to) implements Action {
        @Override
        public String kind() {
            return "Breaker" + to.statusName();
        }
    }
}

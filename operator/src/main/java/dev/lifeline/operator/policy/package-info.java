/**
 * The pure decision engine of Lifeline: circuit breakers, quorum, restart budget, reroute planning, pre-scaling and
 * forecasts. Observations, the spec, the previous state and a clock go in; decisions and the next state come out.
 * No I/O, no Kubernetes or AWS clients, no CDI — deterministic and unit-testable to the last branch.
 *
 * <p>Entry point: {@link dev.lifeline.operator.policy.DecisionEngine#decide}. The model, what the caller gathers and
 * what it does with each decision are described in {@code README.md} next to this file.
 */
package dev.lifeline.operator.policy;

package dev.lifeline.operator.policy;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import dev.lifeline.operator.api.Component;
import dev.lifeline.operator.policy.BreakerState.State;

/**
 * Step 2, restarts: pods that need a restart ({@link PodsNeedingRestart}) are restarted within the hourly budget,
 * with backoff ({@link RestartBudget}) — unless another local component is bad too, a regional problem that restarts
 * do not fix (the breakers handle it). When the budget is spent and the trouble persists, the component's breaker
 * is forced open: this step takes the breakers of step 1 and returns them changed.
 */
final class RestartStep {

    /**
     * @param budgets the restart budget of every component, for the next decision
     * @param decisions the restarts to carry out
     * @param breakers the breakers of step 1, with those whose budget is spent forced open
     * @param notes restarts that were due but did not happen, and why
     */
    record Restarts(Map<Component, RestartBudget.State> budgets, List<Decision> decisions, Breakers breakers,
            List<String> notes) {
        Restarts {
            budgets = Map.copyOf(budgets);
            decisions = List.copyOf(decisions);
            notes = List.copyOf(notes);
        }
    }

    private RestartStep() {
    }

    static Restarts plan(DecisionInput in, Breakers breakers, Samples samples,
            Map<Component, RestartBudget.State> previous) {
        Map<Component, RestartBudget.State> budgets = new EnumMap<>(Component.class);
        List<Decision> decisions = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Breakers out = breakers;
        for (Component c : Component.values()) {
            PodsNeedingRestart bad = PodsNeedingRestart.of(in.observed(c), in.now(), in.settings().unreadyGrace(),
                    in.policy().reroute().drainDeadline(), in.policy().relayHealth().lagMillis());
            RestartBudget.State rs = RestartBudget.observe(previous.getOrDefault(c, RestartBudget.State.EMPTY),
                    in.now(), !bad.isEmpty());
            if (bad.isEmpty()) {
                budgets.put(c, rs);
                continue;
            }
            if (in.paused()) {
                notes.add(c + " pods " + new TreeSet<>(bad.why().keySet())
                        + " need a restart; not restarting them: the platform is paused");
                budgets.put(c, rs);
                continue;
            }
            Component alsoBad = otherBad(c, samples);
            if (alsoBad != null) {
                notes.add("no restart of " + c + " pods " + bad.describe() + ": " + alsoBad + " of " + in.local()
                        + " is unhealthy too — a regional problem restarts do not fix; the breakers handle it");
                budgets.put(c, rs);
                continue;
            }
            RestartBudget.Verdict v = RestartBudget.evaluate(rs, in.now(), in.policy().restart());
            if (v instanceof RestartBudget.RestartNow r) {
                decisions.add(restart(in, c, bad, r));
                rs = RestartBudget.recordRestart(rs, in.now());
            } else if (v instanceof RestartBudget.Wait w) {
                notes.add("restart of " + c + " pods " + bad.describe() + " backing off until " + w.until());
            } else if (v instanceof RestartBudget.Exhausted e && out.of(c).state() != State.OPEN) {
                out = out.after(in.local(), c, CircuitBreaker.forceOpen(out.of(c), in.now(),
                        "restart budget spent: " + e.used() + " restarts in the last hour and pods " + bad.describe()
                                + " still failing; budget refills at " + e.refillAt()));
            }
            budgets.put(c, rs);
        }
        return new Restarts(budgets, decisions, out, notes);
    }

    /** The first other component whose current sample is bad, or {@code null}. */
    private static Component otherBad(Component c, Samples samples) {
        for (Component other : Component.values()) {
            if (other != c && samples.bad(other)) {
                return other;
            }
        }
        return null;
    }

    private static Decision restart(DecisionInput in, Component c, PodsNeedingRestart bad, RestartBudget.RestartNow r) {
        String local = in.local();
        return new Decision(new Action.Restart(local, c, bad.names(), r.attempt(), r.budget()),
                "restarting " + c + " pods of " + local + ": " + bad.describe() + "; restart " + r.attempt()
                        + " of at most " + r.budget() + " per hour, the next one no sooner than "
                        + in.policy().restart().delayBefore(r.attempt()).toSeconds() + " s later",
                in.mode());
    }
}

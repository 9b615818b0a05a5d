package dev.lifeline.operator.policy;

import java.time.Duration;
import java.time.Instant;

import dev.lifeline.operator.api.Component;
import dev.lifeline.operator.policy.Observations.ComponentObservation;
import dev.lifeline.operator.policy.Observations.PodObservation;

/**
 * Step 6b, overload: since when more than half of the local relays that report their event-loop lag lag more than
 * {@code failover.relayHealth.eventLoopLagMillisThreshold}. Sustained for {@code overloadSeconds}, pre-scale gives the
 * media-server one replica more (step 7), and the clock starts again: at most one such replica per period.
 */
final class OverloadStep {

    /**
     * @param since when the current overload began (or the last replica for it was added), {@code null} when none
     * @param overloaded relays lagging above the threshold now
     * @param reporting relays that report their lag
     */
    record Overload(Instant since, int overloaded, int reporting) {

        static final Overload NONE = new Overload(null, 0, 0);

        boolean sustained(Instant now, Duration period) {
            return since != null && !now.isBefore(since.plus(period));
        }
    }

    private OverloadStep() {
    }

    /** @param previousSince the previous decision's {@link Overload#since} */
    static Overload track(DecisionInput in, Instant previousSince) {
        ComponentObservation co = in.observed(Component.MEDIA_SERVER);
        if (co == null) {
            return Overload.NONE;
        }
        double lag = in.policy().relayHealth().lagMillis();
        int reporting = 0;
        int overloaded = 0;
        for (PodObservation p : co.pods()) {
            if (p.relay().eventLoopLagMillis() != null) {
                reporting++;
                overloaded += p.relay().overloaded(lag) ? 1 : 0;
            }
        }
        boolean most = reporting > 0 && 2 * overloaded > reporting;
        return new Overload(most ? (previousSince != null ? previousSince : in.now()) : null, overloaded, reporting);
    }
}

package dev.lifeline.operator.policy;

import java.util.Objects;

/**
 * A peer region's data plane, from three signals that its operator neither writes nor controls.
 *
 * @param instances the heartbeats the region's media and signaling instances write themselves into the session
 *        table: {@link ServiceSignal#ANSWERS} when one is fresh, {@link ServiceSignal#SILENT} when the table was read
 *        and none is
 * @param route53 the Route 53 health check of the region's endpoint (Route 53's own probers)
 * @param probe this operator's direct probe of the region's public endpoints: signaling's HTTP health, a relay's UDP
 *        PING; {@link ServiceSignal#ANSWERS} when either answered
 */
public record ServiceEvidence(ServiceSignal instances, ServiceSignal route53, ServiceSignal probe) {

    public static final ServiceEvidence UNKNOWN = new ServiceEvidence(ServiceSignal.UNKNOWN, ServiceSignal.UNKNOWN,
            ServiceSignal.UNKNOWN);

    public ServiceEvidence {
        Objects.requireNonNull(instances, "instances");
        Objects.requireNonNull(route53, "route53");
        Objects.requireNonNull(probe, "probe");
    }

    @Override
    public String toString() {
        return "instance heartbeats " + words(instances) + ", Route 53 health check " + words(route53)
                + ", direct probe " + words(probe);
    }

    private static String words(ServiceSignal s) {
        return switch (s) {
            case ANSWERS -> "alive";
            case SILENT -> "silent";
            case UNKNOWN -> "unknown";
        };
    }
}

package dev.lifeline.operator.aws.dns;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The rule "never drain the last healthy region" (fail closed: Route 53 answers with every
 * record when all are unhealthy, so draining everything helps nobody). Pure; its only caller is
 * {@link RegionRouting}, through which every weight change goes.
 */
public final class LastHealthyRegionGuard {

    private LastHealthyRegionGuard() {
    }

    /** A region's record as Route 53 routes it now. */
    public record Route(String region, boolean serving, HealthStatus health) {
    }

    /**
     * Why a region may not stop serving, or empty when it may.
     *
     * <p>Health is read conservatively: the region to drain counts as healthy unless Route 53
     * says UNHEALTHY; the others count as healthy only when Route 53 says HEALTHY and the caller
     * does not know them to be down.
     *
     * @param routes          every region's record
     * @param region          the region that would stop serving
     * @param regionsKnownDown regions the caller knows to be down (for example by quorum)
     */
    public static Optional<String> refusal(List<Route> routes, String region, Set<String> regionsKnownDown) {
        Optional<Route> target = routes.stream().filter(r -> r.region().equals(region)).findFirst();
        boolean targetHealthy = target.map(r -> r.serving() && !regionsKnownDown.contains(region)
                && r.health() != HealthStatus.UNHEALTHY).orElse(false);
        List<Route> others = routes.stream().filter(r -> !r.region().equals(region)).toList();
        boolean otherServing = others.stream().anyMatch(Route::serving);
        boolean otherHealthy = others.stream().anyMatch(r -> r.serving() && r.health() == HealthStatus.HEALTHY
                && !regionsKnownDown.contains(r.region()));
        if (!otherServing) {
            return Optional.of("refused to drain " + region + ": no other region would remain in DNS");
        }
        if (targetHealthy && !otherHealthy) {
            return Optional.of("refused to drain " + region + ": it is the last healthy region (fail closed)");
        }
        return Optional.empty();
    }
}

package dev.lifeline.operator.aws.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeline.operator.aws.dns.LastHealthyRegionGuard.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class LastHealthyRegionGuardTest {

    @Test
    void refusesToDrainTheLastHealthyRegion() {
        List<Route> routes = List.of(new Route("a", true, HealthStatus.HEALTHY), new Route("b", true, HealthStatus.UNHEALTHY));
        assertThat(LastHealthyRegionGuard.refusal(routes, "a", Set.of())).hasValueSatisfying(
                m -> assertThat(m).contains("last healthy region"));
        assertThat(LastHealthyRegionGuard.refusal(routes, "b", Set.of())).isEmpty();
    }

    @Test
    void regionsKnownDownDoNotCountAsHealthy() {
        List<Route> routes = List.of(new Route("a", true, HealthStatus.HEALTHY), new Route("b", true, HealthStatus.HEALTHY));
        assertThat(LastHealthyRegionGuard.refusal(routes, "a", Set.of())).isEmpty();
        assertThat(LastHealthyRegionGuard.refusal(routes, "a", Set.of("b"))).isPresent();
    }

    @Test
    void unknownHealthOfOthersIsNotTrusted() {
        List<Route> routes = List.of(new Route("a", true, HealthStatus.UNKNOWN), new Route("b", true, HealthStatus.UNKNOWN));
        assertThat(LastHealthyRegionGuard.refusal(routes, "a", Set.of())).isPresent();
    }

    @Test
    void neverLeavesNoRegionInDnsEvenWhenAllAreUnhealthy() {
        List<Route> routes = List.of(new Route("a", true, HealthStatus.UNHEALTHY), new Route("b", false, HealthStatus.HEALTHY));
        assertThat(LastHealthyRegionGuard.refusal(routes, "a", Set.of())).hasValueSatisfying(
                m -> assertThat(m).contains("no other region"));
    }

    /** Whatever sequence of drains is attempted, a healthy serving region stays while one existed. */
    @Property(tries = 500)
    void drainsNeverRemoveTheLastHealthyOrLastServingRegion(@ForAll("routes") List<Route> initial,
            @ForAll("drainOrder") List<Integer> order) {
        List<Route> routes = new ArrayList<>(initial);
        boolean healthyAtStart = routes.stream().anyMatch(LastHealthyRegionGuardTest::healthyServing);
        boolean servingAtStart = routes.stream().anyMatch(Route::serving);
        for (int index : order) {
            Route target = routes.get(index % routes.size());
            if (LastHealthyRegionGuard.refusal(routes, target.region(), Set.of()).isEmpty()) {
                routes.set(routes.indexOf(target), new Route(target.region(), false, target.health()));
            }
        }
        if (healthyAtStart) {
            assertThat(routes).anyMatch(LastHealthyRegionGuardTest::healthyServing);
        }
        if (servingAtStart) {
            assertThat(routes).anyMatch(Route::serving);
        }
    }

    private static boolean healthyServing(Route route) {
        return route.serving() && route.health() == HealthStatus.HEALTHY;
    }

    @Provide
    Arbitrary<List<Route>> routes() {
        Arbitrary<Route> route = Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(HealthStatus.values()))
                .as((serving, health) -> new Route("r", serving, health));
        return route.list().ofMinSize(1).ofMaxSize(6).map(list -> {
            List<Route> named = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                named.add(new Route("region-" + i, list.get(i).serving(), list.get(i).health()));
            }
            return named;
        });
    }

    @Provide
    Arbitrary<List<Integer>> drainOrder() {
        return Arbitraries.integers().between(0, 5).list().ofMaxSize(12);
    }
}

package dev.lifeline.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.PropertiesConfigSource;

class LeaderElectionTimingsTest {

    private static final Duration BUDGET = LeaderElection.defaultFailoverBudget();

    @Test
    void theBudgetIsTheDefaultStaleAfterMinusOneHeartbeatInterval() {
        assertThat(BUDGET).isEqualTo(Duration.ofSeconds(6 - 2));
    }

    @Test
    void theShippedDefaultsAreConsistentAndTakeOverInsideTheBudget() {
        LeaderElectionTimings defaults = LeaderElection.timings(settings(Map.of()));

        assertThat(defaults).isEqualTo(new LeaderElectionTimings(Duration.ofSeconds(2), Duration.ofMillis(1500),
                Duration.ofMillis(400)));
        assertThat(defaults.problems()).isEmpty();
        assertThat(defaults.slowerThan(BUDGET)).isEmpty();
        // lease 2 s + 2.2 x 0.4 s of acquire jitter, leaving the new leader about 1 s for its first heartbeat
        assertThat(defaults.worstTakeover()).isEqualTo(Duration.ofMillis(2880));
    }

    @Test
    void settingsAreReadFromTheirKeys() {
        LeaderElectionTimings timings = LeaderElection.timings(settings(Map.of(
                "lifeline.leader-election.lease-duration", "3s",
                "lifeline.leader-election.renew-deadline", "2s",
                "lifeline.leader-election.retry-period", "250ms")));

        assertThat(timings).isEqualTo(new LeaderElectionTimings(Duration.ofSeconds(3), Duration.ofSeconds(2),
                Duration.ofMillis(250)));
    }

    @Test
    void theKubernetesDefaultsAreAllowedWithAWarningNamingTheSettingToChange() {
        // client-go's and java-operator-sdk's 15 s / 10 s / 2 s: consistent, but the standby would wait far beyond the
        // 6 s window, so peers report the region's control plane silent (never a drain) during a leader change
        LeaderElectionTimings kubernetes = new LeaderElectionTimings(Duration.ofSeconds(15), Duration.ofSeconds(10),
                Duration.ofSeconds(2));

        assertThat(kubernetes.requireConsistent()).isSameAs(kubernetes);
        assertThat(kubernetes.slowerThan(BUDGET)).get().asString()
                .contains("PT19.4S", "control plane silent", "lifeline.leader-election.lease-duration");
    }

    @Test
    void brokenTimingsStopTheStartWithEveryProblem() {
        LeaderElectionTimings broken = new LeaderElectionTimings(Duration.ofSeconds(2), Duration.ofSeconds(2),
                Duration.ofMillis(1800));

        assertThatThrownBy(broken::requireConsistent).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Inconsistent leader-election settings")
                .hasMessageContaining("renew-deadline").hasMessageContaining("retry-period");
        assertThat(broken.slowerThan(BUDGET)).as("refused already, no second message").isEmpty();
    }

    @Test
    void aRenewDeadlineNotShorterThanTheLeaseCouldLetTwoReplicasActAtOnce() {
        assertThat(new LeaderElectionTimings(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofMillis(400))
                .problems()).singleElement().asString().contains("renew-deadline").contains("two replicas");
    }

    @Test
    void aRetryPeriodTooCloseToTheRenewDeadlineLeavesTheLeaderOneTry() {
        assertThat(new LeaderElectionTimings(Duration.ofSeconds(2), Duration.ofMillis(1500), Duration.ofMillis(1300))
                .problems()).singleElement().asString().contains("retry-period");
    }

    @Test
    void zeroOrNegativeTimingsAreRefusedAloneWithoutFurtherArithmetic() {
        assertThat(new LeaderElectionTimings(Duration.ZERO, Duration.ofSeconds(1), Duration.ofMillis(-5))
                .problems()).singleElement().asString().contains("must all be positive");
    }

    @Test
    void theDefaultIdentityIsThePodNameAndARandomSuffix() {
        String first = Leadership.defaultIdentity("lifeline-operator-7d9c-abcde");
        String second = Leadership.defaultIdentity("lifeline-operator-7d9c-abcde");

        assertThat(first).startsWith("lifeline-operator-7d9c-abcde_").isNotEqualTo(second);
        assertThat(Leadership.defaultIdentity(null)).startsWith("lifeline-operator_");
    }

    private static OperatorConfig.LeaseSettings settings(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(OperatorConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter()) // Quarkus's: "2s", "400ms"
                .withSources(new PropertiesConfigSource(withRequired(properties), "test", 100))
                .build();
        return config.getConfigMapping(OperatorConfig.class).leaderElection();
    }

    private static Map<String, String> withRequired(Map<String, String> properties) {
        Map<String, String> all = new HashMap<>(properties);
        all.put("lifeline.region", "us-east-1");
        return all;
    }
}

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
        assertThat(defaults.problems(BUDGET)).isEmpty();
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
    void theKubernetesDefaultsAreRefusedWithTheSettingToChange() {
        // client-go's and java-operator-sdk's 15 s / 10 s / 2 s: the standby would wait far beyond the 6 s window
        LeaderElectionTimings kubernetes = new LeaderElectionTimings(Duration.ofSeconds(15), Duration.ofSeconds(10),
                Duration.ofSeconds(2));

        assertThatThrownBy(() -> kubernetes.requireConsistent(BUDGET))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Inconsistent leader-election settings")
                .hasMessageContaining("PT19.4S")
                .hasMessageContaining("lifeline.leader-election.lease-duration");
    }

    @Test
    void aRenewDeadlineNotShorterThanTheLeaseCouldLetTwoReplicasActAtOnce() {
        assertThat(new LeaderElectionTimings(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofMillis(400))
                .problems(BUDGET)).singleElement().asString().contains("renew-deadline").contains("two replicas");
    }

    @Test
    void aRetryPeriodTooCloseToTheRenewDeadlineLeavesTheLeaderOneTry() {
        assertThat(new LeaderElectionTimings(Duration.ofSeconds(2), Duration.ofMillis(1500), Duration.ofMillis(1300))
                .problems(Duration.ofSeconds(10))).singleElement().asString().contains("retry-period");
    }

    @Test
    void zeroOrNegativeTimingsAreRefusedAloneWithoutFurtherArithmetic() {
        assertThat(new LeaderElectionTimings(Duration.ZERO, Duration.ofSeconds(1), Duration.ofMillis(-5))
                .problems(BUDGET)).singleElement().asString().contains("must all be positive");
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

package dev.lifeline.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Condition;

class ConditionsTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant T1 = Instant.parse("2026-01-01T00:05:00Z");

    @Test
    void lastTransitionTimeStaysWhenOnlyReasonOrMessageChange() {
        List<Condition> first = Conditions.merge(List.of(),
                List.of(Conditions.of("WorkloadsAvailable", "False", "Progressing", "0/2")), 1, T0);
        List<Condition> second = Conditions.merge(first,
                List.of(Conditions.of("WorkloadsAvailable", "False", "Progressing", "1/2")), 2, T1);

        assertThat(second.get(0).getLastTransitionTime()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(second.get(0).getMessage()).isEqualTo("1/2");
        assertThat(second.get(0).getObservedGeneration()).isEqualTo(2L);
    }

    @Test
    void lastTransitionTimeMovesWhenStatusChanges() {
        List<Condition> first = Conditions.merge(List.of(),
                List.of(Conditions.of("Ready", "False", "NotReady", "waiting")), 1, T0);
        List<Condition> second = Conditions.merge(first, List.of(Conditions.of("Ready", "True", "Ready", "ok")), 1, T1);

        assertThat(second.get(0).getLastTransitionTime()).isEqualTo("2026-01-01T00:05:00Z");
        assertThat(Conditions.transitions(first, second)).extracting(Condition::getType).containsExactly("Ready");
        assertThat(Conditions.transitions(second, second)).isEmpty();
    }

    @Test
    void conditionsOfOtherOwnersAreKept() {
        List<Condition> previous = Conditions.merge(List.of(),
                List.of(Conditions.of("SessionStoreReady", "True", "Ready", "table ACTIVE")), 1, T0);
        List<Condition> next = Conditions.merge(previous, List.of(Conditions.of("Ready", "True", "Ready", "ok")), 1, T1);

        assertThat(next).extracting(Condition::getType).containsExactly("Ready", "SessionStoreReady");
        assertThat(Conditions.isTrue(next, "SessionStoreReady")).isTrue();
    }

    @Test
    void aNewPlatformThatComesUpWithoutTroubleGetsOneEventWhenReady() {
        List<Condition> appeared = List.of(Conditions.of("Ready", "False", "NotReady", "waiting for the causes"),
                Conditions.of("WorkloadsAvailable", "False", "Progressing", "0/2"),
                Conditions.of("SessionStoreReady", "False", "Pending", "table CREATING"),
                Conditions.of("RegionsHealthy", "Unknown", "NoVerdict", "us-east-1 Unknown"),
                Conditions.of("Degraded", "False", "AsExpected", "ok"), Conditions.of("Reconciling", "True", "Progressing", ""));
        assertThat(Conditions.announced(List.of(), appeared)).as("nothing fails yet").isEmpty();

        List<Condition> ready = List.of(Conditions.of("Ready", "True", "Ready", "in place"),
                Conditions.of("WorkloadsAvailable", "True", "Available", "2/2"),
                Conditions.of("SessionStoreReady", "True", "Ready", "table ACTIVE"),
                Conditions.of("RegionsHealthy", "True", "AllHealthy", "every region healthy"),
                Conditions.of("Degraded", "False", "AsExpected", "ok"), Conditions.of("Reconciling", "False", "Reconciled", ""));
        assertThat(Conditions.announced(appeared, ready)).as("the waits are over: Ready sums them up")
                .extracting(Condition::getType).containsExactly("Ready");
    }

    @Test
    void aFailureIsAnnouncedWhenItAppearsOrStartsAndAgainWhenItIsOver() {
        List<Condition> appeared = List.of(Conditions.of("WorkloadsAvailable", "False", "Progressing", "0/2"),
                Conditions.of("DnsReady", "False", "Throttled", "Route 53 throttles"));
        assertThat(Conditions.announced(List.of(), appeared)).as("only the one that appears failing")
                .extracting(Condition::getType).containsExactly("DnsReady");
        assertThat(Conditions.warns(appeared.get(1))).isTrue();
        assertThat(Conditions.warns(appeared.get(0))).as("waiting is no failure").isFalse();

        List<Condition> recovered = List.of(Conditions.of("WorkloadsAvailable", "True", "Available", "2/2"),
                Conditions.of("DnsReady", "True", "Ready", "records in sync"),
                Conditions.of("Degraded", "True", "Throttled", "Route 53 throttled a while ago"));
        assertThat(Conditions.announced(appeared, recovered)).as("the recovery from a failure, and the new failure")
                .extracting(Condition::getType).containsExactly("DnsReady", "Degraded");

        List<Condition> lost = List.of(Conditions.of("WorkloadsAvailable", "False", "Progressing", "1/2"),
                Conditions.of("Ready", "False", "NotReady", "WorkloadsAvailable (Progressing)"));
        List<Condition> wasReady = List.of(Conditions.of("WorkloadsAvailable", "True", "Available", "2/2"),
                Conditions.of("Ready", "True", "Ready", "in place"));
        assertThat(Conditions.announced(wasReady, lost)).as("a good condition turning bad, even to wait, and Ready lost")
                .extracting(Condition::getType).containsExactly("WorkloadsAvailable", "Ready");
    }
}

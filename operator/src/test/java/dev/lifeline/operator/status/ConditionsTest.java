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
    void aNewPlatformsConditionsGetTheirEventOnTheirFirstTransitionNotWhenTheyAppear() {
        List<Condition> appeared = List.of(Conditions.of("WorkloadsAvailable", "False", "Progressing", "0/2"),
                Conditions.of("Degraded", "False", "AsExpected", "ok"), Conditions.of("Reconciling", "True", "Progressing", ""),
                Conditions.of("DnsReady", "False", "Throttled", "Route 53 throttles"));
        assertThat(Conditions.announced(List.of(), appeared)).as("only the one that appears bad")
                .extracting(Condition::getType).containsExactly("DnsReady");

        List<Condition> next = List.of(Conditions.of("WorkloadsAvailable", "True", "Available", "2/2"),
                Conditions.of("Degraded", "True", "Throttled", "Route 53 throttles"),
                Conditions.of("Reconciling", "False", "Reconciled", ""),
                Conditions.of("DnsReady", "False", "Throttled", "Route 53 throttles"),
                Conditions.of("Ready", "False", "NotReady", "DnsReady is False"));
        assertThat(Conditions.announced(appeared, next)).extracting(Condition::getType)
                .containsExactly("WorkloadsAvailable", "Degraded", "Ready");
    }
}

package dev.lifeline.operator.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** The rule "a region is down only when its service is down", over every combination of its three signals. */
class ServiceStateTest {

    @Property
    void anySignalThatAnswersKeepsTheRegionAlive(@ForAll ServiceSignal instances, @ForAll ServiceSignal route53,
            @ForAll ServiceSignal probe) {
        ServiceEvidence e = new ServiceEvidence(instances, route53, probe);
        boolean anyAnswers = List.of(instances, route53, probe).contains(ServiceSignal.ANSWERS);
        assertThat(ServiceState.of(e) == ServiceState.ALIVE).as("%s", e).isEqualTo(anyAnswers);
    }

    @Property
    void downNeedsTheInstancesAndTheProbeReadAndSilentAndNoAnswer(@ForAll ServiceSignal instances,
            @ForAll ServiceSignal route53, @ForAll ServiceSignal probe) {
        ServiceEvidence e = new ServiceEvidence(instances, route53, probe);
        boolean down = instances == ServiceSignal.SILENT && probe == ServiceSignal.SILENT
                && route53 != ServiceSignal.ANSWERS;
        assertThat(ServiceState.of(e) == ServiceState.DOWN).as("%s", e).isEqualTo(down);
    }

    @Property
    void aSignalThatCouldNotBeReadNeverMakesADrain(@ForAll ServiceSignal route53, @ForAll ServiceSignal other) {
        assertThat(ServiceState.of(new ServiceEvidence(ServiceSignal.UNKNOWN, route53, other)))
                .isNotEqualTo(ServiceState.DOWN);
        assertThat(ServiceState.of(new ServiceEvidence(other, route53, ServiceSignal.UNKNOWN)))
                .isNotEqualTo(ServiceState.DOWN);
    }

    @Test
    void nothingKnownIsADoubt() {
        assertThat(ServiceState.of(ServiceEvidence.UNKNOWN)).isEqualTo(ServiceState.IN_DOUBT);
    }

    @Test
    void route53WithoutAVerdictDoesNotBlockARealLoss() {
        assertThat(ServiceState.of(new ServiceEvidence(ServiceSignal.SILENT, ServiceSignal.UNKNOWN,
                ServiceSignal.SILENT))).isEqualTo(ServiceState.DOWN);
    }
}

package dev.lifeline.operator.aws.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeline.operator.metrics.MetricNames;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

class AwsCallPolicyTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final AwsCallPolicy policy = new AwsCallPolicy(
            new AwsSettings.BreakerSettings(50, 4, 2, Duration.ofMinutes(5), 1), meters);

    @Test
    void endpointFailuresOpenTheBreakerWhichThenFailsFastWithoutCalling() {
        AtomicInteger calls = new AtomicInteger();
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> policy.call("route53", "Route 53 ListHealthChecks", () -> {
                calls.incrementAndGet();
                throw error(400, "Throttling");
            })).isInstanceOfSatisfying(AwsFailureException.class, e -> assertThat(e.reason()).isEqualTo(AwsReason.Throttled));
        }

        assertThatThrownBy(() -> policy.call("route53", "Route 53 ListHealthChecks", calls::incrementAndGet))
                .isInstanceOfSatisfying(AwsFailureException.class, e -> {
                    assertThat(e.reason()).isEqualTo(AwsReason.Unavailable);
                    assertThat(e.getMessage()).contains("circuit breaker route53 is open");
                });
        assertThat(calls).hasValue(2);
        assertThat(meters.get(MetricNames.AWS_BREAKER_STATE).tag("endpoint", "route53").gauge().value())
                .isEqualTo(MetricNames.BREAKER_OPEN);
        assertThat(meters.get(MetricNames.AWS_CALLS).tag("outcome", "Throttled").counter().count()).isEqualTo(2);
        assertThat(meters.get(MetricNames.AWS_CALLS).tag("outcome", "Unavailable").counter().count()).isEqualTo(1);
    }

    @Test
    void clientErrorsDoNotOpenTheBreakerAndEndpointsAreIndependent() {
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> policy.call("dynamodb:us-east-1", "DynamoDB DescribeTable", () -> {
                throw error(400, "ResourceNotFoundException");
            })).isInstanceOf(AwsFailureException.class);
        }
        assertThat(policy.state("dynamodb:us-east-1").name()).isEqualTo("CLOSED");
        assertThat(policy.call("dynamodb:us-east-1", "DynamoDB ListTables", () -> "ok")).isEqualTo("ok");
        assertThat(meters.get(MetricNames.AWS_CALLS).tag("outcome", "ok").counter().count()).isEqualTo(1);
    }

    private static AwsServiceException error(int status, String code) {
        return AwsServiceException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("boom").build()).build();
    }
}

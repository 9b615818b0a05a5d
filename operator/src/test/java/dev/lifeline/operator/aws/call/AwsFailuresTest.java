package dev.lifeline.operator.aws.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

class AwsFailuresTest {

    @Test
    void mapsAwsErrorCodesToConditionReasons() {
        assertThat(reason(400, "ThrottlingException")).isEqualTo(AwsReason.Throttled);
        assertThat(reason(400, "Throttling")).isEqualTo(AwsReason.Throttled);
        assertThat(reason(400, "PriorRequestNotComplete")).isEqualTo(AwsReason.Throttled);
        assertThat(reason(400, "AccessDeniedException")).isEqualTo(AwsReason.AccessDenied);
        assertThat(reason(403, "AccessDenied")).isEqualTo(AwsReason.AccessDenied);
        assertThat(reason(400, "ResourceNotFoundException")).isEqualTo(AwsReason.NotFound);
        assertThat(reason(404, "NoSuchHostedZone")).isEqualTo(AwsReason.NotFound);
        assertThat(reason(400, "ValidationException")).isEqualTo(AwsReason.Invalid);
        assertThat(reason(400, "InvalidChangeBatch")).isEqualTo(AwsReason.Invalid);
        assertThat(reason(400, "ResourceInUseException")).isEqualTo(AwsReason.Conflict);
        assertThat(reason(400, "ContinuousBackupsUnavailableException")).isEqualTo(AwsReason.Conflict);
        assertThat(reason(503, "ServiceUnavailable")).isEqualTo(AwsReason.Unavailable);
        assertThat(AwsFailures.classify("x", SdkClientException.create("connection reset")).reason())
                .isEqualTo(AwsReason.Unavailable);
        assertThat(AwsFailures.classify("x", CallNotPermittedException.createCallNotPermittedException(
                CircuitBreaker.ofDefaults("route53"))).message()).contains("circuit breaker route53 is open");
    }

    @Test
    void aCallWhoseEarlierAttemptsWereThrottledIsThrottled() {
        SdkClientException timeout = SdkClientException.create("Request attempt 3 failure: connection reset");
        timeout.addSuppressed(SdkClientException.create("Request attempt 1 failure", error(400, "ThrottlingException")));
        assertThat(AwsFailures.classify("x", timeout).reason()).isEqualTo(AwsReason.Throttled);

        SdkClientException unreachable = SdkClientException.create("Request attempt 2 failure: connection refused");
        unreachable.addSuppressed(SdkClientException.create("Request attempt 1 failure: connection refused"));
        assertThat(AwsFailures.classify("x", unreachable).reason()).isEqualTo(AwsReason.Unavailable);
    }

    @Test
    void onlyEndpointFailuresTripTheBreakerAndProgrammingErrorsAreNotHidden() {
        assertThat(AwsFailures.isEndpointFailure(error(400, "ThrottlingException"))).isTrue();
        assertThat(AwsFailures.isEndpointFailure(error(500, "InternalServerError"))).isTrue();
        assertThat(AwsFailures.isEndpointFailure(error(400, "ResourceNotFoundException"))).isFalse();
        assertThat(AwsFailures.classify("x", new NullPointerException())).isNull();
    }

    @Test
    void messagesNameTheCallAndTheAwsMessage() {
        assertThat(AwsFailures.classify("DynamoDB DescribeTable t in us-east-1", error(400, "AccessDeniedException"))
                .message()).isEqualTo("DynamoDB DescribeTable t in us-east-1 failed with AccessDeniedException: boom");
    }

    private static AwsReason reason(int status, String code) {
        return AwsFailures.classify("call", error(status, code)).reason();
    }

    private static AwsServiceException error(int status, String code) {
        return AwsServiceException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("boom").build()).build();
    }
}

package dev.lifeline.operator.aws.call;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** Classifies AWS SDK failures into condition reasons. Pure: exception in, problem out. */
public final class AwsFailures {

    private static final Set<String> THROTTLING = Set.of("Throttling", "ThrottlingException",
            "ThrottledException", "PriorRequestNotComplete", "ProvisionedThroughputExceededException",
            "RequestLimitExceeded", "RequestThrottled", "RequestThrottledException", "TooManyRequestsException",
            "LimitExceededException", "SlowDown");
    private static final Set<String> ACCESS_DENIED = Set.of("AccessDenied", "AccessDeniedException",
            "UnrecognizedClientException", "InvalidClientTokenId", "ExpiredToken", "ExpiredTokenException",
            "MissingAuthenticationToken", "UnauthorizedOperation", "InvalidSignatureException",
            "SignatureDoesNotMatch", "IncompleteSignature");
    private static final Set<String> NOT_FOUND = Set.of("ResourceNotFoundException", "TableNotFoundException",
            "NoSuchHostedZone", "NoSuchHealthCheck", "NoSuchChange", "HostedZoneNotFound");
    private static final Set<String> CONFLICT = Set.of("ResourceInUseException", "ConcurrentModification",
            "HealthCheckInUse", "HealthCheckAlreadyExists", "TableAlreadyExistsException",
            "ConditionalCheckFailedException", "TransactionConflictException",
            // DynamoDB still enabling backups on a new table: transient, retried on the next pass.
            "ContinuousBackupsUnavailableException");

    private AwsFailures() {
    }

    /**
     * The problem behind an expected AWS failure, or null when the throwable is not one (a
     * programming error, which must not be hidden in a condition).
     *
     * @param what the call, for the message ("DynamoDB DescribeTable meet-sessions")
     */
    public static AwsProblem classify(String what, Throwable failure) {
        if (failure instanceof AwsFailureException known) {
            return known.problem();
        }
        if (failure instanceof CallNotPermittedException open) {
            return new AwsProblem(AwsReason.Unavailable, what + " not attempted: circuit breaker "
                    + open.getCausingCircuitBreakerName() + " is open after repeated failures; calls resume "
                    + "after its open duration");
        }
        if (failure instanceof AwsServiceException service) {
            String code = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
            String detail = code == null ? "HTTP " + service.statusCode() : code;
            String awsMessage = service.awsErrorDetails() == null ? service.getMessage()
                    : service.awsErrorDetails().errorMessage();
            String message = what + " failed with " + detail + (awsMessage == null ? "" : ": " + awsMessage);
            return new AwsProblem(reasonOf(service, code), message);
        }
        if (failure instanceof SdkClientException client) {
            // When the last attempt fails on the client side (connection reset, attempt timeout), the
            // SDK keeps the earlier attempts' failures as suppressed exceptions: if AWS was
            // throttling them, that is the reason to report, not "unreachable". (A call cut off by
            // the call timeout carries none; keep call-timeout above the throttling backoff of
            // max-attempts, as the defaults do.)
            AwsServiceException lastAnswer = lastServiceFailure(client);
            if (lastAnswer != null && reasonOf(lastAnswer, errorCode(lastAnswer)) == AwsReason.Throttled) {
                return new AwsProblem(AwsReason.Throttled, what + " was throttled (" + errorCode(lastAnswer)
                        + "), then failed: " + client.getMessage());
            }
            return new AwsProblem(AwsReason.Unavailable, what + " could not reach AWS: " + client.getMessage());
        }
        return null;
    }

    private static AwsServiceException lastServiceFailure(Throwable failure) {
        AwsServiceException found = null;
        for (Throwable attempt : failure.getSuppressed()) {
            for (Throwable t = attempt; t != null; t = t.getCause()) {
                if (t instanceof AwsServiceException service) {
                    found = service;
                    break;
                }
            }
        }
        return found;
    }

    private static String errorCode(AwsServiceException service) {
        return service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
    }

    private static AwsReason reasonOf(AwsServiceException service, String code) {
        if (service.isThrottlingException() || (code != null && THROTTLING.contains(code))) {
            return AwsReason.Throttled;
        }
        if ((code != null && ACCESS_DENIED.contains(code)) || service.statusCode() == 403) {
            return AwsReason.AccessDenied;
        }
        if (code != null && NOT_FOUND.contains(code)) {
            return AwsReason.NotFound;
        }
        if (code != null && CONFLICT.contains(code)) {
            return AwsReason.Conflict;
        }
        if (service.statusCode() >= 500) {
            return AwsReason.Unavailable;
        }
        return AwsReason.Invalid;
    }

    /** Whether a failure says the endpoint is unwell, so the circuit breaker should count it. */
    public static boolean isEndpointFailure(Throwable failure) {
        AwsProblem problem = classify("call", failure);
        return problem != null && problem.reason().isEndpointFailure();
    }
}

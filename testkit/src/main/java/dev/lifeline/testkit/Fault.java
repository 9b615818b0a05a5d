package dev.lifeline.testkit;

import java.time.Duration;
import java.util.Objects;

/**
 * One fault the {@link FaultProxy} injects into matching requests. Immutable: the narrowing
 * methods ({@link #onService}, {@link #onAction}, {@link #times}) return a new fault.
 *
 * <p>Error bodies are the ones AWS sends, so the SDK classifies them exactly as it would in
 * production (throttling vs. server error vs. client error).
 */
public final class Fault {

    /** What happens to a matched request. */
    public enum Kind {
        /** Answer with {@link #status()} and {@link #errorCode()} in the service's error format. */
        ERROR,
        /** Wait {@link #delay()}, then forward to the emulator. */
        LATENCY,
        /** Close the connection without any response; the request never reaches the emulator. */
        DROP_CONNECTION,
        /** Forward to the emulator (which carries the request out), then close without answering: a lost response. */
        DROP_RESPONSE,
        /**
         * An unreliable network: each request is lost (its connection closed unanswered) with probability
         * {@link #lossRatio()}, and otherwise delayed by a random time between 0 and {@link #delay()}, then forwarded.
         */
        UNRELIABLE
    }

    private final Kind kind;
    private final int status;
    private final String errorCode;
    private final Duration delay;
    private final AwsService service;
    private final String iamAction;
    private final int times;
    private final double lossRatio;

    private Fault(Kind kind, int status, String errorCode, Duration delay, AwsService service, String iamAction,
            int times) {
        this(kind, status, errorCode, delay, service, iamAction, times, 0);
    }

    private Fault(Kind kind, int status, String errorCode, Duration delay, AwsService service, String iamAction,
            int times, double lossRatio) {
        this.lossRatio = lossRatio;
        this.kind = kind;
        this.status = status;
        this.errorCode = errorCode;
        this.delay = delay;
        this.service = service;
        this.iamAction = iamAction;
        this.times = times;
    }

    /** DynamoDB's {@code ThrottlingException} (HTTP 400), on DynamoDB requests. */
    public static Fault dynamoDbThrottling() {
        return new Fault(Kind.ERROR, 400, "ThrottlingException", null, AwsService.DYNAMODB, null, -1);
    }

    /** Route 53's {@code Throttling} (HTTP 400, "Rate exceeded"), on Route 53 requests. */
    public static Fault route53Throttling() {
        return new Fault(Kind.ERROR, 400, "Throttling", null, AwsService.ROUTE53, null, -1);
    }

    /** Route 53's {@code PriorRequestNotComplete} (HTTP 400), sent while a change is still propagating. */
    public static Fault route53PriorRequestNotComplete() {
        return new Fault(Kind.ERROR, 400, "PriorRequestNotComplete", null, AwsService.ROUTE53, null, -1);
    }

    /** A server error such as 500 or 503, on any service unless narrowed. */
    public static Fault serverError(int status) {
        if (status < 500 || status > 599) {
            throw new IllegalArgumentException("not a 5xx status: " + status);
        }
        return new Fault(Kind.ERROR, status, status == 503 ? "ServiceUnavailable" : "InternalFailure", null, null,
                null, -1);
    }

    /** Any AWS error response (for example 400 {@code AccessDeniedException}), on one service. */
    public static Fault error(AwsService service, int status, String errorCode) {
        return new Fault(Kind.ERROR, status, Objects.requireNonNull(errorCode), null, Objects.requireNonNull(service),
                null, -1);
    }

    /** Delays matching requests, then forwards them. */
    public static Fault latency(Duration delay) {
        return new Fault(Kind.LATENCY, 0, null, Objects.requireNonNull(delay), null, null, -1);
    }

    /**
     * Jitter and loss: each matching request is lost with probability {@code lossRatio} (0..1), the others are
     * delayed uniformly between 0 and {@code maxDelay}. For false-alarm tests of failure detection.
     */
    public static Fault unreliable(Duration maxDelay, double lossRatio) {
        if (lossRatio < 0 || lossRatio > 1) {
            throw new IllegalArgumentException("loss ratio must be between 0 and 1: " + lossRatio);
        }
        if (maxDelay.isNegative()) {
            throw new IllegalArgumentException("maximum delay must not be negative: " + maxDelay);
        }
        return new Fault(Kind.UNRELIABLE, 0, null, maxDelay, null, null, -1, lossRatio);
    }

    /** Closes the connection of matching requests without answering. */
    public static Fault dropConnection() {
        return new Fault(Kind.DROP_CONNECTION, 0, null, null, null, null, -1);
    }

    /** Carries matching requests out but loses the response, as when a connection dies mid-answer. */
    public static Fault dropResponse() {
        return new Fault(Kind.DROP_RESPONSE, 0, null, null, null, null, -1);
    }

    /** Only requests to this service. */
    public Fault onService(AwsService onlyService) {
        return new Fault(kind, status, errorCode, delay, Objects.requireNonNull(onlyService), iamAction, times,
                lossRatio);
    }

    /** Only requests for this IAM-style action, for example {@code dynamodb:UpdateTable}. */
    public Fault onAction(String onlyIamAction) {
        return new Fault(kind, status, errorCode, delay, service, Objects.requireNonNull(onlyIamAction), times,
                lossRatio);
    }

    /** Only the next {@code count} matching requests; by default the fault lasts until cleared. */
    public Fault times(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be positive: " + count);
        }
        return new Fault(kind, status, errorCode, delay, service, iamAction, count, lossRatio);
    }

    boolean matches(AwsService requestService, String requestIamAction) {
        return (service == null || service == requestService)
                && (iamAction == null || iamAction.equals(requestIamAction));
    }

    public Kind kind() {
        return kind;
    }

    public int status() {
        return status;
    }

    public String errorCode() {
        return errorCode;
    }

    public Duration delay() {
        return delay;
    }

    /** For {@link Kind#UNRELIABLE}: the share of requests lost. */
    public double lossRatio() {
        return lossRatio;
    }

    /** How many requests this fault hits, or -1 for every one until cleared. */
    public int times() {
        return times;
    }

    @Override
    public String toString() {
        String what = switch (kind) {
            case ERROR -> status + " " + errorCode;
            case LATENCY -> "latency " + delay.toMillis() + "ms";
            case DROP_CONNECTION -> "drop connection";
            case DROP_RESPONSE -> "drop response";
            case UNRELIABLE -> "jitter 0-" + delay.toMillis() + "ms, loss " + lossRatio * 100 + "%";
        };
        return what + (service == null ? "" : " on " + service) + (iamAction == null ? "" : " " + iamAction)
                + (times < 0 ? "" : " x" + times);
    }
}

package dev.lifeline.operator.aws;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.util.function.Supplier;

/**
 * Every AWS call goes through here: a resilience4j circuit breaker per service endpoint
 * ({@code dynamodb:<region>}, {@code route53}) around the SDK call (which already retried within
 * its bounds), and expected failures turned into {@link AwsFailureException} with a reason.
 * An open breaker fails fast, so a dead endpoint does not stall every reconcile for the full
 * call timeout. Only endpoint failures (throttling, 5xx, timeouts, connection errors) count;
 * a NotFound or a validation error says nothing about the endpoint's health.
 */
public final class AwsCallPolicy {

    private final CircuitBreakerRegistry breakers;

    public AwsCallPolicy(AwsSettings.BreakerSettings settings) {
        this.breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.slidingWindowSize())
                .minimumNumberOfCalls(settings.minimumCalls())
                .failureRateThreshold(settings.failureRateThreshold())
                .waitDurationInOpenState(settings.openDuration())
                .permittedNumberOfCallsInHalfOpenState(settings.halfOpenCalls())
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .recordException(AwsFailures::isEndpointFailure)
                .build());
    }

    public static String dynamoDb(String region) {
        return "dynamodb:" + region;
    }

    public static final String ROUTE53 = "route53";

    /**
     * Runs one AWS call.
     *
     * @param breakerName {@link #dynamoDb(String)} or {@link #ROUTE53}
     * @param what        what is called, for messages ("DynamoDB DescribeTable meet-sessions")
     * @throws AwsFailureException for every expected AWS failure
     */
    public <T> T call(String breakerName, String what, Supplier<T> call) {
        CircuitBreaker breaker = breakers.circuitBreaker(breakerName);
        try {
            return breaker.executeSupplier(call);
        } catch (RuntimeException e) {
            AwsProblem problem = AwsFailures.classify(what, e);
            if (problem == null) {
                throw e;
            }
            throw new AwsFailureException(problem, e);
        }
    }

    public void run(String breakerName, String what, Runnable call) {
        call(breakerName, what, () -> {
            call.run();
            return null;
        });
    }

    /** The breaker's state (CLOSED, OPEN, HALF_OPEN), for status and tests. */
    public CircuitBreaker.State state(String breakerName) {
        return breakers.circuitBreaker(breakerName).getState();
    }
}

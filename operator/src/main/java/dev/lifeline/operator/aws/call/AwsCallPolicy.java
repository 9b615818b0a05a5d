package dev.lifeline.operator.aws.call;

import dev.lifeline.operator.metrics.MetricNames;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.function.Supplier;

/**
 * Every AWS call goes through here: a resilience4j circuit breaker per service endpoint
 * ({@code dynamodb:<region>}, {@code route53}) around the SDK call (which already retried within
 * its bounds), and expected failures turned into {@link AwsFailureException} with a reason.
 * An open breaker fails fast, so a dead endpoint does not stall every reconcile for the full
 * call timeout. Only endpoint failures (throttling, 5xx, timeouts, connection errors) count;
 * a NotFound or a validation error says nothing about the endpoint's health.
 *
 * <p>Metrics: {@code lifeline.aws.calls} (counter; tags {@code endpoint}, {@code outcome} = ok or
 * the {@link AwsReason}), {@code lifeline.aws.call.duration} (timer, including SDK retries) and
 * {@code lifeline.aws.circuit.breaker.state} (gauge: 0 closed, 1 half-open, 2 open, the coding of every
 * breaker gauge); names in {@link MetricNames}.
 */
public final class AwsCallPolicy {

    private final CircuitBreakerRegistry breakers;
    private final MeterRegistry meters;

    /** Without metrics (tests and tools). */
    public AwsCallPolicy(AwsSettings.BreakerSettings settings) {
        this(settings, new SimpleMeterRegistry());
    }

    public AwsCallPolicy(AwsSettings.BreakerSettings settings, MeterRegistry meters) {
        this.meters = meters;
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
        breakers.getEventPublisher().onEntryAdded(added -> {
            CircuitBreaker breaker = added.getAddedEntry();
            Gauge.builder(MetricNames.AWS_BREAKER_STATE, breaker, AwsCallPolicy::stateCode)
                    .description("Circuit breaker of an AWS endpoint: 0 closed, 1 half-open, 2 open")
                    .tag("endpoint", breaker.getName())
                    .register(meters);
        });
    }

    private static double stateCode(CircuitBreaker breaker) {
        return switch (breaker.getState()) {
            case OPEN, FORCED_OPEN -> MetricNames.BREAKER_OPEN;
            case HALF_OPEN -> MetricNames.BREAKER_HALF_OPEN;
            default -> MetricNames.BREAKER_CLOSED;
        };
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
        Timer.Sample sample = Timer.start(meters);
        String outcome = "ok";
        try {
            return breaker.executeSupplier(call);
        } catch (RuntimeException e) {
            AwsProblem problem = AwsFailures.classify(what, e);
            if (problem == null) {
                outcome = "error";
                throw e;
            }
            outcome = problem.reason().name();
            throw new AwsFailureException(problem, e);
        } finally {
            sample.stop(Timer.builder(MetricNames.AWS_CALL_DURATION).description("AWS calls including SDK retries")
                    .tag("endpoint", breakerName).register(meters));
            Counter.builder(MetricNames.AWS_CALLS).description("AWS calls by endpoint and outcome")
                    .tag("endpoint", breakerName).tag("outcome", outcome).register(meters).increment();
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

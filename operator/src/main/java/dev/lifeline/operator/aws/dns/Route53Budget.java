package dev.lifeline.operator.aws.dns;

import dev.lifeline.operator.aws.call.AwsFailureException;
import dev.lifeline.operator.aws.call.AwsProblem;
import dev.lifeline.operator.aws.call.AwsReason;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The operator process's share of the account's Route 53 request rate (Route 53 allows 5 requests a second per
 * account and throttles beyond it). One resilience4j rate limiter hands out one permit per request, one every
 * {@code 1 s / requestsPerSecond}, so requests are spread evenly rather than sent in bursts.
 *
 * <p>Two kinds of request share it. A {@link Priority#ROUTING} request (drain, rollback, restore, the evidence and
 * confirmations of a failover, the writes of a reconcile) waits for a permit, up to {@code maxWait}; waiting
 * reserves the next permit at once, so it goes ahead of every drift check that has not yet got one; so does an
 * {@link Priority#ADMITTED} one, the rest of a read already begun. A {@link Priority#DRIFT} request (the periodic
 * drift check, the own region's health-check verdict) never waits: without a free permit it is postponed
 * ({@link AwsReason#Postponed}) and its caller tries again later. That keeps a failover's one write from queueing
 * behind a thousand drift checks. A {@link Priority#VERDICT} request (the own region's health-check status, asked
 * per platform every health-check interval) is a drift request that may also use at most half the budget, so that
 * many platforms' verdicts cannot starve the drift checks.
 *
 * <p>Spacing the permits evenly would queue a failover's few requests (the record read again, the silent peer's
 * evidence, the change) one period behind the other: 0.75 s or more on the way to the drain. So a routing request
 * first takes one of a small {@linkplain #ROUTING_BURST burst} that goes at once, on top of the budget; only beyond it
 * does it wait for its permit. The burst is renewed once per {@link #ROUTING_BURST_PERIOD}, so it adds at most one
 * request a second to the budget (4 + 1 by default: Route 53's 5 per account).
 */
public final class Route53Budget {

    /** Who asks. */
    public enum Priority {
        /** Goes at once within the routing burst, else waits for a permit (bounded): failover requests and writes. */
        ROUTING,
        /**
         * Waits for a permit (bounded), never takes the routing burst: the later requests of a read already admitted
         * (the next pages of a listing, the rest of a drift check).
         */
        ADMITTED,
        /** Takes a free permit or is postponed: periodic reads that can come a little later. */
        DRIFT,
        /** As {@link #DRIFT}, within half the budget: per-platform health-check verdicts. */
        VERDICT
    }

    /** How many routing requests go at once, without waiting for a permit of the budget. */
    public static final int ROUTING_BURST = 3;
    public static final Duration ROUTING_BURST_PERIOD = Duration.ofSeconds(3);

    private final RateLimiter limiter;
    private final RateLimiter verdicts;
    private final RateLimiter routingBurst;
    private final double requestsPerSecond;
    private final ReentrantLock driftGate = new ReentrantLock();

    private Route53Budget(RateLimiter limiter, RateLimiter verdicts, RateLimiter routingBurst, double requestsPerSecond) {
        this.limiter = limiter;
        this.verdicts = verdicts;
        this.routingBurst = routingBurst;
        this.requestsPerSecond = requestsPerSecond;
    }

    /**
     * @param requestsPerSecond the budget, above 0; keep it below Route 53's 5 per account, minus what other
     *                          clients of the account use
     * @param maxWait           how long a {@link Priority#ROUTING} request waits for a permit at most
     */
    public static Route53Budget of(double requestsPerSecond, Duration maxWait) {
        return of(requestsPerSecond, maxWait, System::nanoTime);
    }

    /** As above, with the limiter's clock (nanoseconds), for tests. */
    static Route53Budget of(double requestsPerSecond, Duration maxWait, LongSupplier nanoTime) {
        if (!(requestsPerSecond > 0)) {
            throw new IllegalArgumentException("Route 53 requests per second must be above 0: " + requestsPerSecond);
        }
        return new Route53Budget(RateLimiter.of("route53", onePerPeriod(requestsPerSecond, maxWait), nanoTime::getAsLong),
                RateLimiter.of("route53-verdicts", onePerPeriod(requestsPerSecond / 2, Duration.ZERO),
                        nanoTime::getAsLong),
                RateLimiter.of("route53-routing-burst", RateLimiterConfig.custom()
                        .limitForPeriod(ROUTING_BURST)
                        .limitRefreshPeriod(ROUTING_BURST_PERIOD)
                        .timeoutDuration(Duration.ZERO)
                        .build(), nanoTime::getAsLong),
                requestsPerSecond);
    }

    /**
     * One permit per period: a budget of 4/s is a permit every 250 ms, so a routing request waits 250 ms at most
     * behind what is already reserved, and no burst of drift checks can use a second's worth at once.
     */
    private static RateLimiterConfig onePerPeriod(double perSecond, Duration maxWait) {
        long periodNanos = Math.max(1L, Math.round(1_000_000_000d / perSecond));
        return RateLimiterConfig.custom()
                .limitForPeriod(1)
                .limitRefreshPeriod(Duration.ofNanos(periodNanos))
                .timeoutDuration(maxWait)
                .build();
    }

    /** No limit (the in-memory twin, tests of other things). */
    public static Route53Budget unlimited() {
        return of(1_000_000, Duration.ZERO);
    }

    public double requestsPerSecond() {
        return requestsPerSecond;
    }

    private AwsFailureException postponed(String what) {
        return new AwsFailureException(new AwsProblem(AwsReason.Postponed, what + " postponed: the Route 53 request "
                + "budget (" + requestsPerSecond + "/s) is in use"), "Postponed");
    }

    /** Whether this thread runs a drift check ({@link #asOneCheck}), and whether that check got its first permit. */
    private final ThreadLocal<boolean[]> check = new ThreadLocal<>();

    /**
     * Runs one drift check: its first drift request takes a free permit or postpones the check; once admitted, its
     * later requests wait for theirs, so a check that needs several requests (a new platform: listings, the health
     * check, its tags, the record batch) is finished rather than postponed half-way again and again. Admission
     * needs a free permit, which exists only while no request waits, so a routing request waits at most for the
     * rest of the one check admitted before it.
     */
    public <T> T asOneCheck(java.util.function.Supplier<T> run) {
        boolean[] outer = check.get();
        check.set(new boolean[] {false});
        try {
            return run.get();
        } finally {
            if (outer == null) {
                check.remove();
            } else {
                check.set(outer);
            }
        }
    }

    /**
     * Takes a permit for one request.
     *
     * @throws AwsFailureException {@link AwsReason#Postponed} when a drift request finds none free;
     *                             {@link AwsReason#Throttled} when a routing or admitted request got none within
     *                             its wait
     */
    public void acquire(Priority priority, String what) {
        if (priority == Priority.VERDICT && !verdicts.acquirePermission()) {
            throw postponed(what + " (health-check verdicts use at most half the budget)");
        }
        boolean[] admitted = check.get();
        if (priority == Priority.DRIFT && admitted != null && admitted[0]) {
            priority = Priority.ADMITTED; // the rest of an admitted check
        }
        if (priority == Priority.ROUTING && routingBurst.acquirePermission()) {
            return;
        }
        if (priority == Priority.DRIFT || priority == Priority.VERDICT) {
            // Looking first keeps a drift request from reserving a future permit (and waiting for it): that permit
            // belongs to whoever comes first once it is free, a routing request most of all. One drift request looks
            // at a time (the others are postponed at once), so a race with a routing request for the last free
            // permit can put at most one drift request ahead of it, for one period.
            if (!driftGate.tryLock()) {
                throw postponed(what);
            }
            try {
                if (limiter.getMetrics().getAvailablePermissions() <= 0 || !limiter.acquirePermission()) {
                    throw postponed(what);
                }
            } finally {
                driftGate.unlock();
            }
            if (priority == Priority.DRIFT && admitted != null) {
                admitted[0] = true;
            }
            return;
        }
        if (!limiter.acquirePermission()) {
            throw new AwsFailureException(new AwsProblem(AwsReason.Throttled, what + ": no Route 53 request permit within "
                    + limiter.getRateLimiterConfig().getTimeoutDuration() + " (budget " + requestsPerSecond + "/s)"),
                    "ClientBudgetExhausted");
        }
    }
}

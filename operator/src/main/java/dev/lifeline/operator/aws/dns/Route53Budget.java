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
 * <p>Two priorities share it. A {@link Priority#ROUTING} request (drain, rollback, restore, the evidence and
 * confirmations of a failover) waits for a permit, up to {@code maxWait}; waiting reserves the next permit at once,
 * so it goes ahead of every drift check that has not yet got one. A {@link Priority#DRIFT} request (the periodic
 * drift check, the own region's health-check verdict) never waits: without a free permit it is postponed
 * ({@link AwsReason#Postponed}) and its caller tries again later. That keeps a failover's one write from queueing
 * behind a thousand drift checks. A {@link Priority#VERDICT} request (the own region's health-check status, asked
 * per platform every health-check interval) is a drift request that may also use at most half the budget, so that
 * many platforms' verdicts cannot starve the drift checks.
 */
public final class Route53Budget {

    /** Who asks. */
    public enum Priority {
        /** Waits for a permit (bounded): failover writes and what they depend on. */
        ROUTING,
        /** Takes a free permit or is postponed: periodic reads that can come a little later. */
        DRIFT,
        /** As {@link #DRIFT}, within half the budget: per-platform health-check verdicts. */
        VERDICT
    }

    private final RateLimiter limiter;
    private final RateLimiter verdicts;
    private final double requestsPerSecond;
    private final ReentrantLock driftGate = new ReentrantLock();

    private Route53Budget(RateLimiter limiter, RateLimiter verdicts, double requestsPerSecond) {
        this.limiter = limiter;
        this.verdicts = verdicts;
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
     *                             {@link AwsReason#Throttled} when a routing request got none within its wait
     */
    public void acquire(Priority priority, String what) {
        if (priority == Priority.VERDICT && !verdicts.acquirePermission()) {
            throw postponed(what + " (health-check verdicts use at most half the budget)");
        }
        boolean[] admitted = check.get();
        if (priority == Priority.DRIFT && admitted != null && admitted[0]) {
            priority = Priority.ROUTING; // the rest of an admitted check
        }
        if (priority != Priority.ROUTING) {
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

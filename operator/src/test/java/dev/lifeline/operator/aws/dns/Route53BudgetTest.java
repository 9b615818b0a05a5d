package dev.lifeline.operator.aws.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.lifeline.operator.aws.call.AwsFailureException;
import dev.lifeline.operator.aws.call.AwsReason;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The Route 53 request budget's decisions, on the limiter's own clock (tests move it; nothing waits on real time). */
class Route53BudgetTest {

    private static final long PERIOD = 250_000_000L; // 4/s

    /** Starts well past the limiter's first cycle, as a running process would be. */
    private final AtomicLong nanos = new AtomicLong(1_000 * PERIOD);
    private final Route53Budget budget = Route53Budget.of(4, Duration.ofSeconds(20), nanos::get);

    @Test
    void driftRequestsNeverGetMoreThanTheBudgetHowEverOftenTheyAsk() {
        int granted = 0;
        // 10 seconds of the limiter's time, a drift request every millisecond.
        for (int ms = 0; ms < 10_000; ms++) {
            nanos.addAndGet(1_000_000);
            if (tryDrift(Route53Budget.Priority.DRIFT)) {
                granted++;
            }
        }
        assertThat(granted).isBetween(39, 41);
    }

    @Test
    void aDriftRequestWithoutAFreePermitIsPostponedNotQueued() {
        assertThat(tryDrift(Route53Budget.Priority.DRIFT)).isTrue();
        assertThatThrownBy(() -> budget.acquire(Route53Budget.Priority.DRIFT, "Route 53 GetHealthCheck"))
                .isInstanceOf(AwsFailureException.class)
                .satisfies(e -> assertThat(((AwsFailureException) e).reason()).isEqualTo(AwsReason.Postponed))
                .hasMessageContaining("budget (4.0/s)");
        nanos.addAndGet(PERIOD);
        assertThat(tryDrift(Route53Budget.Priority.DRIFT)).isTrue();
    }

    @Test
    void aRoutingRequestGetsThePermitAheadOfEveryDriftRequestThatComesAfterIt() {
        assertThat(tryDrift(Route53Budget.Priority.DRIFT)).isTrue(); // the budget of this period is used
        for (int i = 0; i < Route53Budget.ROUTING_BURST; i++) {
            budget.acquire(Route53Budget.Priority.ROUTING, "Route 53 GetHealthCheckStatus"); // and the burst
        }
        // The next routing request reserves the next period's permit at once and waits for it on the limiter's clock,
        // which moves on by one period once the request is parked.
        Thread routing = Thread.currentThread();
        Thread clockHand = new Thread(() -> {
            await().atMost(Duration.ofSeconds(30)).until(() -> routing.getState() == Thread.State.TIMED_WAITING);
            nanos.addAndGet(PERIOD);
        });
        clockHand.start();
        budget.acquire(Route53Budget.Priority.ROUTING, "Route 53 ChangeResourceRecordSets");
        assertThat(tryDrift(Route53Budget.Priority.DRIFT))
                .as("the permit of the next period went to the routing request").isFalse();
        nanos.addAndGet(PERIOD);
        assertThat(tryDrift(Route53Budget.Priority.DRIFT)).isTrue();
    }

    @Test
    void aFailoversFirstRequestsGoAtOnceThenWaitForTheirPermits() {
        // No waiting at all: a request that would have to wait for a permit is refused (Throttled) instead.
        Route53Budget noWait = Route53Budget.of(4, Duration.ZERO, nanos::get);
        assertThat(tryAcquire(noWait, Route53Budget.Priority.DRIFT)).isTrue(); // this period's permit is used
        for (int i = 0; i < Route53Budget.ROUTING_BURST; i++) {
            assertThat(tryAcquire(noWait, Route53Budget.Priority.ROUTING)).as("routing request %d goes at once", i)
                    .isTrue();
        }
        assertThat(tryAcquire(noWait, Route53Budget.Priority.ROUTING)).as("beyond the burst, it waits").isFalse();
        assertThat(tryAcquire(noWait, Route53Budget.Priority.ADMITTED)).as("the rest of a read never bursts")
                .isFalse();
        // The burst comes back once per its period, not sooner: at most one request a second on top of the budget.
        nanos.addAndGet(Route53Budget.ROUTING_BURST_PERIOD.toNanos() - PERIOD);
        assertThat(tryAcquire(noWait, Route53Budget.Priority.DRIFT)).isTrue();
        assertThat(tryAcquire(noWait, Route53Budget.Priority.ROUTING)).isFalse();
        nanos.addAndGet(PERIOD);
        assertThat(tryAcquire(noWait, Route53Budget.Priority.ROUTING)).isTrue();
    }

    @Test
    void theLaterPagesOfADriftListingWaitButNeverTakeTheRoutingBurst() {
        Route53Budget noWait = Route53Budget.of(4, Duration.ZERO, nanos::get);
        assertThat(tryAcquire(noWait, Route53Budget.Priority.DRIFT)).isTrue();
        assertThat(tryAcquire(noWait, Route53Budget.Priority.ADMITTED)).isFalse();
        // The burst is still whole for a failover.
        for (int i = 0; i < Route53Budget.ROUTING_BURST; i++) {
            assertThat(tryAcquire(noWait, Route53Budget.Priority.ROUTING)).isTrue();
        }
    }

    @Test
    void aDriftCheckIsPostponedOnlyBeforeItsFirstRequestThenFinished() {
        // Another check holds this period's permit: a new check is postponed before it asks anything.
        assertThat(tryDrift(Route53Budget.Priority.DRIFT)).isTrue();
        assertThat(budget.asOneCheck(() -> tryDrift(Route53Budget.Priority.DRIFT))).isFalse();

        nanos.addAndGet(PERIOD);
        Thread checking = Thread.currentThread();
        int requests = budget.asOneCheck(() -> {
            assertThat(tryDrift(Route53Budget.Priority.DRIFT)).as("admitted with the free permit").isTrue();
            // Its next request finds no free permit, and waits for the next period's instead of failing half-way.
            Thread clockHand = new Thread(() -> {
                await().atMost(Duration.ofSeconds(30)).until(() -> checking.getState() == Thread.State.TIMED_WAITING);
                nanos.addAndGet(PERIOD);
            });
            clockHand.start();
            assertThat(tryDrift(Route53Budget.Priority.DRIFT)).as("the rest of an admitted check waits").isTrue();
            return 2;
        });
        assertThat(requests).isEqualTo(2);
        // Outside the check, drift requests take a free permit or nothing again.
        assertThat(tryDrift(Route53Budget.Priority.DRIFT)).isFalse();
    }

    @Test
    void verdictsUseAtMostHalfTheBudgetSoDriftChecksKeepTheRest() {
        int verdicts = 0;
        int drift = 0;
        for (int ms = 0; ms < 10_000; ms++) {
            nanos.addAndGet(1_000_000);
            // Verdicts ask first and ten times as often: without their cap they would take every permit.
            if (tryDrift(Route53Budget.Priority.VERDICT)) {
                verdicts++;
            }
            if (ms % 10 == 0 && tryDrift(Route53Budget.Priority.DRIFT)) {
                drift++;
            }
        }
        assertThat(verdicts).isBetween(19, 21);
        assertThat(drift).isBetween(19, 21);
    }

    @Test
    void aBudgetMustBePositive() {
        assertThatThrownBy(() -> Route53Budget.of(0, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    }

    /** Whether a request of a budget that never waits got its permit (else it was throttled or postponed). */
    private static boolean tryAcquire(Route53Budget budget, Route53Budget.Priority priority) {
        try {
            budget.acquire(priority, "Route 53 ChangeResourceRecordSets");
            return true;
        } catch (AwsFailureException e) {
            assertThat(e.reason()).isIn(AwsReason.Postponed, AwsReason.Throttled);
            return false;
        }
    }

    private boolean tryDrift(Route53Budget.Priority priority) {
        try {
            budget.acquire(priority, "Route 53 ListResourceRecordSets");
            return true;
        } catch (AwsFailureException e) {
            assertThat(e.reason()).isEqualTo(AwsReason.Postponed);
            return false;
        }
    }
}

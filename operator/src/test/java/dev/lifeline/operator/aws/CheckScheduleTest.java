package dev.lifeline.operator.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** When AWS is read next: backoff after failures, and the spread of checks postponed for the Route 53 budget. */
class CheckScheduleTest {

    private final CheckSchedule schedule = new CheckSchedule(Duration.ofSeconds(60), Duration.ofSeconds(5));

    @Test
    void aPostponedCheckWaitsBetweenHalfAndAllOfAWindowThatDoublesUpToTheDriftInterval() {
        assertThat(schedule.postponement(1, 0)).isEqualTo(Duration.ofMillis(2_500));
        assertThat(schedule.postponement(1, 0.999)).isBetween(Duration.ofMillis(4_990), Duration.ofMillis(5_000));
        assertThat(schedule.postponement(2, 0)).isEqualTo(Duration.ofSeconds(5));
        assertThat(schedule.postponement(3, 0)).isEqualTo(Duration.ofSeconds(10));
        assertThat(schedule.postponement(5, 0)).isEqualTo(Duration.ofSeconds(30)); // window capped at 60 s
        assertThat(schedule.postponement(40, 0.999)).isLessThan(Duration.ofSeconds(60));
    }

    @Test
    void checksPostponedTogetherComeBackSpreadOverTheirWindow() {
        Random random = new Random(7);
        CheckSchedule spread = new CheckSchedule(Duration.ofSeconds(60), Duration.ofSeconds(5), random::nextDouble);
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        Set<Long> seconds = new HashSet<>();
        for (int platform = 0; platform < 1_000; platform++) {
            Duration wait = spread.postpone("rtc/p" + platform + "@us-east-1", "f", now);
            assertThat(wait).isBetween(Duration.ofMillis(2_500), Duration.ofSeconds(5));
            seconds.add(wait.toMillis() / 100);
        }
        // 1,000 checks postponed at the same instant come back in every tenth of a second of the 2.5 s window.
        assertThat(seconds).hasSize(25);
    }

    @Test
    void aCheckPostponedAgainAndAgainWaitsLongerAndKeepsItsLastReport() {
        CheckSchedule halfway = new CheckSchedule(Duration.ofSeconds(60), Duration.ofSeconds(5), () -> 0.5);
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        AwsReport report = new AwsReport(null, null, null, null, null, 100, Duration.ofSeconds(60), false);
        halfway.remember("k", "f", report, false, Duration.ofSeconds(60), now);
        Duration first = halfway.postpone("k", "f", now.plusSeconds(60));
        Duration second = halfway.postpone("k", "f", now.plusSeconds(60).plus(first));
        assertThat(second).isGreaterThan(first);
        assertThat(halfway.last("k")).contains(report);
        assertThat(halfway.current("k", "f", now.plusSeconds(60).plus(first))).isPresent();
    }
}

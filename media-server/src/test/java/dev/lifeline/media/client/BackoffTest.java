package dev.lifeline.media.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), new Random(1));

    @Test
    void theCeilingDoublesPerAttemptUpToTheCap() {
        assertThat(IntStream.range(0, 7).mapToLong(backoff::ceilingMillis).toArray())
                .containsExactly(100, 200, 400, 800, 1600, 2000, 2000);
        assertThat(backoff.ceilingMillis(500)).isEqualTo(2000);
    }

    @Test
    void delaysAreFullJitterBetweenZeroAndTheCeiling() {
        long[] delays = IntStream.range(0, 10_000).mapToLong(i -> backoff.delayMillis(3)).toArray();
        assertThat(java.util.Arrays.stream(delays).min().getAsLong()).isGreaterThanOrEqualTo(0);
        assertThat(java.util.Arrays.stream(delays).max().getAsLong()).isLessThanOrEqualTo(800);
        // Full jitter, not "ceiling plus a little": both halves of the range are used.
        assertThat(java.util.Arrays.stream(delays).filter(d -> d < 200).count()).isGreaterThan(1000);
        assertThat(java.util.Arrays.stream(delays).filter(d -> d > 600).count()).isGreaterThan(1000);
    }

    @Test
    void refusesACapBelowTheBase() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), new Random()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

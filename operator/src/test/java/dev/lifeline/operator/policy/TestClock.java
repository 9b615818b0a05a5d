package dev.lifeline.operator.policy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock the test moves by hand: no sleeps. */
final class TestClock extends Clock {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private Instant now;

    TestClock() {
        this(T0);
    }

    TestClock(Instant start) {
        this.now = start;
    }

    TestClock advance(Duration d) {
        now = now.plus(d);
        return this;
    }

    TestClock advanceSeconds(long s) {
        return advance(Duration.ofSeconds(s));
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}

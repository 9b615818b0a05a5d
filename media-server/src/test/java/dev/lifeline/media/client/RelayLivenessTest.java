package dev.lifeline.media.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import dev.lifeline.media.client.RelayLiveness.Verdict;

class RelayLivenessTest {

    private static final long MS = 1_000_000L;
    private static final long INTERVAL = 100 * MS;

    /** Floor 150 ms, cap 2 s, dead after 3 misses in a row and 400 ms of silence. */
    private final RelayLiveness liveness = new RelayLiveness(150 * MS, 2_000 * MS, 400 * MS, 3, 0);

    /** Sends a keepalive every interval from {@code from} up to {@code to}; answers each after {@code rtt} if >= 0. */
    private long run(long from, long to, long rtt) {
        long t = from;
        for (; t < to; t += INTERVAL) {
            liveness.keepaliveSent(t);
            if (rtt >= 0) {
                liveness.pong(t, t + rtt);
            }
        }
        return t;
    }

    @Test
    void aRelayThatAnswersIsAlive() {
        long t = run(0, 2_000 * MS, 2 * MS);
        assertThat(liveness.verdict(t)).isEqualTo(Verdict.ALIVE);
        assertThat(liveness.boundNanos()).isEqualTo(150 * MS);
    }

    @Test
    void oneMissedKeepaliveIsOnlySuspicionAndAnAnswerClearsIt() {
        long t = run(0, 1_000 * MS, 2 * MS);
        liveness.keepaliveSent(t);
        assertThat(liveness.verdict(t + 200 * MS)).isEqualTo(Verdict.SUSPECT);
        liveness.pong(t, t + 210 * MS);
        assertThat(liveness.verdict(t + 210 * MS)).isEqualTo(Verdict.ALIVE);
    }

    @Test
    void silenceIsDeathOnlyAfterSeveralMissesInARowAndTheMinimumSilence() {
        long t = run(0, 1_000 * MS, 2 * MS);
        long lastHeard = t - INTERVAL + 2 * MS;
        // Keepalives keep going out every interval, none answered.
        long deadAt = -1;
        for (long now = t; now < t + 2_000 * MS; now += 10 * MS) {
            if ((now - t) % INTERVAL == 0) {
                liveness.keepaliveSent(now);
            }
            if (liveness.verdict(now) == Verdict.DEAD) {
                deadAt = now;
                break;
            }
        }
        assertThat(deadAt).as("declared dead").isPositive();
        assertThat(deadAt - lastHeard).as("silence before dead").isGreaterThanOrEqualTo(400 * MS);
        assertThat(liveness.missed(deadAt)).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aRelayThatHasBeenSlowGetsALongerBoundBeforeAKeepaliveCountsAsMissed() {
        // Under load the relay answered in 150..450 ms: the bound grows past the floor.
        long t = 0;
        for (int i = 0; i < 40; i++, t += INTERVAL) {
            liveness.keepaliveSent(t);
            liveness.pong(t, t + (i % 2 == 0 ? 150 : 450) * MS);
        }
        assertThat(liveness.boundNanos()).isGreaterThan(450 * MS);
        // So a keepalive 400 ms old is not missed yet, where a calm relay's would be.
        long heardAt = t - INTERVAL + 450 * MS;
        liveness.keepaliveSent(heardAt + 1);
        assertThat(liveness.missed(heardAt + 1 + 400 * MS)).isZero();
    }

    @Test
    void whenOurOwnProcessWasPausedNoKeepalivesWentOutSoNoneWereMissed() {
        long t = run(0, 1_000 * MS, 2 * MS);
        // 3 s with no tick of ours (a stop-the-world pause, a starved machine): no keepalive was sent.
        long resumedAt = t + 3_000 * MS;
        assertThat(liveness.verdict(resumedAt)).isEqualTo(Verdict.ALIVE);
        liveness.keepaliveSent(resumedAt);
        assertThat(liveness.verdict(resumedAt + 50 * MS)).isEqualTo(Verdict.ALIVE);
    }

    @Test
    void aClientWhoseOwnTicksRanLateWaitsThatMuchLongerBeforeBlamingTheRelay() {
        long t = run(0, 1_000 * MS, 2 * MS);
        long lastHeard = t - INTERVAL + 2 * MS;
        liveness.tickLate(800 * MS);   // our own keepalive tick ran 800 ms late: the relay's answers may be unread
        long deadAt = -1;
        for (long now = t; now < t + 5_000 * MS; now += 10 * MS) {
            if ((now - t) % INTERVAL == 0) {
                liveness.keepaliveSent(now);
            }
            if (liveness.verdict(now) == Verdict.DEAD) {
                deadAt = now;
                break;
            }
        }
        assertThat(liveness.boundNanos()).isEqualTo(950 * MS);
        assertThat(deadAt - lastHeard).as("silence before dead: 400 ms + our own 800 ms").isGreaterThanOrEqualTo(1_200 * MS);
        // Being on time again lets the stretch decay.
        for (int i = 0; i < 100; i++) {
            liveness.tickLate(0);
        }
        assertThat(liveness.boundNanos()).isLessThan(200 * MS);
    }

    @Test
    void mediaCountsAsHearingTheRelay() {
        long t = run(0, 500 * MS, -1);
        liveness.heard(t);
        assertThat(liveness.verdict(t)).isEqualTo(Verdict.ALIVE);
    }

    @Test
    void implausibleRoundTripsAreNotSamples() {
        run(0, 1_000 * MS, 2 * MS);
        long before = liveness.boundNanos();
        liveness.pong(5_000 * MS, 1_000 * MS);        // from the future
        liveness.pong(0, 60_000 * MS);                 // a minute old
        assertThat(liveness.boundNanos()).isEqualTo(before);
    }

    @Test
    void badSettingsAreRefused() {
        assertThatThrownBy(() -> new RelayLiveness(0, 1, 0, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RelayLiveness(2, 1, 0, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RelayLiveness(1, 1, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}

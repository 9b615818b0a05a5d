package dev.lifeline.media.client;

/**
 * Whether the relay still answers, from its PONGs and media, for one media socket. Pure: times in, verdict out.
 *
 * <p>A keepalive miss is not a death. A keepalive counts as missed only once it is older than the relay's
 * adaptive answer bound (smoothed PONG round trip + 4 × its deviation, as TCP computes its retransmission timeout,
 * RFC 6298), so a relay that answers slowly under load stretches the bound instead of looking dead. The relay is
 * suspected at the first miss and declared dead only when {@code confirmMisses} keepalives in a row went
 * unanswered and nothing at all was heard for {@code minSilence}. Counting keepalives actually sent (not wall time)
 * keeps a client whose own process was paused from blaming the relay: no keepalives went out, so none were missed.
 * And a client whose own process is starved (its keepalive ticks run late: a busy machine, GC) stretches both the
 * bound and the silence by how late it has recently been, since its own receive thread is late too and the relay's
 * answers may be waiting unread (Lifeguard's local health awareness, in one number).
 * An ICMP port-unreachable is decisive and does not go through here: the socket reports it at once.
 */
public final class RelayLiveness {

    public enum Verdict { ALIVE, SUSPECT, DEAD }

    /** Round trips above this are not samples: a reply to a keepalive from before a long pause of our own. */
    private static final long MAX_SAMPLE_NANOS = 10_000_000_000L;
    private static final int RING = 32;

    private final long minBoundNanos;
    private final long maxBoundNanos;
    private final long minSilenceNanos;
    private final int confirmMisses;
    private final long[] sentAt = new long[RING];
    private int sent;
    private long lastHeardNanos;
    private long srttNanos = -1;
    private long rttvarNanos;
    /** How late our own keepalive ticks have recently been; decays by 1/32 per tick (halves in about 2 s). */
    private long localLagNanos;

    /**
     * @param minBoundNanos   a keepalive is missed no sooner than this after it left (the bound's floor)
     * @param maxBoundNanos   nor later than this, however slow the relay has been
     * @param minSilenceNanos dead needs at least this long without a word from the relay
     * @param confirmMisses   dead needs this many keepalives in a row missed
     */
    public RelayLiveness(long minBoundNanos, long maxBoundNanos, long minSilenceNanos, int confirmMisses, long nowNanos) {
        if (minBoundNanos <= 0 || maxBoundNanos < minBoundNanos || minSilenceNanos < 0 || confirmMisses < 1) {
            throw new IllegalArgumentException("need 0 < minBound <= maxBound, minSilence >= 0, confirmMisses >= 1");
        }
        this.minBoundNanos = minBoundNanos;
        this.maxBoundNanos = maxBoundNanos;
        this.minSilenceNanos = minSilenceNanos;
        this.confirmMisses = confirmMisses;
        this.lastHeardNanos = nowNanos;
    }

    /** Anything from the relay: media, a PONG, a BIND_ACK. */
    public synchronized void heard(long nowNanos) {
        if (nowNanos - lastHeardNanos > 0) {
            lastHeardNanos = nowNanos;
        }
    }

    /** A PONG echoing the send time of one of our keepalives: a round-trip sample, and the relay was heard. */
    public synchronized void pong(long echoedSentNanos, long nowNanos) {
        heard(nowNanos);
        long rtt = nowNanos - echoedSentNanos;
        if (rtt < 0 || rtt > MAX_SAMPLE_NANOS) {
            return;
        }
        if (srttNanos < 0) {
            srttNanos = rtt;
            rttvarNanos = rtt / 2;
        } else {
            rttvarNanos = (3 * rttvarNanos + Math.abs(srttNanos - rtt)) / 4;
            srttNanos = (7 * srttNanos + rtt) / 8;
        }
    }

    public synchronized void keepaliveSent(long nowNanos) {
        sentAt[sent % RING] = nowNanos;
        sent++;
    }

    /** Our own keepalive tick ran {@code lateNanos} after it was due: our process is short of CPU. */
    public synchronized void tickLate(long lateNanos) {
        localLagNanos = Math.max(Math.max(0, lateNanos), localLagNanos - localLagNanos / 32);
    }

    /** How long a keepalive may go unanswered before it counts as missed. */
    public synchronized long boundNanos() {
        long bound = srttNanos < 0 ? minBoundNanos : srttNanos + 4 * rttvarNanos;
        return Math.min(maxBoundNanos, Math.max(minBoundNanos, bound)) + localLagNanos;
    }

    /** Keepalives sent since the relay was last heard and older than the bound. */
    public synchronized int missed(long nowNanos) {
        long bound = boundNanos();
        int missed = 0;
        for (int i = sent - 1; i >= 0 && i >= sent - RING; i--) {
            long at = sentAt[i % RING];
            if (at - lastHeardNanos <= 0) {
                break;
            }
            if (nowNanos - at > bound) {
                missed++;
            }
        }
        return missed;
    }

    public synchronized Verdict verdict(long nowNanos) {
        int missed = missed(nowNanos);
        if (missed == 0) {
            return Verdict.ALIVE;
        }
        return missed >= confirmMisses && nowNanos - lastHeardNanos >= minSilenceNanos + localLagNanos
                ? Verdict.DEAD : Verdict.SUSPECT;
    }
}

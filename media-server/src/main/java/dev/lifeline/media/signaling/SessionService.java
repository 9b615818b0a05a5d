package dev.lifeline.media.signaling;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import org.jboss.logging.Logger;

import dev.lifeline.media.protocol.ServerMessage;
import dev.lifeline.media.session.NonceRegistry;
import dev.lifeline.media.session.Placement;
import dev.lifeline.media.session.RelaySelector;
import dev.lifeline.media.session.SessionStore;
import dev.lifeline.media.session.StaleEpochException;
import dev.lifeline.media.token.ReplayGuard;
import dev.lifeline.media.token.TokenClaims;
import dev.lifeline.media.token.TokenCodec;
import dev.lifeline.media.token.TokenRejected;
import dev.lifeline.sessiontable.InstanceHeartbeat;
import dev.lifeline.sessiontable.SessionFence;
import dev.lifeline.sessiontable.SessionRecord;

/**
 * What signaling does for join, resume and leave, independent of the WebSocket. Every change of a
 * session's relay goes through {@link SessionStore#reassign}, a conditional write on the fencing
 * epoch: of two signaling instances that both see a relay die, one wins and the other reads the
 * winner's choice, so a session never has two relays.
 *
 * <p>Across regions (a DynamoDB global table) a condition is checked in the writer's replica only, so two regions
 * can both take a session over, and replication keeps the later write ({@link SessionFence}). Each instance
 * therefore remembers what it handed out ({@link #superseded}): when the settled item names another assignment,
 * its participants are told to resume, and they get the one that won.
 */
public final class SessionService {

    private static final Logger LOG = Logger.getLogger(SessionService.class);
    private static final int MAX_WRITE_RACES = 5;
    private static final int LOCK_STRIPES = 256;

    private final TokenCodec tokens;
    private final ReplayGuard replayGuard;
    private final NonceRegistry nonces;
    private final SessionStore store;
    private final RelayDirectory relays;
    private final RelaySelector selector;
    private final RelayProbe probe;
    private final String region;
    private final long resumeTokenSeconds;
    private final long mediaTokenSeconds;
    private final LongSupplier clockMillis;
    private final List<String> signalingEndpoints;
    /** What this instance handed out last to each participant, and when: the settlement check's input. */
    private final Map<Participant, HandedOut> handedOut = new ConcurrentHashMap<>();
    /**
     * Work on one session is serialised within this instance. Across instances the conditional
     * writes alone keep one relay per session; locally the lock also saves pointless write races,
     * and it keeps the guarantee against a store whose conditional writes are not atomic under
     * concurrency (a 100-session benchmark on moto once ended with two relays at epoch 1).
     */
    private final Object[] sessionLocks = new Object[LOCK_STRIPES];

    /** Who the client is, established by join or resume and kept by the connection. */
    public record Participant(String sessionId, String participantId) {
    }

    public record Result(Participant participant, ServerMessage.Assigned reply) {
    }

    /** An assignment this instance gave a participant: the item's token and relay at that moment. */
    private record HandedOut(SessionFence fence, String relayId, long atMillis) {
        boolean sameAs(SessionRecord session) {
            return fence.equals(session.fence()) && relayId.equals(session.relayId());
        }
    }

    public SessionService(TokenCodec tokens, ReplayGuard replayGuard, NonceRegistry nonces, SessionStore store,
                          RelayDirectory relays,
                          RelaySelector selector, RelayProbe probe, String region, long resumeTokenSeconds,
                          long mediaTokenSeconds, LongSupplier clockMillis, List<String> signalingEndpoints) {
        this.tokens = tokens;
        this.replayGuard = replayGuard;
        this.nonces = nonces;
        this.store = store;
        this.relays = relays;
        this.selector = selector;
        this.probe = probe;
        this.region = region;
        this.resumeTokenSeconds = resumeTokenSeconds;
        this.mediaTokenSeconds = mediaTokenSeconds;
        this.clockMillis = clockMillis;
        this.signalingEndpoints = List.copyOf(signalingEndpoints);
        for (int i = 0; i < LOCK_STRIPES; i++) {
            sessionLocks[i] = new Object();
        }
    }

    private Object lockFor(String sessionId) {
        return sessionLocks[Math.floorMod(sessionId.hashCode(), LOCK_STRIPES)];
    }

    public Result join(String joinToken) throws SignalingRefused {
        long now = clockMillis.getAsLong();
        TokenClaims claims = verify(joinToken, TokenClaims.Kind.JOIN, now);
        refuseWithoutAnyRelay(now);
        // Local guard first (no table call for a replay to this instance), then the shared one: the
        // same token presented to another signaling replica must fail too.
        if (!replayGuard.firstUse(claims.nonce(), claims.expiresAtEpochSecond(), now / 1000)
                || !nonces.firstUse(claims.nonce(), claims.expiresAtEpochSecond())) {
            throw new SignalingRefused("replayed", "join token already used");
        }
        synchronized (lockFor(claims.sessionId())) {
            return joinLocked(claims, now);
        }
    }

    /**
     * No relay is alive (a region starting, every relay restarting): the join would be refused whatever the session,
     * so it is refused before the token is used up, and the client can retry the same token once a relay is back
     * instead of asking its backend for a new one. A relay that dies between this look and the pick still costs the
     * token (refused as no_relay below).
     */
    private void refuseWithoutAnyRelay(long now) throws SignalingRefused {
        if (relays.relays().stream().noneMatch(h -> selector.fitToKeep(h, now))) {
            throw new SignalingRefused("no_relay", "no healthy relay available");
        }
    }

    private Result joinLocked(TokenClaims claims, long now) throws SignalingRefused {
        SessionRecord session = null;
        for (int race = 0; race < MAX_WRITE_RACES && session == null; race++) {
            Optional<SessionRecord> existing = store.find(claims.sessionId());
            if (existing.isEmpty()) {
                InstanceHeartbeat relay = pickRelay(Set.of(), now);
                Placement placement = Placement.of(relay, selector.chooseStandby(relays.relays(), relay, Set.of(), now));
                try {
                    session = store.create(claims.sessionId(), placement, claims.participantId());
                } catch (StaleEpochException lostRace) {
                    // Another participant created it a moment ago: join that one.
                }
            } else {
                session = keepOrMove(existing.get(), null, now);
                if (session != null && !session.participants().contains(claims.participantId())) {
                    store.addParticipant(claims.sessionId(), claims.participantId());
                }
            }
        }
        if (session == null) {
            throw new SignalingRefused("busy", "session changed too often; retry");
        }
        return assigned("joined", session, claims.participantId(), now);
    }

    public Result resume(String resumeToken, String failedRelayId, long failedEpoch) throws SignalingRefused {
        long now = clockMillis.getAsLong();
        TokenClaims claims = verify(resumeToken, TokenClaims.Kind.RESUME, now);
        synchronized (lockFor(claims.sessionId())) {
            return resumeLocked(claims, failedRelayId, failedEpoch, now);
        }
    }

    private Result resumeLocked(TokenClaims claims, String failedRelayId, long failedEpoch, long now)
            throws SignalingRefused {
        for (int race = 0; race < MAX_WRITE_RACES; race++) {
            SessionRecord current = store.find(claims.sessionId())
                    .orElseThrow(() -> new SignalingRefused("unknown_session", "session does not exist"));
            if (!current.participants().contains(claims.participantId())) {
                throw new SignalingRefused("not_a_participant", "participant left this session");
            }
            boolean reportsCurrent = current.relayId().equals(failedRelayId) && current.epoch() == failedEpoch;
            SessionRecord session = keepOrMove(current, reportsCurrent ? failedRelayId : null, now);
            if (session != null) {
                return assigned("resumed", session, claims.participantId(), now);
            }
        }
        throw new SignalingRefused("busy", "session changed too often; retry");
    }

    public void leave(Participant participant) {
        synchronized (lockFor(participant.sessionId())) {
            store.removeParticipant(participant.sessionId(), participant.participantId());
        }
    }

    /**
     * Returns the session with a live relay: unchanged when its relay is fine, else reassigned at
     * epoch + 1: to its standby when that is fit (its participants may be there already, bound with the standby
     * token from their last reply), else to another relay; with a new standby for the new epoch. Returns null when a
     * concurrent writer won, so the caller re-reads.
     */
    private SessionRecord keepOrMove(SessionRecord current, String reportedDead, long now) throws SignalingRefused {
        Optional<InstanceHeartbeat> heartbeat = relays.relays().stream()
                .filter(h -> h.instanceId().equals(current.relayId())).findFirst();
        boolean healthy = heartbeat.isPresent() && selector.fitToKeep(heartbeat.get(), now);
        if (healthy && reportedDead != null && probe.check(current.relayAddress()) != RelayProbe.Status.ALIVE) {
            // No directory refresh: the dead relay's last heartbeat stays fresh for seconds anyway, so it
            // is excluded by id below; a refresh per moved session only adds table reads during a crowd.
            healthy = false;
        }
        if (healthy) {
            return current;
        }
        Set<String> excluded = new HashSet<>();
        excluded.add(current.relayId());
        InstanceHeartbeat next = standbyFitToTakeOver(current, now).orElse(null);
        if (next == null) {
            next = pickRelay(excluded, now);
        }
        // Not the failed relay either: its last heartbeat stays fresh for seconds after a crash.
        Placement placement = Placement.of(next, selector.chooseStandby(relays.relays(), next, excluded, now));
        try {
            SessionRecord moved = store.reassign(current, placement);
            LOG.infof("session %s moved from %s to %s (epoch %d)", current.sessionId(), current.relayId(),
                    next.instanceId(), moved.epoch());
            return moved;
        } catch (StaleEpochException lostRace) {
            return null;
        }
    }

    /** The session's standby relay, when it is alive, not draining and not the relay being left. */
    private Optional<InstanceHeartbeat> standbyFitToTakeOver(SessionRecord current, long now) {
        if (!current.hasStandby() || current.standbyRelayId().equals(current.relayId())) {
            return Optional.empty();
        }
        return relays.relays().stream().filter(h -> h.instanceId().equals(current.standbyRelayId()))
                .filter(h -> selector.fitToKeep(h, now)).findFirst();
    }

    private InstanceHeartbeat pickRelay(Set<String> excluded, long now) throws SignalingRefused {
        return selector.choose(relays.relays(), region, excluded, now)
                .orElseThrow(() -> new SignalingRefused("no_relay", "no healthy relay available"));
    }

    /**
     * The participants to whom this instance handed out, within the last {@code windowMillis}, an assignment that
     * the session's item, read now in this region's replica, no longer carries: another region's concurrent
     * takeover won when replication settled, or the session moved on. They must resume (if still connected here).
     * Sessions gone from the table and assignments older than the window are forgotten. One read per session.
     */
    public Set<Participant> superseded(long windowMillis) {
        long now = clockMillis.getAsLong();
        Map<String, Optional<SessionRecord>> settled = new java.util.HashMap<>();
        Set<Participant> superseded = new HashSet<>();
        for (Map.Entry<Participant, HandedOut> entry : handedOut.entrySet()) {
            Participant participant = entry.getKey();
            HandedOut given = entry.getValue();
            if (now - given.atMillis() > windowMillis) {
                handedOut.remove(participant, given);
                continue;
            }
            Optional<SessionRecord> session = settled.computeIfAbsent(participant.sessionId(), store::find);
            if (session.isEmpty()) {
                handedOut.remove(participant, given);
            } else if (!given.sameAs(session.get())) {
                handedOut.remove(participant, given);
                LOG.infof("session %s: %s was handed %s on %s, the table now says %s on %s: it resumes",
                        participant.sessionId(), participant.participantId(), given.fence(), given.relayId(),
                        session.get().fence(), session.get().relayId());
                superseded.add(participant);
            }
        }
        return superseded;
    }

    private Result assigned(String type, SessionRecord session, String participantId, long now) {
        handedOut.put(new Participant(session.sessionId(), participantId),
                new HandedOut(session.fence(), session.relayId(), now));
        long nowSeconds = now / 1000;
        String media = tokens.sign(TokenClaims.media(session.sessionId(), participantId, nowSeconds + mediaTokenSeconds,
                session.relayId(), session.epoch()));
        String resume = tokens.sign(TokenClaims.resume(session.sessionId(), participantId, nowSeconds + resumeTokenSeconds));
        ServerMessage.Standby standby = null;
        if (session.hasStandby()) {
            // Pre-authorised for the next epoch: the standby relay accepts it without asking anyone, and refuses it
            // once the session has moved past that epoch there.
            long next = session.epoch() + 1;
            standby = new ServerMessage.Standby(session.standbyRelayId(), session.standbyRelayAddress(), next,
                    tokens.sign(TokenClaims.media(session.sessionId(), participantId, nowSeconds + mediaTokenSeconds,
                            session.standbyRelayId(), next)));
        }
        return new Result(new Participant(session.sessionId(), participantId),
                new ServerMessage.Assigned(type, session.sessionId(), participantId, session.relayId(),
                        session.relayAddress(), session.epoch(), media, resume, signalingEndpoints, standby));
    }

    private TokenClaims verify(String token, TokenClaims.Kind kind, long nowMillis) throws SignalingRefused {
        try {
            return tokens.verify(token, kind, nowMillis / 1000);
        } catch (TokenRejected e) {
            throw new SignalingRefused(e.reason().name().toLowerCase(java.util.Locale.ROOT), "token rejected");
        }
    }
}

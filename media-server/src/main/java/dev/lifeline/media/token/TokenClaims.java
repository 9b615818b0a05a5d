package dev.lifeline.media.token;

/**
 * What a token grants. One shape for all three kinds so that there is one codec and one signature
 * check; fields a kind does not use are empty strings or zero.
 *
 * <ul>
 *   <li>{@code JOIN}: minted by the application backend; single use (its nonce is remembered).</li>
 *   <li>{@code RESUME}: minted by signaling at join; lets the same participant resume the same
 *       session as often as needed until it expires.</li>
 *   <li>{@code MEDIA}: minted by signaling for one relay at one fencing epoch; the relay binds the
 *       sender's UDP address to the participant with it (like a TURN permission).</li>
 * </ul>
 */
public record TokenClaims(Kind kind, String sessionId, String participantId, long expiresAtEpochSecond,
                          String nonce, String relayId, long epoch) {

    public enum Kind { JOIN, RESUME, MEDIA }

    public static TokenClaims join(String sessionId, String participantId, long expiresAt, String nonce) {
        return new TokenClaims(Kind.JOIN, sessionId, participantId, expiresAt, nonce, "", 0);
    }

    public static TokenClaims resume(String sessionId, String participantId, long expiresAt) {
        return new TokenClaims(Kind.RESUME, sessionId, participantId, expiresAt, "", "", 0);
    }

    public static TokenClaims media(String sessionId, String participantId, long expiresAt, String relayId, long epoch) {
        return new TokenClaims(Kind.MEDIA, sessionId, participantId, expiresAt, "", relayId, epoch);
    }
}

package dev.lifeline.media.token;

/** A token that must not be honoured; {@link #reason} is safe to show to the client and to count. */
public final class TokenRejected extends Exception {

    /** Why a token was refused; each is a separate metric label. */
    public enum Reason { MALFORMED, BAD_SIGNATURE, EXPIRED, WRONG_KIND, REPLAYED, WRONG_RELAY, STALE_EPOCH }

    private final Reason reason;

    public TokenRejected(Reason reason) {
        super(reason.name().toLowerCase(java.util.Locale.ROOT), null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}

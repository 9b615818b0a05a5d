package dev.lifeline.media.signaling;

/** A join, resume or leave that signaling refuses; {@code code} goes to the client as-is. */
public final class SignalingRefused extends Exception {

    private final String code;

    public SignalingRefused(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public String code() {
        return code;
    }
}

package dev.lifeline.media.protocol;

/** A frame that is not a valid version-1 client message; {@link #code} is stable for clients and metrics. */
public final class ProtocolException extends Exception {

    private final String code;

    public ProtocolException(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public String code() {
        return code;
    }
}

package dev.lifeline.media.session;

/** A conditional write lost: someone else created or reassigned the session first. Re-read and retry. */
public final class StaleEpochException extends Exception {

    public StaleEpochException(String sessionId) {
        super("session " + sessionId + " changed concurrently", null, false, false);
    }
}

package dev.lifeline.media.session;

/** Single-use join-token nonces shared by every signaling instance. */
public interface NonceRegistry {

    /** Records the nonce until the token expires; false when any instance already recorded it. */
    boolean firstUse(String nonce, long expiresAtEpochSecond);
}

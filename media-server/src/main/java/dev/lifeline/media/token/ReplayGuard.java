package dev.lifeline.media.token;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers single-use nonces until their token expires, so a join token works once.
 * Bounded: expired entries are evicted when the map grows, and beyond the bound new nonces are
 * refused (fail closed) rather than letting memory grow without limit under a flood.
 */
public final class ReplayGuard {

    private final ConcurrentHashMap<String, Long> expiryByNonce = new ConcurrentHashMap<>();
    private final int maxEntries;

    public ReplayGuard(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    /** Records the nonce; returns false when it was already used (a replay) or the guard is full. */
    public boolean firstUse(String nonce, long expiresAtEpochSecond, long nowEpochSecond) {
        if (expiryByNonce.size() >= maxEntries) {
            expiryByNonce.values().removeIf(expiry -> expiry <= nowEpochSecond);
            if (expiryByNonce.size() >= maxEntries) {
                return false;
            }
        }
        return expiryByNonce.putIfAbsent(nonce, expiresAtEpochSecond) == null;
    }

    public int size() {
        return expiryByNonce.size();
    }
}

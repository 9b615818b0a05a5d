package dev.lifeline.media.token;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and verifies tokens with HMAC-SHA256 over a shared secret.
 *
 * <p>Format: {@code v1.<base64url(claims)>.<base64url(hmac)>} where claims are
 * {@code kind;sessionId;participantId;expiresAt;nonce;relayId;epoch}. Ids cannot contain ';'
 * ({@link Ids}), so the text form is unambiguous and needs no JSON parser on the relay's path.
 * Verification checks the signature (constant time) before looking at any claim.
 */
public final class TokenCodec {

    /** Longer than any token this codec mints; anything larger is garbage and is not even decoded. */
    public static final int MAX_TOKEN_LENGTH = 512;
    private static final String PREFIX = "v1.";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final SecretKeySpec key;
    // Mac is stateful and not thread-safe; one per thread avoids locking on the relay's event loops.
    private final ThreadLocal<Mac> macs;

    public TokenCodec(byte[] secret) {
        if (secret.length < 16) {
            throw new IllegalArgumentException("token secret must be at least 16 bytes");
        }
        this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    public String sign(TokenClaims claims) {
        requireValid(claims.sessionId());
        requireValid(claims.participantId());
        if (!claims.nonce().isEmpty()) {
            requireValid(claims.nonce());
        }
        if (!claims.relayId().isEmpty()) {
            requireValid(claims.relayId());
        }
        String body = String.join(";", claims.kind().name(), claims.sessionId(), claims.participantId(),
                Long.toString(claims.expiresAtEpochSecond()), claims.nonce(), claims.relayId(),
                Long.toString(claims.epoch()));
        String signed = PREFIX + B64.encodeToString(body.getBytes(StandardCharsets.UTF_8));
        return signed + "." + B64.encodeToString(mac(signed));
    }

    /**
     * Verifies signature, kind and expiry. Replay and relay/epoch checks belong to the caller,
     * which knows its own state.
     */
    public TokenClaims verify(String token, TokenClaims.Kind expectedKind, long nowEpochSecond) throws TokenRejected {
        if (token == null || token.length() > MAX_TOKEN_LENGTH || !token.startsWith(PREFIX)) {
            throw new TokenRejected(TokenRejected.Reason.MALFORMED);
        }
        int dot = token.lastIndexOf('.');
        if (dot <= PREFIX.length()) {
            throw new TokenRejected(TokenRejected.Reason.MALFORMED);
        }
        String signed = token.substring(0, dot);
        byte[] presented;
        byte[] body;
        try {
            presented = B64D.decode(token.substring(dot + 1));
            body = B64D.decode(signed.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new TokenRejected(TokenRejected.Reason.MALFORMED);
        }
        if (!MessageDigest.isEqual(presented, mac(signed))) {
            throw new TokenRejected(TokenRejected.Reason.BAD_SIGNATURE);
        }
        TokenClaims claims = parse(new String(body, StandardCharsets.UTF_8));
        if (claims.kind() != expectedKind) {
            throw new TokenRejected(TokenRejected.Reason.WRONG_KIND);
        }
        if (claims.expiresAtEpochSecond() <= nowEpochSecond) {
            throw new TokenRejected(TokenRejected.Reason.EXPIRED);
        }
        return claims;
    }

    private static TokenClaims parse(String body) throws TokenRejected {
        // Signed by us, so a parse failure means a key shared with a buggy minter; still reject cleanly.
        String[] f = body.split(";", -1);
        if (f.length != 7) {
            throw new TokenRejected(TokenRejected.Reason.MALFORMED);
        }
        try {
            return new TokenClaims(TokenClaims.Kind.valueOf(f[0]), f[1], f[2], Long.parseLong(f[3]), f[4], f[5],
                    Long.parseLong(f[6]));
        } catch (IllegalArgumentException e) {
            throw new TokenRejected(TokenRejected.Reason.MALFORMED);
        }
    }

    private byte[] mac(String signed) {
        return macs.get().doFinal(signed.getBytes(StandardCharsets.US_ASCII));
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static void requireValid(String id) {
        if (!Ids.isValid(id)) {
            throw new IllegalArgumentException("invalid id: " + id);
        }
    }
}

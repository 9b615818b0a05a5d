package dev.lifeline.media.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

class TokenCodecTest {

    private static final long NOW = 1_800_000_000L;
    private final TokenCodec codec = new TokenCodec("0123456789abcdef-secret".getBytes(StandardCharsets.UTF_8));

    @Test
    void aSignedTokenVerifiesToItsClaims() throws TokenRejected {
        TokenClaims claims = TokenClaims.media("s-1", "alice", NOW + 60, "relay-a", 7);
        assertThat(codec.verify(codec.sign(claims), TokenClaims.Kind.MEDIA, NOW)).isEqualTo(claims);
    }

    @Test
    void anExpiredTokenIsRejected() {
        String token = codec.sign(TokenClaims.join("s-1", "alice", NOW, "n1"));
        assertRejected(token, TokenClaims.Kind.JOIN, TokenRejected.Reason.EXPIRED);
    }

    @Test
    void aTokenSignedWithAnotherSecretIsRejected() {
        TokenCodec other = new TokenCodec("another-secret-of-16".getBytes(StandardCharsets.UTF_8));
        String forged = other.sign(TokenClaims.join("s-1", "alice", NOW + 60, "n1"));
        assertRejected(forged, TokenClaims.Kind.JOIN, TokenRejected.Reason.BAD_SIGNATURE);
    }

    @Test
    void changingAnyClaimBreaksTheSignature() {
        String token = codec.sign(TokenClaims.join("s-1", "alice", NOW + 60, "n1"));
        String[] parts = token.split("\\.");
        String tampered = "JOIN;s-1;mallory;" + (NOW + 60) + ";n1;;0";
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(tampered.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertRejected(forged, TokenClaims.Kind.JOIN, TokenRejected.Reason.BAD_SIGNATURE);
    }

    @Test
    void aTokenOfAnotherKindIsRejected() {
        String resume = codec.sign(TokenClaims.resume("s-1", "alice", NOW + 60));
        assertRejected(resume, TokenClaims.Kind.JOIN, TokenRejected.Reason.WRONG_KIND);
    }

    @Test
    void garbageIsMalformedNotAnException() {
        for (String garbage : new String[] {null, "", "v1.", "v1..", "v2.abc.def", "v1.!!!.###",
                "v1.abc", "x".repeat(10_000), "v1." + "A".repeat(600)}) {
            assertRejected(garbage, TokenClaims.Kind.JOIN, TokenRejected.Reason.MALFORMED);
        }
    }

    @Test
    void idsThatCouldSmuggleClaimsCannotBeSigned() {
        assertThatThrownBy(() -> codec.sign(TokenClaims.join("s;1", "alice", NOW + 60, "n1")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aShortSecretIsRefused() {
        assertThatThrownBy(() -> new TokenCodec(new byte[8])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aNonceWorksOnceUntilItsTokenExpires() {
        ReplayGuard guard = new ReplayGuard(2);
        assertThat(guard.firstUse("n1", NOW + 10, NOW)).isTrue();
        assertThat(guard.firstUse("n1", NOW + 10, NOW)).isFalse();
        assertThat(guard.firstUse("n2", NOW + 10, NOW)).isTrue();
        // Full: a third nonce is refused (fail closed) until the others expire.
        assertThat(guard.firstUse("n3", NOW + 10, NOW)).isFalse();
        assertThat(guard.firstUse("n3", NOW + 20, NOW + 10)).isTrue();
    }

    private void assertRejected(String token, TokenClaims.Kind kind, TokenRejected.Reason reason) {
        assertThatThrownBy(() -> codec.verify(token, kind, NOW))
                .isInstanceOfSatisfying(TokenRejected.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }
}
